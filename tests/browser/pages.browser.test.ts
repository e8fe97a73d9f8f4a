/**
 * Every page of every role, in Chromium: opened through the app's own navigation (a reload would sign out: tokens
 * live in memory), scanned with axe-core (no serious or critical violations), checked at phone width (nothing wider
 * than the screen), and photographed at phone and desktop width into apps/web/test-results/screenshots. Also: a page
 * of another role says so, an API error shows its message, registration shows the password rules as you type, and
 * the stakeholder's dashboard draws its charts.
 */
import { describe, expect, it } from "@jest/globals";
import type { Page } from "playwright-core";
import { PHONE, accessibilityViolations, openApp, screenshots, signIn } from "./harness.js";
import { useClinic } from "./useClinic.js";

const clinic = useClinic();

/**
 * The page is usable on a phone: nothing makes it wider than the screen (wide tables scroll inside their own box).
 * Returns what sticks out, if anything.
 */
async function overflowOnPhone(page: Page): Promise<string[]> {
  const original = page.viewportSize()!;
  await page.setViewportSize(PHONE);
  // Charts re-measure their box after a resize (ResizeObserver): give the layout up to 3 s to settle at phone width.
  await page.waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth + 1, null, { timeout: 3_000 }).catch(() => undefined);
  const wide = await page.evaluate(() => {
    if (document.documentElement.scrollWidth <= window.innerWidth + 1) return [];
    return Array.from(document.querySelectorAll("main *, header *"))
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 5)
      .map(
        (e) => `${e.tagName.toLowerCase()}${e.className ? `.${String(e.className).replace(/ /g, ".")}` : ""}: ${Math.round(e.getBoundingClientRect().right)}px`,
      );
  });
  await page.setViewportSize(original);
  return wide;
}

/** Checks the page as it stands: accessible, phone-sized, photographed. */
async function check(page: Page, name: string): Promise<void> {
  await page.locator("h1").first().waitFor();
  await page.waitForFunction(() => !document.body.innerText.includes("Loading…"));
  await expect(accessibilityViolations(page)).resolves.toEqual([]);
  await expect(overflowOnPhone(page)).resolves.toEqual([]);
  await screenshots(page, name);
}

/** Opens a page from the navigation bar, as a user would. */
async function navigate(page: Page, label: string): Promise<void> {
  await page.getByRole("navigation").getByRole("link", { name: label, exact: true }).click();
}

const ROLES: { name: string; email: string; password?: string; pages: string[] }[] = [
  { name: "patient", email: "patient05@clinigraph.demo", pages: ["Find a doctor", "My appointments", "My card", "Invoices", "Notifications"] },
  { name: "doctor", email: "dr.hart@clinigraph.demo", pages: ["Requests", "Calendar", "Encounters", "Notifications"] },
  { name: "reception", email: "reception@clinigraph.demo", pages: ["Arrivals", "Clinic board", "Walk-in", "Book for a patient"] },
  { name: "examiner", email: "examiner@clinigraph.demo", pages: ["Worklist"] },
  { name: "billing", email: "billing@clinigraph.demo", pages: ["Invoices", "Price list"] },
  { name: "stakeholder", email: "stakeholder@clinigraph.demo", pages: ["Dashboard", "Clinic board"] },
  { name: "admin", email: "admin@clinigraph.demo", password: "Clinigraph-admin-1", pages: ["Users", "Doctors", "Price list", "Audit log"] },
];

