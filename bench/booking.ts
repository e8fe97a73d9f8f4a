/**
 * Booking benchmark (`pnpm bench:booking`): the whole platform as a deployment runs it, one process per service
 * (`bench/lib/processStack.ts`: a fresh database, the seven subgraphs and the router, each in its own child process,
 * NODE_ENV=production), driven through the router over HTTP only by this process, the load generator. Every measured
 * phase reports each process's CPU time per request and peak RSS: the router, each subgraph, their sum, and this
 * process. `--in-process 1` runs the old way instead, for comparison: the platform inside this process
 * (`tests/support/stack.ts`), so one process's CPU (platform and load generator together) on one core.
 *
 *   1. Seeds N doctors (6 specialties, Mon–Fri 08:00–16:00 Europe/Berlin, 30-minute slots, auto-approve) and
 *      one patient per booking request, through the public API (Argon2id costs included: seeding time is printed).
 *   2. Contention: R requestAppointment calls fired at once over S free slots (R/S patients per slot, each from
 *      its own patient token). Exactly S must succeed, the rest must get SlotUnavailable (with alternatives),
 *      never an error; the database must then hold exactly one live appointment per contended slot.
 *   3. Availability search: sequential, then C-way concurrent, availableSlots over a month (next Monday + 30 days)
 *      by specialty / doctorId / serviceId / unfiltered, selecting `doctor { name }` so the router also calls doctors.
 *   4. Baseline: the same burst of R requests without contention (a free slot each, from the second week on), so
 *      the cost of contention can be told from the cost of booking at all. Everyone must be booked.
 *
 * Requests in a burst each use their patient's own keep-alive connection, opened beforehand (`--warm 0`: opened by
 * the burst itself, all at once). Checks that fail make the exit code 1; the figures are printed regardless.
 *
 * Options (flag or environment variable, flags win):
 *   --doctors N              BENCH_DOCTORS              doctors to seed (default 50)
 *   --requests N             BENCH_REQUESTS             concurrent booking requests = patients seeded (default 1000)
 *   --slots N                BENCH_SLOTS                slots in contention (default 50)
 *   --search N               BENCH_SEARCH               availability queries per search phase (default 500)
 *   --search-concurrency N   BENCH_SEARCH_CONCURRENCY   concurrency of the second search phase, 0 = skip (default 20)
 *   --seed-parallelism N     BENCH_SEED_PARALLELISM     parallel registrations while seeding (default 12)
 *   --warm 0|1               BENCH_WARM                 1: every patient's keep-alive connection is opened before the burst;
 *                                                       0: the burst opens all its connections at once (default 1)
 *   --baseline 0|1           BENCH_BASELINE             1: also time the same burst without contention (one slot each) (default 1)
 *   --profile 0|1            BENCH_PROFILE              1: write a V8 CPU profile of each measured phase, per process (default 0)
 *   --in-process 0|1         BENCH_IN_PROCESS           1: the platform in this process (tests/support/stack.ts) (default 0)
 *
 * Figures go to stdout and to bench/results/booking-<timestamp>.json.
 */
import os from "node:os";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { DateTime } from "luxon";
import * as prettier from "prettier";
import { createPrisma } from "@clinigraph/scheduling";
import type { ProcessUsage } from "./lib/children.js";
import { databaseProcesses } from "./lib/databaseProcesses.js";
import { isPlatform, phaseCpu, processTable, type PhaseCpu } from "./lib/phaseCpu.js";
import { readFlags } from "./lib/flags.js";
import { launchBench } from "./lib/launcher.js";
import { startProcessStack, thisProcess, type MeasuredProcess } from "./lib/processStack.js";
import { REPO, gitCommit, latencyStats, mapLimit, table, type LatencyStats } from "./lib/report.js";
import { RouterClient, type GqlReply } from "./lib/routerClient.js";
import {
  FREE_SLOTS,
  ZONE,
  analyzeWithoutAutovacuum,
  login,
  medicalServices,
  registerPatients,
  seedDoctors,
  verifySlots,
  type SeededDoctor,
  type SeededPatient,
} from "./lib/seed.js";

// ---------------------------------------------------------------------------------------------------------------
// Options

interface Options {
  doctors: number;
  requests: number;
  slots: number;
  search: number;
  searchConcurrency: number;
  seedParallelism: number;
  warm: number;
  baseline: number;
  profile: number;
  inProcess: number;
}

const OPTION_SPEC = {
  doctors: { flag: "doctors", env: "BENCH_DOCTORS", fallback: 50, min: 1 },
  requests: { flag: "requests", env: "BENCH_REQUESTS", fallback: 1000, min: 1 },
  slots: { flag: "slots", env: "BENCH_SLOTS", fallback: 50, min: 1 },
  search: { flag: "search", env: "BENCH_SEARCH", fallback: 500, min: 1 },
  searchConcurrency: { flag: "search-concurrency", env: "BENCH_SEARCH_CONCURRENCY", fallback: 20, min: 0 },
  seedParallelism: { flag: "seed-parallelism", env: "BENCH_SEED_PARALLELISM", fallback: 12, min: 1 },
  warm: { flag: "warm", env: "BENCH_WARM", fallback: 1, min: 0 },
  baseline: { flag: "baseline", env: "BENCH_BASELINE", fallback: 1, min: 0 },
  profile: { flag: "profile", env: "BENCH_PROFILE", fallback: 0, min: 0 },
  inProcess: { flag: "in-process", env: "BENCH_IN_PROCESS", fallback: 0, min: 0 },
} as const satisfies Record<keyof Options, { flag: string; env: string; fallback: number; min: number }>;

function usage(): string {
  const lines = Object.values(OPTION_SPEC).map((o) => `  --${o.flag.padEnd(20)} ${o.env.padEnd(26)} default ${o.fallback}`);
  return ["Usage: pnpm bench:booking [--flag N ...]   (or the environment variables)", ...lines].join("\n");
}

