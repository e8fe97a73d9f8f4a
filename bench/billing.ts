/**
 * Billing issuing benchmark (`pnpm bench:billing`): a day's visits confirmed at once. Reception confirms `--visits`
 * outcomes in one go (clinical's VisitOutcomeConfirmed on the clinical stream), and billing issues each visit's
 * invoice: it prices the lines and takes the next number of the year's gapless sequence, under the counter row's
 * lock, in the issuing transaction. This runs once with one billing process, then with two in the same consumer group.
 *
 * Per entry of `--scenarios` (the number of billing processes; default 1 then 2):
 *   1. A fresh PostgreSQL database with billing's schema, migrated, and an events namespace of its own (EVENTS_NAMESPACE
 *      `<database>:`) on the real Redis (REDIS_URL). Both are removed at the end, also after an error or Ctrl-C. The
 *      billing processes start, each in a process of its own (`lib/billingProcess.ts`: `startBilling(env)` with its
 *      events on Redis). Only the doctors client is replaced (`options.catalogue`), by a stand-in that knows one
 *      consultation service (every doctor's) and one examination. The consumer names are `billing-clinical@bench-<i>`:
 *      one group, one consumer per process.
 *   2. Prices are set through billing's API as BILLING: the consultation at 80.00, untaxed, and the examination at
 *      45.50 + 19 % tax.
 *   3. The visits are opened as clinical's outbox would publish them, in real Redis streams: `--visits`
 *      EncounterRegistered (walk-ins) in one append, then, once billing holds that many drafts, one
 *      ExaminationPerformed per visit. The bench then waits until every draft has its two lines. With several
 *      consumers in one group, a visit's events may be handled by different processes, so a visit's order holds only
 *      if one step is done before the next is published (see packages/events/src/bus.ts).
 *   4. The burst: `--visits` VisitOutcomeConfirmed in one append. Then the bench waits until every invoice is numbered
 *      and billing's outbox relay has published every InvoiceIssued (or the consumer group has handled everything, or
 *      `--max-wait` seconds have passed).
 *
 * It reports, per scenario:
 *   - per invoice, `issued_at − publish` (the time the confirmations' append began): p50/p95/p99/max, and the same up
 *     to the issuing transaction's commit, as recorded inside the billing process;
 *   - throughput, and the CPU per invoice and peak RSS of the billing process(es) (each measures itself:
 *     `process.cpuUsage`, RSS sampled every 100 ms);
 *   - the checks: exactly `--visits` invoices, all ISSUED, each with its two lines; numbers 1…N of one year, gapless and
 *     unique; the year's counter at N; and one InvoiceIssued per invoice on billing's stream.
 *
 * Timings are printed, never asserted: the exit code is 1 only when a check fails.
 *
 * Options (flag or environment variable, flags win):
 *   --visits N        BENCH_BILLING_VISITS      visits confirmed at once (default 1000)
 *   --scenarios LIST  BENCH_BILLING_SCENARIOS   billing processes per scenario (default 1,2)
 *   --max-wait S      BENCH_BILLING_MAX_WAIT    give up a phase after this many seconds (default 300)
 *
 * Figures go to stdout and to bench/results/billing-<timestamp>.json.
 */
