/**
 * Before the browser tests: builds the web app once (a stack's scripts/start.ts then finds it current; two builds into
 * apps/web/dist at once would serve each other half-written files), then starts the one stack every browser test file
 * uses (sharedStack.ts, started as `pnpm start` starts it), and hands its addresses to the test files through the
 * environment (harness.ts, SHARED_STACK). The test files use different demo users, so they share it.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const root = path.join(import.meta.dirname, "..", "..");

export default async function globalSetup(): Promise<void> {
  execFileSync(process.execPath, ["--import", "tsx", path.join(root, "apps", "web", "build.ts")], { cwd: root, stdio: "inherit" });
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(root, "tests", "browser", "sharedStack.ts")], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const stack = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const line = /^STACK (.*)$/m.exec(output);
      if (line) resolve(line[1]!);
    });
    child.once("exit", (code) => reject(new Error(`the browser tests' stack did not start (exit ${code}):\n${output}`)));
  });
  child.stdout!.resume();
  process.env.CLINIGRAPH_BROWSER_STACK = stack;
  (globalThis as { browserStack?: ChildProcess }).browserStack = child;
}
