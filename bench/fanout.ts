/**
 * Subscription fan-out benchmark (`pnpm bench:fanout`): N concurrent graphql-ws subscribers on one doctor's live feed
 * through the router, events published at a steady rate, delivery checked per subscriber.
 *
 *   1. Starts the whole platform in this process (`tests/support/stack.ts`: fresh database, accounts, doctors,
 *      scheduling, router; events and live feeds on Redis), then seeds through the router: one doctor (autoApprove
 *      false, 7 days × 08:00–20:00 in 30-minute slots), a few patients and, for `--identities K`, K−2 extra ADMIN users.
 *   2. For each K in `--identities` and each N in `--n` (ascending): opens N graphql-ws connections to the router, in
 *      batches, one WebSocket each, every one subscribed to
 *      `appointmentRequests(doctorId) { cursor type appointment { id status patient { name } } }` (the patient's name
 *      comes from accounts, per event, through the query plan). Subscriber i authenticates as identity i mod K:
 *      identity 0 is the doctor, 1 the bootstrap ADMIN, the rest extra ADMINs. With K = 1 every client has the same
 *      identity and operation, so the router holds ONE upstream subscription and fans out itself.
 *   3. Warm-up: probe events (a request + cancel) are published until every subscriber has received one — that is how
 *      "subscribed" is known: graphql-ws has no subscribe acknowledgement, and an event committed before the router's
 *      upstream subscription is live is not delivered to a client that did not pass `since`. Then router-process RSS
 *      and heap are taken (after a GC) and compared with the same figures before the connections were opened.
 *   4. `--events` events at `--rate` per second, open loop: patients alternately request an appointment and cancel the
 *      one they requested, through the router over HTTP. Each mutation's commit time is the moment its HTTP response
 *      arrived, keyed by event type + appointment id. Every subscriber records when it received each event.
 *   5. Waits until every subscriber has every event (or deliveries stop: `--drain-timeout`), then reports delivery
 *      latency (receipt − commit; also receipt − send, an upper bound that includes the mutation itself, which matters
 *      once the process is saturated and responses come late) p50/p95/p99/max over all deliveries, lost deliveries
 *      (expected − received, summed over subscribers), duplicates (a cursor or an event seen twice), out-of-order
 *      cursors, CPU of both processes and router requests to accounts per event. A run "holds" when every client
 *      connected and got the warm-up, lost = dup = 0, nothing out of order or in error, and p99 < `--p99-limit`.
 *
 * The subscribers run in `--client-procs` child processes (`bench/fanout/worker.ts`, default 1) so that the RSS
 * measured is the router's process (router + subgraphs + the publisher; Postgres and Redis are separate servers) and
 * the file-descriptor limit applies to each side separately; `--client-procs 0` runs them in this process as well.
 *
 * Options (flag or environment variable, flags win):
 *   --n LIST               BENCH_FANOUT_N               subscriber counts to try (default 100,1000,5000,10000)
 *   --identities LIST      BENCH_FANOUT_IDENTITIES      distinct identities among the subscribers (default 1)
 *   --rate R               BENCH_FANOUT_RATE            events per second (default 5)
 *   --events E             BENCH_FANOUT_EVENTS          events per run (default 50)
 *   --batch B              BENCH_FANOUT_BATCH           connections opened at once while ramping up (default 250)
 *   --client-procs P       BENCH_FANOUT_CLIENT_PROCS    subscriber processes; 0 = in this process (default 1)
 *   --patients P           BENCH_FANOUT_PATIENTS        patients taking turns to publish (default 10)
 *   --ready-timeout S      BENCH_FANOUT_READY_TIMEOUT   warm-up: seconds for every subscription to be live (default 120)
 *   --drain-timeout S      BENCH_FANOUT_DRAIN_TIMEOUT   after the last event: missing deliveries count as lost once no subscriber
 *                                                       has received anything for S seconds (default 30) …
 *   --drain-max S          BENCH_FANOUT_DRAIN_MAX       … or S seconds have passed in all (default 600)
 *   --p99-limit MS         BENCH_FANOUT_P99_LIMIT       p99 delivery latency a run must stay under to hold (default 2000)
 *   --continue 0|1         BENCH_FANOUT_CONTINUE        1: try larger N after one that did not hold (default 0)
 *   --profile 0|1          BENCH_FANOUT_PROFILE         1: V8 CPU profile of the router process while publishing, per run,
 *                                                       to bench/results/fanout-<timestamp>-n<N>-k<K>.cpuprofile (default 0)
 *   --fields full|local    BENCH_FANOUT_FIELDS          local: select `appointment { id status }` only, so no event needs
 *                                                       accounts (separates the fan-out cost from the per-event entity fetch)
 *
 * Figures go to stdout and to bench/results/fanout-<timestamp>.json. Exit code 1 if no run held.
 */
import os from "node:os";
import v8 from "node:v8";
import vm from "node:vm";
import { fork, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchBench } from "./lib/launcher.js";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { Session } from "node:inspector/promises";
import { graphql, startStack, type Stack } from "../tests/support/stack.js";
import {
  ClientPool,
  eventKey,
  wallNow,
  type OpenRequest,
  type OpenResult,
  type PoolCall,
  type PoolMethod,
  type PoolReply,
  type PoolReport,
  type ReportRequest,
  type UsageSample,
  type WaitResult,
} from "./fanout/clients.js";
import { readFlags } from "./lib/flags.js";
import { REPO, gitCommit, latencyStats, mapLimit, table, type LatencyStats } from "./lib/report.js";

// ---------------------------------------------------------------------------------------------------------------
// Options

interface Options {
  n: number[];
  identities: number[];
  rate: number;
  events: number;
  batch: number;
  clientProcs: number;
  patients: number;
  readyTimeout: number;
  drainTimeout: number;
  drainMax: number;
  p99Limit: number;
  continue: number;
  profile: number;
  fields: "full" | "local";
}