function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options {
  const flags = readFlags(
    argv,
    Object.values(OPTION_SPEC).map((o) => o.flag),
    usage,
  );

  const options = {} as Options;
  for (const [key, spec] of Object.entries(OPTION_SPEC) as [keyof Options, (typeof OPTION_SPEC)[keyof Options]][]) {
    const raw = flags.get(spec.flag) ?? env[spec.env];
    const value = raw === undefined || raw === "" ? spec.fallback : Number(raw);
    if (!Number.isInteger(value) || value < spec.min) throw new Error(`--${spec.flag} / ${spec.env} must be an integer ≥ ${spec.min}, got "${raw}"`);
    options[key] = value;
  }
  if (options.slots > options.requests) throw new Error("--slots may not exceed --requests");
  return options;
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics

/** The kernel's count of connections dropped because an accept queue was full (Linux; null elsewhere). Machine-wide. */
async function listenOverflows(): Promise<number | null> {
  try {
    const lines = (await readFile("/proc/net/netstat", "utf8")).split("\n");
    const header = lines.find((l) => l.startsWith("TcpExt:"));
    const values = lines.filter((l) => l.startsWith("TcpExt:"))[1];
    const index = header?.split(/\s+/).indexOf("ListenOverflows") ?? -1;
    const value = index > 0 ? Number(values?.split(/\s+/)[index]) : NaN;
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

// ---------------------------------------------------------------------------------------------------------------
// Operations

const SEARCH = `query ($f: SlotFilter!, $n: Int) { availableSlots(filter: $f, first: $n) { id startsAt endsAt doctor { name } } }`;
const REQUEST = `
  mutation ($i: RequestAppointmentInput!) {
    requestAppointment(input: $i) {
      __typename
      ... on Appointment { id status startsAt }
      ... on SlotUnavailable { message alternatives { id startsAt doctor { name } } }
    }
  }`;
const CALENDAR = `query ($from: DateTime!, $to: DateTime!) { calendar(from: $from, to: $to) { id status startsAt doctor { id } } }`;

/** Services offered by several doctors: the serviceId search filter rotates over these. */
const SEARCH_SERVICES = ["SPECIALIST_CONSULT", "GENERAL_CHECKUP", "IMG_ULTRASOUND", "PROC_ECG"];
const LIVE_STATUSES = ["PENDING", "BOOKED", "CHECKED_IN"] as const;

/** A Prisma client of the stack's database for the bench's own checks of scheduling's tables (one per stack). */
const schedulingDbs = new WeakMap<BenchStack, ReturnType<typeof createPrisma>>();
function schedulingDb(stack: BenchStack) {
  let prisma = schedulingDbs.get(stack);
  if (!prisma) schedulingDbs.set(stack, (prisma = createPrisma(stack.databaseUrl, 2)));
  return prisma;
}

// ---------------------------------------------------------------------------------------------------------------
// Phases

const RESULTS_DIR = path.join(REPO, "bench", "results");
const RUN_STAMP = new Date().toISOString().replace(/[:.]/g, "-");

/** What the bench needs of a running platform, whichever way it runs. */
interface BenchStack {
  mode: "processes" | "in-process";
  /** What runs where, for the log. */
  description: string;
  routerUrl: string;
  databaseUrl: string;
  admin: { email: string; password: string };
  /** The processes measured: each service's and this one (process mode), or this one only (in-process). */
  processes: readonly MeasuredProcess[];
  /** Service processes: name, pid and URL (process mode). */
  services: readonly { name: string; pid: number; url: string }[];
  /** CLINIGRAPH_PORT_BASE (process mode). */
  portBase: number | null;
  /** The environment given beyond the stack's own. */
  extraEnv: Record<string, string>;
  eventsSettled(): Promise<void>;
  stop(): Promise<void>;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * Times `work` (`requests` requests) and measures every process of the stack over it: CPU time and peak RSS to the
 * last answer, and, given `settle` (waiting for the phase's events), until it resolves too. With --profile 1 each
 * process also writes a V8 CPU profile of the phase (to the end of `settle`).
 */
async function phase<T>(
  stack: BenchStack,
  options: Options,
  name: string,
  requests: number,
  work: () => Promise<T>,
  settle?: () => Promise<void>,
): Promise<{ value: T; ms: number; settleMs: number | null; cpu: PhaseCpu }> {
  const processes = stack.processes;
  if (options.profile) await Promise.all(processes.map((p) => p.profileStart()));
  try {
    await Promise.all(processes.map((p) => p.mark()));
    const started = performance.now();
    const value = await work();
    const ms = performance.now() - started;
    const atAnswers = await Promise.all(processes.map((p) => p.usage()));
    let settleMs: number | null = null;
    let atSettled: ProcessUsage[] | null = null;
    if (settle) {
      const settleStarted = performance.now();
      await settle();
      settleMs = performance.now() - settleStarted;
      atSettled = await Promise.all(processes.map((p) => p.usage()));
    }
    return { value, ms, settleMs, cpu: phaseCpu(processes, requests, ms, atAnswers, atSettled) };
  } finally {
    if (options.profile) {
      const files = await Promise.all(
        processes.map((p) => p.profileStop(path.join(RESULTS_DIR, `booking-${RUN_STAMP}-${name}-${p.name.replace(/[^a-z0-9]+/gi, "-")}.cpuprofile`))),
      );
      console.log(
        `  CPU profiles: ${files
          .filter(Boolean)
          .map((file) => path.relative(process.cwd(), file))
          .join(", ")}`,
      );
    }
  }
}

async function seed(client: RouterClient, stack: BenchStack, options: Options, runId: string) {
  const adminToken = (await login(client, stack.admin.email, stack.admin.password)).accessToken;
  const services = await medicalServices(client);
  const doctorSeeding = await seedDoctors(client, adminToken, services, { count: options.doctors, parallelism: options.seedParallelism, runId });
  const { doctors, ms: doctorsMs } = doctorSeeding;
  console.log(`  ${doctors.length} doctors with weekly schedules in ${seconds(doctorsMs)} s`);
  const patientSeeding = await registerPatients(client, { count: options.requests, parallelism: options.seedParallelism, runId });
  const { patients, ms: patientsMs } = patientSeeding;
  console.log(
    `  ${patients.length} patients registered in ${seconds(patientsMs)} s (${Math.round(patientsMs / patients.length)} ms each at parallelism ${options.seedParallelism})`,
  );
  return {
    adminToken,
    doctors,
    patients,
    services,
    doctorsMs,
    patientsMs,
    callLatencyMs: {
      createDoctor: latencyStats(doctorSeeding.latencyMs.createDoctor),
      setWeeklySchedule: latencyStats(doctorSeeding.latencyMs.setWeeklySchedule),
      registerPatient: latencyStats(patientSeeding.latencyMs),
    },
  };
}

type Target = { slot: { id: string; startsAt: string }; doctor: SeededDoctor };

/** `count` distinct free slots in `range`: slot k is the (k div D)-th free slot of doctor k mod D. */
async function pickSlots(client: RouterClient, doctors: readonly SeededDoctor[], count: number, range: { from: string; to: string }): Promise<Target[]> {
  const perDoctor = Math.ceil(count / doctors.length);
  const used = doctors.slice(0, Math.min(count, doctors.length));
  const freeByDoctor = await mapLimit(used, 8, async (doctor) => {
    const { availableSlots } = await client.must<{ availableSlots: { id: string; startsAt: string }[] }>("availableSlots", FREE_SLOTS, {
      f: { doctorId: doctor.id, ...range },
      n: perDoctor,
    });
    if (availableSlots.length < perDoctor) throw new Error(`Doctor ${doctor.id} has only ${availableSlots.length} free slots, ${perDoctor} needed`);
    return availableSlots;
  });
  return Array.from({ length: count }, (_, k) => {
    const d = k % used.length;
    return { slot: freeByDoctor[d]![Math.floor(k / used.length)]!, doctor: used[d]! };
  });
}

type BookingReply = GqlReply<{ requestAppointment: { __typename: string; status?: string; alternatives?: unknown[] } }>;

interface BurstResult {
  requests: number;
  warmConnections: boolean;
  warmMs: number;
  wallMs: number;
  throughputRps: number;
  /** CPU ms per request of router + subgraphs to the last answer (in-process: of the one process, client included). */
  cpuMsPerRequest: number;
  /** Each process's CPU and peak RSS over the burst. */
  cpu: PhaseCpu;
  loadAverageBefore: number;
  /** From the last answer until every event the burst committed was relayed from its outbox and handled by every consumer group. */
  eventsSettledMs: number;
  /** Linux TcpExt ListenOverflows over the burst (machine-wide): connections the kernel dropped because an accept queue was full. */
  listenOverflows: number | null;
  successes: number;
  slotUnavailable: number;
  slotUnavailableWithAlternatives: number;
  meanAlternatives: number;
  errors: number;
  errorSamples: string[];
  latencyMs: LatencyStats;
  successLatencyMs: LatencyStats;
  unavailableLatencyMs: LatencyStats;
  errorLatencyMs: LatencyStats;
}

/**
 * Fires every call at once, each from its patient's own connection (as that many browsers would). Warm: the
 * connections are opened beforehand (GET /health, 50 at a time), so the burst is that many requests in flight on
 * established connections. Cold: the burst also opens all its connections at once.
 */
async function burst(
  client: RouterClient,
  stack: BenchStack,
  options: Options,
  name: string,
  calls: readonly { token: string; slotId: string; serviceId?: string }[],
): Promise<{ result: BurstResult; replies: BookingReply[] }> {
  const agents = calls.map(() => client.ownConnection());
  const warmStarted = performance.now();
  if (options.warm) await mapLimit(agents, 50, (agent) => client.health(agent));
  const warmMs = performance.now() - warmStarted;
  if (options.warm) console.log(`  ${agents.length} connections opened in ${Math.round(warmMs)} ms`);

  const loadAverageBefore = Math.round(os.loadavg()[0]! * 100) / 100;
  const overflowsBefore = await listenOverflows();
  const measured = await phase(
    stack,
    options,
    name,
    calls.length,
    () => {
      const started = performance.now();
      return Promise.all(
        calls.map((call, i) =>
          client
            .post<BookingReply["data"] & object>(REQUEST, { i: { slotId: call.slotId, serviceId: call.serviceId, reason: "Benchmark" } }, call.token, agents[i])
            .catch((err: unknown): BookingReply => ({ status: 0, ms: performance.now() - started, errors: [{ message: `network: ${String(err)}` }] })),
        ),
      );
    },
    () => stack.eventsSettled(),
  );
  const overflowsAfter = await listenOverflows();
  client.closeOwnConnections();
  const eventsSettledMs = measured.settleMs ?? NaN;

  const replies = measured.value;
  let successes = 0;
  let unavailable = 0;
  let withAlternatives = 0;
  let alternativesTotal = 0;
  let errors = 0;
  const errorSamples: string[] = [];
  const latency = { success: [] as number[], unavailable: [] as number[], error: [] as number[] };
  for (const reply of replies) {
    const result = reply.data?.requestAppointment;
    if (reply.errors?.length || !result) {
      errors++;
      latency.error.push(reply.ms);
      const first = reply.errors?.[0];
      if (errorSamples.length < 5)
        errorSamples.push(`after ${Math.round(reply.ms)} ms: HTTP ${reply.status} ${first?.extensions?.code ?? "-"}: ${first?.message ?? "no data"}`);
    } else if (result.__typename === "Appointment") {
      successes++;
      latency.success.push(reply.ms);
    } else {
      unavailable++;
      latency.unavailable.push(reply.ms);
      const count = result.alternatives?.length ?? 0;
      alternativesTotal += count;
      if (count > 0) withAlternatives++;
    }
  }
  return {
    replies,
    result: {
      requests: calls.length,
      warmConnections: Boolean(options.warm),
      warmMs: Math.round(warmMs),
      wallMs: Math.round(measured.ms),
      throughputRps: Math.round((calls.length / measured.ms) * 1000),
      cpuMsPerRequest: measured.cpu.platformCpuMsPerRequest,
      cpu: measured.cpu,
      loadAverageBefore,
      eventsSettledMs: Math.round(eventsSettledMs),
      listenOverflows: overflowsBefore === null || overflowsAfter === null ? null : overflowsAfter - overflowsBefore,
      successes,
      slotUnavailable: unavailable,
      slotUnavailableWithAlternatives: withAlternatives,
      meanAlternatives: unavailable ? Math.round((alternativesTotal / unavailable) * 10) / 10 : 0,
      errors,
      errorSamples,
      latencyMs: latencyStats(replies.map((r) => r.ms)),
      successLatencyMs: latencyStats(latency.success),
      unavailableLatencyMs: latencyStats(latency.unavailable),
      errorLatencyMs: latencyStats(latency.error),
    },
  };
}

interface ContentionResult extends BurstResult {
  slots: number;
  patientsPerSlot: number;
  winnersPerSlotOk: boolean;
  database: { liveAppointmentsOnContendedSlots: number; slotsWithExactlyOneLive: number; slotsBusy: number; liveAppointmentsTotal: number; ok: boolean };
  calendarLiveOnContendedSlots: number;
}

async function contention(
  client: RouterClient,
  stack: BenchStack,
  seeded: { adminToken: string; doctors: readonly SeededDoctor[]; patients: readonly SeededPatient[] },
  options: Options,
  range: { from: string; to: string },
): Promise<ContentionResult> {
  const targets = await pickSlots(client, seeded.doctors, options.slots, range);
  // Request i goes to slot i mod S, so every slot's contenders are spread over the whole burst.
  const calls = seeded.patients.map((patient, i) => {
    const target = targets[i % targets.length]!;
    return { token: patient.token, slotId: target.slot.id, serviceId: target.doctor.serviceIds[0] };
  });
  const { result, replies } = await burst(client, stack, options, "contention", calls);

  const winners = new Map<string, number>();
  replies.forEach((reply, i) => {
    if (reply.data?.requestAppointment.__typename === "Appointment") winners.set(calls[i]!.slotId, (winners.get(calls[i]!.slotId) ?? 0) + 1);
  });

  // The database's word: exactly one live appointment on each contended slot, and each slot BUSY.
  const slotIds = targets.map((t) => t.slot.id);
  const prisma = schedulingDb(stack);
  const live = await prisma.appointment.findMany({ where: { slotId: { in: slotIds }, status: { in: [...LIVE_STATUSES] } }, select: { slotId: true } });
  const liveBySlot = new Map<string, number>();
  for (const row of live) if (row.slotId) liveBySlot.set(row.slotId, (liveBySlot.get(row.slotId) ?? 0) + 1);
  const slotsWithExactlyOneLive = slotIds.filter((id) => liveBySlot.get(id) === 1).length;
  const slotsBusy = await prisma.slot.count({ where: { id: { in: slotIds }, status: "BUSY" } });
  const liveAppointmentsTotal = await prisma.appointment.count({ where: { status: { in: [...LIVE_STATUSES] } } });

  // The same through the API: an ADMIN calendar over the month, matched on (doctor, start).
  const calendar = await client.must<{ calendar: { status: string; startsAt: string; doctor: { id: string } }[] }>(
    "calendar",
    CALENDAR,
    range,
    seeded.adminToken,
  );
  const wanted = new Set(targets.map((t) => `${t.doctor.id}@${Date.parse(t.slot.startsAt)}`));
  const calendarLiveOnContendedSlots = calendar.calendar.filter(
    (a) => (LIVE_STATUSES as readonly string[]).includes(a.status) && wanted.has(`${a.doctor.id}@${Date.parse(a.startsAt)}`),
  ).length;

  return {
    ...result,
    slots: targets.length,
    patientsPerSlot: Math.round((calls.length / targets.length) * 10) / 10,
    winnersPerSlotOk: winners.size === targets.length && [...winners.values()].every((n) => n === 1),
    database: {
      liveAppointmentsOnContendedSlots: live.length,
      slotsWithExactlyOneLive,
      slotsBusy,
      liveAppointmentsTotal,
      ok:
        live.length === slotIds.length &&
        slotsWithExactlyOneLive === slotIds.length &&
        slotsBusy === slotIds.length &&
        liveAppointmentsTotal === result.successes,
    },
    calendarLiveOnContendedSlots,
  };
}

/**
 * The uncontended baseline: the same number of requests at once, but every patient books a slot of their own
 * (from the second searched week on, so no patient meets the one-per-doctor-per-day limit). Everyone must succeed.
 */
async function baseline(
  client: RouterClient,
  stack: BenchStack,
  seeded: { doctors: readonly SeededDoctor[]; patients: readonly SeededPatient[] },
  options: Options,
  range: { from: string; to: string },
): Promise<BurstResult> {
  const from = DateTime.fromISO(range.from).plus({ days: 7 }).toUTC().toISO()!;
  const targets = await pickSlots(client, seeded.doctors, seeded.patients.length, { from, to: range.to });
  const calls = seeded.patients.map((patient, i) => ({ token: patient.token, slotId: targets[i]!.slot.id, serviceId: targets[i]!.doctor.serviceIds[0] }));
  return (await burst(client, stack, options, "baseline", calls)).result;
}

type SearchKind = "specialty" | "doctorId" | "serviceId" | "unfiltered";
const SEARCH_KINDS: readonly SearchKind[] = ["specialty", "doctorId", "serviceId", "unfiltered"];

interface SearchPhase {
  concurrency: number;
  queries: number;
  wallMs: number;
  throughputRps: number;
  /** CPU ms per query of router + subgraphs (in-process: of the one process, client included). */
  cpuMsPerQuery: number;
  /** Each process's CPU and peak RSS over the phase. */
  cpu: PhaseCpu;
  loadAverageBefore: number;
  errors: number;
  errorSamples: string[];
  overall: LatencyStats;
  byKind: Record<SearchKind, LatencyStats & { meanSlotsReturned: number }>;
}

function searchQueries(count: number, doctors: readonly SeededDoctor[], services: Map<string, string>, range: { from: string; to: string }) {
  const specialties = [...new Set(doctors.map((d) => d.specialty))];
  const serviceIds = SEARCH_SERVICES.map((code) => services.get(code)).filter((id): id is string => Boolean(id));
  return Array.from({ length: count }, (_, i) => {
    const kind = SEARCH_KINDS[i % SEARCH_KINDS.length]!;
    const round = Math.floor(i / SEARCH_KINDS.length);
    const filter: Record<string, string> = { ...range };
    if (kind === "specialty") filter.specialty = specialties[round % specialties.length]!;
    if (kind === "doctorId") filter.doctorId = doctors[(round * 7) % doctors.length]!.id;
    if (kind === "serviceId") filter.serviceId = serviceIds[round % serviceIds.length]!;
    return { kind, variables: { f: filter, n: 100 } };
  });
}

async function searchPhase(
  stack: BenchStack,
  options: Options,
  client: RouterClient,
  queries: ReturnType<typeof searchQueries>,
  concurrency: number,
  token: string,
): Promise<SearchPhase> {
  client.resize(Math.max(concurrency, 1));
  const samples = queries.map(() => ({ ms: 0, slots: 0, ok: false }));
  const errorSamples: string[] = [];
  let errors = 0;
  const loadAverageBefore = Math.round(os.loadavg()[0]! * 100) / 100;
  const { ms: wallMs, cpu } = await phase(stack, options, `search-c${concurrency}`, queries.length, () =>
    mapLimit(queries, concurrency, async (query, i) => {
      const reply = await client.post<{ availableSlots: unknown[] }>(SEARCH, query.variables, token);
      const ok = !reply.errors?.length && Array.isArray(reply.data?.availableSlots);
      if (!ok) {
        errors++;
        const first = reply.errors?.[0];
        if (errorSamples.length < 5) errorSamples.push(`${query.kind}: HTTP ${reply.status} ${first?.extensions?.code ?? "-"}: ${first?.message ?? "no data"}`);
      }
      samples[i] = { ms: reply.ms, slots: reply.data?.availableSlots.length ?? 0, ok };
    }),
  );
  const byKind = {} as SearchPhase["byKind"];
  for (const kind of SEARCH_KINDS) {
    const mine = samples.filter((s, i) => s.ok && queries[i]!.kind === kind);
    byKind[kind] = {
      ...latencyStats(mine.map((s) => s.ms)),
      meanSlotsReturned: mine.length ? Math.round(mine.reduce((sum, s) => sum + s.slots, 0) / mine.length) : 0,
    };
  }
  return {
    concurrency,
    queries: queries.length,
    wallMs: Math.round(wallMs),
    throughputRps: Math.round((queries.length / wallMs) * 1000),
    cpuMsPerQuery: cpu.platformCpuMsPerRequest,
    cpu,
    loadAverageBefore,
    errors,
    errorSamples,
    overall: latencyStats(samples.filter((s) => s.ok).map((s) => s.ms)),
    byKind,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Report

const latencyRow = (label: string, s: LatencyStats, extra: (string | number)[] = []) => [label, s.count, s.p50, s.p95, s.p99, s.max, s.mean, ...extra];

/** The idle window measured after seeding: what the processes spend per second with no request at all. */
const IDLE_WINDOW_MS = 5_000;

interface IdleCpu {
  processes: { name: string; pid: number; role: MeasuredProcess["role"]; cpuMsPerSecond: number; rssMb: number }[];
  /** Router + subgraphs (in-process: the one process). */
  platformCpuMsPerSecond: number;
}

/**
 * CPU per second of each process over `windowMs` with no request in flight: timers, pollers (outbox relays, the
 * notifications scheduler, blocking stream reads) and the bench's own sampling. Every phase pays it for its wall time.
 */
async function measureIdle(stack: BenchStack, windowMs: number): Promise<IdleCpu> {
  await Promise.all(stack.processes.map((p) => p.mark()));
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const usage = await Promise.all(stack.processes.map((p) => p.usage()));
  const processes = stack.processes.map((p, i) => ({
    name: p.name,
    pid: p.pid,
    role: p.role,
    cpuMsPerSecond: round1((usage[i]!.cpuMs * 1000) / usage[i]!.wallMs),
    rssMb: mb(usage[i]!.rss),
  }));
  return {
    processes,
    platformCpuMsPerSecond: round1(stack.processes.reduce((sum, p, i) => (isPlatform(p) ? sum + (usage[i]!.cpuMs * 1000) / usage[i]!.wallMs : sum), 0)),
  };
}

/** The measured processes, and PostgreSQL's when it runs on this machine. */
function withDatabase(processes: MeasuredProcess[]): MeasuredProcess[] {
  return [...processes, ...databaseProcesses()];
}

/** What "CPU ms/req" adds up in this mode. */
const cpuMeaning = (stack: BenchStack) =>
  stack.mode === "in-process"
    ? "CPU of this one process (router, subgraphs and load generator)"
    : "CPU summed over router + subgraphs (not the load generator)";

// ---------------------------------------------------------------------------------------------------------------
// Main

/** Tokens live for the whole run (seeding 1000 patients takes a while); the rest are the platform's defaults. */
const IN_PROCESS_ENV = { ACCESS_TOKEN_TTL_SECONDS: "900" };
/** As IN_PROCESS_ENV, and the router's per-caller rate limit off: one patient's token runs a whole search phase. */
const PROCESS_ENV = { ...IN_PROCESS_ENV, RATE_LIMIT_PER_MINUTE: "0" };

const running: { stop?: () => Promise<void>; stack?: BenchStack; stopping?: Promise<void> } = {};

/** Stops the stack (and drops its database) once, whatever state the run is in. */
function shutdown(): Promise<void> {
  return (running.stopping ??= (async () => {
    try {
      if (running.stack) await schedulingDbs.get(running.stack)?.$disconnect();
      await running.stop?.();
    } catch (err) {
      console.error("stopping the stack failed (its database may be left behind):", err);
    }
  })());
}

/** The platform, one process per service (default) or inside this process (`--in-process 1`). */
async function startBenchStack(options: Options): Promise<BenchStack> {
  if (options.inProcess) {
    // Loaded only here: it imports every subgraph and the router into this process.
    const { startStack } = await import("../tests/support/stack.js");
    const starting = startStack({ env: IN_PROCESS_ENV });
    running.stop = async () => (await starting.catch(() => undefined))?.stop();
    const stack = await starting;
    return {
      mode: "in-process",
      description: "in this process (tests/support/stack.ts): every subgraph, the router and the load generator on one event loop",
      routerUrl: stack.routerUrl,
      databaseUrl: stack.databaseUrl,
      admin: stack.admin,
      processes: withDatabase([thisProcess("in-process (platform + client)", "all")]),
      services: [],
      portBase: null,
      extraEnv: IN_PROCESS_ENV,
      eventsSettled: () => stack.eventsSettled(),
      stop: () => stack.stop(),
    };
  }
  const starting = startProcessStack({ env: PROCESS_ENV, log: (line) => console.log(line) });
  running.stop = () => starting.stop();
  const stack = await starting.started;
  return {
    mode: "processes",
    description: `one process per service (NODE_ENV=production, CLINIGRAPH_PORT_BASE=${stack.portBase}); this process is the load generator only`,
    routerUrl: stack.routerUrl,
    databaseUrl: stack.databaseUrl,
    admin: stack.admin,
    processes: withDatabase([...stack.services, thisProcess("bench (client)", "client")]),
    services: stack.services.map(({ name, pid, url }) => ({ name, pid, url })),
    portBase: stack.portBase,
    extraEnv: PROCESS_ENV,
    // The consumers handle a burst's events one at a time: a thousand bookings' take minutes on a busy machine.
    eventsSettled: () => stack.eventsSettled(600_000),
    stop: () => stack.stop(),
  };
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const runId = Date.now().toString(36);
  const startedAt = new Date();
  const commit = gitCommit(); // at the start: others may commit while the bench runs
  console.log(`Booking benchmark — ${JSON.stringify(options)}`);
  console.log(`Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, ${mb(os.totalmem())} MB RAM`);

  const bootStarted = performance.now();
  console.log(options.inProcess ? "Starting the platform in this process…" : "Starting the platform, one process per service…");
  const stack = (running.stack = await startBenchStack(options));
  const bootMs = performance.now() - bootStarted;
  console.log(`Stack up in ${seconds(bootMs)} s (fresh database, migrations, ${stack.description}): ${stack.routerUrl}`);

  const client = new RouterClient(stack.routerUrl, options.seedParallelism * 2);
  try {
    const monday = DateTime.now().setZone(ZONE).startOf("week").plus({ weeks: 1 });
    const range = { from: monday.toUTC().toISO()!, to: monday.plus({ days: 30 }).toUTC().toISO()! };

    console.log("\nSeeding through the router…");
    const seeded = await seed(client, stack, options, runId);
    const resynced = await verifySlots(client, seeded.doctors, seeded.adminToken, range);
    const prisma = schedulingDb(stack);
    const slotCounts = {
      total: await prisma.slot.count(),
      free: await prisma.slot.count({ where: { status: "FREE" } }),
      inSearchedMonth: await prisma.slot.count({ where: { status: "FREE", startsAt: { gte: new Date(range.from), lt: new Date(range.to) } } }),
    };
    console.log(
      `  slots in the database: ${slotCounts.total} (${slotCounts.free} free, ${slotCounts.inSearchedMonth} free in the searched month ${range.from.slice(0, 10)} … ${range.to.slice(0, 10)})` +
        (resynced ? `; ${resynced} doctors needed a manual syncDoctorSlots` : "; every doctor had slots right after setWeeklySchedule"),
    );
    // The seeding's events (registrations, schedules, slots) handled first, so no phase pays for them.
    const seedSettleStarted = performance.now();
    await stack.eventsSettled();
    const seedEventsSettledMs = performance.now() - seedSettleStarted;
    console.log(`  the seeding's events were handled ${Math.round(seedEventsSettledMs)} ms after the last seeding call`);
    if (await analyzeWithoutAutovacuum(prisma)) console.log("  autovacuum is off on this server: ANALYZE run once after seeding, as autovacuum would have");
    const idle = await measureIdle(stack, IDLE_WINDOW_MS);
    console.log(
      `  idle, ${IDLE_WINDOW_MS / 1000} s without requests: ${idle.platformCpuMsPerSecond} ms of CPU per second in router + subgraphs` +
        ` (${idle.processes.map((p) => `${p.name} ${p.cpuMsPerSecond}`).join(", ")})`,
    );

    console.log(`\nContention: ${options.requests} requestAppointment at once over ${options.slots} slots…`);
    const booking = await contention(client, stack, seeded, options, range);

    const queries = searchQueries(options.search, seeded.doctors, seeded.services, range);
    const searchToken = seeded.patients[0]!.token;
    console.log(
      `\nAvailability search: ${options.search} queries sequential${options.searchConcurrency ? `, then ${options.searchConcurrency}-way concurrent` : ""}…`,
    );
    await searchPhase(stack, { ...options, profile: 0 }, client, searchQueries(20, seeded.doctors, seeded.services, range), 1, searchToken); // warm-up, not counted
    const sequential = await searchPhase(stack, options, client, queries, 1, searchToken);
    const concurrent = options.searchConcurrency ? await searchPhase(stack, options, client, queries, options.searchConcurrency, searchToken) : null;

    let uncontended: BurstResult | null = null;
    if (options.baseline) {
      console.log(`\nBaseline: ${options.requests} requestAppointment at once, each for a slot of its own…`);
      uncontended = await baseline(client, stack, seeded, options, range);
    }

    const memory = process.memoryUsage();
    const rssMb = mb(memory.rss);
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const pgVersion = (await prisma.$queryRaw<{ v: string }[]>`SELECT current_setting('server_version') AS v`)[0]?.v ?? "?";

    const checks = {
      successesEqualSlots: booking.successes === booking.slots,
      oneWinnerPerSlot: booking.winnersPerSlotOk,
      noOtherErrors: booking.errors === 0,
      everyLoserGotAlternatives: booking.slotUnavailableWithAlternatives === booking.slotUnavailable,
      databaseOneLivePerSlot: booking.database.ok,
      calendarOneLivePerSlot: booking.calendarLiveOnContendedSlots === booking.slots,
      searchWithoutErrors: sequential.errors === 0 && (concurrent?.errors ?? 0) === 0,
      ...(uncontended ? { baselineAllBooked: uncontended.successes === uncontended.requests } : {}),
    };

    console.log("\n=== Seeding (through the router, Argon2id included)");
    console.log(
      table(
        ["step", "count", "total s", "p50 ms", "p95 ms"],
        [
          ["stack start (db + migrations)", 1, seconds(bootMs), Math.round(bootMs), "-"],
          ["createDoctor", seeded.doctors.length, "-", seeded.callLatencyMs.createDoctor.p50, seeded.callLatencyMs.createDoctor.p95],
          ["setWeeklySchedule (slot sync)", seeded.doctors.length, "-", seeded.callLatencyMs.setWeeklySchedule.p50, seeded.callLatencyMs.setWeeklySchedule.p95],
          [`doctors, parallelism ${options.seedParallelism}`, seeded.doctors.length, seconds(seeded.doctorsMs), "-", "-"],
          [
            `registerPatient, parallelism ${options.seedParallelism}`,
            seeded.patients.length,
            seconds(seeded.patientsMs),
            seeded.callLatencyMs.registerPatient.p50,
            seeded.callLatencyMs.registerPatient.p95,
          ],
        ],
      ),
    );
    console.log(
      `  slots: ${slotCounts.total} in the database, ${slotCounts.free} free before the burst, ${slotCounts.inSearchedMonth} free in the searched month`,
    );

    const bursts = [{ name: "contention", burst: booking as BurstResult }, ...(uncontended ? [{ name: "baseline", burst: uncontended }] : [])];
    console.log(
      `\n=== Booking: ${booking.requests} requestAppointment at once, one ${booking.warmConnections ? "warm" : "cold"} connection each` +
        ` (contention: ${booking.slots} slots, ${booking.patientsPerSlot} patients per slot${uncontended ? "; baseline: a slot each" : ""})`,
    );
    console.log(
      table(
        ["burst", "booked", "unavail.", "errors", "wall ms", "req/s", "CPU ms/req", "+ events", "events settled ms", "load"],
        bursts.map(({ name, burst: b }) => [
          name,
          b.successes,
          b.slotUnavailable,
          b.errors,
          b.wallMs,
          b.throughputRps,
          b.cpuMsPerRequest,
          b.cpu.platformCpuMsPerRequestWithEvents ?? "-",
          b.eventsSettledMs,
          b.loadAverageBefore,
        ]),
      ),
    );
    console.log(`  CPU ms/req: ${cpuMeaning(stack)}, to the last answer; + events: until every event of the burst was handled`);
    console.log(
      table(
        ["latency ms", "n", "p50", "p95", "p99", "max", "mean"],
        bursts.flatMap(({ name, burst: b }) => [
          latencyRow(`${name}: all`, b.latencyMs),
          ...(b.successes ? [latencyRow(`${name}: booked`, b.successLatencyMs)] : []),
          ...(b.slotUnavailable ? [latencyRow(`${name}: SlotUnavailable`, b.unavailableLatencyMs)] : []),
          ...(b.errors ? [latencyRow(`${name}: errors`, b.errorLatencyMs)] : []),
        ]),
      ),
    );
    console.log(
      `  SlotUnavailable answers: ${booking.slotUnavailableWithAlternatives} of ${booking.slotUnavailable} with alternatives (${booking.meanAlternatives} on average)`,
    );
    console.log(
      `  database: ${booking.database.liveAppointmentsOnContendedSlots} live appointments on the ${booking.slots} contended slots, ${booking.database.slotsWithExactlyOneLive} slots with exactly one, ${booking.database.slotsBusy} BUSY, ${booking.database.liveAppointmentsTotal} live in all; ADMIN calendar shows ${booking.calendarLiveOnContendedSlots}`,
    );
    for (const { name, burst: b } of bursts) {
      if (b.listenOverflows) console.log(`  ${name}: the kernel dropped ${b.listenOverflows} connection attempts (accept queue full)`);
      for (const sample of b.errorSamples) console.log(`  ${name} error: ${sample}`);
    }

    const searches = [sequential, ...(concurrent ? [concurrent] : [])];
    console.log(`\n=== Availability search over ${range.from.slice(0, 10)} … ${range.to.slice(0, 10)}, first: 100, with doctor { name }`);
    console.log(
      table(
        ["mode", "queries", "errors", "wall ms", "req/s", "CPU ms/query", "load"],
        searches.map((p) => [
          p.concurrency === 1 ? "sequential" : `${p.concurrency} concurrent`,
          p.queries,
          p.errors,
          p.wallMs,
          p.throughputRps,
          p.cpuMsPerQuery,
          p.loadAverageBefore,
        ]),
      ),
    );
    console.log(
      table(
        ["latency ms", "n", "p50", "p95", "p99", "max", "mean", "slots/answer"],
        searches.flatMap((p) => {
          const mode = p.concurrency === 1 ? "seq" : `c${p.concurrency}`;
          return [
            ...SEARCH_KINDS.map((kind) => latencyRow(`${mode}: by ${kind}`, p.byKind[kind], [p.byKind[kind].meanSlotsReturned])),
            latencyRow(`${mode}: overall`, p.overall, ["-"]),
          ];
        }),
      ),
    );
    console.log(`  CPU ms/query: ${cpuMeaning(stack)}`);
    for (const p of searches) for (const sample of p.errorSamples) console.log(`  search error: ${sample}`);

    console.log(
      `\n=== CPU per process: ms of CPU per request (to the last answer; "+ events": until the burst's events were handled), ` +
        `core %: CPU over the phase's wall time (100 = one core busy), peak RSS over the phase`,
    );
    const phases = [
      { name: "contention burst", wallMs: booking.wallMs, cpu: booking.cpu },
      ...searches.map((p) => ({ name: p.concurrency === 1 ? "search, sequential" : `search, ${p.concurrency} concurrent`, wallMs: p.wallMs, cpu: p.cpu })),
      ...(uncontended ? [{ name: "baseline burst", wallMs: uncontended.wallMs, cpu: uncontended.cpu }] : []),
    ];
    for (const p of phases) {
      console.log(`\n  ${p.name}: ${p.cpu.requests} requests in ${seconds(p.wallMs)} s`);
      console.log(processTable(p.cpu));
      console.log(
        `  of which idle background (${idle.platformCpuMsPerSecond} ms/s measured idle × ${seconds(p.wallMs)} s): ≈ ${round2((idle.platformCpuMsPerSecond * p.wallMs) / 1000 / p.cpu.requests)} ms/req`,
      );
    }

    console.log(
      stack.mode === "in-process"
        ? `\n=== Process: RSS ${rssMb} MB now, ${peakRssMb} MB peak (router + subgraphs + this client, one process); PostgreSQL ${pgVersion}`
        : `\n=== This process (load generator): RSS ${rssMb} MB now, ${peakRssMb} MB peak; services: ${stack.services.map((s) => `${s.name} ${s.pid}`).join(", ")}; PostgreSQL ${pgVersion}`,
    );
    console.log("=== Checks");
    for (const [name, ok] of Object.entries(checks)) console.log(`  ${ok ? "ok  " : "FAIL"} ${name}`);

    const results = {
      benchmark: "booking",
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      commit,
      machine: {
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        totalMemMb: mb(os.totalmem()),
        postgres: pgVersion,
      },
      options,
      stack: {
        mode: stack.mode,
        description: stack.description,
        portBase: stack.portBase,
        extraEnv: stack.extraEnv,
        services: stack.services,
      },
      searchedRange: range,
      seeding: {
        stackStartMs: Math.round(bootMs),
        doctors: seeded.doctors.length,
        doctorsMs: Math.round(seeded.doctorsMs),
        patients: seeded.patients.length,
        patientsMs: Math.round(seeded.patientsMs),
        callLatencyMs: seeded.callLatencyMs,
        doctorsResynced: resynced,
        eventsSettledMs: Math.round(seedEventsSettledMs),
        slots: slotCounts,
      },
      idle: { windowMs: IDLE_WINDOW_MS, platformCpuMsPerSecond: idle.platformCpuMsPerSecond, processes: idle.processes },
      contention: booking,
      baseline: uncontended,
      search: { sequential, concurrent },
      memory: { rssMb, peakRssMb, heapUsedMb: mb(memory.heapUsed) },
      checks,
    };
    await mkdir(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `booking-${RUN_STAMP}.json`);
    // Formatted as the repository's Prettier would, so `prettier --check .` stays clean on machines that ran the bench.
    const json = await prettier.format(JSON.stringify(results), { ...(await prettier.resolveConfig(file)), filepath: file });
    await writeFile(file, json);
    console.log(`\nResults written to ${path.relative(process.cwd(), file)}`);
    return Object.values(checks).every(Boolean) ? 0 : 1;
  } finally {
    client.close();
  }
}

/**
 * Ctrl-C safety, as in the other benchmarks with child processes: this file runs twice, as the launcher (what tsx
 * starts) and as the runner (CLINIGRAPH_BENCH_BOOKING_RUNNER=1) in a process group of its own with the services'
 * processes. Ctrl-C reaches the launcher only, which passes SIGINT on to the runner, which stops the services and drops
 * the database (in-process mode too).
 */
launchBench({
  script: fileURLToPath(import.meta.url),
  runnerEnv: "CLINIGRAPH_BENCH_BOOKING_RUNNER",
  checkOptions: () => parseOptions(process.argv.slice(2), process.env),
  main,
  shutdown,
  stopping: "stopping the stack and dropping the bench database",
});
