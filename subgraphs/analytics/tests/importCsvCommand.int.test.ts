/**
 * `pnpm analytics:import <file.csv>` as an operator runs it: a separate process with the analytics service's
 * environment, a doctors stand-in answering the catalogue at DOCTORS_URL, a generated file of 50,000 rows. The report
 * and the rows written are checked, a second run skips everything, and fatal errors are one clear line with a
 * non-zero exit code. No timing is asserted (bench/analytics-import.ts measures).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "@clinigraph/platform";
import { createTestDatabase, queryDatabase, TEST_ROUTER_SECRETS, type TestDatabase } from "@clinigraph/testing";
import { VISIT_CSV_HEADER } from "../src/domain/visitCsv.js";

const SERVICES = [
  { id: "d0c5e700-0000-4000-8000-000000000001", code: "GENERAL_CHECKUP", durationMinutes: 30 },
  { id: "d0c5e700-0000-4000-8000-00000000000e", code: "PROC_ECG", durationMinutes: 15 },
];

let db: TestDatabase;
let doctors: Server;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase(["analytics"]);
  dir = await mkdtemp(path.join(os.tmpdir(), "analytics-import-"));
  // The doctors subgraph's public catalogue, as much of it as the command asks for.
  doctors = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const query = (JSON.parse(body) as { query: string }).query;
      const data = query.includes("specialties") ? { specialties: [{ code: "GP" }, { code: "CARD" }] } : { medicalServices: SERVICES };
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ data }));
    });
  });
  await new Promise<void>((resolve) => doctors.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  await new Promise((resolve) => doctors?.close(resolve));
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const doctorsUrl = () => `http://127.0.0.1:${(doctors.address() as AddressInfo).port}/graphql`;

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const { NODE_OPTIONS: _jestOptions, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(REPO_ROOT, "subgraphs/analytics/src/cli/importCsv.ts"), ...args],
      {
        cwd: REPO_ROOT,
        env: {
          ...inherited,
          DATABASE_URL: db.url,
          CLINIGRAPH_ROUTER_SECRETS: TEST_ROUTER_SECRETS.join(","),
          DOCTORS_URL: doctorsUrl(),
          LOG_LEVEL: "silent",
          ...env,
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

describe("pnpm analytics:import", () => {
  it("imports a file of 50,000 rows, reports the rejected ones by line, and skips everything the second time", async () => {
    const tag = randomBytes(4).toString("hex");
    const lines = [VISIT_CSV_HEADER];
    const bad = new Set([1_000, 20_000, 49_999]);
    for (let i = 0; i < 50_000; i++) {
      const day = new Date(Date.UTC(2026, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10);
      const status = ["FULFILLED", "FULFILLED", "NO_SHOW", "CANCELLED"][i % 4];
      lines.push(
        bad.has(i)
          ? `${tag}-${i},${day},CARD,PROC_ECG,BOOKED,,,`
          : `${tag}-${i},${day},${i % 2 ? "CARD" : "GP"},${SERVICES[i % 2]!.code},${status},${i % 3 ? "4500,EUR" : ","},${i % 5 ? String(1 + (i % 5)) : ""}`,
      );
    }
    const file = path.join(dir, "visits.csv");
    await writeFile(file, lines.join("\r\n") + "\r\n");

    const first = await run([file]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("imported 49,997, skipped 0 (imported before), rejected 3\n50,000 rows in ");
    for (const i of bad) expect(first.stdout).toContain(`  line ${i + 2}: status must be FULFILLED, NO_SHOW or CANCELLED\n`);
    const [row] = await queryDatabase<{ n: number; distinct_days: number }>(
      db.url,
      "SELECT count(*)::int AS n, count(DISTINCT visit_date)::int AS distinct_days FROM analytics.appointment_facts WHERE source = 'IMPORT' AND source_id LIKE $1",
      [`${tag}-%`],
    );
    expect(row).toEqual({ n: 49_997, distinct_days: 365 });

    const second = await run(["--", file]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("imported 0, skipped 49,997 (imported before), rejected 3\n");
  }, 180_000);

  it("fails with one line and a non-zero code: usage, a missing file, a wrong header, no catalogue, no database", async () => {
    const wrongHeader = path.join(dir, "wrong-header.csv");
    await writeFile(wrongHeader, "id,date\n1,2026-01-01\n");
    const good = path.join(dir, "one-row.csv");
    await writeFile(good, `${VISIT_CSV_HEADER}\nx-1,2026-01-01,GP,GENERAL_CHECKUP,FULFILLED,,,\n`);
    const [usage, missing, header, catalogue, database] = await Promise.all([
      run([]),
      run([path.join(dir, "nope.csv")]),
      run([wrongHeader]),
      run([good], { DOCTORS_URL: "http://127.0.0.1:9/graphql" }),
      run([good], { DATABASE_URL: "postgresql://postgres@127.0.0.1:9/none" }),
    ]);
    expect(usage).toMatchObject({ code: 2, stderr: expect.stringContaining("usage: pnpm analytics:import <file.csv>") });
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining("nope.csv: no such file") });
    expect(header).toMatchObject({ code: 1, stderr: `analytics:import: The first line must be the header ${VISIT_CSV_HEADER}\n` });
    expect(catalogue).toMatchObject({ code: 1, stderr: expect.stringContaining("the doctors catalogue at http://127.0.0.1:9/graphql did not answer") });
    expect(database).toMatchObject({ code: 1, stderr: expect.stringContaining("cannot reach the database (DATABASE_URL)") });
    for (const result of [usage, missing, header, catalogue, database]) noStack(result.stderr);
  }, 120_000);
});