type Spec = { flag: string; env: string; fallback: string; list?: boolean; min: number; integer?: boolean };
const OPTION_SPEC: Record<Exclude<keyof Options, "fields">, Spec> = {
  n: { flag: "n", env: "BENCH_FANOUT_N", fallback: "100,1000,5000,10000", list: true, min: 1, integer: true },
  identities: { flag: "identities", env: "BENCH_FANOUT_IDENTITIES", fallback: "1", list: true, min: 1, integer: true },
  rate: { flag: "rate", env: "BENCH_FANOUT_RATE", fallback: "5", min: 0.01 },
  events: { flag: "events", env: "BENCH_FANOUT_EVENTS", fallback: "50", min: 2, integer: true },
  batch: { flag: "batch", env: "BENCH_FANOUT_BATCH", fallback: "250", min: 1, integer: true },
  clientProcs: { flag: "client-procs", env: "BENCH_FANOUT_CLIENT_PROCS", fallback: "1", min: 0, integer: true },
  patients: { flag: "patients", env: "BENCH_FANOUT_PATIENTS", fallback: "10", min: 1, integer: true },
  readyTimeout: { flag: "ready-timeout", env: "BENCH_FANOUT_READY_TIMEOUT", fallback: "120", min: 1 },
  drainTimeout: { flag: "drain-timeout", env: "BENCH_FANOUT_DRAIN_TIMEOUT", fallback: "30", min: 1 },
  drainMax: { flag: "drain-max", env: "BENCH_FANOUT_DRAIN_MAX", fallback: "600", min: 1 },
  p99Limit: { flag: "p99-limit", env: "BENCH_FANOUT_P99_LIMIT", fallback: "2000", min: 1 },
  continue: { flag: "continue", env: "BENCH_FANOUT_CONTINUE", fallback: "0", min: 0, integer: true },
  profile: { flag: "profile", env: "BENCH_FANOUT_PROFILE", fallback: "0", min: 0, integer: true },
};

function usage(): string {
  const lines = Object.values(OPTION_SPEC).map((o) => `  --${o.flag.padEnd(15)} ${o.env.padEnd(28)} default ${o.fallback}`);
  lines.push(`  --${"fields".padEnd(15)} ${"BENCH_FANOUT_FIELDS".padEnd(28)} default full (local: no patient { name }, nothing from accounts)`);
  return ["Usage: pnpm bench:fanout [--flag value ...]   (or the environment variables)", ...lines].join("\n");
}

function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options {
  const flags = readFlags(argv, [...Object.values(OPTION_SPEC).map((o) => o.flag), "fields"], usage);

  const options = {} as Record<string, number | number[] | string>;
  for (const [key, spec] of Object.entries(OPTION_SPEC) as [Exclude<keyof Options, "fields">, Spec][]) {
    const raw = flags.get(spec.flag) ?? env[spec.env] ?? "";
    const text = raw.trim() === "" ? spec.fallback : raw;
    const values = (spec.list ? text.split(",") : [text]).map((part) => Number(part.trim().replace(/_/g, "")));
    for (const value of values)
      if (!Number.isFinite(value) || value < spec.min || (spec.integer && !Number.isInteger(value)))
        throw new Error(`--${spec.flag} / ${spec.env} must be ${spec.integer ? "integers" : "numbers"} ≥ ${spec.min}, got "${text}"`);
    options[key] = spec.list ? [...new Set(values)].sort((a, b) => a - b) : values[0]!;
  }
  const fields = flags.get("fields") ?? env.BENCH_FANOUT_FIELDS ?? "full";
  if (fields !== "full" && fields !== "local") throw new Error(`--fields / BENCH_FANOUT_FIELDS must be "full" or "local", got "${fields}"`);
  options.fields = fields;
  return options as unknown as Options;
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const kb = (bytes: number) => Math.round(bytes / 1024);
const round1 = (n: number) => Math.round(n * 10) / 10;

/** A full GC (V8's own `gc`, exposed at run time) so that heap and RSS snapshots are comparable. */
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
function memoryAfterGc() {
  gc();
  gc();
  const memory = process.memoryUsage();
  return { rss: memory.rss, heapUsed: memory.heapUsed, external: memory.external };
}

/** The soft and hard "Max open files" of this process and how many descriptors it has open now (Linux). */
function fileDescriptors(): { soft: number; hard: number; open: number } {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith("Max open files"));
    const [soft, hard] = (line?.match(/\d+|unlimited/g) ?? []).map((v) => (v === "unlimited" ? Infinity : Number(v)));
    return { soft: soft ?? NaN, hard: hard ?? NaN, open: readdirSync("/proc/self/fd").length };
  } catch {
    return { soft: NaN, hard: NaN, open: NaN };
  }
}

const RESULTS_DIR = path.join(REPO, "bench", "results");
const RUN_STAMP = new Date().toISOString().replace(/[:.]/g, "-");

// ---------------------------------------------------------------------------------------------------------------
// Router metrics (/metrics): connections, upstream subscriptions, requests to each subgraph

interface RouterGauges {
  wsConnections: number | null;
  upstreamSubscriptions: number | null;
  accountsRequests: number | null;
  schedulingRequests: number | null;
}

