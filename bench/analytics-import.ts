/**
 * Analytics import benchmark (`pnpm bench:analytics-import`): a year of another system's visits imported with
 * `pnpm analytics:import <file.csv>`.
 *
 *   1. A fresh PostgreSQL database with analytics' schema, migrated (dropped at the end, also after an error or Ctrl-C),
 *      and a CSV of `--rows` visits written to a temporary folder (removed at the end): one year (2026), `--doctors`
 *      doctors' worth of visits every weekday, each doctor of one specialty of the reference catalogue (the doctors
 *      subgraph's seed) and each visit one of that specialty's services; 70 % FULFILLED, 15 % NO_SHOW, 15 % CANCELLED,
 *      an amount on fulfilled visits, a rating on half of them, some quoted ids, CRLF line ends. Every
 *      `--reject-every`-th row is broken (an unknown specialty, a bad day, a bad status, a lone currency, in turn).
 *   2. Run A: the command imports the file, in a child process of its own (`lib/analyticsImportProcess.ts`: the
 *      command's own function, only the doctors client replaced by a stand-in knowing the same catalogue). The child
 *      measures its CPU time and RSS.
 *   3. Run B: the same file again — every row skipped, nothing written.
 *
 * It reports, per run: rows per second (wall time of the command, database connection included), CPU time of the
 * command's process, its peak RSS in the first and in the second half of the run (flat memory: the same), and the
 * checks — exit code 0, the report's counts (imported, skipped, rejected) and the rows in the table.
 *
 * Timings are printed, never asserted: the exit code is 1 only when a check fails.
 *
 * Options (flag or environment variable, flags win):
 *   --rows N          BENCH_IMPORT_ROWS          rows in the file (default 500000)
 *   --doctors N       BENCH_IMPORT_DOCTORS       doctors the visits spread over (default 50)
 *   --reject-every N  BENCH_IMPORT_REJECT_EVERY  one broken row in N (default 1000; 0: none)
 *
 * Figures go to stdout and to bench/results/analytics-import-<timestamp>.json.
 */
import os from "node:os";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createTestDatabase, queryDatabase, TEST_ROUTER_SECRETS, type TestDatabase } from "@clinigraph/testing";
import type { BenchCatalogue, ImportRun } from "./lib/analyticsImportProcess.js";
import { forkChild, type Child, type ProcessUsage } from "./lib/children.js";
import { readIntegerOptions, type IntegerOption } from "./lib/flags.js";
import { launchBench } from "./lib/launcher.js";
import { REPO, gitCommit, table } from "./lib/report.js";
import { SERVICE_CODES, SPECIALTY_SERVICES, writeVisitsCsv } from "./lib/visitsCsv.js";

// ---------------------------------------------------------------------------------------------------------------
// Options

interface Options {
  rows: number;
  doctors: number;
  rejectEvery: number;
}

const OPTION_SPEC: Record<keyof Options, IntegerOption> = {
  rows: { flag: "rows", env: "BENCH_IMPORT_ROWS", fallback: "500000", min: 1 },
  doctors: { flag: "doctors", env: "BENCH_IMPORT_DOCTORS", fallback: "50", min: 1 },
  rejectEvery: { flag: "reject-every", env: "BENCH_IMPORT_REJECT_EVERY", fallback: "1000", min: 0 },
};

function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options {
  return readIntegerOptions("bench:analytics-import", OPTION_SPEC, argv, env) as unknown as Options;
}

// ---------------------------------------------------------------------------------------------------------------
// The catalogue (the doctors subgraph's reference seed) and the file (lib/visitsCsv.ts)

const CATALOGUE: BenchCatalogue = {
  specialtyCodes: Object.keys(SPECIALTY_SERVICES),
  services: SERVICE_CODES.map((code, i) => ({ id: `d0c5e700-0000-4000-8000-${String(i + 1).padStart(12, "0")}`, code, durationMinutes: 30 })),
};

/** Writes the file as a stream (the benchmark keeps no rows); the number of broken rows. */
async function writeCsv(file: string, options: Options): Promise<number> {
  return (await writeVisitsCsv(file, options)).broken;
}

// ---------------------------------------------------------------------------------------------------------------
// Runs, checks, clean-up

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const int = (n: number) => Math.round(n).toLocaleString("en-US");
const RESULTS_DIR = path.join(REPO, "bench", "results");
const RUN_STAMP = new Date().toISOString().replace(/[:.]/g, "-");

const state: { child?: Child; db?: TestDatabase; dir?: string } = {};

interface RunResult {
  label: string;
  run: ImportRun;
  usage: ProcessUsage;
  rowsPerS: number;
  tableRows: number;
  checks: { name: string; ok: boolean }[];
}

async function importOnce(label: string, file: string, options: Options, broken: number, first: boolean): Promise<RunResult> {
  const child = state.child!;
  const db = state.db!;
  await child.call("mark");
  const run = await child.call<ImportRun>(
    "run",
    file,
    { DATABASE_URL: db.url, CLINIGRAPH_ROUTER_SECRETS: TEST_ROUTER_SECRETS.join(","), LOG_LEVEL: "silent" },
    CATALOGUE,
  );
  const usage = await child.call<ProcessUsage>("usage");
  const [{ n }] = (await queryDatabase<{ n: number }>(db.url, "SELECT count(*)::int AS n FROM analytics.appointment_facts WHERE source = 'IMPORT'")) as [
    { n: number },
  ];
  const good = options.rows - broken;
  const expected = { imported: first ? good : 0, skipped: first ? 0 : good, rejectedCount: broken };
  const got = run.report && { imported: run.report.imported, skipped: run.report.skipped, rejectedCount: run.report.rejectedCount };
  const checks = [
    { name: "exit code 0", ok: run.code === 0 },
    { name: `report ${JSON.stringify(expected)}`, ok: JSON.stringify(got) === JSON.stringify(expected) },
    { name: `${int(good)} rows in the table`, ok: n === good },
  ];
  return { label, run, usage, rowsPerS: Math.round(options.rows / (run.wallMs / 1000)), tableRows: n, checks };
}