describe("every page", () => {
  it("sign-in and registration are accessible, show API errors and the password rules", async () => {
    const { context, page } = await openApp(clinic());
    try {
      await check(page, "sign-in");
      await page.getByLabel("E-mail").fill("patient01@clinigraph.demo");
      await page.getByLabel("Password").fill("not-the-password");
      await page.getByLabel("Password").press("Enter");
      await expect(page.getByRole("alert").textContent()).resolves.toMatch(/UNAUTHENTICATED|e-mail or password/i);

      await page.getByRole("link", { name: "Create an account" }).click();
      await check(page, "register");
      await page.getByLabel("E-mail").fill(`browser.${Date.now()}@example.test`);
      await page.getByRole("button", { name: "Send me a code" }).click();
      await page.getByLabel("Code from the e-mail").waitFor();
      const rules = page.locator("#password-rules li");
      await page.getByLabel("Password").fill("short");
      await expect(rules.evaluateAll((items) => items.map((li) => li.getAttribute("data-met")))).resolves.toEqual(["false", "false", "true"]);
      await page.getByLabel("Password").fill("Longer-password-1");
      await expect(rules.evaluateAll((items) => items.map((li) => li.getAttribute("data-met")))).resolves.toEqual(["true", "true", "true"]);
      await check(page, "register-code");
    } finally {
      await context.close();
    }
  });

  it("the router serves GraphiQL offline: sign in in its bar, run a query, nothing loaded from elsewhere", async () => {
    const context = await clinic().browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const elsewhere: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (["http:", "https:", "ws:", "wss:"].includes(url.protocol) && url.hostname !== "127.0.0.1") elsewhere.push(request.url());
    });
    const traffic: string[] = []; // GraphiQL's calls to the router, shown if the answer never appears
    page.on("response", (response) => {
      if (response.request().method() === "POST") traffic.push(`${response.status()} ${response.request().postData()?.slice(0, 80) ?? ""}`);
    });
    page.on("requestfailed", (request) => traffic.push(`failed ${request.failure()?.errorText ?? ""} ${request.postData()?.slice(0, 80) ?? ""}`));
    page.on("console", (message) => traffic.push(`console.${message.type()} ${message.text().slice(0, 200)}`));
    try {
      await page.goto(clinic().routerUrl);
      await page.locator(".graphiql-container").waitFor();
      await page.getByLabel("E-mail").fill("dr.hart@clinigraph.demo");
      await page.getByLabel("Password").fill("Clinigraph-demo-1");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByText(/Signed in as Dr. Amelia Hart/).waitFor();
      // GraphiQL ignores Execute until its (Monaco) editors exist, which on a loaded machine comes after the sign-in.
      await page.locator(".graphiql-response .monaco-editor").waitFor();
      await page
        .locator(".monaco-editor .view-lines")
        .filter({ hasText: /query\s*Me/ })
        .first()
        .waitFor();
      await page.getByRole("button", { name: /Execute query/ }).click();
      // The answer, in GraphiQL's (Monaco) result pane: with the signed-in doctor's token, `me` is the doctor.
      await page
        .waitForFunction(() => /"data"|"errors"/.test(document.querySelector(".graphiql-response")?.textContent ?? ""))
        .catch(async (err: Error) => {
          // What GraphiQL shows instead (a network failure is a bare message), for whoever reads the failure.
          const pane = await page.locator(".graphiql-response").textContent();
          throw new Error(`${err.message}\nresponse pane: ${pane}\ntraffic:\n${traffic.join("\n")}`);
        });
      const answer = (await page.locator(".graphiql-response").textContent())!.replace(/[^\x21-\x7e]+/g, " "); // Monaco's spacing
      expect(answer).toMatch(/"name": "Dr\. Amelia Hart"/);
      await screenshots(page, "graphiql");
      expect(elsewhere).toEqual([]);
    } finally {
      await context.close();
    }
  });

  for (const role of ROLES)
    it(`${role.name}: each page is accessible, fits a phone and is photographed`, async () => {
      const { context, page } = await openApp(clinic());
      try {
        await signIn(page, role.email, role.password);
        for (const label of role.pages) {
          await navigate(page, label);
          await check(page, `${role.name}-${label.toLowerCase().replace(/[^a-z]+/g, "-")}`);
        }
        if (role.name === "patient") {
          // The booking calendar, reached from the search.
          await navigate(page, "Find a doctor");
          await page.getByLabel("Doctor's name").fill("Nguyen");
          await page.getByRole("button", { name: "Search" }).click();
          await page.getByRole("link", { name: "Dr. Minh Nguyen" }).click();
          await page.locator(".week").waitFor();
          await check(page, "patient-doctor-week");
          // A page of another role says so instead of showing nothing.
          await page.evaluate(() => {
            history.pushState({}, "", "/doctor/calendar");
            dispatchEvent(new PopStateEvent("popstate"));
          });
          await page.getByRole("heading", { name: "Not for your role" }).waitFor();
          await check(page, "forbidden");
        }
        if (role.name === "stakeholder") {
          await navigate(page, "Dashboard");
          await page.locator(".recharts-surface").first().waitFor();
          expect(await page.locator(".recharts-surface").count()).toBeGreaterThanOrEqual(3);
          await expect(page.getByRole("table").count()).resolves.toBeGreaterThan(0);
        }
      } finally {
        await context.close();
      }
    });
});