async function routerGauges(routerUrl: string): Promise<RouterGauges> {
  const metric = (text: string, name: string) => {
    const match = new RegExp(`^${name.replace(/[{}"]/g, (c) => `\\${c}`)} ([0-9.e+]+)$`, "m").exec(text);
    return match ? Number(match[1]) : null;
  };
  try {
    const text = await (await fetch(routerUrl.replace(/\/graphql$/, "/metrics"))).text();
    return {
      wsConnections: metric(text, "clinigraph_router_ws_connections"),
      upstreamSubscriptions: metric(text, "clinigraph_router_upstream_subscriptions"),
      accountsRequests: metric(text, 'clinigraph_router_subgraph_requests_total{subgraph="accounts"}') ?? 0,
      schedulingRequests: metric(text, 'clinigraph_router_subgraph_requests_total{subgraph="scheduling"}') ?? 0,
    };
  } catch {
    return { wsConnections: null, upstreamSubscriptions: null, accountsRequests: null, schedulingRequests: null };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Subscriber pools: in this process or in child processes

interface Pool {
  readonly pid: number;
  opened: number;
  open(request: OpenRequest): Promise<OpenResult>;
  waitFor(keys: readonly string[], idleMs: number, maxMs: number, mode?: "all" | "any"): Promise<WaitResult>;
  mark(): Promise<void>;
  usage(): Promise<UsageSample>;
  report(request: ReportRequest): Promise<PoolReport>;
  close(): Promise<void>;
  kill(): void;
}

function inlinePool(): Pool {
  const pool: Pool = {
    pid: process.pid,
    opened: 0,
    open: (request) => local.open(request),
    waitFor: (keys, idleMs, maxMs, mode) => local.waitFor(keys, idleMs, maxMs, mode),
    mark: async () => local.mark(),
    usage: async () => local.usage(),
    report: async (request) => local.report(request),
    close: () => local.close(),
    kill: () => void local.close(),
  };
  const local = new ClientPool((opened) => (pool.opened = opened));
  return pool;
}

async function childPool(): Promise<Pool> {
  const child: ChildProcess = fork(fileURLToPath(new URL("./fanout/worker.ts", import.meta.url)), [], {
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  let nextId = 0;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  const pool: Pool = {
    pid: child.pid ?? -1,
    opened: 0,
    open: (request) => call("open", request) as Promise<OpenResult>,
    waitFor: (keys, idleMs, maxMs, mode) => call("waitFor", keys, idleMs, maxMs, mode ?? "all") as Promise<WaitResult>,
    mark: async () => void (await call("mark")),
    usage: () => call("usage") as Promise<UsageSample>,
    report: (request) => call("report", request) as Promise<PoolReport>,
    close: async () => void (await call("close")),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    },
  };
  child.on("message", (reply: PoolReply) => {
    if ("progress" in reply) {
      pool.opened = reply.progress;
      return;
    }
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiter?.resolve(reply.value);
    else waiter?.reject(new Error(`client process ${child.pid}: ${reply.error}`));
  });
  child.on("exit", (code, signal) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`client process ${child.pid} exited (${code ?? signal})`));
    pending.clear();
  });
  function call(method: PoolMethod, ...args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const message: PoolCall = { id, method, args };
      child.send(message, (err) => {
        if (!err) return;
        pending.delete(id);
        reject(err);
      });
    });
  }
  return pool;
}

// ---------------------------------------------------------------------------------------------------------------
// The platform side: seeding, identities and the publisher

const LOGIN = `mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`;
const CREATE_DOCTOR = `mutation ($i: CreateDoctorInput!) { createDoctor(input: $i) { id } }`;
const SET_SCHEDULE = `mutation ($d: ID!, $r: [ScheduleRuleInput!]!) { setWeeklySchedule(doctorId: $d, rules: $r) { id } }`;
const REGISTER = `mutation ($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken user { id } } }`;
const CREATE_STAFF = `mutation ($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`;
const FREE_SLOTS = `query ($f: SlotFilter!, $n: Int) { availableSlots(filter: $f, first: $n) { id startsAt } }`;
const REQUEST = `mutation ($s: ID!) { requestAppointment(input: { slotId: $s, reason: "fan-out bench" }) {
  __typename ... on Appointment { id status } ... on SlotUnavailable { message } } }`;
const CANCEL = `mutation ($id: ID!) { cancelAppointment(id: $id, reason: "fan-out bench") { id status } }`;
/** What every subscriber runs: `full` needs accounts for every event (the patient's name), `local` only scheduling. */
const FEEDS = {
  full: `subscription ($d: ID!) { appointmentRequests(doctorId: $d) { cursor type appointment { id status patient { name } } } }`,
  local: `subscription ($d: ID!) { appointmentRequests(doctorId: $d) { cursor type appointment { id status } } }`,
} as const;

const PASSWORD = "Bench-password-1";
const WEEK = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
/** Access tokens live at most 15 minutes (accounts' cap); log in again when one is older than this. */
const TOKEN_REFRESH_MS = 10 * 60_000;

async function must<T>(url: string, what: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await graphql<T>(url, query, variables, token);
  if (res.errors?.length || !res.data) {
    const first = res.errors?.[0];
    throw new Error(`${what} failed (HTTP ${res.status}): ${first?.extensions?.code ?? ""} ${first?.message ?? "no data"}`);
  }
  return res.data;
}

class Account {
  token = "";
  private at = 0;
  constructor(
    private readonly url: string,
    readonly email: string,
    private readonly password: string,
    readonly id = "",
  ) {}

  async fresh(): Promise<string> {
    if (Date.now() - this.at > TOKEN_REFRESH_MS) {
      this.token = (
        await must<{ login: { accessToken: string } }>(this.url, `login ${this.email}`, LOGIN, { e: this.email, p: this.password })
      ).login.accessToken;
      this.at = Date.now();
    }
    return this.token;
  }
}

interface Seeded {
  doctorId: string;
  /** identities[0] is the doctor, [1] the bootstrap ADMIN, the rest extra ADMINs. */
  identities: Account[];
  patients: Account[];
  slots: string[];
}

