/**
 * Subscription fan-out benchmark (`pnpm bench:fanout`): N concurrent graphql-ws subscribers on one doctor's live feed
 * (or, `--feeds own`, each identity on its own feed) through the router, events published at a steady rate, delivery
 * checked per subscriber.
 *
 *   1. Starts the platform. By default as a deployment runs it (`bench/lib/processStack.ts`: a fresh database, one
 *      child process per subgraph, NODE_ENV=production) with R router processes (`--router-procs`, a list: one fresh
 *      platform per R), each its own child on its own port, otherwise alike (same subgraphs, secrets, Redis
 *      namespace) — router replicas. `--in-process 1` starts the whole platform in this process instead
 *      (`tests/support/stack.ts`: accounts, doctors, scheduling, … and one router), as the bench always did. Events
 *      and live feeds are on Redis either way. Then seeds through the (first) router: one doctor (autoApprove false,
 *      7 days × 08:00–20:00 in 30-minute slots), a few patients and, for `--identities K`, K−2 extra ADMIN users.
 *   2. For each K in `--identities` and each N in `--n` (ascending): opens N graphql-ws connections, in batches, one
 *      WebSocket each, every one subscribed to
 *      `appointmentRequests(doctorId) { cursor type appointment { id status patient { name } } }` (the patient's name
 *      comes from accounts, per event, through the query plan). Subscriber i connects to router process i mod R (the
 *      round robin of a load balancer in front of replicas) and authenticates as identity i mod K: identity 0 is the
 *      doctor, 1 the bootstrap ADMIN, the rest extra ADMINs. With K = 1 every client has the same identity and
 *      operation, so each router process holds ONE upstream subscription and fans out itself.
 *
 *      `--feeds own` (K ≥ 2): every identity watches its own feed. Seeding makes D = ceil(K/2) doctors (each with the
 *      schedule above) and P = K − D patients for the largest K (a smaller K takes the first D and P of them);
 *      identities 0…D−1 are the doctors, each on `appointmentRequests(doctorId: <own id>)` (the selection above),
 *      D…K−1 the patients, each on `myAppointmentUpdates { cursor type appointment { id status } }`. The publisher's
 *      turn t is doctor t mod D and patient t mod P, so each event reaches exactly two feeds, its doctor's and its
 *      patient's, and a subscriber expects exactly its own feed's events. A router holds one upstream operation per
 *      distinct identity among its subscribers, all on its ONE graphql-ws connection to scheduling.
 *   3. Warm-up: probe events (a request + cancel; own feeds: a round covering every feed) are published until every
 *      subscriber has received one — that is how "subscribed" is known: graphql-ws has no subscribe acknowledgement,
 *      and an event committed before the router's upstream subscription is live is not delivered to a client that did
 *      not pass `since`. Then the router processes' RSS and heap are taken (after a GC; in-process: this process's)
 *      and compared with the same figures before the connections were opened.
 *   4. `--events` events at `--rate` per second, open loop: patients alternately request an appointment and cancel the
 *      one they requested (own feeds: turn t is doctor t mod D and patient t mod P), through the first router over
 *      HTTP. Each mutation's commit time is the moment its HTTP
 *      response arrived, keyed by event type + appointment id. Every subscriber records when it received each event.
 *   5. Waits until every subscriber has every event (or deliveries stop: `--drain-timeout`), then reports delivery
 *      latency (receipt − commit; also receipt − send, an upper bound that includes the mutation itself, which matters
 *      once the process is saturated and responses come late) p50/p95/p99/max over all deliveries, lost deliveries
 *      (expected − received, summed over subscribers), duplicates (a cursor or an event seen twice), out-of-order
 *      cursors, CPU per delivery (in-process: of this process; processes: of the router processes summed, and per
 *      router process and of the subgraph processes together; also per event), deliveries per event, the routers'
 *      upstream operations and connections, event-loop utilisation, and router requests to accounts per event (summed
 *      over the router processes). A run "holds" when every client connected and got the warm-up, lost = dup = 0,
 *      nothing out of order or in error, and p99 < `--p99-limit`, over all subscribers whatever router they used.
 *
 * The subscribers run in `--client-procs` child processes (`bench/fanout/worker.ts`, default 1) so that the RSS
 * measured in-process is the platform's process (router + subgraphs + the publisher; Postgres and Redis are separate
 * servers) and the file-descriptor limit applies to each side separately; `--client-procs 0` runs them in this
 * process as well.
 *
 * Options (flag or environment variable, flags win):
 *   --n LIST               BENCH_FANOUT_N               subscriber counts to try (default 100,1000,5000,10000)
 *   --identities LIST      BENCH_FANOUT_IDENTITIES      distinct identities among the subscribers (default 1)
 *   --router-procs LIST    BENCH_FANOUT_ROUTER_PROCS    router processes, a platform for each (default 1; process mode only)
 *   --in-process 0|1       BENCH_FANOUT_IN_PROCESS      1: the whole platform in this process, one router (default 0)
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
 *   --profile 0|1          BENCH_FANOUT_PROFILE         1: V8 CPU profile while publishing, per run, of each router process
 *                                                       (in-process: of this process), to
 *                                                       bench/results/fanout-<timestamp>-…-n<N>-k<K>….cpuprofile (default 0)
 *   --fields full|local    BENCH_FANOUT_FIELDS          local: select `appointment { id status }` only, so no event needs
 *                                                       accounts (separates the fan-out cost from the per-event entity fetch)
 *   --feeds shared|own     BENCH_FANOUT_FEEDS           own: every identity on its own feed, half doctors, half patients
 *                                                       (needs K ≥ 2; `--patients` is then unused) (default shared)
 *
 * Figures go to stdout and to bench/results/fanout-<timestamp>.json. Exit code 1 if no run held.
 */
import os from "node:os";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchBench } from "./lib/launcher.js";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import type { MemorySample, ProcessUsage } from "./lib/children.js";
import { startProcessStack, thisProcess, type MeasuredProcess } from "./lib/processStack.js";
import { eventKey, wallNow, type FeedOperation, type KeysByFeed, type OpenResult, type PoolReport, type WaitResult } from "./fanout/clients.js";
import { childPool, inlinePool, type Pool } from "./fanout/pool.js";
import { readFlags } from "./lib/flags.js";
import { REPO, gitCommit, latencyStats, mapLimit, table, type LatencyStats } from "./lib/report.js";

// ---------------------------------------------------------------------------------------------------------------
// Options

interface Options {
  n: number[];
  identities: number[];
  routerProcs: number[];
  inProcess: number;
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
  feeds: "shared" | "own";
}

type Spec = { flag: string; env: string; fallback: string; list?: boolean; min: number; max?: number; integer?: boolean };
const OPTION_SPEC: Record<Exclude<keyof Options, "fields" | "feeds">, Spec> = {
  n: { flag: "n", env: "BENCH_FANOUT_N", fallback: "100,1000,5000,10000", list: true, min: 1, integer: true },
  identities: { flag: "identities", env: "BENCH_FANOUT_IDENTITIES", fallback: "1", list: true, min: 1, integer: true },
  routerProcs: { flag: "router-procs", env: "BENCH_FANOUT_ROUTER_PROCS", fallback: "1", list: true, min: 1, max: 64, integer: true },
  inProcess: { flag: "in-process", env: "BENCH_FANOUT_IN_PROCESS", fallback: "0", min: 0, max: 1, integer: true },
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
  lines.push(`  --${"feeds".padEnd(15)} ${"BENCH_FANOUT_FEEDS".padEnd(28)} default shared (own: every identity its own feed, half doctors, half patients)`);
  return ["Usage: pnpm bench:fanout [--flag value ...]   (or the environment variables)", ...lines].join("\n");
}

