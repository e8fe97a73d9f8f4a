/**
 * Analytics benchmark (`pnpm bench:analytics`): what a stakeholder waits for, and how fast analytics takes in events.
 *
 *   0. The whole supergraph (`tests/support/stack.ts`: every subgraph and the router in this process, on free ports,
 *      a fresh database, events on the real Redis under a namespace of their own; all removed at the end, also after
 *      an error or Ctrl-C). Scheduling, clinical and analytics run on a clock set to TODAY 06:00 in Berlin (a Monday
 *      after the imported year) that then runs at the real pace, so phase 3 has a working day of free slots ahead of it.
 *      Through the router: the admin signs in and creates a STAKEHOLDER; the catalogue (specialties, services) is read.
 *   1. KPI queries over a year, through the router. History: `--rows` visits of `--doctors` doctors over 2026
 *      (`lib/visitsCsv.ts`, the file `bench:analytics-import` imports), imported into the stack's database with
 *      `pnpm analytics:import`'s own function in a child process (`lib/analyticsImportProcess.ts`, knowing the stack's
 *      real catalogue), then VACUUM ANALYZE, as autovacuum would within a minute, and `pnpm analytics:rollup` over the
 *      year (its own function), as analytics' rollup job would within its interval. Then four query shapes over the whole
 *      year, every KpiPoint field: by WEEK; by WEEK for one specialty; by WEEK for one service; by MONTH. Imported rows
 *      carry no doctor, so there is no doctor filter. After `--warmup` requests per shape, `--requests` per shape,
 *      sequential, the shapes taking turns, as the STAKEHOLDER. It reports p50/p95/p99/max per shape against the goal
 *      (p99 < `--goal-p99` ms), and checks the figures against the file (sums of requested, fulfilled, no-shows and
 *      cancelled, per shape).
 *   2. Event ingestion: a fresh database with analytics' schema and a namespace of its own, and one analytics instance
 *      in a child process (`lib/analyticsProcess.ts`: `startAnalytics(env)`, only the doctors client replaced by a
 *      stand-in). `--events` appointment events (AppointmentRequested and AppointmentBooked for each of
 *      `--appointments` appointments, AppointmentFulfilled for as many as the rest allows), in time order, plus
 *      `--duplicates` of them published again 200 entries later (at-least-once delivery), are appended to scheduling's
 *      appointments stream in batches of 1,000, as its outbox relay would. Events/s from the first append until the
 *      consumer group `analytics-appointments` has handled every entry (Redis: nothing pending, last delivered = last
 *      entry), against the goal (≥ `--goal-rate`), the analytics process's CPU, and checks (one fact per appointment,
 *      statuses, every event recorded once in processed_events, no dead letters).
 *   3. Lag from a booking to kpisToday: the STAKEHOLDER subscribes to `kpisToday` through the router (graphql-ws).
 *      `--bookings` patients (registered through the router) each book a free slot of TODAY through the router, one at
 *      a time, each a random 0…`--gap-ms` after the previous one showed up (so bookings fall anywhere in kpisToday's
 *      once-a-second pacing). The lag is from the booking's response to the first push whose appointmentsBooked shows
 *      it. Five bookings before are not counted (they warm the path). The stack runs with ANALYTICS_MIN_CELL=1: TODAY
 *      has no history, and its first bookings would otherwise be suppressed.
 *      kpisToday sends at most once a second, so up to a second of the lag is that pacing, by design.
 *
 * Timings are printed, never asserted: the exit code is 1 only when a check fails.
 *
 * The defaults keep a run near 10 minutes on a 2-core machine (kpis answers take about a second each there, and
 * ingestion runs at about 150 events/s); `--requests 200 --events 50000 --appointments 20000 --duplicates 1000` is the
 * full-size run, an estimated 20 minutes.
 *
 * Options (flag or environment variable, flags win):
 *   --rows N          BENCH_ANALYTICS_ROWS          visits imported as history (default 500000)
 *   --doctors N       BENCH_ANALYTICS_DOCTORS       doctors the history spreads over (default 50)
 *   --requests N      BENCH_ANALYTICS_REQUESTS      measured kpis requests per query shape (default 100)
 *   --warmup N        BENCH_ANALYTICS_WARMUP        kpis requests per shape before measuring (default 5)
 *   --goal-p99 MS     BENCH_ANALYTICS_GOAL_P99      kpis p99 goal (default 100)
 *   --events N        BENCH_ANALYTICS_EVENTS        distinct events published (default 20000)
 *   --appointments N  BENCH_ANALYTICS_APPOINTMENTS  appointments they describe (default 8000; events between 2× and 3× this)
 *   --duplicates N    BENCH_ANALYTICS_DUPLICATES    events published twice (default 400)
 *   --goal-rate N     BENCH_ANALYTICS_GOAL_RATE     ingestion goal, events/s (default 5000)
 *   --bookings N      BENCH_ANALYTICS_BOOKINGS      measured bookings (default 50)
 *   --gap-ms MS       BENCH_ANALYTICS_GAP_MS        longest random pause before a booking (default 2000)
 *   --phases LIST     BENCH_ANALYTICS_PHASES        which phases run (default 1,2,3)
 *   --profile 0|1     BENCH_ANALYTICS_PROFILE       1: a V8 CPU profile of the analytics process in phase 2, in bench/results/
 *   --max-wait S      BENCH_ANALYTICS_MAX_WAIT      give up waiting for ingestion or a push after this long (default 600)
 *
 * Figures go to stdout and to bench/results/analytics-<timestamp>.json.
 */
import os from "node:os";
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { createClient as createWsClient, type Client as WsClient } from "graphql-ws";
import { DateTime } from "luxon";
import { createClient } from "redis";
import WebSocket from "ws";
import { APPOINTMENT_EVENT_TYPES, createEnvelope, createRedisEventBus, STREAMS, type EventBus, type EventEnvelope } from "@clinigraph/events";
import { createLogger } from "@clinigraph/platform";
import { createTestDatabase, queryDatabase, TEST_ROUTER_SECRETS, testEnv, type TestDatabase } from "@clinigraph/testing";
import { runRollupCommand } from "../subgraphs/analytics/src/cli/rollup.js";
import { startStack, type Stack } from "../tests/support/stack.js";
import type { IngestCatalogue } from "./lib/analyticsProcess.js";
import type { BenchCatalogue, ImportRun } from "./lib/analyticsImportProcess.js";
import { forkChild, type Child, type ProcessUsage } from "./lib/children.js";
import { readIntegerOptions, type IntegerOption } from "./lib/flags.js";
import { launchBench } from "./lib/launcher.js";
import { REPO, busyPercent, gitCommit, latencyStats, machineCpu, mapLimit, table, type LatencyStats } from "./lib/report.js";
import { VISITS_YEAR, writeVisitsCsv, type VisitsCsvCounts } from "./lib/visitsCsv.js";

