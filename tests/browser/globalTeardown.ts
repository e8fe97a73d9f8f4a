/** After the browser tests: stops the stack globalSetup.ts started (and with it, its database). */
import type { ChildProcess } from "node:child_process";

export default async function globalTeardown(): Promise<void> {
  const child = (globalThis as { browserStack?: ChildProcess }).browserStack;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  await exited;
}