function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options {
  const flags = readFlags(argv, [...Object.values(OPTION_SPEC).map((o) => o.flag), "fields", "feeds"], usage);

  const options = {} as Record<string, number | number[] | string>;
  for (const [key, spec] of Object.entries(OPTION_SPEC) as [Exclude<keyof Options, "fields" | "feeds">, Spec][]) {
    const raw = flags.get(spec.flag) ?? env[spec.env] ?? "";
    const text = raw.trim() === "" ? spec.fallback : raw;
    const values = (spec.list ? text.split(",") : [text]).map((part) => Number(part.trim().replace(/_/g, "")));
    for (const value of values)
      if (!Number.isFinite(value) || value < spec.min || value > (spec.max ?? Infinity) || (spec.integer && !Number.isInteger(value)))
        throw new Error(
          `--${spec.flag} / ${spec.env} must be ${spec.integer ? "integers" : "numbers"} ≥ ${spec.min}${spec.max === undefined ? "" : ` and ≤ ${spec.max}`}, got "${text}"`,
        );
    options[key] = spec.list ? [...new Set(values)].sort((a, b) => a - b) : values[0]!;
  }
  const fields = flags.get("fields") ?? env.BENCH_FANOUT_FIELDS ?? "full";
  if (fields !== "full" && fields !== "local") throw new Error(`--fields / BENCH_FANOUT_FIELDS must be "full" or "local", got "${fields}"`);
  options.fields = fields;
  const feeds = flags.get("feeds") ?? env.BENCH_FANOUT_FEEDS ?? "shared";
  if (feeds !== "shared" && feeds !== "own") throw new Error(`--feeds / BENCH_FANOUT_FEEDS must be "shared" or "own", got "${feeds}"`);
  options.feeds = feeds;
  if (feeds === "own" && (options.identities as number[]).some((k) => k < 2))
    throw new Error("--feeds own needs --identities / BENCH_FANOUT_IDENTITIES of at least 2 (a doctor and a patient)");
  if (options.inProcess && (options.routerProcs as number[]).some((r) => r !== 1))
    throw new Error("--router-procs / BENCH_FANOUT_ROUTER_PROCS above 1 needs process mode (--in-process 0): in-process there is one router");
  return options as unknown as Options;
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const kb = (bytes: number) => Math.round(bytes / 1024);
const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** A GraphQL call over HTTP, as a front end makes it. */
async function graphql<T>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphqlReply<T>> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as Omit<GraphqlReply<T>, "status">) };
}

interface GraphqlReply<T> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
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
  /** The router's own graphql-ws connections to subgraphs (one per subgraph with live operations). */
  upstreamConnections: number | null;
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
      upstreamConnections: metric(text, "clinigraph_router_upstream_connections"),
      accountsRequests: metric(text, 'clinigraph_router_subgraph_requests_total{subgraph="accounts"}') ?? 0,
      schedulingRequests: metric(text, 'clinigraph_router_subgraph_requests_total{subgraph="scheduling"}') ?? 0,
    };
  } catch {
    return { wsConnections: null, upstreamSubscriptions: null, upstreamConnections: null, accountsRequests: null, schedulingRequests: null };
  }
}