// ---------------------------------------------------------------------------------------------------------------
// Options

interface Options {
  rows: number;
  doctors: number;
  requests: number;
  warmup: number;
  goalP99: number;
  events: number;
  appointments: number;
  duplicates: number;
  goalRate: number;
  bookings: number;
  gapMs: number;
  phases: number[];
  profile: number;
  maxWait: number;
}

const OPTION_SPEC: Record<keyof Options, IntegerOption> = {
  rows: { flag: "rows", env: "BENCH_ANALYTICS_ROWS", fallback: "500000", min: 1 },
  doctors: { flag: "doctors", env: "BENCH_ANALYTICS_DOCTORS", fallback: "50", min: 1 },
  requests: { flag: "requests", env: "BENCH_ANALYTICS_REQUESTS", fallback: "100", min: 1 },
  warmup: { flag: "warmup", env: "BENCH_ANALYTICS_WARMUP", fallback: "5", min: 1 },
  goalP99: { flag: "goal-p99", env: "BENCH_ANALYTICS_GOAL_P99", fallback: "100", min: 1 },
  events: { flag: "events", env: "BENCH_ANALYTICS_EVENTS", fallback: "20000", min: 2 },
  appointments: { flag: "appointments", env: "BENCH_ANALYTICS_APPOINTMENTS", fallback: "8000", min: 1 },
  duplicates: { flag: "duplicates", env: "BENCH_ANALYTICS_DUPLICATES", fallback: "400", min: 0 },
  goalRate: { flag: "goal-rate", env: "BENCH_ANALYTICS_GOAL_RATE", fallback: "5000", min: 1 },
  bookings: { flag: "bookings", env: "BENCH_ANALYTICS_BOOKINGS", fallback: "50", min: 1 },
  gapMs: { flag: "gap-ms", env: "BENCH_ANALYTICS_GAP_MS", fallback: "2000", min: 0 },
  phases: { flag: "phases", env: "BENCH_ANALYTICS_PHASES", fallback: "1,2,3", min: 1, list: true },
  profile: { flag: "profile", env: "BENCH_ANALYTICS_PROFILE", fallback: "0", min: 0 },
  maxWait: { flag: "max-wait", env: "BENCH_ANALYTICS_MAX_WAIT", fallback: "600", min: 1 },
};

function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options {
  const options = readIntegerOptions("bench:analytics", OPTION_SPEC, argv, env);
  const parsed = options as unknown as Options;
  if (parsed.phases.some((p) => p > 3)) throw new Error(`--phases takes 1, 2 and 3, got "${parsed.phases.join(",")}"`);
  if (parsed.profile > 1) throw new Error("--profile takes 0 or 1");
  if (parsed.events < 2 * parsed.appointments || parsed.events > 3 * parsed.appointments)
    throw new Error(
      `--events must be between 2 and 3 times --appointments (requested + booked each, fulfilled for some), got ${parsed.events} / ${parsed.appointments}`,
    );
  if (parsed.duplicates > parsed.events) throw new Error("--duplicates must not exceed --events");
  return parsed;
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers and fixed data

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "-");
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const ms1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "-");

const RESULTS_DIR = path.join(REPO, "bench", "results");
const RUN_STAMP = new Date().toISOString().replace(/[:.]/g, "-");
const LIB = new URL("./lib/", import.meta.url);
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const ZONE = "Europe/Berlin";
/** The clinic's "today" in phase 3: a Monday after the imported year (history is the past). */
const TODAY = "2027-01-11";
/** The stack's clock starts at 06:00 of TODAY in Berlin and runs at the real pace. */
const CLOCK_START = DateTime.fromISO(`${TODAY}T06:00`, { zone: ZONE }).toMillis();
/** The stack's clock: real time moved to CLOCK_START when the stack started. */
let clockOffset = 0;
/** Analytics' consumer group on scheduling's appointments stream (subgraphs/analytics/src/events/consumers/appointments.ts). */
const APPOINTMENTS_GROUP = "analytics-appointments";
/** Bookings before the measured ones (a warm path). */
const WARM_BOOKINGS = 5;
const LIVE_DOCTORS = 4;
const PASSWORD = "Bench-password-1";
const PUBLISH_BATCH = 1_000;

const LOGIN = `mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`;
const CREATE_STAFF = `mutation ($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`;
const CATALOGUE_QUERY = `query { specialties { code } medicalServices { id code durationMinutes } }`;
const CREATE_DOCTOR = `mutation ($i: CreateDoctorInput!) { createDoctor(input: $i) { id } }`;
const SET_SCHEDULE = `mutation ($d: ID!, $r: [ScheduleRuleInput!]!) { setWeeklySchedule(doctorId: $d, rules: $r) { id } }`;
const REGISTER = `mutation ($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken user { id } } }`;
const FREE_SLOTS = `query ($f: SlotFilter!, $n: Int) { availableSlots(filter: $f, first: $n) { id startsAt } }`;
const REQUEST = `mutation ($i: RequestAppointmentInput!) { requestAppointment(input: $i) { __typename ... on Appointment { id status } } }`;
const POINT_FIELDS = `period suppressed patients appointmentsRequested appointmentsBooked cancelled noShows fulfilled noShowRate cancellationRate
  medianLeadTimeHours medianApprovalMinutes feedbackAverage feedbackCount feedbackDistribution medianWaitMinutes medianExamTurnaroundHours
  medianReviewHours invoiced { amountMinor currency } collected { amountMinor currency } outstanding { amountMinor currency } utilization`;
const KPIS = `query Kpis($from: Date!, $to: Date!, $g: Granularity!, $f: KpiFilter) { kpis(from: $from, to: $to, granularity: $g, filter: $f) { ${POINT_FIELDS} } }`;
const KPIS_TODAY = `subscription { kpisToday { period suppressed appointmentsBooked } }`;

interface GqlReply<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
  ms: number;
}

/** A GraphQL POST to the router (fetch keeps the connection alive), timed from the call to the parsed answer. */
async function post<T>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GqlReply<T>> {
  const started = performance.now();
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let parsed: Omit<GqlReply<T>, "status" | "ms">;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    parsed = { errors: [{ message: `HTTP ${res.status}: ${text.slice(0, 200)}`, extensions: { code: "NON_JSON_RESPONSE" } }] };
  }
  return { status: res.status, ...parsed, ms: performance.now() - started };
}

/** Like post, but any GraphQL error is fatal (setup). */
async function must<T>(what: string, url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const reply = await post<T>(url, query, variables, token);
  if (reply.errors?.length || !reply.data) {
    const first = reply.errors?.[0];
    throw new Error(`${what} failed (HTTP ${reply.status}): ${first?.extensions?.code ?? ""} ${first?.message ?? "no data"}`);
  }
  return reply.data;
}