async function shutdown(): Promise<void> {
  await state.child?.stop(10_000).catch(() => state.child?.kill());
  state.child = undefined;
  if (state.db) {
    const db = state.db;
    state.db = undefined;
    await db.drop().then(
      () => console.log(`  Dropped database ${db.name}.`),
      (err: unknown) => console.error(`  dropping database ${db.name} failed (drop it by hand):`, err),
    );
  }
  if (state.dir) {
    await rm(state.dir, { recursive: true, force: true });
    state.dir = undefined;
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const startedAt = new Date();
  console.log(`Analytics import benchmark — ${JSON.stringify(options)}`);
  console.log(
    `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, ${mb(os.totalmem())} MB RAM, ` +
      `load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}, commit ${gitCommit() ?? "?"}`,
  );

  let t = performance.now();
  state.db = await createTestDatabase(["analytics"]);
  state.dir = await mkdtemp(path.join(os.tmpdir(), "clinigraph-bench-import-"));
  const file = path.join(state.dir, "visits.csv");
  const broken = await writeCsv(file, options);
  const size = (await stat(file)).size;
  console.log(
    `Database ${state.db.name} migrated and ${int(options.rows)} rows written (${mb(size)} MB, ${int(broken)} broken) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  state.child = await forkChild("analytics-import", new URL("./lib/analyticsImportProcess.ts", import.meta.url), { LOG_LEVEL: "silent" });

  const results: RunResult[] = [];
  for (const [label, first] of [
    ["A: import", true],
    ["B: again (all skipped)", false],
  ] as const) {
    console.log(`\n=== ${label}`);
    t = performance.now();
    const result = await importOnce(label, file, options, broken, first);
    results.push(result);
    console.log(
      `  ${int(result.rowsPerS)} rows/s (${(result.run.wallMs / 1000).toFixed(1)} s); CPU ${int(result.usage.cpuMs)} ms ` +
        `(${(result.usage.cpuMs / (options.rows / 1000)).toFixed(1)} ms per 1,000 rows); peak RSS ${mb(result.run.peakRssFirstHalf)} MB in the first half, ` +
        `${mb(result.run.peakRssSecondHalf)} MB in the second (${mb(result.usage.peakRss)} MB overall)`,
    );
    for (const line of result.run.printed) console.log(`  | ${line}`);
    console.log(`  Checks: ${result.checks.map((c) => `${c.ok ? "ok" : "FAILED"} ${c.name}`).join("; ")}`);
  }

  console.log(`\n=== Summary (${int(options.rows)} rows, ${mb(size)} MB)`);
  console.log(
    table(
      ["run", "rows/s", "wall s", "CPU ms/1k rows", "RSS MB 1st half", "RSS MB 2nd half", "checks"],
      results.map((r) => [
        r.label,
        int(r.rowsPerS),
        (r.run.wallMs / 1000).toFixed(1),
        (r.usage.cpuMs / (options.rows / 1000)).toFixed(1),
        mb(r.run.peakRssFirstHalf),
        mb(r.run.peakRssSecondHalf),
        r.checks.every((c) => c.ok) ? "ok" : "FAILED",
      ]),
    ),
  );

  await mkdir(RESULTS_DIR, { recursive: true });
  const ignore = path.join(RESULTS_DIR, ".gitignore");
  if (!(await stat(ignore).catch(() => null))) await writeFile(ignore, "*\n!.gitignore\n");
  const out = path.join(RESULTS_DIR, `analytics-import-${RUN_STAMP}.json`);
  await writeFile(
    out,
    JSON.stringify(
      {
        benchmark: "analytics-import",
        startedAt: startedAt.toISOString(),
        commit: gitCommit(),
        machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, totalMemMb: mb(os.totalmem()), load: os.loadavg() },
        options,
        file: { bytes: size, broken },
        runs: results,
      },
      null,
      2,
    ),
  );
  console.log(`\nResults: ${path.relative(process.cwd(), out)}`);
  return results.every((r) => r.checks.every((c) => c.ok)) ? 0 : 1;
}

/**
 * Ctrl-C safety, as in the other benchmarks: this file runs twice, the launcher (what tsx starts) and the runner
 * (`CLINIGRAPH_BENCH_IMPORT_RUNNER=1`) in its own process group with its child. Ctrl-C reaches the launcher only,
 * which passes SIGINT on to the runner, which stops the child, drops the database and removes the file.
 */
launchBench({
  script: fileURLToPath(import.meta.url),
  runnerEnv: "CLINIGRAPH_BENCH_IMPORT_RUNNER",
  checkOptions: () => parseOptions(process.argv.slice(2), process.env),
  main,
  shutdown,
  stopping: "stopping the import, dropping the database and removing the file",
});