async function seed(stack: Stack, options: Options, runId: string): Promise<Seeded> {
  const url = stack.routerUrl;
  const admin = new Account(url, stack.admin.email, stack.admin.password);
  const adminToken = await admin.fresh();
  const doctorEmail = `bench.fanout.dr.${runId}@example.test`;
  const created = await must<{ createDoctor: { id: string } }>(
    url,
    "createDoctor",
    CREATE_DOCTOR,
    {
      i: {
        email: doctorEmail,
        password: PASSWORD,
        name: "Dr. Fan Out",
        specialtyCode: "GP",
        timezone: "Europe/Berlin",
        serviceCodes: ["GP_CONSULT"],
        autoApprove: false,
      },
    },
    adminToken,
  );
  const doctorId = created.createDoctor.id;
  const rules = WEEK.map((dayOfWeek) => ({ dayOfWeek, startTime: "08:00", endTime: "20:00", slotMinutes: 30 }));
  await must(url, "setWeeklySchedule", SET_SCHEDULE, { d: doctorId, r: rules }, adminToken);
  const doctor = new Account(url, doctorEmail, PASSWORD, doctorId);

  const extraAdmins = Math.max(0, Math.max(...options.identities) - 2);
  const admins = await mapLimit(
    Array.from({ length: extraAdmins }, (_, i) => i),
    6,
    async (i) => {
      const email = `bench.fanout.admin${i}.${runId}@example.test`;
      await must(url, "createStaffUser", CREATE_STAFF, { i: { email, password: PASSWORD, name: `Bench Admin ${i + 2}`, role: "ADMIN" } }, adminToken);
      return new Account(url, email, PASSWORD);
    },
  );
  const patients = await mapLimit(
    Array.from({ length: options.patients }, (_, i) => i),
    6,
    async (i) => {
      const email = `bench.fanout.p${i}.${runId}@example.test`;
      const reply = await must<{ registerPatient: { user: { id: string } } }>(url, "registerPatient", REGISTER, {
        i: { email, password: PASSWORD, name: `Fanout Patient ${i + 1}` },
      });
      return new Account(url, email, PASSWORD, reply.registerPatient.user.id);
    },
  );
  const from = new Date(Date.now() + 2 * 3600_000);
  const to = new Date(from.getTime() + 55 * 24 * 3600_000);
  const { availableSlots } = await must<{ availableSlots: { id: string }[] }>(url, "availableSlots", FREE_SLOTS, {
    f: { doctorId, from: from.toISOString(), to: to.toISOString() },
    n: 500,
  });
  if (availableSlots.length < 20) throw new Error(`The doctor has only ${availableSlots.length} free slots`);
  return { doctorId, identities: [doctor, admin, ...admins], patients, slots: availableSlots.map((s) => s.id) };
}

interface PublishResult {
  /** Commit time (wall clock, when the mutation's HTTP response arrived) per event key. */
  commits: Record<string, number>;
  /** When the mutation was sent (wall clock), per event key. */
  sent: Record<string, number>;
  attempted: number;
  requests: number;
  cancels: number;
  errors: number;
  errorSamples: string[];
  mutationMs: LatencyStats;
  wallMs: number;
  achievedRate: number;
}

/** Patients take turns: request a free slot, then cancel that appointment (which frees the slot again). */
class Publisher {
  private slot = 0;
  private turn = 0;
  constructor(
    private readonly url: string,
    private readonly seeded: Seeded,
  ) {}

  private nextPatient() {
    return this.seeded.patients[this.turn++ % this.seeded.patients.length]!;
  }