/** A fixed pseudo-random sequence in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

/** A version-4-shaped UUID whose last 12 hex digits are `n` under the given 8-digit prefix. */
const benchId = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

type Check = { name: string; ok: boolean };
const check = (name: string, ok: boolean): Check => ({ name, ok });
const printChecks = (checks: readonly Check[]) => console.log(`  Checks: ${checks.map((c) => `${c.ok ? "ok" : "FAILED"} ${c.name}`).join("; ")}`);

// ---------------------------------------------------------------------------------------------------------------
// Processes, databases, Redis keys: cleanup

type RedisClient = ReturnType<typeof createClient>;

const state: {
  starting?: Promise<Stack>;
  children: Set<Child>;
  databases: Set<TestDatabase>;
  namespaces: Set<string>;
  buses: Set<EventBus>;
  ws?: WsClient;
  redis?: RedisClient;
  dir?: string;
  stopping?: Promise<void>;
} = { children: new Set(), databases: new Set(), namespaces: new Set(), buses: new Set() };

const ownSignalHandlers = new Set<() => void>();

/**
 * Apollo Server registers SIGINT/SIGTERM handlers in every server it starts (as in bench/fanout.ts: a second
 * concurrent `stop()` never resolves), so the bench owns this process's signals: every handler but its own is dropped.
 */
function dropForeignSignalHandlers() {
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    for (const listener of process.listeners(signal)) if (!ownSignalHandlers.has(listener as () => void)) process.removeListener(signal, listener);
}

async function startChild(name: string, file: string): Promise<Child> {
  const child = await forkChild(name, new URL(file, LIB), { LOG_LEVEL: process.env.LOG_LEVEL ?? "error" });
  state.children.add(child);
  void child.exited.then(() => state.children.delete(child));
  return child;
}

async function stopChild(child: Child) {
  await child.stop(10_000).catch(() => child.kill());
  state.children.delete(child);
}

/** Deletes every Redis key of the namespace; returns how many. */
async function dropNamespace(redis: RedisClient, namespace: string): Promise<number> {
  let deleted = 0;
  for await (const keys of redis.scanIterator({ MATCH: `${namespace}*`, COUNT: 500 })) if (keys.length) deleted += await redis.del(keys);
  return deleted;
}