import os from "node:os";
import { randomUUID } from "node:crypto";
import { mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { createClient } from "redis";
import { createEnvelope, createRedisEventBus, STREAMS, type EncounterEventData, type EventBus, type ExaminationEventData } from "@clinigraph/events";
import { createLogger } from "@clinigraph/platform";
import { callSubgraph, createTestDatabase, queryDatabase, TEST_ROUTER_SECRETS, type TestDatabase } from "@clinigraph/testing";
import type { BenchCatalogue, IssuedReport } from "./lib/billingProcess.js";
import { forkChild, type Child, type ProcessUsage } from "./lib/children.js";
import { readIntegerOptions, type IntegerOption } from "./lib/flags.js";
import { launchBench } from "./lib/launcher.js";
import { REPO, busyPercent, gitCommit, latencyStats, machineCpu, table, type LatencyStats } from "./lib/report.js";

// ---------------------------------------------------------------------------------------------------------------
// Options

interface Options {
  visits: number;
  scenarios: number[];
  maxWait: number;
}

const OPTION_SPEC: Record<keyof Options, IntegerOption> = {
  visits: { flag: "visits", env: "BENCH_BILLING_VISITS", fallback: "1000", min: 1 },
  scenarios: { flag: "scenarios", env: "BENCH_BILLING_SCENARIOS", fallback: "1,2", min: 1, list: true },
  maxWait: { flag: "max-wait", env: "BENCH_BILLING_MAX_WAIT", fallback: "300", min: 1 },
};

function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options {
  return readIntegerOptions("bench:billing", OPTION_SPEC, argv, env) as unknown as Options;
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers and fixed data

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;
const seconds = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s` : "-");
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "-");
const stats = (l: LatencyStats) => `p50 ${seconds(l.p50)}, p95 ${seconds(l.p95)}, p99 ${seconds(l.p99)}, max ${seconds(l.max)}`;

const RESULTS_DIR = path.join(REPO, "bench", "results");
const RUN_STAMP = new Date().toISOString().replace(/[:.]/g, "-");
const LIB = new URL("./lib/", import.meta.url);
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
/** Billing's consumer group on clinical's stream (subgraphs/billing/src/events/consumers/clinical.ts). */
const CLINICAL_GROUP = "billing-clinical";

/** What the stand-in for the doctors subgraph knows. */
const CATALOGUE: BenchCatalogue = {
  consultation: { id: "5d0c7e2a-3f1b-4b8e-9a61-0c2f4e7b9a01", name: "General consultation", kind: "CONSULTATION" },
  examination: { id: "5d0c7e2a-3f1b-4b8e-9a61-0c2f4e7b9a02", name: "Full blood count", kind: "LABORATORY" },
};
const PRICES = [
  { serviceId: CATALOGUE.consultation.id, amountMinor: 8000, taxRateBp: 0 },
  { serviceId: CATALOGUE.examination.id, amountMinor: 4550, taxRateBp: 1900 },
];
const DOCTOR = { id: "5d0c7e2a-3f1b-4b8e-9a61-0c2f4e7b9a10", userId: "5d0c7e2a-3f1b-4b8e-9a61-0c2f4e7b9a11" };

// ---------------------------------------------------------------------------------------------------------------
// Processes, databases, Redis keys: cleanup

type RedisClient = ReturnType<typeof createClient>;

const state: {
  redis?: RedisClient;
  children: Set<Child>;
  buses: Set<EventBus>;
  databases: Set<TestDatabase>;
  namespaces: Set<string>;
  stopping?: Promise<void>;
} = { children: new Set(), buses: new Set(), databases: new Set(), namespaces: new Set() };

async function startChild(name: string): Promise<Child> {
  const child = await forkChild(name, new URL("billingProcess.ts", LIB), { LOG_LEVEL: process.env.LOG_LEVEL ?? "error" });
  state.children.add(child);
  void child.exited.then(() => state.children.delete(child));
  return child;
}

/** Deletes every Redis key of the namespace (streams, their groups and dead letters); returns how many. */
async function dropNamespace(redis: RedisClient, namespace: string): Promise<number> {
  let deleted = 0;
  for await (const keys of redis.scanIterator({ MATCH: `${namespace}*`, COUNT: 500 })) if (keys.length) deleted += await redis.del(keys);
  return deleted;
}

let cleaning: Promise<void> = Promise.resolve();

/**
 * Stops the children (SIGKILL after 10 s), closes the publisher, drops the databases and deletes the Redis keys made
 * so far. Calls run one after the other: a Ctrl-C during a scenario's own cleanup waits for it before the exit.
 */
function cleanUp(): Promise<void> {
  return (cleaning = cleaning.then(cleanUpNow, cleanUpNow));
}

async function cleanUpNow(): Promise<void> {
  await Promise.all([...state.children].map((child) => child.stop(10_000).catch(() => child.kill())));
  for (const bus of state.buses) {
    state.buses.delete(bus);
    await bus.close().catch(() => undefined);
  }
  for (const db of state.databases) {
    state.databases.delete(db);
    try {
      await db.drop();
      console.log(`  Dropped database ${db.name}.`);
    } catch (err) {
      console.error(`  dropping database ${db.name} failed (drop it by hand):`, err);
    }
  }
  for (const namespace of state.namespaces) {
    state.namespaces.delete(namespace);
    try {
      if (!state.redis?.isOpen) throw new Error("no Redis connection");
      console.log(`  Deleted ${await dropNamespace(state.redis, namespace)} Redis keys of namespace "${namespace}".`);
    } catch (err) {
      console.error(`  deleting the Redis keys "${namespace}*" failed (delete them by hand):`, err);
    }
  }
}

/** Everything cleaned up, once, whatever state the run is in; then the Redis connection closed. */
function shutdown(): Promise<void> {
  return (state.stopping ??= (async () => {
    await cleanUp();
    if (state.redis?.isOpen) await state.redis.quit().catch(() => undefined);
  })());
}

// ---------------------------------------------------------------------------------------------------------------
// Waiting on billing

/** Whether the consumer group has handled every entry of the stream (nothing pending, nothing left to deliver). */
async function groupHandled(redis: RedisClient, stream: string, group: string): Promise<boolean> {
  const [last] = await redis.xRevRange(stream, "+", "-", { COUNT: 1 });
  if (!last) return true;
  const groups = (await redis.xInfoGroups(stream)) as unknown as { name: string; pending: number; "last-delivered-id": string }[];
  const found = groups.find((g) => String(g.name) === group);
  if (!found || Number(found.pending) > 0) return false;
  const [ms, seq] = String(found["last-delivered-id"]).split("-").map(BigInt);
  const [lastMs, lastSeq] = String(last.id).split("-").map(BigInt);
  return ms! > lastMs! || (ms === lastMs && seq! >= lastSeq!);
}

interface Waited {
  reached: number;
  complete: boolean;
  waitedMs: number;
}

/**
 * Polls `count` every 100 ms until it reaches `target`. Gives up after `maxWaitMs`, when a billing process exited, and
 * (with `untilHandled`) when billing's consumer group has handled the whole clinical stream without getting there.
 */
async function waitFor(ctx: Context, count: () => Promise<number>, target: number, maxWaitMs: number, untilHandled = true): Promise<Waited> {
  const started = performance.now();
  for (;;) {
    const reached = await count();
    if (reached >= target) return { reached, complete: true, waitedMs: performance.now() - started };
    if (ctx.processes.some(({ child }) => !child.running())) throw new Error("a billing process exited during the run (see its output above)");
    if (untilHandled && (await groupHandled(ctx.redis, ctx.clinicalStream, CLINICAL_GROUP))) {
      const final = await count();
      return { reached: final, complete: final >= target, waitedMs: performance.now() - started };
    }
    if (performance.now() - started > maxWaitMs) return { reached, complete: false, waitedMs: performance.now() - started };
    await sleep(100);
  }
}

const countOf = (url: string, sql: string) => async () => (await queryDatabase<{ n: number }>(url, sql))[0]!.n;

// ---------------------------------------------------------------------------------------------------------------
// One scenario

interface Context {
  options: Options;
  db: TestDatabase;
  redis: RedisClient;
  publisher: EventBus;
  namespace: string;
  clinicalStream: string;
  billingStream: string;
  processes: { child: Child; url: string }[];
}

interface IntakePhase {
  events: number;
  publishMs: number;
  handledMs: number;
  complete: boolean;
  cpuMsPerEvent: number;
}

interface ScenarioResult {
  processes: number;
  database: string;
  namespace: string;
  intake: { registrations: IntakePhase; examinations: IntakePhase };
  burst: {
    publishMs: number;
    complete: boolean;
    waitedMs: number;
    /** issued_at − the start of the confirmations' append. */
    issuedLatencyMs: LatencyStats;
    /** The issuing transaction's commit (in the billing process) − the start of the append. */
    commitLatencyMs: LatencyStats;
    /** commit − issued_at: waiting for the counter row and committing. */
    issueToCommitMs: LatencyStats;
    invoicesPerS: number;
    lastCommitMs: number;
    /** Last commit → every InvoiceIssued on billing's stream (the outbox relay). */
    relayLagMs: number | null;
  };
  cpu: { billingMs: number[]; msPerInvoice: number; invoicesPerCpuSecond: number; machineBusyPct: number | null };
  peakRssMb: number[];
  issuedPerProcess: number[];
  retriedTransactions: number;
  extraAttempts: number;
  numbering: {
    invoices: number;
    issued: number;
    otherStatuses: Record<string, number>;
    numbered: number;
    distinctNumbers: number;
    years: number[];
    first: string | null;
    last: string | null;
    gapless: boolean;
    counter: { year: number; lastNumber: number }[];
    withTwoLines: number;
    totals: number[];
    invoiceIssuedEvents: number;
    invoiceIssuedDistinct: number;
  };
  checks: { name: string; ok: boolean }[];
  ok: boolean;
}

function billingEnv(db: TestDatabase, namespace: string): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    CLINIGRAPH_ROUTER_SECRETS: TEST_ROUTER_SECRETS.join(","),
    BILLING_PORT: "0",
    REDIS_URL,
    EVENTS_NAMESPACE: namespace,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
  };
}

async function setPrices(url: string): Promise<void> {
  for (const price of PRICES) {
    const res = await callSubgraph(
      url,
      `mutation ($s: ID!, $p: MoneyInput!, $t: Int) { setServicePrice(serviceId: $s, price: $p, taxRateBp: $t) { id } }`,
      { s: price.serviceId, p: { amountMinor: price.amountMinor, currency: "EUR" }, t: price.taxRateBp },
      { userId: randomUUID(), role: "BILLING" },
    );
    if (res.errors?.length) throw new Error(`setServicePrice failed: ${JSON.stringify(res.errors)}`);
  }
}

/** Publishes `events` in one append and waits until `count` reaches `target`, measuring the billing processes' CPU. */
async function intake(ctx: Context, events: Parameters<EventBus["publish"]>[1], count: () => Promise<number>, target: number): Promise<IntakePhase> {
  await Promise.all(ctx.processes.map(({ child }) => child.call("mark")));
  const started = performance.now();
  await ctx.publisher.publish(ctx.clinicalStream, events);
  const publishMs = performance.now() - started;
  const waited = await waitFor(ctx, count, target, ctx.options.maxWait * 1000);
  const usage = await Promise.all(ctx.processes.map(({ child }) => child.call<ProcessUsage>("usage")));
  const cpuMs = usage.reduce((sum, u) => sum + u.cpuMs, 0);
  return { events: events.length, publishMs, handledMs: waited.waitedMs + publishMs, complete: waited.complete, cpuMsPerEvent: round2(cpuMs / events.length) };
}

async function runScenario(options: Options, processes: number): Promise<ScenarioResult> {
  const n = options.visits;
  const db = await createTestDatabase(["billing"]);
  state.databases.add(db);
  const namespace = `${db.name}:`;
  state.namespaces.add(namespace);
  const publisher = await createRedisEventBus({ url: REDIS_URL, logger: createLogger("events", process.env.LOG_LEVEL ?? "error") });
  state.buses.add(publisher);
  const env = billingEnv(db, namespace);
  const started = await Promise.all(
    Array.from({ length: processes }, async (_, i) => {
      const child = await startChild(`billing ${i + 1}`);
      const { url } = await child.call<{ url: string }>("start", env, CATALOGUE, `bench-${i + 1}`);
      return { child, url };
    }),
  );
  const ctx: Context = {
    options,
    db,
    redis: state.redis!,
    publisher,
    namespace,
    clinicalStream: `${namespace}${STREAMS.clinical}`,
    billingStream: `${namespace}${STREAMS.billing}`,
    processes: started,
  };
  console.log(
    `  Database ${db.name}; events namespace "${namespace}" on ${REDIS_URL}; billing pid ${started.map(({ child }) => child.pid).join(", ")} ` +
      `(consumers ${started.map((_, i) => `${CLINICAL_GROUP}@bench-${i + 1}`).join(", ")})`,
  );

  await setPrices(started[0]!.url);

  // The visits: walk-ins of one doctor, one patient each, one examination each.
  const visits: EncounterEventData[] = Array.from({ length: n }, () => ({
    encounterId: randomUUID(),
    patientId: randomUUID(),
    doctorId: DOCTOR.id,
    doctorUserId: DOCTOR.userId,
    appointmentId: null,
    status: "ARRIVED",
    actorId: null,
    pendingExaminations: 0,
  }));
  const examinations: ExaminationEventData[] = visits.map((visit) => ({
    examinationId: randomUUID(),
    encounterId: visit.encounterId,
    patientId: visit.patientId,
    doctorId: visit.doctorId,
    doctorUserId: visit.doctorUserId,
    serviceId: CATALOGUE.examination.id,
    status: "PERFORMED",
    actorId: visit.doctorUserId,
    orderedAt: new Date().toISOString(),
    pendingExaminations: 0,
  }));

  const registrations = await intake(
    ctx,
    visits.map((visit) => createEnvelope("EncounterRegistered", visit)),
    countOf(db.url, "SELECT count(*)::int AS n FROM billing.invoices WHERE status = 'DRAFT'"),
    n,
  );
  console.log(
    `  ${int(n)} EncounterRegistered: appended in ${seconds(registrations.publishMs)}, ${registrations.complete ? "all drafts open" : "NOT all drafts open"} ` +
      `after ${seconds(registrations.handledMs)} (${registrations.cpuMsPerEvent} ms of billing CPU per event)`,
  );
  if (!registrations.complete) throw new Error("billing did not open a draft for every visit");
  const exams = await intake(
    ctx,
    examinations.map((examination) => createEnvelope("ExaminationPerformed", examination)),
    countOf(db.url, "SELECT count(*)::int AS n FROM billing.invoice_lines"),
    2 * n,
  );
  console.log(
    `  ${int(n)} ExaminationPerformed: appended in ${seconds(exams.publishMs)}, ${exams.complete ? "every draft has its 2 lines" : "NOT every draft has its 2 lines"} ` +
      `after ${seconds(exams.handledMs)} (${exams.cpuMsPerEvent} ms of billing CPU per event)`,
  );
  if (!exams.complete) throw new Error("billing did not add a line for every examination");

  // The burst: every visit confirmed in one append.
  await Promise.all(ctx.processes.map(({ child }) => child.call("issued"))); // forget the intake's transactions
  await Promise.all(ctx.processes.map(({ child }) => child.call("mark")));
  const relayedBefore = await ctx.redis.xLen(ctx.billingStream);
  const cpuBefore = machineCpu();
  const confirmations = visits.map((visit) => createEnvelope("VisitOutcomeConfirmed", { ...visit, status: "FINISHED" }));
  const publishAt = Date.now();
  const publishStarted = performance.now();
  await publisher.publish(ctx.clinicalStream, confirmations);
  const publishMs = performance.now() - publishStarted;
  console.log(`  ${int(n)} VisitOutcomeConfirmed appended in one go in ${seconds(publishMs)}; waiting for the invoices…`);

  const numbered = countOf(db.url, "SELECT count(*)::int AS n FROM billing.invoices WHERE number IS NOT NULL");
  let lastPrint = performance.now();
  const progress = async () => {
    const value = await numbered();
    if (performance.now() - lastPrint >= 5_000) {
      lastPrint = performance.now();
      console.log(`    +${seconds(Date.now() - publishAt)}: ${int(value)} numbered`);
    }
    return value;
  };
  const waited = await waitFor(ctx, progress, n, options.maxWait * 1000);
  // Issuing is done when its events are out too: wait for the relay (bounded by what is left of --max-wait).
  const relayed = await waitFor(
    ctx,
    async () => (await ctx.redis.xLen(ctx.billingStream)) - relayedBefore,
    waited.reached,
    Math.max(1_000, options.maxWait * 1000 - waited.waitedMs),
    false,
  );
  const relayedAt = Date.now();
  const cpuAfter = machineCpu();
  const usage = await Promise.all(ctx.processes.map(({ child }) => child.call<ProcessUsage>("usage")));
  const reports = await Promise.all(ctx.processes.map(({ child }) => child.call<IssuedReport>("issued")));

  // What the database says.
  const rows = await queryDatabase<{ id: string; number: string | null; status: string; total_minor: number; issued_ms: number | null; lines: number }>(
    db.url,
    `SELECT i.id, i.number, i.status, i.total_minor, (extract(epoch FROM i.issued_at) * 1000)::float8 AS issued_ms,
            (SELECT count(*)::int FROM billing.invoice_lines l WHERE l.invoice_id = i.id) AS lines
       FROM billing.invoices i`,
  );
  const counter = (
    await queryDatabase<{ year: number; last_number: number }>(db.url, "SELECT year, last_number FROM billing.invoice_sequences ORDER BY year")
  ).map((row) => ({ year: row.year, lastNumber: row.last_number }));
  const statuses: Record<string, number> = {};
  for (const row of rows) statuses[row.status] = (statuses[row.status] ?? 0) + 1;
  const parsed = rows.flatMap((row) => {
    const match = row.number ? /^(\d{4})-(\d{6,})$/.exec(row.number) : null;
    return match ? [{ year: Number(match[1]), sequence: Number(match[2]) }] : [];
  });
  const years = [...new Set(parsed.map((p) => p.year))].sort();
  const sequences = parsed.map((p) => p.sequence).sort((a, b) => a - b);
  const distinctNumbers = new Set(rows.flatMap((row) => (row.number ? [row.number] : []))).size;
  const gapless = sequences.length === n && sequences.every((sequence, i) => sequence === i + 1);
  const sortedNumbers = rows.flatMap((row) => (row.number ? [row.number] : [])).sort();

  // InvoiceIssued on billing's stream, by invoice.
  const entries = await ctx.redis.xRange(ctx.billingStream, "-", "+");
  const issuedEvents = entries.flatMap((entry) => {
    const envelope = JSON.parse(entry?.message?.envelope ?? "{}") as { type?: string; data?: { invoiceId?: string } };
    return envelope.type === "InvoiceIssued" && envelope.data?.invoiceId ? [envelope.data.invoiceId] : [];
  });

  // Latencies.
  const issuedMs = rows.flatMap((row) => (row.issued_ms !== null ? [row.issued_ms] : []));
  const commits = reports.flatMap((report) => report.issued);
  const issuedAtById = new Map(rows.map((row) => [row.id, row.issued_ms]));
  const lastCommit = Math.max(...commits.map((c) => c.committedAtMs));
  const billingCpu = usage.map((u) => u.cpuMs);
  const billingCpuTotal = billingCpu.reduce((sum, v) => sum + v, 0);
  const issuedCount = commits.length;

  const numbering: ScenarioResult["numbering"] = {
    invoices: rows.length,
    issued: statuses.ISSUED ?? 0,
    otherStatuses: Object.fromEntries(Object.entries(statuses).filter(([status]) => status !== "ISSUED")),
    numbered: parsed.length,
    distinctNumbers,
    years,
    first: sortedNumbers[0] ?? null,
    last: sortedNumbers.at(-1) ?? null,
    gapless,
    counter,
    withTwoLines: rows.filter((row) => row.lines === 2).length,
    totals: [...new Set(rows.map((row) => row.total_minor))].sort((a, b) => a - b),
    invoiceIssuedEvents: issuedEvents.length,
    invoiceIssuedDistinct: new Set(issuedEvents).size,
  };
  const checks = [
    { name: `exactly ${int(n)} invoices`, ok: rows.length === n },
    { name: `all ${int(n)} ISSUED`, ok: numbering.issued === n },
    { name: "every invoice has its 2 lines", ok: numbering.withTwoLines === n },
    { name: `numbers 1…${int(n)} of one year, gapless and unique`, ok: gapless && years.length === 1 && distinctNumbers === n && parsed.length === n },
    { name: `the year's counter at ${int(n)}`, ok: counter.length === 1 && counter[0]!.year === years[0] && counter[0]!.lastNumber === n },
    { name: `one InvoiceIssued per invoice on ${STREAMS.billing}`, ok: numbering.invoiceIssuedDistinct === n },
  ];

  return {
    processes,
    database: db.name,
    namespace,
    intake: { registrations, examinations: exams },
    burst: {
      publishMs,
      complete: waited.complete,
      waitedMs: waited.waitedMs,
      issuedLatencyMs: latencyStats(issuedMs.map((ms) => ms - publishAt)),
      commitLatencyMs: latencyStats(commits.map((c) => c.committedAtMs - publishAt)),
      issueToCommitMs: latencyStats(commits.flatMap((c) => (issuedAtById.get(c.invoiceId) != null ? [c.committedAtMs - issuedAtById.get(c.invoiceId)!] : []))),
      invoicesPerS: round1(issuedCount / Math.max(0.001, (lastCommit - publishAt) / 1000)),
      lastCommitMs: lastCommit - publishAt,
      relayLagMs: relayed.complete ? Math.max(0, relayedAt - lastCommit) : null,
    },
    cpu: {
      billingMs: billingCpu.map(Math.round),
      msPerInvoice: round2(billingCpuTotal / Math.max(1, issuedCount)),
      invoicesPerCpuSecond: Math.round((issuedCount * 1000) / Math.max(1, billingCpuTotal)),
      machineBusyPct: busyPercent(cpuBefore, cpuAfter),
    },
    peakRssMb: usage.map((u) => mb(u.peakRss)),
    issuedPerProcess: reports.map((report) => report.issued.length),
    retriedTransactions: reports.reduce((sum, report) => sum + report.retriedTransactions, 0),
    extraAttempts: reports.reduce((sum, report) => sum + report.extraAttempts, 0),
    numbering,
    checks,
    ok: checks.every((check) => check.ok),
  };
}

