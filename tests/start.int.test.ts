/**
 * Ctrl-C on `pnpm start`: scripts/start.ts, started as `pnpm start` starts it (`node --import tsx`, in a process group of
 * its own as in a terminal) on a fresh database and free ports, gets SIGINT sent to its whole process group, as a
 * terminal's Ctrl-C sends it. It must stop in order — the router first, then every subgraph's workers, then their
 * servers, then the event bus, the mail inbox and the database — and exit 0 without logging an error.
 */
import { describe, expect, it } from "@jest/globals";
import { spawn } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "@clinigraph/platform";
import { createTestDatabase, freePortBlock } from "@clinigraph/testing";

describe("pnpm start", () => {
  it("stops in order on Ctrl-C and exits 0 without an error", async () => {
    const database = await createTestDatabase();
    try {
      const base = await freePortBlock(12);
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        NODE_ENV: "development",
        DATABASE_URL: database.url,
        CLINIGRAPH_PORT_BASE: String(base),
        MAILDEV_SMTP_PORT: String(base + 10),
        MAILDEV_WEB_PORT: String(base + 11),
        CLINIGRAPH_WEB: "false",
        CLINIGRAPH_SEED: "false",
        LOG_LEVEL: "info",
      };
      delete env.REDIS_URL; // in-process events, as `pnpm start` runs by default
      const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "scripts", "start.ts")], {
        cwd: REPO_ROOT,
        env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true, // its own process group, like a command a terminal runs in the foreground
      });
      let output = "";
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes("Ctrl-C stops everything")) resolve();
        });
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.once("exit", (code) => reject(new Error(`scripts/start.ts exited (${code}) before it was ready:\n${output}`)));
      });
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      try {
        await ready;
      } catch (err) {
        process.kill(-child.pid!, "SIGKILL");
        throw err;
      }

      process.kill(-child.pid!, "SIGINT"); // Ctrl-C: the whole foreground process group
      const code = await exited;

      const logs = output
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as { level: number; name?: string; msg?: string; stage?: string });
      const errors = logs.filter((entry) => entry.level >= 50);
      expect(errors).toEqual([]);
      expect(code).toBe(0);
      // The stages in the order they stopped, as the launcher recorded them (one line: see shutdown in scripts/start.ts).
      const summary = logs.find((entry) => entry.name === "start" && entry.msg === "stopped everything") as { stages?: string[] } | undefined;
      expect(summary?.stages).toEqual(["web app and router", "subgraph workers", "subgraph servers", "event bus", "mail inbox"]);
    } finally {
      await database.drop();
    }
  }, 180_000);
});
