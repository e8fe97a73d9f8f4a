/**
 * A patient books in the browser and a doctor approves on their live feed, each in their own browser: the request
 * appears on the doctor's screen without a reload, with the patient's name, and the patient's page turns BOOKED by
 * itself. Also: the same booking by keyboard only, and a feed that loses its socket catches up (since) on reconnect.
 */
import { describe, expect, it } from "@jest/globals";
import type { Page } from "playwright-core";
import { openApp, signIn } from "./harness.js";
import { useClinic } from "./useClinic.js";

const clinic = useClinic();

/** Patient: search a doctor by name, open their calendar, and choose the first free time from next week on. */
async function openDoctorWeek(page: Page, doctorName: string, surname: string) {
  await page.getByLabel("Doctor's name").fill(surname);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: doctorName }).click();
  await page.getByRole("heading", { level: 1, name: doctorName }).waitFor();
  await page.getByRole("button", { name: "Next week" }).click();
  await page.locator(".week .slot").first().waitFor();
}

describe("booking in the browser", () => {
  it("a patient requests, the doctor sees it live and approves, the patient's page turns BOOKED without reload", async () => {
    const doctor = await openApp(clinic());
    const patient = await openApp(clinic());
    try {
      await signIn(doctor.page, "dr.weber@clinigraph.demo");
      await doctor.page.getByRole("heading", { name: "Appointment requests" }).waitFor();
      await doctor.page.getByText("● Live").waitFor(); // the feed's socket is up

      await signIn(patient.page, "patient01@clinigraph.demo");
      await patient.page.getByRole("heading", { name: "Find a doctor" }).waitFor();
      await openDoctorWeek(patient.page, "Dr. Lucas Weber", "Weber");
      // The calendar names the doctor's zone.
      await expect(patient.page.getByTestId("calendar-zone").textContent()).resolves.toMatch(/Europe\/Berlin/);
      await patient.page.locator(".week .slot").first().click();
      await patient.page.getByLabel(/Reason for the visit/).fill("Persistent cough");
      await patient.page.getByRole("button", { name: "Request this time" }).click();
      await patient.page.getByRole("heading", { name: "Your appointment" }).waitFor();
      await patient.page.getByTestId("appointment-status").getByText("Waiting for approval").waitFor();
      await patient.page.evaluate(() => ((window as unknown as { marker: string }).marker = "same page"));

      // The doctor's feed shows the request with the patient's name, and a badge for it.
      const request = doctor.page.getByTestId("request").filter({ hasText: "Anna Demo" });
      await request.waitFor();
      await expect(request.textContent()).resolves.toContain("Persistent cough");
      await doctor.page.getByTestId("new-badge").waitFor();
      await request.getByRole("button", { name: "Approve" }).click();
      await request.waitFor({ state: "detached" });

      await patient.page.getByTestId("appointment-status").getByText("Booked").waitFor();
      await expect(patient.page.evaluate(() => (window as unknown as { marker?: string }).marker)).resolves.toBe("same page");
    } finally {
      await doctor.context.close();
      await patient.context.close();
    }
  });

  it("a patient books by keyboard alone", async () => {
    const { context, page } = await openApp(clinic());
    try {
      // Sign in: Tab to the fields, Enter submits.
      await page.getByLabel("E-mail").focus();
      await page.keyboard.type("patient02@clinigraph.demo");
      await page.keyboard.press("Tab");
      await page.keyboard.type("Clinigraph-demo-1");
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: "Find a doctor" }).waitFor();
      // Search by name, then follow the result, all by keys.
      await page.getByLabel("Doctor's name").focus();
      await page.keyboard.type("Hart");
      await page.keyboard.press("Enter");
      const link = page.getByRole("link", { name: "Dr. Amelia Hart" });
      await link.waitFor();
      await link.focus();
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { level: 1, name: "Dr. Amelia Hart" }).waitFor();
      const next = page.getByRole("button", { name: "Next week" });
      await next.focus();
      await page.keyboard.press("Enter");
      const slot = page.locator(".week .slot").first();
      await slot.waitFor();
      await slot.focus();
      await page.keyboard.press("Enter");
      // Choosing a time moves focus into the booking form; Tab reaches the button, Enter books.
      await page.getByLabel(/Reason for the visit/).waitFor();
      // The form takes focus in the frame after it renders (requestAnimationFrame): wait for that frame, not just the label.
      await page.waitForFunction(() => /SELECT|TEXTAREA|BUTTON/.test(document.activeElement?.tagName ?? ""), undefined, { timeout: 5_000 });
      await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toMatch(/SELECT|TEXTAREA|BUTTON/);
      const book = page.getByRole("button", { name: "Book this time" });
      for (let i = 0; i < 5 && !(await book.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
      await expect(book.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
      await page.keyboard.press("Enter");
      await page.getByTestId("appointment-status").getByText("Booked").waitFor();
    } finally {
      await context.close();
    }
  });

  it("a doctor's feed that lost its socket reconnects and shows what happened meanwhile", async () => {
    // The router's socket, intercepted so the test can drop it as a network would.
    const sockets: { close(): Promise<void> }[] = [];
    const doctor = await openApp(clinic(), {
      before: (page) =>
        page.routeWebSocket(
          (url) => url.pathname === "/graphql",
          (ws) => {
            const server = ws.connectToServer();
            sockets.push({ close: () => ws.close({ code: 1001, reason: "network lost" }).then(() => server.close()) });
          },
        ),
    });
    const patient = await openApp(clinic());
    try {
      await signIn(doctor.page, "dr.rossi@clinigraph.demo");
      await doctor.page.getByText("● Live").waitFor();
      await signIn(patient.page, "patient03@clinigraph.demo");
      await openDoctorWeek(patient.page, "Dr. Sofia Rossi", "Rossi");

      await sockets[0]!.close();
      await doctor.page.getByText("Reconnecting…").waitFor();
      // Requested while the doctor's socket is down.
      await patient.page.locator(".week .slot").first().click();
      await patient.page.getByRole("button", { name: "Request this time" }).click();
      await patient.page.getByTestId("appointment-status").getByText("Waiting for approval").waitFor();

      await doctor.page.getByText("● Live").waitFor();
      await doctor.page.getByTestId("request").filter({ hasText: "Chloe Demo" }).waitFor();
      expect(sockets.length).toBeGreaterThanOrEqual(2);
    } finally {
      await doctor.context.close();
      await patient.context.close();
    }
  });
});