/** Every router process's gauges and their sum (a figure is null in the sum if any router could not tell). */
async function allRouterGauges(routerUrls: readonly string[]): Promise<{ total: RouterGauges; perRouter: RouterGauges[] }> {
  const perRouter = await Promise.all(routerUrls.map(routerGauges));
  const sum = (pick: (g: RouterGauges) => number | null) =>
    perRouter.reduce<number | null>((total, g) => (total === null || pick(g) === null ? null : total + pick(g)!), 0);
  return {
    total: {
      wsConnections: sum((g) => g.wsConnections),
      upstreamSubscriptions: sum((g) => g.upstreamSubscriptions),
      upstreamConnections: sum((g) => g.upstreamConnections),
      accountsRequests: sum((g) => g.accountsRequests),
      schedulingRequests: sum((g) => g.schedulingRequests),
    },
    perRouter,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The platform: one process per service with R router processes, or all in this process

/** Tokens outlive a run; bookings without notice and many per patient and day (the publisher's turns). */
const IN_PROCESS_ENV = { BOOKING_MIN_NOTICE_MINUTES: "0", BOOKING_MAX_PER_PATIENT_DOCTOR_DAY: "20", ACCESS_TOKEN_TTL_SECONDS: "900" };
/**
 * As IN_PROCESS_ENV, and the routers' per-caller rate limits off, as the in-process router has none: with K = 1 every
 * subscription of a run is one caller's operation (10,000 of them), far over the default 600 a minute.
 */
const PROCESS_ENV = { ...IN_PROCESS_ENV, RATE_LIMIT_PER_MINUTE: "0" };

interface Platform {
  mode: "processes" | "in-process";
  /** What runs where, for the log. */
  description: string;
  /** Where seeding and the publisher's mutations go: the first router. */
  routerUrl: string;
  /** Every router process's GraphQL endpoint; subscriber i connects to routerUrls[i mod R]. */
  routerUrls: readonly string[];
  admin: { email: string; password: string };
  /** Processes: the router processes; in-process: this process (router, subgraphs, publisher). */
  routers: readonly MeasuredProcess[];
  /** Processes: the subgraph processes; in-process: none (they are in this process). */
  subgraphs: readonly MeasuredProcess[];
  /** Stops the platform and drops its database, once (later calls answer the same promise). */
  stop(): Promise<void>;
}

/** The platform being run (one per R in process mode), for Ctrl-C and errors. */
let current: { stop(): Promise<void> } | undefined;

function once(stop: () => Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => (stopping ??= stop());
}

/** Starts the platform with `routerProcs` router processes, or (`--in-process 1`) in this process. */
function startPlatform(options: Options, routerProcs: number): Promise<Platform> {
  if (options.inProcess) {
    const starting = (async () => {
      // Loaded only here: it imports every subgraph and the router into this process.
      const { startStack } = await import("../tests/support/stack.js");
      return startStack({ env: IN_PROCESS_ENV });
    })();
    const stop = once(async () => (await starting.catch(() => undefined))?.stop());
    const platform = starting.then((stack): Platform => ({
      mode: "in-process",
      description: "in this process (tests/support/stack.ts): every subgraph, the router and the publisher on one event loop",
      routerUrl: stack.routerUrl,
      routerUrls: [stack.routerUrl],
      admin: stack.admin,
      routers: [thisProcess("in-process (platform + publisher)", "all")],
      subgraphs: [],
      stop,
    }));
    current = { stop };
    return platform;
  }
  const running = startProcessStack({ env: PROCESS_ENV, routers: routerProcs, log: (line) => console.log(line) });
  const stop = once(() => running.stop());
  const platform = running.started.then((stack): Platform => ({
    mode: "processes",
    description: `one process per service (NODE_ENV=production, CLINIGRAPH_PORT_BASE=${stack.portBase}), ${routerProcs} router process${routerProcs === 1 ? "" : "es"}`,
    routerUrl: stack.routerUrl,
    routerUrls: stack.routerUrls,
    admin: stack.admin,
    routers: stack.routers,
    subgraphs: stack.services.filter((service) => service.role === "subgraph"),
    stop,
  }));
  current = { stop };
  return platform;
}

// ---------------------------------------------------------------------------------------------------------------
// Seeding, identities and the publisher

const LOGIN = `mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`;
const CREATE_DOCTOR = `mutation ($i: CreateDoctorInput!) { createDoctor(input: $i) { id } }`;
const SET_SCHEDULE = `mutation ($d: ID!, $r: [ScheduleRuleInput!]!) { setWeeklySchedule(doctorId: $d, rules: $r) { id } }`;
const REGISTER = `mutation ($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken user { id } } }`;
const CREATE_STAFF = `mutation ($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`;
const FREE_SLOTS = `query ($f: SlotFilter!, $n: Int) { availableSlots(filter: $f, first: $n) { id startsAt } }`;
const REQUEST = `mutation ($s: ID!) { requestAppointment(input: { slotId: $s, reason: "fan-out bench" }) {
  __typename ... on Appointment { id status } ... on SlotUnavailable { message } } }`;
const CANCEL = `mutation ($id: ID!) { cancelAppointment(id: $id, reason: "fan-out bench") { id status } }`;
/** A doctor's feed: `full` needs accounts for every event (the patient's name), `local` only scheduling. */
const FEEDS = {
  full: `subscription ($d: ID!) { appointmentRequests(doctorId: $d) { cursor type appointment { id status patient { name } } } }`,
  local: `subscription ($d: ID!) { appointmentRequests(doctorId: $d) { cursor type appointment { id status } } }`,
} as const;
/** A patient's own feed (`--feeds own`): the same event, nothing from accounts whatever `--fields`. */
const PATIENT_FEED = `subscription { myAppointmentUpdates { cursor type appointment { id status } } }`;

const PASSWORD = "Bench-password-1";
const WEEK = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
/** Every doctor's week: every day 08:00–20:00 in 30-minute slots. */
const WEEKLY_RULES = WEEK.map((dayOfWeek) => ({ dayOfWeek, startTime: "08:00", endTime: "20:00", slotMinutes: 30 }));
/** Access tokens live at most 15 minutes (accounts' cap); log in again when one is older than this. */
const TOKEN_REFRESH_MS = 10 * 60_000;
/** Requests in flight while seeding (each user costs accounts an Argon2 hash) and while probing every feed. */
const SEED_PARALLELISM = 6;
/** Scheduling generates a doctor's slots from the DoctorScheduleChanged event: wait this long for them. */
const SLOTS_WAIT_MS = 60_000;
/** Fewer free slots than this and a doctor cannot take the publisher's turns. */
const MIN_SLOTS = 20;

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

  /** A token just issued (e.g. by registerPatient): no login needed until it is old. */
  adopt(token: string): this {
    this.token = token;
    this.at = Date.now();
    return this;
  }

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

interface SeededDoctor {
  id: string;
  account: Account;
  /** Free slots the publisher takes turns on (own feeds: one day after another, see `acrossDays`). */
  slots: string[];
  /** The next slot to take: an index into `slots`, modulo its length (it goes on across runs). */
  next: number;
}

interface Seeded {
  /** Shared feed: the one doctor; own feeds: the doctors for the largest K (ceil(K / 2)). */
  doctors: SeededDoctor[];
  /** Shared feed: the patients taking turns to publish (`--patients`); own feeds: the patients for the largest K (K − D). */
  patients: Account[];
  /** Shared feed: the bootstrap ADMIN, then the extra ADMINs (identities 1, 2, …); own feeds: none. */
  admins: Account[];
}

/** A publisher's turn: a patient requests a slot of a doctor and cancels it (indices into the cast's lists). */
interface Pair {
  doctor: number;
  patient: number;
}

/** Who subscribes to what and who publishes, for one K. */
interface Cast {
  /** identities[j]: what subscriber i authenticates as, for j = i mod K. */
  identities: Account[];
  /** The distinct feeds: shared, one; own, one per identity. */
  feeds: FeedOperation[];
  /** The feed identity j's subscribers watch (an index into `feeds`). */
  feedOf(identity: number): number;
  /** The doctors and patients of the publisher's events. */
  doctors: SeededDoctor[];
  patients: Account[];
  /** The feeds an event of this pair reaches (shared: the one; own: its doctor's and its patient's). */
  feedsOfEvent(pair: Pair): number[];
}

/** Own feeds: of K identities, D = ceil(K / 2) are doctors (identities 0…D−1) and the other K − D patients. */
const doctorsFor = (k: number) => Math.ceil(k / 2);

function castFor(seeded: Seeded, options: Options, k: number): Cast {
  if (options.feeds === "shared") {
    const doctor = seeded.doctors[0]!;
    return {
      identities: [doctor.account, ...seeded.admins].slice(0, k),
      feeds: [{ query: FEEDS[options.fields], variables: { d: doctor.id } }],
      feedOf: () => 0,
      doctors: [doctor],
      patients: seeded.patients,
      feedsOfEvent: () => [0],
    };
  }
  const doctors = seeded.doctors.slice(0, doctorsFor(k));
  const patients = seeded.patients.slice(0, k - doctors.length);
  return {
    identities: [...doctors.map((doctor) => doctor.account), ...patients],
    feeds: [
      ...doctors.map((doctor) => ({ query: FEEDS[options.fields], variables: { d: doctor.id } })),
      ...patients.map(() => ({ query: PATIENT_FEED, variables: {} })),
    ],
    feedOf: (identity) => identity,
    doctors,
    patients,
    feedsOfEvent: (pair) => [pair.doctor, doctors.length + pair.patient],
  };
}

/** The event keys each feed of the cast is to receive, given the pair of every event. */
function keysByFeed(cast: Cast, parties: Record<string, Pair>): string[][] {
  const byFeed = cast.feeds.map((): string[] => []);
  for (const [key, pair] of Object.entries(parties)) for (const feed of cast.feedsOfEvent(pair)) byFeed[feed]!.push(key);
  return byFeed;
}

/**
 * Warm-up probes for these feeds (own feeds): pair j takes the j-th of the feeds' doctors and the j-th of their
 * patients; once one list runs out, the other side is taken in turn from all of them.
 */
function probePairs(cast: Cast, feeds: readonly number[]): Pair[] {
  const d = cast.doctors.length;
  const doctors = feeds.filter((feed) => feed < d);
  const patients = feeds.filter((feed) => feed >= d).map((feed) => feed - d);
  return Array.from({ length: Math.max(doctors.length, patients.length) }, (_, j) => ({
    doctor: j < doctors.length ? doctors[j]! : j % d,
    patient: j < patients.length ? patients[j]! : j % cast.patients.length,
  }));
}

/** A doctor with the weekly schedule, logged in. */
async function createDoctor(url: string, adminToken: string, email: string, name: string): Promise<Omit<SeededDoctor, "slots" | "next">> {
  const input = { email, password: PASSWORD, name, specialtyCode: "GP", timezone: "Europe/Berlin", serviceCodes: ["GP_CONSULT"], autoApprove: false };
  const id = (await must<{ createDoctor: { id: string } }>(url, "createDoctor", CREATE_DOCTOR, { i: input }, adminToken)).createDoctor.id;
  await must(url, "setWeeklySchedule", SET_SCHEDULE, { d: id, r: WEEKLY_RULES }, adminToken);
  const account = new Account(url, email, PASSWORD, id);
  await account.fresh();
  return { id, account };
}

async function registerPatient(url: string, email: string, name: string): Promise<Account> {
  const reply = await must<{ registerPatient: { accessToken: string; user: { id: string } } }>(url, "registerPatient", REGISTER, {
    i: { email, password: PASSWORD, name },
  });
  return new Account(url, email, PASSWORD, reply.registerPatient.user.id).adopt(reply.registerPatient.accessToken);
}

/**
 * A doctor's free slots from 2 hours ahead, soonest first (at most 500). Scheduling generates them when it consumes
 * the schedule's event, so this asks again until there are some (or SLOTS_WAIT_MS passed).
 */
async function freeSlots(url: string, doctorId: string): Promise<{ id: string; startsAt: string }[]> {
  const started = performance.now();
  for (;;) {
    const from = new Date(Date.now() + 2 * 3600_000);
    const to = new Date(from.getTime() + 55 * 24 * 3600_000);
    const { availableSlots } = await must<{ availableSlots: { id: string; startsAt: string }[] }>(url, "availableSlots", FREE_SLOTS, {
      f: { doctorId, from: from.toISOString(), to: to.toISOString() },
      n: 500,
    });
    if (availableSlots.length >= MIN_SLOTS) return availableSlots;
    if (performance.now() - started > SLOTS_WAIT_MS)
      throw new Error(`Doctor ${doctorId} has only ${availableSlots.length} free slots after ${SLOTS_WAIT_MS / 1000} s`);
    await sleep(250);
  }
}

/**
 * Slots ordered day after day: the first of every day, then the second of every day, … So a doctor's consecutive
 * turns fall on different days, and a patient who meets the same doctor again is far from the per-day limit
 * (BOOKING_MAX_PER_PATIENT_DOCTOR_DAY counts live appointments, and each request is cancelled at once anyway).
 * Days are UTC dates, the doctor's own (Europe/Berlin, 08:00–20:00) days as well.
 */
function acrossDays(slots: readonly { id: string; startsAt: string }[]): string[] {
  const days = new Map<string, string[]>();
  for (const slot of slots) {
    const day = slot.startsAt.slice(0, 10);
    const ids = days.get(day);
    if (ids) ids.push(slot.id);
    else days.set(day, [slot.id]);
  }
  const out: string[] = [];
  for (let round = 0; out.length < slots.length; round++) for (const ids of days.values()) if (round < ids.length) out.push(ids[round]!);
  return out;
}

/** Logs `label done/total` every 10 s while `work` runs (seeding a thousand users takes a while). */
async function withProgress<T>(label: string, totalCount: number, work: (tick: () => void) => Promise<T>): Promise<T> {
  let done = 0;
  const timer = setInterval(() => console.log(`  … ${label} ${done}/${totalCount}`), 10_000);
  try {
    return await work(() => void done++);
  } finally {
    clearInterval(timer);
  }
}

async function seed(platform: Platform, options: Options, runId: string): Promise<Seeded> {
  const url = platform.routerUrl;
  const admin = new Account(url, platform.admin.email, platform.admin.password);
  const adminToken = await admin.fresh();
  const range = (count: number) => Array.from({ length: count }, (_, i) => i);
  const largestK = Math.max(...options.identities);

  if (options.feeds === "own") {
    const d = doctorsFor(largestK);
    const doctors = await withProgress("doctors", d, (tick) =>
      mapLimit(range(d), SEED_PARALLELISM, async (i) => {
        const doctor = await createDoctor(url, adminToken, `bench.fanout.dr${i}.${runId}@example.test`, `Dr. Fan Out ${i + 1}`);
        tick();
        return doctor;
      }),
    );
    const patients = await withProgress("patients", largestK - d, (tick) =>
      mapLimit(range(largestK - d), SEED_PARALLELISM, async (i) => {
        const patient = await registerPatient(url, `bench.fanout.p${i}.${runId}@example.test`, `Fanout Patient ${i + 1}`);
        tick();
        return patient;
      }),
    );
    const seeded = await withProgress("doctors' slots", d, (tick) =>
      mapLimit(doctors, SEED_PARALLELISM, async (doctor) => {
        const slots = acrossDays(await freeSlots(url, doctor.id));
        tick();
        return { ...doctor, slots, next: 0 };
      }),
    );
    return { doctors: seeded, patients, admins: [] };
  }

  const doctor = await createDoctor(url, adminToken, `bench.fanout.dr.${runId}@example.test`, "Dr. Fan Out");
  const extraAdmins = await mapLimit(range(Math.max(0, largestK - 2)), SEED_PARALLELISM, async (i) => {
    const email = `bench.fanout.admin${i}.${runId}@example.test`;
    await must(url, "createStaffUser", CREATE_STAFF, { i: { email, password: PASSWORD, name: `Bench Admin ${i + 2}`, role: "ADMIN" } }, adminToken);
    return new Account(url, email, PASSWORD);
  });
  const patients = await mapLimit(range(options.patients), SEED_PARALLELISM, (i) =>
    registerPatient(url, `bench.fanout.p${i}.${runId}@example.test`, `Fanout Patient ${i + 1}`),
  );
  const slots = (await freeSlots(url, doctor.id)).map((slot) => slot.id);
  return { doctors: [{ ...doctor, slots, next: 0 }], patients, admins: [admin, ...extraAdmins] };
}

interface PublishResult {
  /** Commit time (wall clock, when the mutation's HTTP response arrived) per event key. */
  commits: Record<string, number>;
  /** When the mutation was sent (wall clock), per event key. */
  sent: Record<string, number>;
  /** The doctor and patient of each event, per event key: which feeds it reaches. */
  parties: Record<string, Pair>;
  attempted: number;
  requests: number;
  cancels: number;
  errors: number;
  errorSamples: string[];
  mutationMs: LatencyStats;
  wallMs: number;
  achievedRate: number;
}

const emptyPublishResult = (attempted: number): PublishResult => ({
  commits: {},
  sent: {},
  parties: {},
  attempted,
  requests: 0,
  cancels: 0,
  errors: 0,
  errorSamples: [],
  mutationMs: latencyStats([]),
  wallMs: 0,
  achievedRate: 0,
});

/**
 * Patients take turns: request a free slot of a doctor, then cancel that appointment (which frees the slot again).
 * Turn t is doctor t mod D and patient t mod P of the cast (shared feed: D = 1, the patients of `--patients`).
 */
class Publisher {
  private turn = 0;
  constructor(
    private readonly url: string,
    private cast: Cast,
  ) {}

  /** The doctors and patients of the next events (the turns go on). */
  use(cast: Cast) {
    this.cast = cast;
  }

  nextPair(): Pair {
    const t = this.turn++;
    return { doctor: t % this.cast.doctors.length, patient: t % this.cast.patients.length };
  }

  private record(out: PublishResult, key: string, pair: Pair, sentAt: number, committed: number) {
    out.commits[key] = committed;
    out.sent[key] = sentAt;
    out.parties[key] = pair;
  }

  /** One REQUESTED event; resolves with the appointment or the reason it failed. */
  private async request(pair: Pair, out: PublishResult, samples: number[]) {
    const doctor = this.cast.doctors[pair.doctor]!;
    const slotId = doctor.slots[doctor.next++ % doctor.slots.length]!;
    try {
      const token = await this.cast.patients[pair.patient]!.fresh();
      const [started, sentAt] = [performance.now(), wallNow()];
      const res = await graphql<{ requestAppointment: { __typename: string; id?: string; message?: string } }>(this.url, REQUEST, { s: slotId }, token);
      const committed = wallNow();
      samples.push(performance.now() - started);
      const result = res.data?.requestAppointment;
      if (result?.__typename === "Appointment" && result.id) {
        this.record(out, eventKey("REQUESTED", result.id), pair, sentAt, committed);
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

  private async cancel(pair: Pair, appointmentId: string, out: PublishResult, samples: number[]) {
    try {
      const token = await this.cast.patients[pair.patient]!.fresh();
      const [started, sentAt] = [performance.now(), wallNow()];
      const res = await graphql<{ cancelAppointment: { status: string } }>(this.url, CANCEL, { id: appointmentId }, token);
      const committed = wallNow();
      samples.push(performance.now() - started);
      if (res.data?.cancelAppointment.status !== "CANCELLED")
        throw new Error(`${res.errors?.[0]?.extensions?.code ?? ""} ${res.errors?.[0]?.message ?? JSON.stringify(res.data)}`);
      this.record(out, eventKey("CANCELLED", appointmentId), pair, sentAt, committed);
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
    const out = emptyPublishResult(count);
    const samples: number[] = [];
    const tasks: Promise<unknown>[] = [];
    const started = performance.now();
    let requested: Promise<string | null> = Promise.resolve(null);
    let pair: Pair = { doctor: 0, patient: 0 };
    for (let k = 0; k < count; k++) {
      const wait = started + (k * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      if (k % 2 === 0) {
        pair = this.nextPair();
        requested = this.request(pair, out, samples);
        tasks.push(requested);
      } else {
        const [who, pending] = [pair, requested];
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

  /** Warm-up: for each pair a request and its cancel, one after the other, `parallelism` pairs at a time. */
  async probe(pairs: readonly Pair[], parallelism: number): Promise<Record<string, Pair>> {
    const out = emptyPublishResult(pairs.length * 2);
    const samples: number[] = [];
    await mapLimit(pairs, parallelism, async (pair) => {
      const id = await this.request(pair, out, samples);
      if (id) await this.cancel(pair, id, out, samples);
    });
    if (out.errors) throw new Error(`warm-up events failed (${out.errors} of ${pairs.length * 2}): ${out.errorSamples.join("; ")}`);
    return out.parties;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One run: N subscribers, K identities

/** One router process's share of a run (process mode). */
interface RouterRun {
  name: string;
  pid: number;
  /** Subscribers sent to it (client i → router i mod R); `wsConnections` is how many it had. */
  subscribers: number;
  /** Its own gauges once every subscriber was live. */
  wsConnections: number | null;
  upstreamSubscriptions: number | null;
  upstreamConnections: number | null;
  /** What those should be: the distinct identities among its subscribers, and one connection (to scheduling) if any. */
  expectedUpstreamSubscriptions: number;
  expectedUpstreamConnections: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  /** CPU while publishing and draining: ms, % of one core, ms per delivery (all deliveries: the share is its own). */
  cpuMs: number;
  cpuPct: number;
  cpuMsPerDelivery: number;
  eventLoopUtilization: number;
  peakRssMb: number;
}

interface RunResult {
  /** Router processes (1 in-process). */
  routerProcs: number;
  mode: Platform["mode"];
  subscribers: number;
  identities: number;
  feeds: Options["feeds"];
  /** The doctors and patients of the events (shared: 1 and `--patients`; own: D and P, the identities). */
  doctors: number;
  patients: number;
  skipped?: string;
  connected: number;
  connectFailures: string[];
  rampMs: number;
  ready: number;
  readyMs: number;
  /** Probe pairs published until every subscriber was live. */
  probes: number;
  /** Summed over the router processes. */
  routerGaugesOpen: RouterGauges;
  /** What the routers' upstream gauges should be once every subscriber is live (summed over the routers). */
  expectedUpstreamSubscriptions: number;
  expectedUpstreamConnections: number;
  routerGaugesAfterClose: RouterGauges;
  memory: {
    process: "router + subgraphs + publisher" | "router + subgraphs + publisher + subscribers" | "router processes";
    /** In-process: this process; processes: the router processes' sum (each after a forced GC). */
    rssBeforeMb: number;
    rssAfterMb: number;
    heapBeforeMb: number;
    heapAfterMb: number;
    rssPerConnectionKb: number;
    heapPerConnectionKb: number;
    clientRssMb: number;
  };
  publish: Omit<PublishResult, "commits" | "sent" | "parties">;
  expectedDeliveries: number;
  deliveries: number;
  /** Deliveries ÷ events (shared feed: N; own feeds: about 2N/K, each event reaching its doctor's and its patient's feed). */
  deliveriesPerEvent: number;
  expectedDeliveriesPerEvent: number;
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
    /** In-process: this process (router, subgraphs, publisher); processes: the router processes summed. */
    serverPct: number;
    clientPct: number;
    /** CPU time per delivery while publishing, of the same processes as serverPct. */
    serverMsPerDelivery: number;
    /** The same CPU time per event published. */
    serverMsPerEvent: number;
    /** In-process: this process's; processes: the busiest router process's. */
    serverEventLoopUtilization: number;
    clientEventLoopUtilization: number;
    /** This process's event-loop delay p99 (in-process only; null in process mode, where this is the publisher). */
    serverLoopDelayP99Ms: number | null;
    /** Processes: the subgraph processes together (null in-process). */
    subgraphs: { processes: number; cpuMs: number; cpuPct: number; cpuMsPerDelivery: number; peakRssMb: number } | null;
  };
  /** Processes: each router process (empty in-process). */
  routers: RouterRun[];
  /** Summed over the router processes. */
  accountsRequestsPerEvent: number;
  schedulingRequestsPerEvent: number;
  loadAverage: number;
  holds: boolean;
  why: string[];
  warnings: string[];
}

/** While warming up: publish another probe when no subscriber has received anything for this long. */
const PROBE_IDLE_MS = 2_000;

interface Context {
  platform: Platform;
  options: Options;
  seeded: Seeded;
  publisher: Publisher;
  pools: Pool[];
}

async function waitAll(pools: readonly Pool[], keys: KeysByFeed, idleMs: number, maxMs: number, mode: "all" | "any" = "all"): Promise<WaitResult> {
  const results = await Promise.all(pools.map((pool) => pool.waitFor(keys, idleMs, maxMs, mode)));
  return {
    complete: results.reduce((sum, r) => sum + r.complete, 0),
    subscribers: results.reduce((sum, r) => sum + r.subscribers, 0),
    timedOut: results.some((r) => r.timedOut),
    ms: Math.max(...results.map((r) => r.ms)),
    lastReceipt: Math.max(...results.map((r) => (Number.isNaN(r.lastReceipt) ? -Infinity : r.lastReceipt))),
    incompleteFeeds: [...new Set(results.flatMap((r) => r.incompleteFeeds))],
  };
}

const total = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0);
const sumMemory = (samples: readonly MemorySample[]) => ({ rss: total(samples.map((m) => m.rss)), heapUsed: total(samples.map((m) => m.heapUsed)) });

async function runOnce(ctx: Context, n: number, k: number): Promise<RunResult> {
  const { platform, options, seeded, publisher, pools } = ctx;
  const { routers, subgraphs, routerUrls } = platform;
  const r = routerUrls.length;
  const inProcess = platform.mode === "in-process";
  const cast = castFor(seeded, options, k);
  publisher.use(cast);
  const tokens = await mapLimit(cast.identities, SEED_PARALLELISM, (account) => account.fresh());
  // Subscriber i: identity i mod K, router i mod R. A router holds one upstream operation per distinct identity among
  // its subscribers (shared: the same operation for each; own: each its own feed), all on one connection to scheduling.
  const feedOfSubscriber = (i: number) => cast.feedOf(i % k);
  const identitiesPerRouter = Array.from({ length: r }, (_, router) => {
    const seen = new Set<number>();
    for (let i = router; i < n && seen.size < k; i += r) seen.add(i % k);
    return seen.size;
  });
  const feedsInUse = [...new Set(Array.from({ length: Math.min(n, k) }, (_, i) => feedOfSubscriber(i)))];
  const wsUrls = routerUrls.map((url) => url.replace(/^http/, "ws"));
  // RSS and heap of the router processes (in-process: this one), each after a full GC.
  const memoryBefore = await Promise.all(routers.map((router) => router.memory(true)));

  // 1. Ramp up: every pool opens its share in batches; subscriber i connects to router i mod R.
  const shares = pools.map((_, p) => Array.from({ length: n }, (_, i) => i).filter((i) => i % pools.length === p));
  pools.forEach((pool) => (pool.opened = 0));
  const progress = setInterval(() => console.log(`    … ${pools.reduce((sum, pool) => sum + pool.opened, 0)}/${n} connected`), 5_000);
  let opened: OpenResult[];
  const rampStarted = performance.now();
  try {
    opened = await Promise.all(
      pools.map((pool, p) =>
        pool.open({
          feeds: cast.feeds,
          feedOf: shares[p]!.map(feedOfSubscriber),
          tokens: shares[p]!.map((i) => tokens[i % k]!),
          wsUrls: shares[p]!.map((i) => wsUrls[i % r]!),
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
  //    Shared feed: one pair at a time. Own feeds: a round of pairs covering every feed still without a live
  //    subscriber (the first round: every feed in use), SEED_PARALLELISM pairs at a time.
  const readyStarted = performance.now();
  const warmParties: Record<string, Pair> = {};
  let ready: WaitResult;
  let probes = 0;
  let pending = feedsInUse;
  do {
    const pairs = options.feeds === "shared" ? [publisher.nextPair()] : probePairs(cast, pending);
    Object.assign(warmParties, await publisher.probe(pairs, SEED_PARALLELISM));
    probes += pairs.length;
    ready = await waitAll(pools, keysByFeed(cast, warmParties), PROBE_IDLE_MS, options.readyTimeout * 1000, "any");
    pending = ready.incompleteFeeds;
  } while (ready.complete < n && performance.now() - readyStarted < options.readyTimeout * 1000);
  const warmKeys = Object.keys(warmParties);
  const readyMs = performance.now() - readyStarted;
  await sleep(500);
  const memoryAfter = await Promise.all(routers.map((router) => router.memory(true)));
  const gaugesOpen = await allRouterGauges(routerUrls);
  const expectedUpstreams = total(identitiesPerRouter);
  const expectedConnections = identitiesPerRouter.filter((ids) => ids > 0).length;
  console.log(
    `    ${ready.complete}/${n} live (got a probe event) after ${probes} probe pair(s), ${(readyMs / 1000).toFixed(1)} s; ` +
      `upstream subscriptions: ${gaugesOpen.total.upstreamSubscriptions ?? "?"}` +
      (r > 1 ? ` (${gaugesOpen.perRouter.map((g) => g.upstreamSubscriptions ?? "?").join(" + ")})` : "") +
      ` (expected ${expectedUpstreams}), upstream connections: ${gaugesOpen.total.upstreamConnections ?? "?"}` +
      (r > 1 ? ` (${gaugesOpen.perRouter.map((g) => g.upstreamConnections ?? "?").join(" + ")})` : "") +
      ` (expected ${expectedConnections}); publishing ${options.events} events at ${options.rate}/s…`,
  );

  // 3. Steady events, then wait for every delivery.
  const platformProcesses = [...routers, ...subgraphs];
  await Promise.all([...pools.map((pool) => pool.mark()), ...platformProcesses.map((p) => p.mark())]);
  const loopDelay = inProcess ? monitorEventLoopDelay({ resolution: 10 }) : null;
  loopDelay?.enable();
  const loadAverage = round1(os.loadavg()[0]!);
  if (options.profile) {
    await ensureResultsDir();
    await Promise.all(routers.map((router) => router.profileStart()));
  }
  const phaseStarted = performance.now();
  const published = await publisher.steady(options.events, options.rate);
  const expectedKeys = Object.keys(published.commits);
  const expectedByFeed = keysByFeed(cast, published.parties);
  const drained = await waitAll(pools, expectedByFeed, options.drainTimeout * 1000, options.drainMax * 1000);
  const phaseMs = performance.now() - phaseStarted;
  if (options.profile) {
    const files = await Promise.all(
      routers.map((router) =>
        router.profileStop(
          path.join(RESULTS_DIR, inProcess ? `fanout-${RUN_STAMP}-n${n}-k${k}.cpuprofile` : `fanout-${RUN_STAMP}-r${r}-n${n}-k${k}-${router.name}.cpuprofile`),
        ),
      ),
    );
    console.log(`    CPU profile${files.length > 1 ? "s" : ""}: ${files.map((file) => path.relative(process.cwd(), file)).join(", ")}`);
  }
  loopDelay?.disable();
  const usage: ProcessUsage[] = await Promise.all(platformProcesses.map((p) => p.usage()));
  const routerUsage = usage.slice(0, routers.length);
  const subgraphUsage = usage.slice(routers.length);
  const clientUsage = await Promise.all(pools.map((pool) => pool.usage()));
  const gaugesAfter = await allRouterGauges(routerUrls);

  // 4. Per-subscriber accounting.
  const reports = await Promise.all(
    pools.map((pool) => pool.report({ commits: published.commits, sent: published.sent, keysByFeed: expectedByFeed, ignore: warmKeys })),
  );
  let expectedDeliveries = 0;
  for (let i = 0; i < n; i++) expectedDeliveries += expectedByFeed[feedOfSubscriber(i)]!.length;
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

  // 5. Close every client; every router must end up with no connection and no upstream subscription.
  await Promise.all(pools.map((pool) => pool.close()));
  const leftOver = (g: RouterGauges) => (g.wsConnections ?? 0) > 0 || (g.upstreamSubscriptions ?? 0) > 0 || (g.upstreamConnections ?? 0) > 0;
  let gaugesClosed = await allRouterGauges(routerUrls);
  for (let i = 0; i < 100 && leftOver(gaugesClosed.total); i++) {
    await sleep(200);
    gaugesClosed = await allRouterGauges(routerUrls);
  }

  const eventsCount = expectedKeys.length || 1;
  const deliveries = Math.max(1, latencies.length);
  const delta = (after: number | null, before: number | null) => (after === null || before === null ? NaN : round1((after - before) / eventsCount));
  const routerCpuMs = total(routerUsage.map((u) => u.cpuMs));
  const memBefore = sumMemory(memoryBefore);
  const memAfter = sumMemory(memoryAfter);
  const result: RunResult = {
    routerProcs: r,
    mode: platform.mode,
    subscribers: n,
    identities: k,
    feeds: options.feeds,
    doctors: cast.doctors.length,
    patients: cast.patients.length,
    connected,
    connectFailures: opened.flatMap((o) => o.failureSamples).slice(0, 5),
    rampMs: Math.round(rampMs),
    ready: ready.complete,
    readyMs: Math.round(readyMs),
    probes,
    routerGaugesOpen: gaugesOpen.total,
    expectedUpstreamSubscriptions: expectedUpstreams,
    expectedUpstreamConnections: expectedConnections,
    routerGaugesAfterClose: gaugesClosed.total,
    memory: {
      process: !inProcess ? "router processes" : options.clientProcs === 0 ? "router + subgraphs + publisher + subscribers" : "router + subgraphs + publisher",
      rssBeforeMb: mb(memBefore.rss),
      rssAfterMb: mb(memAfter.rss),
      heapBeforeMb: mb(memBefore.heapUsed),
      heapAfterMb: mb(memAfter.heapUsed),
      rssPerConnectionKb: round1(kb(memAfter.rss - memBefore.rss) / Math.max(1, connected)),
      heapPerConnectionKb: round1(kb(memAfter.heapUsed - memBefore.heapUsed) / Math.max(1, connected)),
      clientRssMb: options.clientProcs === 0 ? 0 : clientUsage.reduce((total, u) => total + mb(u.rssBytes), 0),
    },
    publish: (({ commits: _commits, sent: _sent, parties: _parties, ...rest }) => rest)(published),
    expectedDeliveries,
    deliveries: latencies.length,
    deliveriesPerEvent: round1(latencies.length / eventsCount),
    expectedDeliveriesPerEvent: round1(expectedDeliveries / eventsCount),
    latencyMs: latencyStats(latencies),
    latencyFromSendMs: latencyStats(latenciesFromSend),
    lost: sum((r) => r.lost) + expectedDeliveries - sum((r) => r.expected),
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
      serverPct: Math.round((routerCpuMs / phaseMs) * 100),
      clientPct: options.clientProcs === 0 ? 0 : Math.round((clientUsage.reduce((total, u) => total + u.cpuMs, 0) / phaseMs) * 100),
      serverMsPerDelivery: round2(routerCpuMs / deliveries),
      serverMsPerEvent: round1(routerCpuMs / eventsCount),
      serverEventLoopUtilization: round2(Math.max(...routerUsage.map((u) => u.eventLoopUtilization))),
      clientEventLoopUtilization: options.clientProcs === 0 ? 0 : round2(Math.max(...clientUsage.map((u) => u.eventLoopUtilization))),
      serverLoopDelayP99Ms: loopDelay ? round1(loopDelay.percentile(99) / 1e6) : null,
      subgraphs: inProcess
        ? null
        : {
            processes: subgraphs.length,
            cpuMs: Math.round(total(subgraphUsage.map((u) => u.cpuMs))),
            cpuPct: Math.round((total(subgraphUsage.map((u) => u.cpuMs)) / phaseMs) * 100),
            cpuMsPerDelivery: round2(total(subgraphUsage.map((u) => u.cpuMs)) / deliveries),
            peakRssMb: total(subgraphUsage.map((u) => mb(u.peakRss))),
          },
    },
    routers: inProcess
      ? []
      : routers.map((router, i) => ({
          name: router.name,
          pid: router.pid,
          subscribers: Math.ceil((n - i) / r),
          wsConnections: gaugesOpen.perRouter[i]!.wsConnections,
          upstreamSubscriptions: gaugesOpen.perRouter[i]!.upstreamSubscriptions,
          upstreamConnections: gaugesOpen.perRouter[i]!.upstreamConnections,
          expectedUpstreamSubscriptions: identitiesPerRouter[i]!,
          expectedUpstreamConnections: identitiesPerRouter[i]! > 0 ? 1 : 0,
          rssBeforeMb: mb(memoryBefore[i]!.rss),
          rssAfterMb: mb(memoryAfter[i]!.rss),
          heapBeforeMb: mb(memoryBefore[i]!.heapUsed),
          heapAfterMb: mb(memoryAfter[i]!.heapUsed),
          cpuMs: Math.round(routerUsage[i]!.cpuMs),
          cpuPct: Math.round((routerUsage[i]!.cpuMs / phaseMs) * 100),
          cpuMsPerDelivery: round2(routerUsage[i]!.cpuMs / deliveries),
          eventLoopUtilization: round2(routerUsage[i]!.eventLoopUtilization),
          peakRssMb: mb(routerUsage[i]!.peakRss),
        })),
    accountsRequestsPerEvent: delta(gaugesAfter.total.accountsRequests, gaugesOpen.total.accountsRequests),
    schedulingRequestsPerEvent: delta(gaugesAfter.total.schedulingRequests, gaugesOpen.total.schedulingRequests),
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
  // Not part of "holds", but a leak: every router must drop every connection and upstream once the clients are gone.
  if (leftOver(gaugesClosed.total)) {
    const { wsConnections, upstreamSubscriptions, upstreamConnections } = gaugesClosed.total;
    const each =
      r > 1
        ? ` (${gaugesClosed.perRouter.map((g, i) => `${routers[i]!.name}: ${g.wsConnections}/${g.upstreamSubscriptions}/${g.upstreamConnections}`).join(", ")})`
        : "";
    result.warnings.push(
      `20 s after every client closed, the router${r > 1 ? "s" : ""} still had ${wsConnections} connections, ${upstreamSubscriptions} upstream subscriptions ` +
        `and ${upstreamConnections} upstream connections${each}`,
    );
  }
  // Nor this: one upstream operation per distinct identity of a router's subscribers, all on one connection per router.
  const upstreamsOff = gaugesOpen.perRouter.some(
    (g, i) => g.upstreamSubscriptions !== identitiesPerRouter[i] || g.upstreamConnections !== (identitiesPerRouter[i]! > 0 ? 1 : 0),
  );
  if (upstreamsOff)
    result.warnings.push(
      `upstream operations/connections per router ${gaugesOpen.perRouter.map((g) => `${g.upstreamSubscriptions ?? "?"}/${g.upstreamConnections ?? "?"}`).join(", ")}, ` +
        `expected ${identitiesPerRouter.map((ids) => `${ids}/${ids > 0 ? 1 : 0}`).join(", ")}`,
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
  const inProcess = r.mode === "in-process";
  console.log(
    table(
      [
        ...(inProcess ? [] : ["R"]),
        "N",
        "ids",
        "upstr.",
        "up conn.",
        "conn.",
        "ready",
        "events",
        "ev/s",
        "deliveries",
        "deliv./ev",
        "lost",
        "dup",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "p99 from send",
        "holds",
      ],
      [
        [
          ...(inProcess ? [] : [r.routerProcs]),
          r.subscribers,
          r.identities,
          r.routerGaugesOpen.upstreamSubscriptions ?? "?",
          r.routerGaugesOpen.upstreamConnections ?? "?",
          r.connected,
          r.ready,
          r.publish.requests + r.publish.cancels,
          r.publish.achievedRate,
          `${r.deliveries}/${r.expectedDeliveries}`,
          r.deliveriesPerEvent,
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
  // In-process "srv" is this process (router, subgraphs, publisher); in process mode "rtr" is the router processes summed.
  const srv = inProcess ? "srv" : "rtr";
  console.log(
    table(
      [
        "ramp s",
        `${inProcess ? "" : "rtr "}RSS MB before→after`,
        "RSS KB/conn",
        "heap KB/conn",
        "client RSS MB",
        `${srv} CPU %`,
        `${srv} CPU ms/deliv.`,
        `${srv} CPU ms/ev`,
        "cli CPU %",
        inProcess ? "srv ELU" : "rtr ELU (max)",
        ...(inProcess ? ["loop p99 ms"] : ["sub. CPU %", "sub. CPU ms/deliv."]),
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
          r.cpu.serverMsPerEvent,
          r.cpu.clientPct,
          r.cpu.serverEventLoopUtilization,
          ...(inProcess ? [r.cpu.serverLoopDelayP99Ms ?? "-"] : [r.cpu.subgraphs?.cpuPct ?? "-", r.cpu.subgraphs?.cpuMsPerDelivery ?? "-"]),
          r.accountsRequestsPerEvent,
          r.drain.lastEventToLastDeliveryMs,
          `${r.publish.mutationMs.p50}/${r.publish.mutationMs.p99}`,
        ],
      ],
    ),
  );
  if (!inProcess)
    console.log(
      table(
        [
          "process",
          "pid",
          "subscribers",
          "conn.",
          "upstr.",
          "up conn.",
          "RSS MB before→after",
          "heap MB before→after",
          "CPU ms",
          "CPU %",
          "CPU ms/deliv.",
          "ELU",
          "peak RSS MB",
        ],
        [
          ...r.routers.map((router) => [
            router.name,
            router.pid,
            router.subscribers,
            router.wsConnections ?? "?",
            router.upstreamSubscriptions ?? "?",
            router.upstreamConnections ?? "?",
            `${router.rssBeforeMb}→${router.rssAfterMb}`,
            `${router.heapBeforeMb}→${router.heapAfterMb}`,
            router.cpuMs,
            router.cpuPct,
            router.cpuMsPerDelivery,
            router.eventLoopUtilization,
            router.peakRssMb,
          ]),
          ...(r.cpu.subgraphs
            ? [
                [
                  `subgraphs (${r.cpu.subgraphs.processes})`,
                  "-",
                  "-",
                  "-",
                  "-",
                  "-",
                  "-",
                  "-",
                  r.cpu.subgraphs.cpuMs,
                  r.cpu.subgraphs.cpuPct,
                  r.cpu.subgraphs.cpuMsPerDelivery,
                  "-",
                  r.cpu.subgraphs.peakRssMb,
                ],
              ]
            : []),
        ],
      ),
    );
  if (!r.holds) console.log(`    does not hold: ${r.why.join("; ")}`);
  for (const warning of r.warnings) console.log(`    warning: ${warning}`);
  for (const sample of [...r.connectFailures, ...r.subscriberErrorSamples, ...r.publish.errorSamples]) console.log(`    e.g. ${sample}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Main

const pools: Pool[] = [];
let stopping: Promise<void> | undefined;
const ownSignalHandlers = new Set<(signal: NodeJS.Signals) => void>();

/**
 * Apollo Server registers SIGINT/SIGTERM handlers of its own in every server it starts (`stopOnTerminationSignals`
 * defaults to true unless NODE_ENV=test): on Ctrl-C each would call its `stop()` while `stack.stop()` calls it too, and
 * in @apollo/server 5.5.1 a concurrent second `stop()` never resolves (the barrier is only resolved on error), so the
 * cleanup would hang for good. The bench owns this process's signals: drop every handler but its own. (In process
 * mode no server runs in this process, and this drops nothing.)
 */
function dropForeignSignalHandlers() {
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    for (const listener of process.listeners(signal))
      if (!ownSignalHandlers.has(listener as (signal: NodeJS.Signals) => void)) process.removeListener(signal, listener);
}

/** Stops the current platform (dropping its database), if one runs or is starting. */
async function stopPlatform() {
  const running = current;
  if (!running) return;
  try {
    await running.stop();
  } catch (err) {
    console.error("stopping the stack failed (its database may be left behind):", err);
  }
  if (current === running) current = undefined;
}

/** Closes the subscribers and stops the platform once, whatever state the run is in. */
function shutdown(): Promise<void> {
  return (stopping ??= (async () => {
    dropForeignSignalHandlers();
    await Promise.all(pools.map((pool) => Promise.race([pool.close().catch(() => undefined), sleep(10_000)])));
    for (const pool of pools) pool.kill();
    await stopPlatform();
  })());
}

async function ensureResultsDir() {
  await mkdir(RESULTS_DIR, { recursive: true });
  const ignore = path.join(RESULTS_DIR, ".gitignore");
  if (!(await stat(ignore).catch(() => null))) await writeFile(ignore, "*\n!.gitignore\n");
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const runId = Date.now().toString(36);
  const startedAt = new Date();
  const mode: Platform["mode"] = options.inProcess ? "in-process" : "processes";
  console.log(`Fan-out benchmark — ${JSON.stringify(options)}`);
  console.log(`Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, ${mb(os.totalmem())} MB RAM, load ${os.loadavg()[0]!.toFixed(2)}`);

  // File descriptors: every connection is one socket on the router's side and one on the subscriber's side. In process
  // mode each router process holds its share of the router's side under its own limit (the same as this process's).
  const fds = fileDescriptors();
  const margin = 500;
  const perChild = fds.soft - 100 - margin;
  const clientSide = options.clientProcs === 0 ? fds.soft - fds.open - margin : perChild * options.clientProcs;
  const maxSubscribers = (r: number) =>
    options.inProcess
      ? options.clientProcs === 0
        ? Math.floor((fds.soft - fds.open - margin) / 2)
        : Math.min(fds.soft - fds.open - margin, perChild * options.clientProcs)
      : Math.min(clientSide, perChild * r);
  const routerCounts = options.inProcess ? [1] : options.routerProcs;
  console.log(
    `Open files limit (ulimit -n): soft ${fds.soft}, hard ${fds.hard}, ${fds.open} open now → at most ` +
      (options.inProcess
        ? `${maxSubscribers(1)} subscribers ` +
          (options.clientProcs === 0
            ? "(2 sockets per subscriber in this process)"
            : `(1 socket per subscriber here, ${options.clientProcs} client process(es))`)
        : `${routerCounts.map((r) => `${maxSubscribers(r)} subscribers with ${plural(r, "router process", "router processes")}`).join(", ")} ` +
          `(1 socket per subscriber on the router side, shared among the router processes; ` +
          (options.clientProcs === 0
            ? "1 per subscriber in this process)"
            : `1 per subscriber on the client side, ${options.clientProcs} client process(es))`)),
  );

  const results: RunResult[] = [];
  const skip = (r: number, n: number, k: number, why: string) =>
    ({ routerProcs: r, mode, subscribers: n, identities: k, skipped: why, holds: false }) as RunResult;
  try {
    if (options.clientProcs === 0) pools.push(inlinePool());
    else for (let i = 0; i < options.clientProcs; i++) pools.push(await childPool());

    let failed = false;
    for (const r of routerCounts) {
      if (failed) break;
      console.log(
        options.inProcess
          ? "\nStarting the platform in this process…"
          : `\nStarting the platform, one process per service, ${plural(r, "router process", "router processes")}…`,
      );
      const bootStarted = performance.now();
      let platform: Platform;
      try {
        platform = await startPlatform(options, r);
      } catch (err) {
        console.error(err);
        results.push(skip(r, options.n[0]!, options.identities[0]!, `failed to start: ${err instanceof Error ? err.message : String(err)}`));
        break;
      }
      dropForeignSignalHandlers();
      console.log(`Stack up in ${((performance.now() - bootStarted) / 1000).toFixed(1)} s (${platform.description}): ${platform.routerUrls.join(", ")}`);
      try {
        const seedStarted = performance.now();
        const seeded = await seed(platform, options, runId);
        const seedS = ((performance.now() - seedStarted) / 1000).toFixed(1);
        const slots = seeded.doctors.map((doctor) => doctor.slots.length);
        console.log(
          options.feeds === "shared"
            ? `Seeded in ${seedS} s: doctor ${seeded.doctors[0]!.id}, ${seeded.patients.length} patients, ` +
                `${1 + seeded.admins.length} identities, ${slots[0]} free slots to take turns on`
            : `Seeded in ${seedS} s: ${plural(seeded.doctors.length, "doctor", "doctors")}, ${plural(seeded.patients.length, "patient", "patients")} ` +
                `(own feeds for up to ${seeded.doctors.length + seeded.patients.length} identities), ${Math.min(...slots)}–${Math.max(...slots)} free slots per doctor`,
        );
        const ctx: Context = {
          platform,
          options,
          seeded,
          publisher: new Publisher(platform.routerUrl, castFor(seeded, options, options.identities[0]!)),
          pools,
        };
        const maxN = maxSubscribers(r);

        for (const k of options.identities) {
          if (failed) break;
          for (const n of options.n) {
            const upstreams =
              options.feeds === "own"
                ? `identities, each on its own feed (${plural(doctorsFor(k), "doctor", "doctors")}, ${plural(k - doctorsFor(k), "patient", "patients")})`
                : k === 1
                  ? `identity (one shared upstream${options.inProcess ? "" : " per router process"})`
                  : "identities on one doctor's feed";
            console.log(`\n=== ${n} subscribers, ${k} ${upstreams}${options.inProcess ? "" : `, ${plural(r, "router process", "router processes")}`}`);
            if (n > maxN) {
              const skipped = skip(r, n, k, `open files limit (${fds.soft}) allows at most ${maxN} subscribers`);
              console.log(`    skipped: ${skipped.skipped}`);
              results.push(skipped);
              continue;
            }
            let result: RunResult;
            try {
              result = await runOnce(ctx, n, k);
            } catch (err) {
              // Keep the figures so far; the pools may be unusable now, so stop here.
              console.error(err);
              results.push(skip(r, n, k, `failed: ${err instanceof Error ? err.message : String(err)}`));
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
      } catch (err) {
        console.error(err);
        results.push(skip(r, options.n[0]!, options.identities[0]!, `failed: ${err instanceof Error ? err.message : String(err)}`));
        failed = true;
      } finally {
        await stopPlatform();
      }
    }
  } finally {
    await shutdown();
  }

  const ran = results.filter((r) => !r.skipped);
  const largest = routerCounts.flatMap((r) =>
    options.identities.map((k) => ({
      routerProcs: r,
      identities: k,
      n: Math.max(0, ...ran.filter((run) => run.routerProcs === r && run.identities === k && run.holds).map((run) => run.subscribers)),
    })),
  );
  console.log(
    `\n=== Summary (${options.inProcess ? "in-process" : "one process per service"}, rate ${options.rate}/s, ${options.events} events per run, ` +
      `p99 limit ${options.p99Limit} ms, fields ${options.fields}, feeds ${options.feeds})`,
  );
  if (!options.inProcess) console.log("  R: router processes; RSS, heap and srv CPU: the router processes summed (the subgraphs' CPU is in the tables above)");
  console.log(
    table(
      [
        "R",
        "N",
        "ids",
        "upstr.",
        "up conn.",
        "deliv./ev",
        "lost",
        "dup",
        "p50 ms",
        "p99 ms",
        "max ms",
        "p99 from send",
        "RSS KB/conn",
        "heap KB/conn",
        "srv CPU %",
        "srv CPU ms/deliv.",
        "srv CPU ms/ev",
        "acct req/ev",
        "holds",
      ],
      results.map((r) =>
        r.skipped
          ? [options.inProcess ? "in-proc" : r.routerProcs, r.subscribers, r.identities, ...Array<string>(15).fill("-"), "skipped"]
          : [
              options.inProcess ? "in-proc" : r.routerProcs,
              r.subscribers,
              r.identities,
              r.routerGaugesOpen.upstreamSubscriptions ?? "?",
              r.routerGaugesOpen.upstreamConnections ?? "?",
              r.deliveriesPerEvent,
              r.lost,
              r.duplicates,
              r.latencyMs.p50,
              r.latencyMs.p99,
              r.latencyMs.max,
              r.latencyFromSendMs.p99,
              rssPerConnection(r),
              r.memory.heapPerConnectionKb,
              r.cpu.serverPct,
              r.cpu.serverMsPerDelivery,
              r.cpu.serverMsPerEvent,
              r.accountsRequestsPerEvent,
              r.holds ? "yes" : "NO",
            ],
      ),
    ),
  );
  for (const { routerProcs, identities: k, n } of largest)
    console.log(
      `  largest N that holds with ${options.inProcess ? "" : `${plural(routerProcs, "router process", "router processes")} and `}${plural(k, "identity", "identities")}: ${n || "none"}`,
    );

  await ensureResultsDir();
  const file = path.join(RESULTS_DIR, `fanout-${RUN_STAMP}.json`);
  await writeFile(
    file,
    JSON.stringify(
      {
        benchmark: "fanout",
        mode,
        startedAt: startedAt.toISOString(),
        commit: gitCommit(),
        machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, totalMemMb: mb(os.totalmem()) },
        fileDescriptors: { ...fds, maxSubscribers: Object.fromEntries(routerCounts.map((r) => [r, maxSubscribers(r)])) },
        options,
        operation: FEEDS[options.fields],
        ...(options.feeds === "own" ? { patientOperation: PATIENT_FEED } : {}),
        largestHoldingN: largest,
        runs: results,
      },
      null,
      2,
    ),
  );
  console.log(`\nResults: ${path.relative(process.cwd(), file)}`);
  return largest.some(({ n }) => n > 0) ? 0 : 1;
}

/**
 * Ctrl-C safety. `tsx` (the package script) relays a signal to its child and SIGKILLs it if the child's event loop has
 * not acknowledged the signal within about 60 ms — which a saturated router process never does, so the database and
 * Redis keys would be left behind. Hence two processes: this launcher, idle and always quick to answer, and the
 * runner (the same file, `CLINIGRAPH_BENCH_FANOUT_RUNNER=1`) in its own process group with the platform's processes,
 * which gets SIGINT from the launcher only and then closes the subscribers and stops the stack at its own pace. A
 * second Ctrl-C while it cleans up is ignored.
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