/** Phase 2's resources: its child, its publisher, its database and its namespace's keys. */
async function cleanUpIngest(): Promise<void> {
  await Promise.all([...state.children].map(stopChild));
  for (const bus of state.buses) {
    state.buses.delete(bus);
    await bus.close().catch(() => undefined);
  }
  for (const db of state.databases) {
    state.databases.delete(db);
    await db.drop().then(
      () => console.log(`  Dropped database ${db.name}.`),
      (err: unknown) => console.error(`  dropping database ${db.name} failed (drop it by hand):`, err),
    );
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

/** Everything cleaned up, once, whatever state the run is in. */
function shutdown(): Promise<void> {
  return (state.stopping ??= (async () => {
    dropForeignSignalHandlers();
    await Promise.resolve(state.ws?.dispose()).catch(() => undefined);
    await cleanUpIngest();
    if (state.redis?.isOpen) await state.redis.quit().catch(() => undefined);
    const stack = await state.starting?.catch(() => undefined);
    if (stack) {
      try {
        await stack.stop();
        console.log("  Stack stopped, its database dropped and its Redis keys deleted.");
      } catch (err) {
        console.error("stopping the stack failed (its database may be left behind):", err);
      }
    }
    if (state.dir) await rm(state.dir, { recursive: true, force: true });
  })());
}

// ---------------------------------------------------------------------------------------------------------------
// Setup: the stack, the stakeholder, the catalogue, the doctors of phase 3

interface Setup {
  stack: Stack;
  url: string;
  adminToken: string;
  /** The STAKEHOLDER's access token, signed in again when older than `maxAgeMs` (default 10 minutes; tokens live 15). */
  stakeholderToken(maxAgeMs?: number): Promise<string>;
  catalogue: { specialtyCodes: string[]; services: { id: string; code: string; durationMinutes: number }[] };
  liveDoctors: string[];
}

async function setUp(options: Options, runId: string): Promise<Setup> {
  const started = performance.now();
  const offset = CLOCK_START - Date.now();
  clockOffset = offset;
  state.starting = startStack({
    clock: () => new Date(Date.now() + offset),
    // Phase 3 books slots of the morning right away; tokens last as long as accounts allows.
    // TODAY has no history: its first bookings come from fewer patients than the default small-cell threshold, which
    // would hide them from kpisToday (suppression is still worked out on every push).
    env: { BOOKING_MIN_NOTICE_MINUTES: "0", ACCESS_TOKEN_TTL_SECONDS: "900", ANALYTICS_MIN_CELL: "1" },
  });
  const stack = await state.starting;
  dropForeignSignalHandlers();
  const url = stack.routerUrl;
  console.log(`Stack up in ${secs(performance.now() - started)}: router ${url}, database ${stack.databaseUrl.replace(/^.*\//, "")}`);

  const adminToken = (await must<{ login: { accessToken: string } }>("admin login", url, LOGIN, { e: stack.admin.email, p: stack.admin.password })).login
    .accessToken;
  const stakeholderEmail = `bench.stakeholder.${runId}@example.test`;
  await must(
    "createStaffUser",
    url,
    CREATE_STAFF,
    { i: { email: stakeholderEmail, password: PASSWORD, name: "Bench Stakeholder", role: "STAKEHOLDER" } },
    adminToken,
  );
  let signedIn = { token: "", at: -Infinity };
  const stakeholderToken = async (maxAgeMs = 600_000) => {
    if (performance.now() - signedIn.at > maxAgeMs)
      signedIn = {
        token: (await must<{ login: { accessToken: string } }>("stakeholder login", url, LOGIN, { e: stakeholderEmail, p: PASSWORD })).login.accessToken,
        at: performance.now(),
      };
    return signedIn.token;
  };
  const read = await must<{ specialties: { code: string }[]; medicalServices: { id: string; code: string; durationMinutes: number }[] }>(
    "catalogue",
    url,
    CATALOGUE_QUERY,
  );
  const catalogue = { specialtyCodes: read.specialties.map((s) => s.code), services: read.medicalServices };

  const liveDoctors: string[] = [];
  if (options.phases.includes(3)) {
    // Every day 08:00–18:00 in 10-minute slots, approving by themselves: TODAY has 60 free slots per doctor.
    const days = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
    const rules = days.map((dayOfWeek) => ({ dayOfWeek, startTime: "08:00", endTime: "18:00", slotMinutes: 10 }));
    for (let i = 0; i < LIVE_DOCTORS; i++) {
      const created = await must<{ createDoctor: { id: string } }>(
        "createDoctor",
        url,
        CREATE_DOCTOR,
        {
          i: {
            email: `bench.dr${i}.${runId}@example.test`,
            password: PASSWORD,
            name: `Dr. Bench ${i + 1}`,
            specialtyCode: "CARD",
            timezone: ZONE,
            location: "Berlin Mitte",
            serviceCodes: ["SPECIALIST_CONSULT"],
            autoApprove: true,
          },
        },
        adminToken,
      );
      await must("setWeeklySchedule", url, SET_SCHEDULE, { d: created.createDoctor.id, r: rules }, adminToken);
      liveDoctors.push(created.createDoctor.id);
    }
    await stack.eventsSettled(); // scheduling makes the slots from doctors' events
  }
  console.log(
    `Stakeholder created; catalogue: ${catalogue.specialtyCodes.length} specialties, ${catalogue.services.length} services` +
      (liveDoctors.length ? `; ${liveDoctors.length} doctors for phase 3 (CARD, 08:00–18:00 every day, 10-minute slots, approving by themselves)` : ""),
  );
  return { stack, url, adminToken, stakeholderToken, catalogue, liveDoctors };
}

// ---------------------------------------------------------------------------------------------------------------
// Phase 1: a year of history, KPI queries through the router

interface HistoryResult {
  rows: number;
  fileMb: number;
  writeMs: number;
  importMs: number;
  rowsPerS: number;
  vacuumAnalyzeMs: number;
  rollupMs: number;
  counts: VisitsCsvCounts;
  checks: Check[];
}

async function importHistory(setup: Setup, options: Options): Promise<HistoryResult> {
  state.dir = await mkdtemp(path.join(os.tmpdir(), "clinigraph-bench-analytics-"));
  const file = path.join(state.dir, "visits.csv");
  let started = performance.now();
  const counts = await writeVisitsCsv(file, { rows: options.rows, doctors: options.doctors, rejectEvery: 0 });
  const writeMs = performance.now() - started;
  const fileMb = mb((await stat(file)).size);
  console.log(`  ${int(options.rows)} visits of ${options.doctors} doctors over ${VISITS_YEAR} written (${fileMb} MB) in ${secs(writeMs)}`);

  const child = await startChild("analytics-import", "analyticsImportProcess.ts");
  const catalogue: BenchCatalogue = setup.catalogue;
  const run = await child.call<ImportRun>(
    "run",
    file,
    { DATABASE_URL: setup.stack.databaseUrl, CLINIGRAPH_ROUTER_SECRETS: TEST_ROUTER_SECRETS.join(","), LOG_LEVEL: "silent" },
    catalogue,
  );
  await stopChild(child);
  await rm(file, { force: true });
  console.log(`  Imported with pnpm analytics:import's own function in ${secs(run.wallMs)} (${int(options.rows / (run.wallMs / 1000))} rows/s)`);
  started = performance.now();
  await queryDatabase(setup.stack.databaseUrl, "VACUUM (ANALYZE) analytics.appointment_facts");
  const vacuumAnalyzeMs = performance.now() - started;
  // What analytics' rollup job does within its interval after an import (or an operator at once, with
  // `pnpm analytics:rollup`): every closed day, week and month of the year counted ahead, for every filter cell.
  started = performance.now();
  let rollupOut = "";
  const rollupCode = await runRollupCommand(
    ["--from", `${VISITS_YEAR}-01-01`, "--to", `${VISITS_YEAR}-12-31`],
    { DATABASE_URL: setup.stack.databaseUrl, CLINIGRAPH_ROUTER_SECRETS: TEST_ROUTER_SECRETS.join(","), LOG_LEVEL: "silent" },
    {
      stdout: new Writable({
        write(chunk, _encoding, done) {
          rollupOut += String(chunk);
          done();
        },
      }),
      clock: () => new Date(Date.now() + clockOffset),
    },
  );
  const rollupMs = performance.now() - started;
  const [{ n }] = (await queryDatabase<{ n: number }>(
    setup.stack.databaseUrl,
    "SELECT count(*)::int AS n FROM analytics.appointment_facts WHERE source = 'IMPORT'",
  )) as [{ n: number }];
  const checks = [
    check("import exit code 0", run.code === 0),
    check(`${int(counts.good)} imported, none rejected`, run.report?.imported === counts.good && run.report.rejectedCount === 0),
    check(`${int(counts.good)} imported rows in the table`, n === counts.good),
    check(`pnpm analytics:rollup over ${VISITS_YEAR}: exit code 0`, rollupCode === 0),
  ];
  console.log(`  Rolled up with pnpm analytics:rollup's own function in ${secs(rollupMs)}: ${rollupOut.trim().split("\n").at(-1)}`);
  printChecks(checks);
  return {
    rows: options.rows,
    fileMb,
    writeMs,
    importMs: run.wallMs,
    rowsPerS: Math.round(options.rows / (run.wallMs / 1000)),
    vacuumAnalyzeMs,
    rollupMs,
    counts,
    checks,
  };
}

interface Shape {
  name: string;
  granularity: "WEEK" | "MONTH";
  filter: { specialty?: string; serviceId?: string } | null;
  /** Points expected over the year, and the file's counts the sums must equal. */
  points: number;
  expected: Partial<Record<"requested" | "fulfilled" | "noShows" | "cancelled", number>>;
}

interface ShapeResult {
  name: string;
  variables: Record<string, unknown>;
  latencyMs: LatencyStats;
  errors: number;
  errorSamples: string[];
  responseBytes: number;
  goalMet: boolean;
  checks: Check[];
}

interface KpisResult {
  shapes: ShapeResult[];
  wallMs: number;
  cpuMsPerRequest: number;
  machineBusyPct: number | null;
}

type KpiPoint = { appointmentsRequested: number | null; fulfilled: number | null; noShows: number | null; cancelled: number | null };

function shapesOf(setup: Setup, counts: VisitsCsvCounts): Shape[] {
  const serviceCode = "SPECIALIST_CONSULT";
  const serviceId = setup.catalogue.services.find((s) => s.code === serviceCode)?.id;
  if (!serviceId) throw new Error(`the catalogue has no service ${serviceCode}`);
  const all = {
    requested: counts.good,
    fulfilled: counts.byStatus.FULFILLED ?? 0,
    noShows: counts.byStatus.NO_SHOW ?? 0,
    cancelled: counts.byStatus.CANCELLED ?? 0,
  };
  // ISO weeks touching the year: Monday 2025-12-29 … Monday 2026-12-28.
  const weeks = 53;
  return [
    { name: "WEEK", granularity: "WEEK", filter: null, points: weeks, expected: all },
    { name: "WEEK, specialty CARD", granularity: "WEEK", filter: { specialty: "CARD" }, points: weeks, expected: { requested: counts.bySpecialty.CARD ?? 0 } },
    {
      name: `WEEK, service ${serviceCode}`,
      granularity: "WEEK",
      filter: { serviceId },
      points: weeks,
      expected: { requested: counts.byService[serviceCode] ?? 0 },
    },
    { name: "MONTH", granularity: "MONTH", filter: null, points: 12, expected: all },
  ];
}

/** The checks of one answer: as many points as periods, and sums equal to the file's counts. */
function answerChecks(shape: Shape, points: KpiPoint[]): Check[] {
  const sum = (key: keyof KpiPoint) => points.reduce((total, p) => total + (p[key] ?? 0), 0);
  const checks = [check(`${shape.name}: ${shape.points} points`, points.length === shape.points)];
  const labels = { requested: "appointmentsRequested", fulfilled: "fulfilled", noShows: "noShows", cancelled: "cancelled" } as const;
  for (const [key, field] of Object.entries(labels) as [keyof typeof labels, keyof KpiPoint][]) {
    const expected = shape.expected[key];
    if (expected !== undefined) checks.push(check(`${shape.name}: ${field} sums to ${int(expected)}`, sum(field) === expected));
  }
  return checks;
}

async function kpiQueries(setup: Setup, options: Options, history: HistoryResult): Promise<KpisResult> {
  const shapes = shapesOf(setup, history.counts);
  const variablesOf = (shape: Shape) => ({ from: `${VISITS_YEAR}-01-01`, to: `${VISITS_YEAR}-12-31`, g: shape.granularity, f: shape.filter });
  const results = shapes.map((shape): ShapeResult & { samples: number[] } => ({
    name: shape.name,
    variables: variablesOf(shape),
    samples: [],
    latencyMs: latencyStats([]),
    errors: 0,
    errorSamples: [],
    responseBytes: 0,
    goalMet: false,
    checks: [],
  }));
  // Warm-up, not counted; its last answer per shape is checked against the file.
  for (const [i, shape] of shapes.entries())
    for (let w = 0; w < options.warmup; w++) {
      const reply = await post<{ kpis: KpiPoint[] }>(setup.url, KPIS, variablesOf(shape), await setup.stakeholderToken());
      if (w === options.warmup - 1) {
        results[i]!.checks = reply.errors?.length ? [check(`${shape.name}: answered`, false)] : answerChecks(shape, reply.data?.kpis ?? []);
        results[i]!.responseBytes = JSON.stringify(reply.data ?? null).length;
        if (reply.errors?.length) results[i]!.errorSamples.push(`${reply.errors[0]!.extensions?.code}: ${reply.errors[0]!.message}`);
      }
    }
  const cpuBefore = machineCpu();
  const cpu = process.cpuUsage();
  const started = performance.now();
  let lastPrint = started;
  for (let n = 0; n < options.requests; n++) {
    for (const [i, shape] of shapes.entries()) {
      const reply = await post<{ kpis: KpiPoint[] }>(setup.url, KPIS, variablesOf(shape), await setup.stakeholderToken());
      const result = results[i]!;
      result.samples.push(reply.ms);
      if (reply.errors?.length || !reply.data) {
        result.errors++;
        if (result.errorSamples.length < 3) result.errorSamples.push(`${reply.errors?.[0]?.extensions?.code}: ${reply.errors?.[0]?.message}`);
      }
    }
    if (performance.now() - lastPrint > 15_000) {
      lastPrint = performance.now();
      console.log(`    … ${n + 1}/${options.requests} rounds of ${shapes.length} queries`);
    }
  }
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const machineBusyPct = busyPercent(cpuBefore, machineCpu());
  const shapeResults = results.map(({ samples, ...result }) => {
    const latencyMs = latencyStats(samples);
    return {
      ...result,
      latencyMs,
      goalMet: latencyMs.p99 < options.goalP99,
      checks: [...result.checks, check(`${result.name}: no errors`, result.errors === 0)],
    };
  });
  return {
    shapes: shapeResults,
    wallMs,
    cpuMsPerRequest: Math.round(((used.user + used.system) / 1000 / (options.requests * shapes.length)) * 10) / 10,
    machineBusyPct,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Phase 2: event ingestion

interface IngestResult {
  database: string;
  namespace: string;
  published: number;
  distinct: number;
  duplicates: number;
  appointments: number;
  publishMs: number;
  handledMs: number;
  complete: boolean;
  eventsPerS: number;
  distinctEventsPerS: number;
  goalMet: boolean;
  analyticsCpuMs: number;
  cpuMsPerEvent: number;
  peakRssMb: number;
  machineBusyPct: number | null;
  checks: Check[];
}

/** The doctors and services the stand-in catalogue of phase 2 knows. */
function ingestCatalogue(setupCatalogue: Setup["catalogue"] | null): IngestCatalogue {
  const specialties = ["GP", "CARD", "DERM", "OBGYN", "RAD", "PED"];
  const services = (setupCatalogue?.services ?? []).filter((s) => ["GP_CONSULT", "SPECIALIST_CONSULT", "IMG_XRAY"].includes(s.code));
  return {
    doctors: Array.from({ length: 50 }, (_, i) => ({
      id: benchId("a1ad0c00", i + 1),
      specialtyCode: specialties[i % specialties.length]!,
      location: i % 2 ? "Berlin Kreuzberg" : "Berlin Mitte",
    })),
    services: services.length
      ? services
      : ["GP_CONSULT", "SPECIALIST_CONSULT", "IMG_XRAY"].map((code, i) => ({ id: benchId("a15e0000", i + 1), code, durationMinutes: 30 })),
  };
}

/**
 * The events of `appointments` appointments as scheduling's outbox would publish them, in time order: each is
 * requested (PENDING: it waits for its doctor) and booked five minutes later; the first ones are also fulfilled on
 * their visit day. Then every (events / duplicates)-th is published again 200 entries later.
 */
function ingestEvents(options: Options, catalogue: IngestCatalogue): { envelopes: EventEnvelope[]; fulfilled: number } {
  const fulfilled = options.events - 2 * options.appointments;
  const base = DateTime.fromISO("2027-01-04T08:00", { zone: ZONE }).toMillis();
  const patients = Math.max(1, Math.round(options.appointments / 2.5));
  const timed: { at: number; envelope: EventEnvelope }[] = [];
  for (let i = 0; i < options.appointments; i++) {
    const doctor = catalogue.doctors[i % catalogue.doctors.length]!;
    const requestedAt = base + i * 1_500;
    const startsAt = DateTime.fromMillis(base, { zone: ZONE })
      .plus({ days: 1 + (i % 20), minutes: (i % 40) * 15 })
      .toMillis();
    const data = {
      appointmentId: benchId("a990e000", i + 1),
      patientId: benchId("a9a7e000", (i % patients) + 1),
      doctorId: doctor.id,
      serviceId: catalogue.services[i % catalogue.services.length]!.id,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + 15 * 60_000).toISOString(),
      actorId: null,
    };
    const steps: [(typeof APPOINTMENT_EVENT_TYPES)[number], string, number][] = [
      ["AppointmentRequested", "PENDING", requestedAt],
      ["AppointmentBooked", "BOOKED", requestedAt + 5 * 60_000],
    ];
    if (i < fulfilled) steps.push(["AppointmentFulfilled", "FULFILLED", startsAt + 30 * 60_000]);
    for (const [type, status, at] of steps) timed.push({ at, envelope: createEnvelope(type, { ...data, status }, { time: new Date(at) }) });
  }
  timed.sort((a, b) => a.at - b.at);
  const envelopes: EventEnvelope[] = [];
  const every = options.duplicates ? Math.floor(timed.length / options.duplicates) : 0;
  const later: { at: number; envelope: EventEnvelope }[] = [];
  let duplicated = 0;
  for (const [i, { envelope }] of timed.entries()) {
    envelopes.push(envelope);
    while (later.length && later[0]!.at <= i) envelopes.push(later.shift()!.envelope);
    if (every && i % every === 0 && duplicated < options.duplicates) {
      later.push({ at: i + 200, envelope });
      duplicated++;
    }
  }
  for (const { envelope } of later) envelopes.push(envelope);
  return { envelopes, fulfilled };
}

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

async function ingestion(options: Options, setupCatalogue: Setup["catalogue"] | null): Promise<IngestResult> {
  const db = await createTestDatabase(["analytics"]);
  state.databases.add(db);
  const namespace = `${db.name}:`;
  state.namespaces.add(namespace);
  const stream = `${namespace}${STREAMS.appointments}`;
  const publisher = await createRedisEventBus({ url: REDIS_URL, logger: createLogger("events", process.env.LOG_LEVEL ?? "error") });
  state.buses.add(publisher);
  const catalogue = ingestCatalogue(setupCatalogue);
  const child = await startChild("analytics", "analyticsProcess.ts");
  const { DATABASE_POOL_SIZE: _testPool, ...env } = testEnv(db.url); // the subgraph's own pool size, as deployed
  await child.call(
    "start",
    { ...env, ANALYTICS_PORT: "0", REDIS_URL, EVENTS_NAMESPACE: namespace, LOG_LEVEL: process.env.LOG_LEVEL ?? "error", HOST: "127.0.0.1" },
    catalogue,
  );
  console.log(
    `  Database ${db.name}; events namespace "${namespace}"; analytics pid ${child.pid} (stand-in doctors catalogue, ${catalogue.doctors.length} doctors)`,
  );

  const { envelopes, fulfilled } = ingestEvents(options, catalogue);
  const distinct = new Set(envelopes.map((e) => e.id)).size;
  const redis = state.redis!;
  await child.call("mark");
  if (options.profile) await child.call("startProfile");
  const cpuBefore = machineCpu();
  const started = performance.now();
  for (let i = 0; i < envelopes.length; i += PUBLISH_BATCH) await publisher.publish(stream, envelopes.slice(i, i + PUBLISH_BATCH));
  const publishMs = performance.now() - started;
  console.log(
    `  ${int(envelopes.length)} entries appended in ${secs(publishMs)} (${int(distinct)} distinct events, ${int(envelopes.length - distinct)} again)`,
  );
  let lastPrint = performance.now();
  let complete = false;
  for (;;) {
    if (await groupHandled(redis, stream, APPOINTMENTS_GROUP)) {
      complete = true;
      break;
    }
    if (!child.running()) throw new Error("the analytics process exited during the run (see its output above)");
    if (performance.now() - started > options.maxWait * 1000) break;
    if (performance.now() - lastPrint > 10_000) {
      lastPrint = performance.now();
      const [{ n }] = (await queryDatabase<{ n: number }>(db.url, "SELECT count(*)::int AS n FROM analytics.processed_events")) as [{ n: number }];
      console.log(`    +${secs(performance.now() - started)}: ${int(n)} events handled`);
    }
    await sleep(50);
  }
  const handledMs = performance.now() - started;
  const machineBusyPct = busyPercent(cpuBefore, machineCpu());
  const usage = await child.call<ProcessUsage>("usage");
  if (options.profile) {
    await ensureResultsDir();
    const file = path.join(RESULTS_DIR, `analytics-${RUN_STAMP}-ingestion.cpuprofile`);
    await child.call("stopProfile", file);
    console.log(`  CPU profile of the analytics process: ${path.relative(process.cwd(), file)}`);
  }

  const [facts] = await queryDatabase<{ rows: number; booked: number; fulfilled: number; requested: number; answered: number; with_specialty: number }>(
    db.url,
    `SELECT count(*)::int AS rows, count(*) FILTER (WHERE status = 'BOOKED')::int AS booked, count(*) FILTER (WHERE status = 'FULFILLED')::int AS fulfilled,
            count(requested_at)::int AS requested, count(answered_at)::int AS answered, count(specialty_code)::int AS with_specialty
       FROM analytics.appointment_facts`,
  );
  const [processed] = await queryDatabase<{ n: number }>(
    db.url,
    `SELECT count(*)::int AS n FROM analytics.processed_events WHERE consumer = '${APPOINTMENTS_GROUP}'`,
  );
  const deadLetters = await publisher.deadLetters(stream, APPOINTMENTS_GROUP);
  const a = options.appointments;
  const checks = [
    check("every entry handled", complete),
    check(`${int(a)} appointment facts`, facts?.rows === a),
    check(`${int(fulfilled)} FULFILLED, ${int(a - fulfilled)} BOOKED`, facts?.fulfilled === fulfilled && facts.booked === a - fulfilled),
    check("every fact requested, answered and with its specialty", facts?.requested === a && facts.answered === a && facts.with_specialty === a),
    check(`${int(distinct)} events recorded once`, processed?.n === distinct),
    check("no dead letters", deadLetters.length === 0),
  ];
  const eventsPerS = Math.round(envelopes.length / (handledMs / 1000));
  const result: IngestResult = {
    database: db.name,
    namespace,
    published: envelopes.length,
    distinct,
    duplicates: envelopes.length - distinct,
    appointments: a,
    publishMs,
    handledMs,
    complete,
    eventsPerS,
    distinctEventsPerS: Math.round(distinct / (handledMs / 1000)),
    goalMet: complete && eventsPerS >= options.goalRate,
    analyticsCpuMs: Math.round(usage.cpuMs),
    cpuMsPerEvent: Math.round((usage.cpuMs / envelopes.length) * 100) / 100,
    peakRssMb: mb(usage.peakRss),
    machineBusyPct,
    checks,
  };
  return result;
}

function printIngestion(ingest: IngestResult, options: Options) {
  console.log(
    `  ${int(ingest.eventsPerS)} events/s (${int(ingest.published)} entries handled ${secs(ingest.handledMs)} after the first append; ` +
      `${int(ingest.distinctEventsPerS)} distinct events/s); goal ≥ ${int(options.goalRate)}/s ${ingest.goalMet ? "met" : "NOT met"}`,
  );
  console.log(
    `  analytics process: ${int(ingest.analyticsCpuMs)} ms CPU (${ingest.cpuMsPerEvent} ms per entry), peak RSS ${ingest.peakRssMb} MB; ` +
      `machine ${ingest.machineBusyPct ?? "?"} % busy (PostgreSQL and Redis included)`,
  );
  printChecks(ingest.checks);
}

// ---------------------------------------------------------------------------------------------------------------
// Phase 3: from a booking to kpisToday

interface Push {
  at: number;
  booked: number | null;
  suppressed: boolean;
  period: string;
}

interface LagResult {
  bookings: number;
  lagMs: LatencyStats;
  bookingMs: LatencyStats;
  lags: number[];
  pushes: number;
  missed: number;
  firstPeriod: string | null;
  checks: Check[];
}

async function freeSlotsToday(setup: Setup, count: number): Promise<string[]> {
  const day = DateTime.fromISO(TODAY, { zone: ZONE });
  const window = { from: day.toUTC().toISO()!, to: day.plus({ days: 1 }).toUTC().toISO()! };
  const perDoctor = await Promise.all(
    setup.liveDoctors.map(
      async (doctorId) =>
        (await must<{ availableSlots: { id: string }[] }>("availableSlots", setup.url, FREE_SLOTS, { f: { doctorId, ...window }, n: 100 })).availableSlots,
    ),
  );
  const slots: string[] = [];
  for (let k = 0; slots.length < count; k++) {
    if (perDoctor.every((list) => k >= list.length)) throw new Error(`only ${slots.length} free slots on ${TODAY}, ${count} needed`);
    for (const list of perDoctor) if (k < list.length && slots.length < count) slots.push(list[k]!.id);
  }
  return slots;
}

async function bookingLag(setup: Setup, options: Options, runId: string): Promise<LagResult> {
  const total = WARM_BOOKINGS + options.bookings;
  const started = performance.now();
  const patients = await mapLimit(
    Array.from({ length: total }, (_, i) => i),
    4,
    async (i) =>
      (
        await must<{ registerPatient: { accessToken: string } }>("registerPatient", setup.url, REGISTER, {
          i: { email: `bench.p${i}.${runId}@example.test`, password: PASSWORD, name: `Bench Patient ${i + 1}`, dateOfBirth: "1980-01-01" },
        })
      ).registerPatient.accessToken,
  );
  const slots = await freeSlotsToday(setup, total);
  console.log(`  ${total} patients registered and ${total} free slots of ${TODAY} picked in ${secs(performance.now() - started)}`);

  const pushes: Push[] = [];
  const waiters = new Set<() => void>();
  let failure: unknown = null;
  state.ws = createWsClient({
    url: setup.url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${await setup.stakeholderToken(0)}` },
  });
  state.ws.subscribe<{ kpisToday: { period: string; suppressed: boolean; appointmentsBooked: number | null } }>(
    { query: KPIS_TODAY },
    {
      next: (message) => {
        const point = message.data?.kpisToday;
        if (!point) failure = new Error(`kpisToday pushed no figures: ${JSON.stringify(message.errors ?? message)}`);
        else pushes.push({ at: performance.now(), booked: point.appointmentsBooked, suppressed: point.suppressed, period: point.period });
        for (const wake of waiters) wake();
      },
      error: (err) => {
        failure = err;
        for (const wake of waiters) wake();
      },
      complete: () => {
        failure ??= new Error("kpisToday completed");
        for (const wake of waiters) wake();
      },
    },
  );
  /** The first push from index `from` on that `accept`s, waiting for it up to `--max-wait`. */
  const pushFrom = async (from: number, accept: (push: Push) => boolean): Promise<Push | null> => {
    const deadline = performance.now() + options.maxWait * 1000;
    for (;;) {
      const found = pushes.slice(from).find(accept);
      if (found) return found;
      if (failure) throw failure instanceof Error ? failure : new Error(JSON.stringify(failure));
      const left = deadline - performance.now();
      if (left <= 0) return null;
      await new Promise<void>((resolve) => {
        const wake = () => {
          waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, left);
        waiters.add(wake);
      });
    }
  };
  const first = await pushFrom(0, () => true);
  if (!first) throw new Error("kpisToday sent nothing");
  console.log(`  Subscribed: kpisToday for ${first.period}, appointmentsBooked ${first.booked ?? "suppressed"}`);

  const random = seeded(7);
  const lags: number[] = [];
  const bookingMs: number[] = [];
  let missed = 0;
  let lastPrint = performance.now();
  for (let i = 0; i < total; i++) {
    const measured = i >= WARM_BOOKINGS;
    if (measured && options.gapMs > 0) await sleep(random() * options.gapMs);
    const seen = pushes.length;
    const before = pushes[seen - 1]!.booked ?? 0;
    const reply = await post<{ requestAppointment: { __typename: string; status?: string } }>(setup.url, REQUEST, { i: { slotId: slots[i] } }, patients[i]);
    const answeredAt = performance.now();
    const booked = reply.data?.requestAppointment;
    if (reply.errors?.length || booked?.__typename !== "Appointment" || booked.status !== "BOOKED")
      throw new Error(`booking ${i + 1} failed: ${JSON.stringify(reply.errors ?? booked)}`);
    // Pushes after the one the booking started from; the push showing it may even beat the HTTP answer.
    const shown = await pushFrom(seen, (push) => !push.suppressed && (push.booked ?? 0) > before);
    if (!shown) {
      missed++;
      continue;
    }
    if (measured) {
      lags.push(shown.at - answeredAt);
      bookingMs.push(reply.ms);
    }
    if (performance.now() - lastPrint > 15_000) {
      lastPrint = performance.now();
      console.log(`    … ${i + 1 - WARM_BOOKINGS}/${options.bookings} bookings`);
    }
  }
  const last = pushes[pushes.length - 1]!;
  const checks = [
    check(`kpisToday is for ${TODAY}`, first.period === TODAY),
    check("every booking showed up", missed === 0),
    check(`appointmentsBooked rose by ${total}`, (last.booked ?? 0) - (first.booked ?? 0) === total),
  ];
  await state.ws.dispose();
  state.ws = undefined;
  return {
    bookings: lags.length,
    lagMs: latencyStats(lags),
    bookingMs: latencyStats(bookingMs),
    lags: lags.map((l) => Math.round(l)),
    pushes: pushes.length,
    missed,
    firstPeriod: first.period,
    checks,
  };
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
  const runId = Date.now().toString(36);
  const startedAt = new Date();
  const commit = gitCommit();
  console.log(`Analytics benchmark — ${JSON.stringify(options)}`);
  console.log(
    `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, ${mb(os.totalmem())} MB RAM, ` +
      `load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}, commit ${commit ?? "?"}`,
  );
  state.redis = createClient({ url: REDIS_URL });
  state.redis.on("error", (err: unknown) => console.error("redis:", err));
  await state.redis.connect();

  const needsStack = options.phases.includes(1) || options.phases.includes(3);
  const setup = needsStack ? await setUp(options, runId) : null;
  let history: HistoryResult | null = null;
  let kpis: KpisResult | null = null;
  let ingest: IngestResult | null = null;
  let lag: LagResult | null = null;

  if (options.phases.includes(1)) {
    console.log(`\n=== 1. KPI queries over ${VISITS_YEAR} through the router (${int(options.rows)} imported visits)`);
    history = await importHistory(setup!, options);
    console.log(`  VACUUM ANALYZE of the facts: ${secs(history.vacuumAnalyzeMs)}; rollup of ${VISITS_YEAR}: ${secs(history.rollupMs)}`);
    console.log(`  ${options.warmup} warm-up then ${options.requests} measured requests per shape, sequential, the shapes taking turns…`);
    kpis = await kpiQueries(setup!, options, history);
    console.log(
      table(
        ["shape (whole year)", "n", "p50 ms", "p95 ms", "p99 ms", "max ms", "mean ms", "errors", "answer KB", `p99 < ${options.goalP99} ms`],
        kpis.shapes.map((s) => [
          s.name,
          s.latencyMs.count,
          s.latencyMs.p50,
          s.latencyMs.p95,
          s.latencyMs.p99,
          s.latencyMs.max,
          s.latencyMs.mean,
          s.errors,
          Math.round(s.responseBytes / 102.4) / 10,
          s.goalMet ? "met" : "NOT met",
        ]),
      ),
    );
    for (const s of kpis.shapes) for (const sample of s.errorSamples) console.log(`  ${s.name}: ${sample}`);
    console.log(
      `  ${secs(kpis.wallMs)} for ${int(options.requests * kpis.shapes.length)} requests; this process (router, every subgraph, the client) ` +
        `${kpis.cpuMsPerRequest} ms CPU per request; machine ${kpis.machineBusyPct ?? "?"} % busy (PostgreSQL included)`,
    );
    printChecks(kpis.shapes.flatMap((s) => s.checks));
  }

  if (options.phases.includes(2)) {
    console.log(
      `\n=== 2. Event ingestion: ${int(options.events)} appointment events of ${int(options.appointments)} appointments, ${int(options.duplicates)} again`,
    );
    try {
      ingest = await ingestion(options, setup?.catalogue ?? null);
      printIngestion(ingest, options);
    } finally {
      await cleanUpIngest();
    }
  }

  if (options.phases.includes(3)) {
    console.log(`\n=== 3. From a booking to kpisToday (${options.bookings} bookings through the router, ${WARM_BOOKINGS} before them not counted)`);
    lag = await bookingLag(setup!, options, runId);
    console.log(
      `  Lag, booking answered → kpisToday shows it: p50 ${ms1(lag.lagMs.p50)} ms, p95 ${ms1(lag.lagMs.p95)} ms, p99 ${ms1(lag.lagMs.p99)} ms, ` +
        `max ${ms1(lag.lagMs.max)} ms, min ${ms1(lag.lagMs.min)} ms (n ${lag.lagMs.count}; ${lag.pushes} pushes)`,
    );
    console.log(
      `  kpisToday sends at most once a second: up to 1,000 ms of each lag is that pacing, by design. Bookings came a random 0–${options.gapMs} ms ` +
        `after the previous one showed up; requestAppointment itself took p50 ${ms1(lag.bookingMs.p50)} ms.`,
    );
    printChecks(lag.checks);
  }

  const checks = [...(history?.checks ?? []), ...(kpis?.shapes.flatMap((s) => s.checks) ?? []), ...(ingest?.checks ?? []), ...(lag?.checks ?? [])];
  console.log("\n=== Summary");
  const rows: (string | number)[][] = [];
  for (const s of kpis?.shapes ?? []) rows.push([`kpis ${s.name}, p99`, `${s.latencyMs.p99} ms`, `< ${options.goalP99} ms`, s.goalMet ? "met" : "NOT met"]);
  if (ingest) rows.push(["ingestion", `${int(ingest.eventsPerS)} events/s`, `≥ ${int(options.goalRate)} events/s`, ingest.goalMet ? "met" : "NOT met"]);
  if (lag) {
    rows.push(["booking → kpisToday, p50", `${ms1(lag.lagMs.p50)} ms`, "(pacing ≤ 1 s)", "-"]);
    rows.push(["booking → kpisToday, p99", `${ms1(lag.lagMs.p99)} ms`, "(pacing ≤ 1 s)", "-"]);
  }
  console.log(table(["figure", "measured", "goal", "met"], rows));
  console.log(
    `  Checks: ${checks.filter((c) => c.ok).length}/${checks.length} ok${
      checks.some((c) => !c.ok)
        ? ` — FAILED: ${checks
            .filter((c) => !c.ok)
            .map((c) => c.name)
            .join("; ")}`
        : ""
    }`,
  );

  await ensureResultsDir();
  const file = path.join(RESULTS_DIR, `analytics-${RUN_STAMP}.json`);
  await writeFile(
    file,
    JSON.stringify(
      {
        benchmark: "analytics",
        startedAt: startedAt.toISOString(),
        commit,
        machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, totalMemMb: mb(os.totalmem()), load: os.loadavg() },
        options,
        today: TODAY,
        history,
        kpis,
        ingestion: ingest,
        bookingToKpisToday: lag,
        checks,
      },
      null,
      2,
    ),
  );
  console.log(`\nResults: ${path.relative(process.cwd(), file)}`);
  return checks.every((c) => c.ok) ? 0 : 1;
}

/**
 * Ctrl-C safety, as in the other benchmarks: this file runs twice, the launcher (what tsx starts, always idle) and the
 * runner (`CLINIGRAPH_BENCH_ANALYTICS_RUNNER=1`) in its own process group with its children. Ctrl-C reaches the launcher
 * only, which passes SIGINT on to the runner, which stops its children and the stack, drops the databases and deletes
 * the Redis keys.
 */
launchBench({
  script: fileURLToPath(import.meta.url),
  runnerEnv: "CLINIGRAPH_BENCH_ANALYTICS_RUNNER",
  checkOptions: () => parseOptions(process.argv.slice(2), process.env),
  main,
  shutdown,
  stopping: "stopping the stack and the child processes, dropping the databases and deleting the Redis keys",
  onSignalHandler: (handler) => ownSignalHandlers.add(handler),
});
