/**
 * Every service refuses to boot on a bad setting, naming the variable: each `main.ts` is started as its own process
 * (as `pnpm --filter … start` and docker-compose run it) with one malformed value, and must exit 1 having logged the
 * variable's name, before it listens or touches a database.
 */
import { describe, expect, it } from "@jest/globals";
import { spawn } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "@clinigraph/platform";
import { TEST_BLIND_INDEX_KEY, TEST_DATA_KEYS, TEST_DATABASE_URL, TEST_ROUTER_SECRETS } from "@clinigraph/testing";

const VALID = {
  PATH: process.env.PATH,
  NODE_ENV: "production",
  LOG_LEVEL: "info",
  DATABASE_URL: TEST_DATABASE_URL,
  CLINIGRAPH_ROUTER_SECRETS: TEST_ROUTER_SECRETS.join(","),
  CLINIGRAPH_DATA_KEYS: TEST_DATA_KEYS,
  CLINIGRAPH_BLIND_INDEX_KEY: TEST_BLIND_INDEX_KEY,
  REGISTRATION_VERIFICATION: "off",
};

const CASES: [service: string, main: string, variable: string, value: string][] = [
  ["accounts", "subgraphs/accounts/src/main.ts", "LOGIN_MAX_FAILURES", "0"],
  ["doctors", "subgraphs/doctors/src/main.ts", "ACCOUNTS_URL", "ftp://accounts"],
  ["scheduling", "subgraphs/scheduling/src/main.ts", "BOOKING_HOLD_MINUTES", "soon"],
  ["clinical", "subgraphs/clinical/src/main.ts", "CLINIC_TIMEZONE", "Mars/Olympus_Mons"],
  ["router", "router/src/main.ts", "RATE_LIMIT_PER_MINUTE", "-5"],
  ["any subgraph", "subgraphs/doctors/src/main.ts", "CLINIGRAPH_PORT_BASE", "port"],
];

function boot(main: string, env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, main)], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000); // a service that boots despite the bad value
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("a bad setting stops the boot with the variable's name", () => {
  it.each(CASES)(
    "%s (%s): %s=%s",
    async (_service, main, variable, value) => {
      const { code, output } = await boot(main, { ...VALID, [variable]: value });
      expect(code).toBe(1);
      expect(output).toContain(variable);
      expect(output).not.toMatch(/listening|ready for requests/);
    },
    40_000,
  );
});
