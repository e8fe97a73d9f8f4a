/**
 * The browser tests' world: Clinigraph started the way `pnpm start` starts it (scripts/start.ts as a child process: every
 * subgraph, the router, the web app, MailDev and the seeded demo clinic) on free ports and a fresh database, and
 * Debian's Chromium driven by playwright-core (Playwright cannot download its own browsers here).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { REPO_ROOT } from "@clinigraph/platform";
import { createTestDatabase, type TestDatabase, freePortBlock } from "@clinigraph/testing";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTEFACTS = path.join(REPO_ROOT, "apps", "web", "test-results");
export const DEMO_PASSWORD = "Clinigraph-demo-1";
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

export interface Clinic {
  webUrl: string;
  routerUrl: string;
  databaseUrl: string;
  browser: Browser;
  stop(): Promise<void>;
}

export interface RunningStack {
  webUrl: string;
  routerUrl: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * The environment variable through which the browser project's global setup (globalSetup.ts) hands its one stack to
 * every test file: JSON of { webUrl, routerUrl, databaseUrl }.
 */
export const SHARED_STACK = "CLINIGRAPH_BROWSER_STACK";

/** Starts the stack as `pnpm start` does: scripts/start.ts in a child process on a fresh database and free ports. */
export async function launchStack(): Promise<RunningStack> {
  const database: TestDatabase = await createTestDatabase();
  const base = await freePortBlock(12);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "development",
    DATABASE_URL: database.url,
    CLINIGRAPH_PORT_BASE: String(base),
    WEB_PORT: String(base + 9),
    MAILDEV_SMTP_PORT: String(base + 10),
    MAILDEV_WEB_PORT: String(base + 11),
    LOG_LEVEL: "warn",
    // Beside the e2e stacks of the other test workers on one PostgreSQL (100 connections by default).
    DATABASE_POOL_SIZE: "3",
  };
  delete env.REDIS_URL; // in-process events, as `pnpm start` runs by default
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "scripts", "start.ts")], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const ready = new Promise<{ webUrl: string; routerUrl: string }>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const web = /Web app:\s+(\S+)/.exec(output);
      const router = /Router \(GraphQL over HTTP\):\s+(\S+)/.exec(output);
      if (/Ctrl-C stops everything/.test(output) && web && router) resolve({ webUrl: web[1]!, routerUrl: router[1]! });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`scripts/start.ts exited (${code}) before it was ready:\n${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const urls = await ready;
  return {
    ...urls,
    databaseUrl: database.url,
    async stop() {
      child.kill("SIGTERM");
      await exited;
      await database.drop();
    },
  };
}

/**
 * The stack (the browser project's shared one when its global setup started it, else a new one of its own) and a
 * headless Chromium. `stop` closes the browser, and stops the stack only if it started it.
 */
export async function startClinic(): Promise<Clinic> {
  const shared = process.env[SHARED_STACK];
  const stack: RunningStack = shared ? { ...(JSON.parse(shared) as Omit<RunningStack, "stop">), stop: async () => undefined } : await launchStack();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  return {
    webUrl: stack.webUrl,
    routerUrl: stack.routerUrl,
    databaseUrl: stack.databaseUrl,
    browser,
    async stop() {
      await browser.close().catch(() => undefined);
      await stack.stop();
    },
  };
}

/** A fresh browser context (its own memory: a new tab of a new browser) with a page on the app. */
export async function openApp(
  clinic: Clinic,
  { viewport = DESKTOP, before }: { viewport?: { width: number; height: number }; before?: (page: Page) => Promise<void> } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await clinic.browser.newContext({ viewport, locale: "en-GB", timezoneId: "Europe/Berlin" });
  const page = await context.newPage();
  await before?.(page); // e.g. routes, which apply to what the page opens after them
  await page.goto(clinic.webUrl);
  return { context, page };
}

/** Signs in through the form (labels "E-mail" and "Password", Enter submits) and waits for the role's home. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  if (!/\/sign-in/.test(page.url())) await page.goto(new URL("/sign-in", page.url()).href);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByLabel("Password").press("Enter");
  await page.getByRole("button", { name: "Sign out" }).waitFor();
  await page.waitForURL((url) => url.pathname !== "/sign-in"); // on the role's home
}

/** Serious or critical accessibility violations of the page as it is (axe-core). */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
    );
}

/** Screenshots of the page at phone and desktop width, as test artefacts (apps/web/test-results/screenshots). */
export async function screenshots(page: Page, name: string): Promise<void> {
  const dir = path.join(ARTEFACTS, "screenshots");
  mkdirSync(dir, { recursive: true });
  const original = page.viewportSize() ?? DESKTOP;
  for (const [label, size] of [
    ["phone", PHONE],
    ["desktop", DESKTOP],
  ] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: path.join(dir, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(original);
}
