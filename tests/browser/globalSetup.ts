/**
 * Builds the web app once before the browser tests' stacks start (each stack's scripts/start.ts then finds it current):
 * two stacks building into apps/web/dist at the same time would serve each other half-written files.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";

export default function globalSetup(): void {
  const root = path.join(import.meta.dirname, "..", "..");
  execFileSync(process.execPath, ["--import", "tsx", path.join(root, "apps", "web", "build.ts")], { cwd: root, stdio: "inherit" });
}