function printScenario(r: ScenarioResult) {
  const b = r.burst;
  const nb = r.numbering;
  console.log(
    `\n  Issued: ${int(nb.issued)} ISSUED of ${int(nb.invoices)} invoices` +
      (Object.keys(nb.otherStatuses).length ? ` (others: ${JSON.stringify(nb.otherStatuses)})` : "") +
      (b.complete ? "" : ` — gave up after ${seconds(b.waitedMs)} with invoices still unnumbered`),
  );
  console.log(
    `  Numbers: ${nb.first ?? "-"} … ${nb.last ?? "-"}; ${int(nb.distinctNumbers)} distinct, ${nb.gapless ? "gapless 1…N" : "NOT gapless"}; ` +
      `year(s) ${nb.years.join(", ") || "-"}; counter ${nb.counter.map((c) => `${c.year} at ${c.lastNumber}`).join(", ") || "-"}`,
  );
  console.log(
    `  Invoices with 2 lines: ${int(nb.withTwoLines)}; total(s) ${nb.totals.map((t) => (t / 100).toFixed(2)).join(", ")} EUR; ` +
      `InvoiceIssued on the stream: ${int(nb.invoiceIssuedEvents)} (${int(nb.invoiceIssuedDistinct)} invoices)`,
  );
  if (r.processes > 1) console.log(`  Issued per process: ${r.issuedPerProcess.map(int).join(" / ")}`);
  console.log(`  Transactions retried (deadlock / serialization): ${r.retriedTransactions} (${r.extraAttempts} extra attempts)`);
  console.log(`  issued_at − publish: ${stats(b.issuedLatencyMs)}`);
  console.log(`  commit − publish:    ${stats(b.commitLatencyMs)}`);
  console.log(
    `  commit − issued_at:  p50 ${b.issueToCommitMs.p50} ms, p99 ${b.issueToCommitMs.p99} ms, max ${b.issueToCommitMs.max} ms (the counter row's lock and the commit)`,
  );
  console.log(
    `  Throughput: ${b.invoicesPerS} invoices/s (last commit ${seconds(b.lastCommitMs)} after the append began); ` +
      `outbox relay: ${b.relayLagMs === null ? "NOT every InvoiceIssued published" : `every InvoiceIssued on the stream ${seconds(b.relayLagMs)} after the last commit`}`,
  );
  console.log(
    `  CPU: billing ${r.cpu.billingMs.map((ms) => `${int(ms)} ms`).join(" + ")} = ${r.cpu.msPerInvoice} ms per invoice ` +
      `(≈ ${int(r.cpu.invoicesPerCpuSecond)} invoices per CPU-second, relay included); machine ${r.cpu.machineBusyPct ?? "?"} % busy ` +
      `(all ${os.cpus().length} cores, PostgreSQL and Redis included)`,
  );
  console.log(`  Peak RSS of the billing process(es) during the burst: ${r.peakRssMb.map((m) => `${m} MB`).join(", ")}`);
  console.log(`  Checks: ${r.checks.map((c) => `${c.ok ? "ok" : "FAILED"} ${c.name}`).join("; ")}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Main

async function ensureResultsDir() {
  await mkdir(RESULTS_DIR, { recursive: true });
  const ignore = path.join(RESULTS_DIR, ".gitignore");
  if (!(await stat(ignore).catch(() => null))) await writeFile(ignore, "*\n!.gitignore\n");
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const startedAt = new Date();
  console.log(`Billing issuing benchmark — ${JSON.stringify(options)}`);
  console.log(
    `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, ${mb(os.totalmem())} MB RAM, ` +
      `load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}, commit ${gitCommit() ?? "?"}`,
  );
  console.log(
    `Doctors catalogue: a stand-in in each billing process (options.catalogue), knowing one consultation service ("${CATALOGUE.consultation.name}", ` +
      `every doctor's) and one examination ("${CATALOGUE.examination.name}"); prices set through billing's API: ` +
      `${(PRICES[0]!.amountMinor / 100).toFixed(2)} untaxed and ${(PRICES[1]!.amountMinor / 100).toFixed(2)} + ${PRICES[1]!.taxRateBp / 100} %.`,
  );
  console.log(`Events: real Redis Streams (${REDIS_URL}), a namespace per scenario; billing's own outbox relay publishes InvoiceIssued.`);

  state.redis = createClient({ url: REDIS_URL });
  state.redis.on("error", (err: unknown) => console.error("redis:", err));
  await state.redis.connect();

  const results: ScenarioResult[] = [];
  for (const [i, processes] of options.scenarios.entries()) {
    const label = String.fromCharCode(65 + i);
    console.log(`\n=== Scenario ${label}: ${processes} billing process${processes === 1 ? "" : "es"}, one consumer group, ${int(options.visits)} visits`);
    try {
      const result = await runScenario(options, processes);
      printScenario(result);
      results.push(result);
    } finally {
      await cleanUp();
    }
  }

  console.log(`\n=== Summary (${int(options.visits)} visits confirmed in one append)`);
  console.log(
    table(
      ["scenario", "procs", "ISSUED", "gapless", "p50 s", "p99 s", "max s", "commit p99 s", "invoices/s", "CPU ms/invoice", "peak RSS MB", "checks"],
      results.map((r, i) => [
        String.fromCharCode(65 + i),
        r.processes,
        r.numbering.issued,
        r.numbering.gapless ? "yes" : "NO",
        round2(r.burst.issuedLatencyMs.p50 / 1000),
        round2(r.burst.issuedLatencyMs.p99 / 1000),
        round2(r.burst.issuedLatencyMs.max / 1000),
        round2(r.burst.commitLatencyMs.p99 / 1000),
        r.burst.invoicesPerS,
        r.cpu.msPerInvoice,
        r.peakRssMb.join(" / "),
        r.ok ? "ok" : "FAILED",
      ]),
    ),
  );

  await ensureResultsDir();
  const file = path.join(RESULTS_DIR, `billing-${RUN_STAMP}.json`);
  await writeFile(
    file,
    JSON.stringify(
      {
        benchmark: "billing",
        startedAt: startedAt.toISOString(),
        commit: gitCommit(),
        machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, totalMemMb: mb(os.totalmem()), load: os.loadavg() },
        options,
        catalogue: { standIn: true, ...CATALOGUE },
        prices: PRICES,
        scenarios: results,
      },
      null,
      2,
    ),
  );
  console.log(`\nResults: ${path.relative(process.cwd(), file)}`);
  return results.every((r) => r.ok) ? 0 : 1;
}

/**
 * Ctrl-C safety, as in bench/notifications.ts: this file runs twice, the launcher (what tsx starts, always idle) and
 * the runner (`CLINIGRAPH_BENCH_BILLING_RUNNER=1`) in its own process group with its children. Ctrl-C reaches the
 * launcher only, which passes SIGINT on to the runner, which stops its children, drops the database and deletes the
 * namespace's Redis keys.
 */
const RUNNER_ENV = "CLINIGRAPH_BENCH_BILLING_RUNNER";

launchBench({
  script: fileURLToPath(import.meta.url),
  runnerEnv: RUNNER_ENV,
  checkOptions: () => parseOptions(process.argv.slice(2), process.env),
  main,
  shutdown,
  stopping: "stopping the billing processes, dropping the database and deleting the Redis keys",
});