  /** One REQUESTED event; resolves with the appointment or the reason it failed. */
  private async request(patient: Account, out: PublishResult, samples: number[]) {
    const slotId = this.seeded.slots[this.slot++ % this.seeded.slots.length]!;
    try {
      const token = await patient.fresh();
      const [started, sentAt] = [performance.now(), wallNow()];
      const res = await graphql<{ requestAppointment: { __typename: string; id?: string; message?: string } }>(this.url, REQUEST, { s: slotId }, token);
      const committed = wallNow();
      samples.push(performance.now() - started);
      const result = res.data?.requestAppointment;
      if (result?.__typename === "Appointment" && result.id) {
        out.commits[eventKey("REQUESTED", result.id)] = committed;
        out.sent[eventKey("REQUESTED", result.id)] = sentAt;
        out.requests++;
        return result.id;
      }
      throw new Error(result?.message ?? `${res.errors?.[0]?.extensions?.code ?? ""} ${res.errors?.[0]?.message ?? "no data"}`);
    } catch (err) {
      out.errors++;
      if (out.errorSamples.length < 5) out.errorSamples.push(`requestAppointment: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  }

  private async cancel(patient: Account, appointmentId: string, out: PublishResult, samples: number[]) {
    try {
      const token = await patient.fresh();
      const [started, sentAt] = [performance.now(), wallNow()];
      const res = await graphql<{ cancelAppointment: { status: string } }>(this.url, CANCEL, { id: appointmentId }, token);
      const committed = wallNow();
      samples.push(performance.now() - started);
      if (res.data?.cancelAppointment.status !== "CANCELLED")
        throw new Error(`${res.errors?.[0]?.extensions?.code ?? ""} ${res.errors?.[0]?.message ?? JSON.stringify(res.data)}`);
      out.commits[eventKey("CANCELLED", appointmentId)] = committed;
      out.sent[eventKey("CANCELLED", appointmentId)] = sentAt;
      out.cancels++;
    } catch (err) {
      out.errors++;
      if (out.errorSamples.length < 5) out.errorSamples.push(`cancelAppointment: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * `count` events at `rate` per second, open loop: event k is sent at start + k / rate whatever happened to the
   * earlier ones; an odd event (cancel) also waits for the response of the request it cancels.
   */
  async steady(count: number, rate: number): Promise<PublishResult> {
    const out: PublishResult = {
      commits: {},
      sent: {},
      attempted: count,
      requests: 0,
      cancels: 0,
      errors: 0,
      errorSamples: [],
      mutationMs: latencyStats([]),
      wallMs: 0,
      achievedRate: 0,
    };
    const samples: number[] = [];
    const tasks: Promise<unknown>[] = [];
    const started = performance.now();
    let requested: Promise<string | null> = Promise.resolve(null);
    let patient = this.seeded.patients[0]!;
    for (let k = 0; k < count; k++) {
      const wait = started + (k * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      if (k % 2 === 0) {
        patient = this.nextPatient();
        requested = this.request(patient, out, samples);
        tasks.push(requested);
      } else {
        const [who, pending] = [patient, requested];
        tasks.push(pending.then((id) => (id ? this.cancel(who, id, out, samples) : undefined)));
      }
    }
    const sent = performance.now() - started;
    await Promise.all(tasks);
    out.wallMs = Math.round(performance.now() - started);
    out.achievedRate = round1(count > 1 ? ((count - 1) * 1000) / sent : count);
    out.mutationMs = latencyStats(samples);
    return out;
  }

  /** A request and its cancel, one after the other (warm-up); returns their event keys. */
  async pair(): Promise<string[]> {
    const result = await this.steady(2, 1000);
    if (result.errors) throw new Error(`warm-up events failed: ${result.errorSamples.join("; ")}`);
    return Object.keys(result.commits);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One run: N subscribers, K identities

interface RunResult {
  subscribers: number;
  identities: number;
  skipped?: string;
  connected: number;
  connectFailures: string[];
  rampMs: number;
  ready: number;
  readyMs: number;
  /** Probe pairs published until every subscriber was live. */
  probes: number;
  routerGaugesOpen: RouterGauges;
  routerGaugesAfterClose: RouterGauges;
  memory: {
    process: "router + subgraphs + publisher" | "router + subgraphs + publisher + subscribers";
    rssBeforeMb: number;
    rssAfterMb: number;
    heapBeforeMb: number;
    heapAfterMb: number;
    rssPerConnectionKb: number;
    heapPerConnectionKb: number;
    clientRssMb: number;
  };
  publish: Omit<PublishResult, "commits" | "sent">;
  expectedDeliveries: number;
  deliveries: number;
  /** receipt − commit (the mutation's HTTP response arrived at the publisher). */
  latencyMs: LatencyStats;
  /** receipt − the moment the mutation was sent: an upper bound, includes the mutation's own latency. */
  latencyFromSendMs: LatencyStats;
  lost: number;
  subscribersWithLoss: number;
  duplicates: number;
  outOfOrder: number;
  unexpected: number;
  resultsWithErrors: number;
  endedEarly: number;
  subscriberErrorSamples: string[];
  drain: { timedOut: boolean; lastEventToLastDeliveryMs: number };
  cpu: {
    serverPct: number;
    clientPct: number;
    /** CPU time of the router's process per delivery while publishing (router, subgraphs, publisher). */
    serverMsPerDelivery: number;
    serverEventLoopUtilization: number;
    clientEventLoopUtilization: number;
    serverLoopDelayP99Ms: number;
  };
  accountsRequestsPerEvent: number;
  schedulingRequestsPerEvent: number;
  loadAverage: number;
  holds: boolean;
  why: string[];
  warnings: string[];
}

/** A V8 CPU profile of this process (router, subgraphs, publisher); `stop` writes it next to the results. */
async function startProfiler() {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 500 });
  await session.post("Profiler.start");
  return {
    async stop(name: string): Promise<string> {
      const { profile } = await session.post("Profiler.stop");
      session.disconnect();
      await ensureResultsDir();
      const file = path.join(RESULTS_DIR, `fanout-${RUN_STAMP}-${name}.cpuprofile`);
      await writeFile(file, JSON.stringify(profile));
      return path.relative(process.cwd(), file);
    },
  };
}

/** While warming up: publish another probe when no subscriber has received anything for this long. */
const PROBE_IDLE_MS = 2_000;

interface Context {
  stack: Stack;
  options: Options;
  seeded: Seeded;
  publisher: Publisher;
  pools: Pool[];
}

async function waitAll(pools: readonly Pool[], keys: readonly string[], idleMs: number, maxMs: number, mode: "all" | "any" = "all"): Promise<WaitResult> {
  const results = await Promise.all(pools.map((pool) => pool.waitFor(keys, idleMs, maxMs, mode)));
  return {
    complete: results.reduce((sum, r) => sum + r.complete, 0),
    subscribers: results.reduce((sum, r) => sum + r.subscribers, 0),
    timedOut: results.some((r) => r.timedOut),
    ms: Math.max(...results.map((r) => r.ms)),
    lastReceipt: Math.max(...results.map((r) => (Number.isNaN(r.lastReceipt) ? -Infinity : r.lastReceipt))),
  };
}

async function runOnce(ctx: Context, n: number, k: number): Promise<RunResult> {
  const { stack, options, seeded, publisher, pools } = ctx;
  const tokens = await Promise.all(seeded.identities.slice(0, k).map((account) => account.fresh()));
  const memoryBefore = memoryAfterGc();

  // 1. Ramp up: every pool opens its share in batches.
  const shares = pools.map((_, p) => Array.from({ length: n }, (_, i) => i).filter((i) => i % pools.length === p));
  pools.forEach((pool) => (pool.opened = 0));
  const progress = setInterval(() => console.log(`    … ${pools.reduce((sum, pool) => sum + pool.opened, 0)}/${n} connected`), 5_000);
  let opened: OpenResult[];
  const rampStarted = performance.now();
  try {
    opened = await Promise.all(
      pools.map((pool, p) =>
        pool.open({
          wsUrl: stack.routerUrl.replace(/^http/, "ws"),
          query: FEEDS[options.fields],
          variables: { d: seeded.doctorId },
          tokens: shares[p]!.map((i) => tokens[i % k]!),
          batchSize: Math.max(1, Math.ceil(options.batch / pools.length)),
          connectTimeoutMs: 60_000,
        }),
      ),
    );
  } finally {
    clearInterval(progress);
  }
  const rampMs = performance.now() - rampStarted;
  const connected = opened.reduce((sum, o) => sum + o.connected, 0);
  console.log(`    ${connected}/${n} connected in ${(rampMs / 1000).toFixed(1)} s; warm-up event…`);

  // 2. Warm-up. graphql-ws does not acknowledge a subscription, and an event committed before the router's upstream
  //    subscription is live is not delivered (a client without `since` starts from "now"). So probes — a request and
  //    its cancel — are published until every subscriber has received at least one of them, i.e. is live end to end.
  const readyStarted = performance.now();
  const warmKeys: string[] = [];
  let ready: WaitResult;
  let probes = 0;
  do {
    warmKeys.push(...(await publisher.pair()));
    probes++;
    ready = await waitAll(pools, warmKeys, PROBE_IDLE_MS, options.readyTimeout * 1000, "any");
  } while (ready.complete < n && performance.now() - readyStarted < options.readyTimeout * 1000);
  const readyMs = performance.now() - readyStarted;
  await sleep(500);
  const memoryAfter = memoryAfterGc();
  const gaugesOpen = await routerGauges(stack.routerUrl);
  console.log(
    `    ${ready.complete}/${n} live (got a probe event) after ${probes} probe(s), ${(readyMs / 1000).toFixed(1)} s; upstream subscriptions: ${gaugesOpen.upstreamSubscriptions ?? "?"}; publishing ${options.events} events at ${options.rate}/s…`,
  );

  // 3. Steady events, then wait for every delivery.
  await Promise.all(pools.map((pool) => pool.mark()));
  const cpuMark = process.cpuUsage();
  const eluMark = performance.eventLoopUtilization();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const loadAverage = round1(os.loadavg()[0]!);
  const profiler = options.profile ? await startProfiler() : null;
  const phaseStarted = performance.now();
  const published = await publisher.steady(options.events, options.rate);
  const expectedKeys = Object.keys(published.commits);
  const drained = await waitAll(pools, expectedKeys, options.drainTimeout * 1000, options.drainMax * 1000);
  const phaseMs = performance.now() - phaseStarted;
  if (profiler) console.log(`    CPU profile: ${await profiler.stop(`n${n}-k${k}`)}`);
  loopDelay.disable();
  const cpu = process.cpuUsage(cpuMark);
  const elu = performance.eventLoopUtilization(eluMark).utilization;
  const clientUsage = await Promise.all(pools.map((pool) => pool.usage()));
  const gaugesAfter = await routerGauges(stack.routerUrl);

  // 4. Per-subscriber accounting.
  const reports = await Promise.all(pools.map((pool) => pool.report({ commits: published.commits, sent: published.sent, ignore: warmKeys })));
  const concat = (pick: (r: PoolReport) => Float64Array) => {
    const all = new Float64Array(reports.reduce((total, r) => total + pick(r).length, 0));
    let offset = 0;
    for (const r of reports) {
      all.set(pick(r), offset);
      offset += pick(r).length;
    }
    return all;
  };
  const latencies = concat((r) => r.latencies);
  const latenciesFromSend = concat((r) => r.latenciesFromSend);
  const sum = (pick: (r: PoolReport) => number) => reports.reduce((total, r) => total + pick(r), 0);
  const lastCommit = Math.max(...Object.values(published.commits));

  // 5. Close every client; the router must end up with no connection and no upstream subscription.
  await Promise.all(pools.map((pool) => pool.close()));
  let gaugesClosed = await routerGauges(stack.routerUrl);
  for (let i = 0; i < 100 && ((gaugesClosed.wsConnections ?? 0) > 0 || (gaugesClosed.upstreamSubscriptions ?? 0) > 0); i++) {
    await sleep(200);
    gaugesClosed = await routerGauges(stack.routerUrl);
  }

  const eventsCount = expectedKeys.length || 1;
  const delta = (after: number | null, before: number | null) => (after === null || before === null ? NaN : round1((after - before) / eventsCount));
  const result: RunResult = {
    subscribers: n,
    identities: k,
    connected,
    connectFailures: opened.flatMap((o) => o.failureSamples).slice(0, 5),
    rampMs: Math.round(rampMs),
    ready: ready.complete,
    readyMs: Math.round(readyMs),
    probes,
    routerGaugesOpen: gaugesOpen,
    routerGaugesAfterClose: gaugesClosed,
    memory: {
      process: options.clientProcs === 0 ? "router + subgraphs + publisher + subscribers" : "router + subgraphs + publisher",
      rssBeforeMb: mb(memoryBefore.rss),
      rssAfterMb: mb(memoryAfter.rss),
      heapBeforeMb: mb(memoryBefore.heapUsed),
      heapAfterMb: mb(memoryAfter.heapUsed),
      rssPerConnectionKb: round1(kb(memoryAfter.rss - memoryBefore.rss) / Math.max(1, connected)),
      heapPerConnectionKb: round1(kb(memoryAfter.heapUsed - memoryBefore.heapUsed) / Math.max(1, connected)),
      clientRssMb: options.clientProcs === 0 ? 0 : clientUsage.reduce((total, u) => total + mb(u.rssBytes), 0),
    },
    publish: (({ commits: _commits, sent: _sent, ...rest }) => rest)(published),
    expectedDeliveries: expectedKeys.length * n,
    deliveries: latencies.length,
    latencyMs: latencyStats(latencies),
    latencyFromSendMs: latencyStats(latenciesFromSend),
    lost: sum((r) => r.lost) + (n - sum((r) => r.subscribers)) * expectedKeys.length,
    subscribersWithLoss: sum((r) => r.subscribersWithLoss),
    duplicates: sum((r) => r.duplicates),
    outOfOrder: sum((r) => r.outOfOrder),
    unexpected: sum((r) => r.unexpected),
    resultsWithErrors: sum((r) => r.resultsWithErrors),
    endedEarly: sum((r) => r.endedEarly),
    subscriberErrorSamples: reports.flatMap((r) => r.errorSamples).slice(0, 5),
    drain: {
      timedOut: drained.timedOut,
      lastEventToLastDeliveryMs: Number.isFinite(drained.lastReceipt) && Number.isFinite(lastCommit) ? Math.round(drained.lastReceipt - lastCommit) : NaN,
    },
    cpu: {
      serverPct: Math.round(((cpu.user + cpu.system) / 1000 / phaseMs) * 100),
      clientPct: options.clientProcs === 0 ? 0 : Math.round((clientUsage.reduce((total, u) => total + u.cpuMs, 0) / phaseMs) * 100),
      serverMsPerDelivery: Math.round(((cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length)) * 100) / 100,
      serverEventLoopUtilization: Math.round(elu * 100) / 100,
      clientEventLoopUtilization: options.clientProcs === 0 ? 0 : Math.round(Math.max(...clientUsage.map((u) => u.eventLoopUtilization)) * 100) / 100,
      serverLoopDelayP99Ms: round1(loopDelay.percentile(99) / 1e6),
    },
    accountsRequestsPerEvent: delta(gaugesAfter.accountsRequests, gaugesOpen.accountsRequests),
    schedulingRequestsPerEvent: delta(gaugesAfter.schedulingRequests, gaugesOpen.schedulingRequests),
    loadAverage,
    holds: false,
    why: [],
    warnings: [],
  };
  const why: string[] = [];
  if (connected < n) why.push(`${n - connected} connections failed`);
  if (ready.complete < n) why.push(`${n - ready.complete} subscriptions not live (no probe event) within ${options.readyTimeout} s`);
  if (result.lost)
    why.push(
      `${result.lost} deliveries lost: missing when deliveries had stopped for ${options.drainTimeout} s or after ${options.drainMax} s (${result.subscribersWithLoss} subscribers)`,
    );
  if (result.duplicates) why.push(`${result.duplicates} duplicates`);
  if (result.outOfOrder) why.push(`${result.outOfOrder} out of order`);
  if (result.unexpected) why.push(`${result.unexpected} unexpected events`);
  if (result.resultsWithErrors) why.push(`${result.resultsWithErrors} results with errors`);
  if (result.endedEarly) why.push(`${result.endedEarly} subscriptions ended early`);
  if (published.errors) why.push(`${published.errors} mutations failed`);
  if (!(result.latencyMs.p99 < options.p99Limit)) why.push(`p99 ${result.latencyMs.p99} ms ≥ ${options.p99Limit} ms`);
  // Not part of "holds", but a leak: the router must drop every connection and upstream once the clients are gone.
  const { wsConnections, upstreamSubscriptions } = gaugesClosed;
  if ((wsConnections ?? 0) > 0 || (upstreamSubscriptions ?? 0) > 0)
    result.warnings.push(
      `20 s after every client closed, the router still had ${wsConnections} connections and ${upstreamSubscriptions} upstream subscriptions`,
    );
  result.why = why;
  result.holds = why.length === 0;
  return result;
}

/** Below this RSS growth (or if RSS shrank) the per-connection figure is noise (allocator, earlier runs): in parentheses. */
const RSS_NOISE_MB = 16;
const rssPerConnection = (r: RunResult) =>
  r.memory.rssAfterMb - r.memory.rssBeforeMb < RSS_NOISE_MB ? `(${r.memory.rssPerConnectionKb})` : r.memory.rssPerConnectionKb;

function printRun(r: RunResult) {
  if (r.skipped) {
    console.log(`    skipped: ${r.skipped}`);
    return;
  }
  console.log(
    table(
      ["N", "ids", "upstr.", "conn.", "ready", "events", "ev/s", "deliveries", "lost", "dup", "p50 ms", "p95 ms", "p99 ms", "max ms", "p99 from send", "holds"],
      [
        [
          r.subscribers,
          r.identities,
          r.routerGaugesOpen.upstreamSubscriptions ?? "?",
          r.connected,
          r.ready,
          r.publish.requests + r.publish.cancels,
          r.publish.achievedRate,
          `${r.deliveries}/${r.expectedDeliveries}`,
          r.lost,
          r.duplicates,
          r.latencyMs.p50,
          r.latencyMs.p95,
          r.latencyMs.p99,
          r.latencyMs.max,
          r.latencyFromSendMs.p99,
          r.holds ? "yes" : "NO",
        ],
      ],
    ),
  );
  console.log(
    table(
      [
        "ramp s",
        "RSS MB before→after",
        "RSS KB/conn",
        "heap KB/conn",
        "client RSS MB",
        "srv CPU %",
        "srv CPU ms/deliv.",
        "cli CPU %",
        "srv ELU",
        "loop p99 ms",
        "acct req/ev",
        "drain ms",
        "mutation p50/p99 ms",
      ],
      [
        [
          round1(r.rampMs / 1000),
          `${r.memory.rssBeforeMb}→${r.memory.rssAfterMb}`,
          rssPerConnection(r),
          r.memory.heapPerConnectionKb,
          r.memory.clientRssMb,
          r.cpu.serverPct,
          r.cpu.serverMsPerDelivery,
          r.cpu.clientPct,
          r.cpu.serverEventLoopUtilization,
          r.cpu.serverLoopDelayP99Ms,
          r.accountsRequestsPerEvent,
          r.drain.lastEventToLastDeliveryMs,
          `${r.publish.mutationMs.p50}/${r.publish.mutationMs.p99}`,
        ],
      ],
    ),
  );
  if (!r.holds) console.log(`    does not hold: ${r.why.join("; ")}`);
  for (const warning of r.warnings) console.log(`    warning: ${warning}`);
  for (const sample of [...r.connectFailures, ...r.subscriberErrorSamples, ...r.publish.errorSamples]) console.log(`    e.g. ${sample}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Main

let starting: Promise<Stack> | undefined;
const pools: Pool[] = [];
let stopping: Promise<void> | undefined;
const ownSignalHandlers = new Set<(signal: NodeJS.Signals) => void>();

/**
 * Apollo Server registers SIGINT/SIGTERM handlers of its own in every server it starts (`stopOnTerminationSignals`
 * defaults to true unless NODE_ENV=test): on Ctrl-C each would call its `stop()` while `stack.stop()` calls it too, and
 * in @apollo/server 5.5.1 a concurrent second `stop()` never resolves (the barrier is only resolved on error), so the
 * cleanup would hang for good. The bench owns this process's signals: drop every handler but its own.
 */
function dropForeignSignalHandlers() {
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    for (const listener of process.listeners(signal))
      if (!ownSignalHandlers.has(listener as (signal: NodeJS.Signals) => void)) process.removeListener(signal, listener);
}

/** Closes the subscribers and stops the stack (dropping its database) once, whatever state the run is in. */
function shutdown(): Promise<void> {
  return (stopping ??= (async () => {
    dropForeignSignalHandlers();
    await Promise.all(pools.map((pool) => Promise.race([pool.close().catch(() => undefined), sleep(10_000)])));
    for (const pool of pools) pool.kill();
    const stack = await starting?.catch(() => undefined);
    if (!stack) return;
    try {
      await stack.stop();
    } catch (err) {
      console.error("stopping the stack failed (its database may be left behind):", err);
    }
  })());
}

async function ensureResultsDir() {
  await mkdir(RESULTS_DIR, { recursive: true });
  const ignore = path.join(RESULTS_DIR, ".gitignore");
  if (!(await stat(ignore).catch(() => null))) await writeFile(ignore, "*\n!.gitignore\n");
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const runId = Date.now().toString(36);
  const startedAt = new Date();
  console.log(`Fan-out benchmark — ${JSON.stringify(options)}`);
  console.log(`Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, ${mb(os.totalmem())} MB RAM, load ${os.loadavg()[0]!.toFixed(2)}`);

  // File descriptors: every connection is one socket on the router's side and one on the subscriber's side.
  const fds = fileDescriptors();
  const margin = 500;
  const maxN =
    options.clientProcs === 0
      ? Math.floor((fds.soft - fds.open - margin) / 2)
      : Math.min(fds.soft - fds.open - margin, (fds.soft - 100 - margin) * options.clientProcs);
  console.log(
    `Open files limit (ulimit -n): soft ${fds.soft}, hard ${fds.hard}, ${fds.open} open now → at most ${maxN} subscribers ` +
      (options.clientProcs === 0 ? "(2 sockets per subscriber in this process)" : `(1 socket per subscriber here, ${options.clientProcs} client process(es))`),
  );

  const bootStarted = performance.now();
  starting = startStack({
    env: { BOOKING_MIN_NOTICE_MINUTES: "0", BOOKING_MAX_PER_PATIENT_DOCTOR_DAY: "20", ACCESS_TOKEN_TTL_SECONDS: "900" },
  });
  const stack = await starting;
  dropForeignSignalHandlers();
  console.log(`Stack up in ${((performance.now() - bootStarted) / 1000).toFixed(1)} s: ${stack.routerUrl}`);

  const results: RunResult[] = [];
  let seeded: Seeded | undefined;
  try {
    const seedStarted = performance.now();
    seeded = await seed(stack, options, runId);
    console.log(
      `Seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s: doctor ${seeded.doctorId}, ${seeded.patients.length} patients, ` +
        `${seeded.identities.length} identities, ${seeded.slots.length} free slots to take turns on`,
    );
    if (options.clientProcs === 0) pools.push(inlinePool());
    else for (let i = 0; i < options.clientProcs; i++) pools.push(await childPool());
    const ctx: Context = { stack, options, seeded, publisher: new Publisher(stack.routerUrl, seeded), pools };

    let failed = false;
    for (const k of options.identities) {
      if (failed) break;
      for (const n of options.n) {
        console.log(`\n=== ${n} subscribers, ${k} ${k === 1 ? "identity (one shared upstream)" : "identities"}`);
        if (n > maxN) {
          const skipped = { subscribers: n, identities: k, skipped: `open files limit (${fds.soft}) allows at most ${maxN} subscribers`, holds: false };
          console.log(`    skipped: ${skipped.skipped}`);
          results.push(skipped as RunResult);
          continue;
        }
        let result: RunResult;
        try {
          result = await runOnce(ctx, n, k);
        } catch (err) {
          // Keep the figures so far; the pools may be unusable now, so stop here.
          console.error(err);
          results.push({ subscribers: n, identities: k, skipped: `failed: ${err instanceof Error ? err.message : String(err)}`, holds: false } as RunResult);
          failed = true;
          break;
        }
        results.push(result);
        printRun(result);
        if (!result.holds && !options.continue) {
          console.log("    (larger N not tried: --continue 1 tries them anyway)");
          break;
        }
      }
    }
  } finally {
    await shutdown();
  }

  const ran = results.filter((r) => !r.skipped);
  const largest = Object.fromEntries(
    options.identities.map((k) => [k, Math.max(0, ...ran.filter((r) => r.identities === k && r.holds).map((r) => r.subscribers))]),
  );
  console.log(`\n=== Summary (rate ${options.rate}/s, ${options.events} events per run, p99 limit ${options.p99Limit} ms, fields ${options.fields})`);
  console.log(
    table(
      ["N", "ids", "upstr.", "lost", "dup", "p50 ms", "p99 ms", "max ms", "p99 from send", "RSS KB/conn", "heap KB/conn", "srv CPU %", "acct req/ev", "holds"],
      results.map((r) =>
        r.skipped
          ? [r.subscribers, r.identities, ...Array<string>(11).fill("-"), "skipped"]
          : [
              r.subscribers,
              r.identities,
              r.routerGaugesOpen.upstreamSubscriptions ?? "?",
              r.lost,
              r.duplicates,
              r.latencyMs.p50,
              r.latencyMs.p99,
              r.latencyMs.max,
              r.latencyFromSendMs.p99,
              rssPerConnection(r),
              r.memory.heapPerConnectionKb,
              r.cpu.serverPct,
              r.accountsRequestsPerEvent,
              r.holds ? "yes" : "NO",
            ],
      ),
    ),
  );
  for (const [k, n] of Object.entries(largest)) console.log(`  largest N that holds with ${k} identit${k === "1" ? "y" : "ies"}: ${n || "none"}`);

  await ensureResultsDir();
  const file = path.join(RESULTS_DIR, `fanout-${RUN_STAMP}.json`);
  await writeFile(
    file,
    JSON.stringify(
      {
        benchmark: "fanout",
        startedAt: startedAt.toISOString(),
        commit: gitCommit(),
        machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, totalMemMb: mb(os.totalmem()) },
        fileDescriptors: { ...fds, maxSubscribers: maxN },
        options,
        operation: FEEDS[options.fields],
        largestHoldingN: largest,
        runs: results,
      },
      null,
      2,
    ),
  );
  console.log(`\nResults: ${path.relative(process.cwd(), file)}`);
  return Object.values(largest).some((n) => n > 0) ? 0 : 1;
}

/**
 * Ctrl-C safety. `tsx` (the package script) relays a signal to its child and SIGKILLs it if the child's event loop has
 * not acknowledged the signal within about 60 ms — which a saturated router process never does, so the database and
 * Redis keys would be left behind. Hence two processes: this launcher, idle and always quick to answer, and the
 * runner (the same file, `FANOUT_RUNNER=1`) in its own process group, which gets SIGINT from the launcher only and
 * then closes the subscribers and stops the stack at its own pace. A second Ctrl-C while it cleans up is ignored.
 */
const RUNNER_ENV = "CLINIGRAPH_BENCH_FANOUT_RUNNER";

launchBench({
  script: fileURLToPath(import.meta.url),
  runnerEnv: RUNNER_ENV,
  checkOptions: () => parseOptions(process.argv.slice(2), process.env),
  main,
  shutdown,
  stopping: "closing the subscribers, stopping the stack and dropping the bench database",
  onSignalHandler: (handler) => ownSignalHandlers.add(handler),
});
