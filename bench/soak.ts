/**
 * Soak test (`pnpm bench:soak`): the platform as a deployment runs it (bench/lib/processStack.ts: a fresh database,
 * one process per service, NODE_ENV=production) under steady, moderate, mixed traffic for `--minutes`, with live
 * feeds open the whole time, watching for what only time shows: memory that grows, latency that drifts, live events
 * that go missing.
 *
 *   1. Seeds through the router: `--doctors` doctors (6 specialties, Monday–Friday 08:00–16:00, 30-minute slots; the
 *      first `--manual-percent` % approve requests by hand, `autoApprove: false`) and `--patients` patients. Every
 *      doctor and patient also signs in once more: that session is their subscriber's (one graphql-ws connection each,
 *      in a child process: bench/fanout/worker.ts), doctors on `appointmentRequests(doctorId)`, patients on
 *      `myAppointmentUpdates`, through the router. When the router closes a connection at its token's expiry, the
 *      subscriber refreshes its session and resumes with `since` = its last cursor, as the web app does.
 *   2. Warm-up probes: every patient requests a slot of doctor (patient mod doctors) and cancels it, until every
 *      subscriber has received an event (then every feed is live end to end).
 *   3. Traffic, open loop at `--rate` requests per second for `--minutes`: a random patient (each with its own
 *      keep-alive connection and its registration's session, refreshed before it expires) searches, opens a doctor's
 *      page, books a slot its last search found or cancels one of its bookings (`--search`, `--doctor`, `--book`,
 *      `--cancel` weights: bench/lib/traffic.ts). A request to a hand-approving doctor is approved by that doctor
 *      `--approve-delay-ms` later, or rejected (`--reject-percent`). Every `--sample` seconds every process's RSS and
 *      heap are taken, as they are (`--gc 1`: the services' after a full collection — a cleaner series, but two full
 *      collections in every service at once stall requests, and the p99 shows it).
 *   4. Then: every event scheduling's outbox recorded for a watched doctor or patient since the warm-up (the source of
 *      the feeds) must reach every subscriber of that feed exactly once; bookings are checked against the database.
 *
 * Printed: p50/p95/p99 per time window after the warm-up and the p99's drift (last window ÷ first), CPU per process
 * per window, the RSS and heap slope of every process (MB per hour, linear regression over the samples after the
 * warm-up), live events expected / lost / duplicated / out of order, delivery latency, errors by kind. Checks (exit
 * code 1 when one fails): no live event lost or duplicated (and every subscriber healthy to the end), no 5xx or
 * INTERNAL answer and no network error, p99 drift within `--p99-drift` (or within `--p99-slack-ms` of the first
 * window), every router/subgraph process's RSS slope under `--rss-slope-limit`, no lost booking or double-booked
 * slot, every service's `/ready` answering 200 at the end.
 *
 * Options: `pnpm bench:soak --help` (flags, or the BENCH_SOAK_* environment variables). Figures also go to
 * bench/results/soak-<timestamp>.json.
 */
import os from "node:os";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import type { createPrisma } from "@clinigraph/scheduling";
import { LIVE_EVENT_TYPES } from "../subgraphs/scheduling/src/live/eventTypes.js";
import { eventKey, type KeysByFeed, type PoolReport } from "./fanout/clients.js";
import { childPool } from "./fanout/pool.js";
import type { MemorySample } from "./lib/children.js";
import { databaseProcesses } from "./lib/databaseProcesses.js";
import { readIntegerOptions, type IntegerOption } from "./lib/flags.js";
import { launchBench } from "./lib/launcher.js";
import { pickWeighted, slopeMbPerHour, windowStats } from "./lib/loadMath.js";
import { PhaseMeter, isPlatform, phaseCpu, processTable } from "./lib/phaseCpu.js";
import { LoadRun, commonChecks, operationsTable, printChecks, printProblems, unreadyServices } from "./lib/loadRun.js";
import { thisProcess, type MeasuredProcess } from "./lib/processStack.js";
import { gitCommit, latencyStats, mapLimit, table, writeResults } from "./lib/report.js";
import { FREE_SLOTS, analyzeWithoutAutovacuum, login, medicalServices, registerPatients, seedDoctors } from "./lib/seed.js";
import { Session } from "./lib/session.js";
import { Traffic, trafficUser, type Pending, type TrafficUser, type UserOp } from "./lib/traffic.js";

// ---------------------------------------------------------------------------------------------------------------
// Options

const OPTION_SPEC = {
  minutes: { flag: "minutes", env: "BENCH_SOAK_MINUTES", fallback: "30", min: 1, fractional: true },
  rate: { flag: "rate", env: "BENCH_SOAK_RATE", fallback: "20", min: 0.1, fractional: true },
  doctors: { flag: "doctors", env: "BENCH_SOAK_DOCTORS", fallback: "30", min: 1 },
  manualPercent: { flag: "manual-percent", env: "BENCH_SOAK_MANUAL_PERCENT", fallback: "33", min: 0 },
  patients: { flag: "patients", env: "BENCH_SOAK_PATIENTS", fallback: "270", min: 1 },
  search: { flag: "search", env: "BENCH_SOAK_SEARCH", fallback: "63", min: 0 },
  doctor: { flag: "doctor", env: "BENCH_SOAK_DOCTOR", fallback: "10", min: 0 },
  book: { flag: "book", env: "BENCH_SOAK_BOOK", fallback: "15", min: 0 },
  cancel: { flag: "cancel", env: "BENCH_SOAK_CANCEL", fallback: "12", min: 0 },
  approveDelayMs: { flag: "approve-delay-ms", env: "BENCH_SOAK_APPROVE_DELAY_MS", fallback: "3000", min: 0 },
  rejectPercent: { flag: "reject-percent", env: "BENCH_SOAK_REJECT_PERCENT", fallback: "10", min: 0 },
  sample: { flag: "sample", env: "BENCH_SOAK_SAMPLE", fallback: "15", min: 1 },
  gc: { flag: "gc", env: "BENCH_SOAK_GC", fallback: "0", min: 0 },
  warmup: { flag: "warmup", env: "BENCH_SOAK_WARMUP", fallback: "0", min: 0 },
  window: { flag: "window", env: "BENCH_SOAK_WINDOW", fallback: "0", min: 0 },
  p99Drift: { flag: "p99-drift", env: "BENCH_SOAK_P99_DRIFT", fallback: "1.5", min: 1, fractional: true },
  p99SlackMs: { flag: "p99-slack-ms", env: "BENCH_SOAK_P99_SLACK_MS", fallback: "25", min: 0 },
  rssSlopeLimit: { flag: "rss-slope-limit", env: "BENCH_SOAK_RSS_SLOPE_LIMIT", fallback: "50", min: 0, fractional: true },
  rssMinMinutes: { flag: "rss-min-minutes", env: "BENCH_SOAK_RSS_MIN_MINUTES", fallback: "10", min: 0, fractional: true },
  tokenTtl: { flag: "token-ttl", env: "BENCH_SOAK_TOKEN_TTL", fallback: "600", min: 30 },
  drainTimeout: { flag: "drain-timeout", env: "BENCH_SOAK_DRAIN_TIMEOUT", fallback: "30", min: 1 },
  seedParallelism: { flag: "seed-parallelism", env: "BENCH_SOAK_SEED_PARALLELISM", fallback: "8", min: 1 },
  timeout: { flag: "timeout", env: "BENCH_SOAK_TIMEOUT", fallback: "30", min: 1 },
} as const satisfies Record<string, IntegerOption>;

type Options = Record<keyof typeof OPTION_SPEC, number>;

function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options {
  const options = readIntegerOptions("bench:soak", OPTION_SPEC, argv, env) as Options;
  if (options.search + options.doctor + options.book + options.cancel === 0)
    throw new Error("at least one of --search, --doctor, --book, --cancel must be > 0");
  if (options.tokenTtl > 900) throw new Error("--token-ttl / BENCH_SOAK_TOKEN_TTL must be ≤ 900 (accounts' ACCESS_TOKEN_TTL_SECONDS maximum)");
  if (options.manualPercent > 100 || options.rejectPercent > 100) throw new Error("--manual-percent and --reject-percent are percentages (≤ 100)");
  const { warmupMs, windowMs, windows } = timing(options);
  if (windows < 2) throw new Error(`the run after its warm-up (${warmupMs / 1000} s) must hold at least two --window windows of ${windowMs / 1000} s`);
  return options;
}

/** The warm-up (default: a fifth of the run, at most 5 minutes) and the p99 windows (default: a quarter of the rest, at most 5 minutes). */
function timing(options: Options) {
  const runMs = Math.round(options.minutes * 60_000);
  const warmupMs = options.warmup > 0 ? options.warmup * 1000 : Math.min(300_000, Math.round(runMs / 5));
  const windowMs = options.window > 0 ? options.window * 1000 : Math.min(300_000, Math.floor((runMs - warmupMs) / 4));
  return { runMs, warmupMs, windowMs, windows: windowMs > 0 ? Math.floor((runMs - warmupMs) / windowMs) : 0 };
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const seconds = (ms: number) => Math.round(ms / 100) / 10;
const round1 = (n: number) => Math.round(n * 10) / 10;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const minutes = (ms: number) => round1(ms / 60_000);

/** Requests in flight at most; beyond, a scheduled request is skipped (and counted): the test stays open loop without piling up. */
const MAX_IN_FLIGHT = 500;

const DOCTOR_FEED = `subscription ($d: ID!, $since: String) {
  appointmentRequests(doctorId: $d, since: $since) { cursor type appointment { id status startsAt patient { name } } }
}`;
const PATIENT_FEED = `subscription ($since: String) { myAppointmentUpdates(since: $since) { cursor type appointment { id status startsAt doctor { name } } } }`;

/** scheduling's outbox types that the live feeds carry (and the feed's name for each). */
const LIVE_TYPES = Object.keys(LIVE_EVENT_TYPES);

interface OutboxEvent {
  sequence: string;
  key: string;
  doctorId: string;
  patientId: string;
  occurredAt: number;
}

/** The live-feed events scheduling's outbox recorded, after `afterSequence` (exclusive) and up to `upTo` (inclusive, optional). */
async function outboxEvents(prisma: ReturnType<typeof createPrisma>, afterSequence: string, upTo?: string): Promise<OutboxEvent[]> {
  const rows = await prisma.$queryRawUnsafe<{ sequence: string; type: string; a: string; d: string; p: string; at: Date }[]>(
    `SELECT sequence::text, type, payload->>'appointmentId' AS a, payload->>'doctorId' AS d, payload->>'patientId' AS p, occurred_at AS at
       FROM scheduling.outbox WHERE sequence > $1::bigint ${upTo ? "AND sequence <= $3::bigint" : ""} AND type = ANY($2::text[]) ORDER BY sequence`,
    afterSequence,
    LIVE_TYPES,
    ...(upTo ? [upTo] : []),
  );
  return rows.map((r) => ({
    sequence: r.sequence,
    key: eventKey(LIVE_EVENT_TYPES[r.type as keyof typeof LIVE_EVENT_TYPES], r.a),
    doctorId: r.d,
    patientId: r.p,
    occurredAt: r.at.getTime(),
  }));
}

async function lastOutboxSequence(prisma: ReturnType<typeof createPrisma>): Promise<string> {
  const [row] = await prisma.$queryRawUnsafe<{ s: string }[]>(`SELECT coalesce(max(sequence), 0)::text AS s FROM scheduling.outbox`);
  return row?.s ?? "0";
}

/** A process's RSS and heap over the run (at: ms since the traffic started). */
interface MemorySeries {
  name: string;
  pid: number;
  role: MeasuredProcess["role"] | "subscribers";
  samples: { at: number; rss: number; heap: number }[];
}

// ---------------------------------------------------------------------------------------------------------------
// Main

const run = new LoadRun();

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const { runMs, warmupMs, windowMs, windows } = timing(options);
  const runId = Date.now().toString(36);
  const startedAt = new Date();
  const commit = gitCommit();
  run.header("Soak test", options, `; warm-up ${seconds(warmupMs)} s, then ${windows} windows of ${seconds(windowMs)} s`);
  // Every visitor comes from 127.0.0.1: the limit per address without a token is lifted for the registrations; the
  // router's limit per signed-in user stays at its default (600 a minute). The services log their errors (stderr).
  const stackEnv = { ACCESS_TOKEN_TTL_SECONDS: String(options.tokenTtl), RATE_LIMIT_ANONYMOUS_PER_MINUTE: "1000000", LOG_LEVEL: "error" };
  const { stack, client, prisma } = await run.start(stackEnv, options.seedParallelism);
  const pool = await childPool();
  run.onStop(async () => {
    await Promise.race([pool.close().catch(() => undefined), sleep(10_000)]);
    pool.kill();
  });
  const ttlMs = options.tokenTtl * 1000;

  // 1. Seeding: doctors, patients, and a second session of each for their subscriber.
  console.log("\nSeeding through the router…");
  const seedStarted = performance.now();
  const adminToken = (await login(client, stack.admin.email, stack.admin.password)).accessToken;
  const services = await medicalServices(client);
  const manualDoctors = Math.round((options.doctors * options.manualPercent) / 100);
  const { doctors } = await seedDoctors(client, adminToken, services, {
    count: options.doctors,
    parallelism: options.seedParallelism,
    runId,
    autoApprove: (i) => i >= manualDoctors,
  });
  const { patients } = await registerPatients(client, { count: options.patients, parallelism: options.seedParallelism, runId });
  const identities = [...doctors.map((d) => d.email), ...patients.map((p) => p.email)];
  const subscriberSessions = await mapLimit(identities, options.seedParallelism, (email) => login(client, email, "Bench-password-1"));
  const doctorSessions = await mapLimit(doctors, options.seedParallelism, (d) => login(client, d.email, "Bench-password-1"));
  console.log(
    `  ${doctors.length} doctors (${manualDoctors} approving by hand), ${patients.length} patients, ${identities.length + doctors.length} sign-ins ` +
      `in ${seconds(performance.now() - seedStarted)} s`,
  );
  await stack.eventsSettled();
  if (await analyzeWithoutAutovacuum(prisma)) console.log("  autovacuum is off on this server: ANALYZE run once after seeding, as autovacuum would have");

  // The test's clock: ms since the traffic started (far negative before it: the warm-up's requests).
  let t0 = performance.now() + 10 * 3_600_000;
  const clock = () => performance.now() - t0;
  const traffic = new Traffic(client, doctors, services, clock, options.timeout * 1000);
  const users = patients.map((p) => trafficUser(new Session(client, p.token, p.refreshToken, ttlMs), client.ownConnection()));
  const doctorUsers = new Map(
    doctors.map((d, i) => [d.id, trafficUser(new Session(client, doctorSessions[i]!.accessToken, doctorSessions[i]!.refreshToken, ttlMs))]),
  );

  // 2. Subscribers, and probes until every one of them is live.
  const doctorIndex = new Map(doctors.map((d, i) => [d.id, i]));
  const patientIndex = new Map(patients.map((p, i) => [p.id, doctors.length + i]));
  const wsUrl = stack.routerUrl.replace(/^http/, "ws");
  const opened = await pool.open({
    feeds: [...doctors.map((d) => ({ query: DOCTOR_FEED, variables: { d: d.id } })), ...patients.map(() => ({ query: PATIENT_FEED, variables: {} }))],
    feedOf: identities.map((_, i) => i),
    tokens: subscriberSessions.map((s) => s.accessToken),
    wsUrls: identities.map(() => wsUrl),
    batchSize: 50,
    connectTimeoutMs: 60_000,
    renew: { httpUrl: stack.routerUrl, refreshTokens: subscriberSessions.map((s) => s.refreshToken) },
  });
  console.log(
    `  ${opened.connected}/${opened.requested} subscribers connected in ${seconds(opened.ms)} s${opened.failed ? `: ${opened.failureSamples.join("; ")}` : ""}`,
  );
  if (opened.failed) throw new Error("subscribers failed to connect");
  const probeSlots = await mapLimit(doctors, options.seedParallelism, async (d) => {
    const from = Date.now() + 2 * 86_400_000;
    const { availableSlots } = await client.must<{ availableSlots: { id: string }[] }>("availableSlots", FREE_SLOTS, {
      f: { doctorId: d.id, from: new Date(from).toISOString(), to: new Date(from + 40 * 86_400_000).toISOString() },
      n: 200,
    });
    return availableSlots.map((s) => s.id);
  });
  const baseSequence = await lastOutboxSequence(prisma);
  const readyStarted = performance.now();
  let pendingFeeds = identities.map((_, i) => i);
  for (let round = 0; pendingFeeds.length > 0; round++) {
    if (round >= 5) throw new Error(`${pendingFeeds.length} feeds got no event after 5 rounds of probes`);
    // Patient j's feed: patient j with doctor j mod D. A doctor's feed not reached that way: doctor d with patient d mod P.
    const pairs = pendingFeeds
      .filter((feed) => feed >= doctors.length)
      .map((feed) => [feed - doctors.length, (feed - doctors.length) % doctors.length] as const);
    for (const feed of pendingFeeds)
      if (feed < doctors.length && !pairs.some(([, doctor]) => doctor === feed)) pairs.push([feed % patients.length, feed] as const);
    await mapLimit(pairs, options.seedParallelism, async ([patient, doctor], k) => {
      const user = users[patient]!;
      const slots = probeSlots[doctor]!;
      user.lastSlots = [{ id: slots[(round * patients.length + k) % slots.length]!, doctorId: doctors[doctor]!.id }];
      const { pending, booked } = await traffic.book(user);
      const id = pending?.id ?? booked;
      if (!id) throw new Error(`a warm-up booking of patient ${patient} with doctor ${doctor} failed: ${traffic.samples.at(-1)?.outcome}`);
      if (booked) user.booked.splice(user.booked.indexOf(booked), 1);
      if (!(await traffic.cancel(user, id))) throw new Error(`cancelling warm-up appointment ${id} failed: ${traffic.samples.at(-1)?.outcome}`);
    });
    await stack.eventsSettled();
    const keys: string[][] = identities.map(() => []);
    for (const e of await outboxEvents(prisma, baseSequence)) {
      keys[doctorIndex.get(e.doctorId) ?? -1]?.push(e.key);
      keys[patientIndex.get(e.patientId) ?? -1]?.push(e.key);
    }
    const ready = await pool.waitFor(keys, 2_000, 60_000, "any");
    pendingFeeds = ready.incompleteFeeds;
    console.log(`  warm-up round ${round + 1}: ${ready.complete}/${ready.subscribers} subscribers live`);
  }
  await stack.eventsSettled();
  const boundary = await lastOutboxSequence(prisma);
  const warmKeys = [...new Set((await outboxEvents(prisma, "0", boundary)).map((e) => e.key))];
  console.log(`  every subscriber live after ${seconds(performance.now() - readyStarted)} s; live events from outbox sequence ${boundary} on are counted`);

  // 3. Traffic, memory samples, CPU per window.
  const processes: MeasuredProcess[] = [...stack.services, thisProcess("bench (client)", "client"), ...databaseProcesses()];
  const measured = processes.filter((p) => p.role !== "database");
  const memory: MemorySeries[] = [
    ...measured.map((p) => ({ name: p.name, pid: p.pid, role: p.role, samples: [] })),
    { name: "subscribers (client)", pid: pool.pid, role: "subscribers" as const, samples: [] },
  ];
  const meter = new PhaseMeter(processes);
  const weights: Record<UserOp, number> = { search: options.search, doctor: options.doctor, book: options.book, cancel: options.cancel };
  const decisions = new Set<Promise<unknown>>();
  const inFlight = new Set<Promise<unknown>>();
  let skipped = 0;
  let dropped = 0;
  let approvals = 0;
  let rejections = 0;

  const decide = (pending: Pending, patient: TrafficUser) => {
    const decision = sleep(options.approveDelayMs)
      .then(async () => {
        const approve = Math.random() * 100 >= options.rejectPercent;
        if (await traffic.decide(doctorUsers.get(pending.doctorId)!, pending.id, approve)) {
          if (approve) {
            patient.booked.push(pending.id);
            approvals++;
          } else rejections++;
        }
      })
      .finally(() => decisions.delete(decision));
    decisions.add(decision);
  };

  const sampleMemory = async () => {
    const at = clock();
    const [taken, subscribers] = await Promise.all([Promise.all(measured.map((p) => p.memory(options.gc > 0 && p.role !== "client"))), pool.usage()]);
    taken.forEach((m: MemorySample, i) => memory[i]!.samples.push({ at, rss: m.rss, heap: m.heapUsed }));
    memory.at(-1)!.samples.push({ at, rss: subscribers.rssBytes, heap: subscribers.heapUsedBytes });
  };

  console.log(
    `\nTraffic: ${options.rate} requests/s for ${options.minutes} min (warm-up ${seconds(warmupMs)} s, then ${windows} windows of ${seconds(windowMs)} s); ` +
      `memory every ${options.sample} s${options.gc ? " after a full GC" : ""}…`,
  );
  t0 = performance.now();
  run.measureLoopDelay();
  await meter.start();
  const loadBefore = round1(os.loadavg()[0]!);
  const laps = [warmupMs, ...Array.from({ length: windows }, (_, k) => warmupMs + (k + 1) * windowMs)];
  const endMs = laps.at(-1)!;
  let stopped = false;
  const lapping = (async () => {
    for (const [k, at] of laps.entries()) {
      await sleep(at - clock());
      await meter.lap(k === 0 ? "warm-up" : `window ${k}`);
      const recent = traffic.samples.filter((s) => s.at >= at - 60_000 && s.at < at);
      console.log(
        `  ${minutes(at)} min: ${recent.length} requests in the last minute, ${recent.filter((s) => s.error).length} errors, ` +
          `p99 ${latencyStats(recent.map((s) => s.ms)).p99} ms, ${inFlight.size} in flight, ${skipped} skipped so far, load ${round1(os.loadavg()[0]!)}`,
      );
    }
  })();
  const sampling = (async () => {
    while (!stopped) {
      await sampleMemory();
      await sleep(options.sample * 1000 - (clock() % (options.sample * 1000)));
    }
  })();
  const period = 1000 / options.rate;
  let next = performance.now();
  while (clock() < endMs) {
    if (inFlight.size >= MAX_IN_FLIGHT) skipped++;
    else {
      const patient = users[Math.floor(Math.random() * users.length)]!;
      const request = traffic
        .act(pickWeighted(weights, Math.random()), patient)
        .then(({ pending }) => pending && decide(pending, patient))
        .finally(() => inFlight.delete(request));
      inFlight.add(request);
    }
    next += period;
    // Far behind (this process got no CPU for a second: a busy machine): no catch-up burst; the ticks missed are counted.
    if (next < performance.now() - 1_000) {
      dropped += Math.floor((performance.now() - next) / period);
      next = performance.now();
    }
    await sleep(next - performance.now());
  }
  await Promise.all(inFlight);
  await Promise.all(decisions);
  stopped = true;
  await Promise.all([lapping, sampling]);
  const trafficMs = clock();
  const loopDelay = run.loopDelayMs();

  // 4. Live events, bookings, readiness.
  await stack.eventsSettled(300_000);
  const events = await outboxEvents(prisma, boundary);
  const keysByFeed: string[][] = identities.map(() => []);
  const commits: Record<string, number> = {};
  for (const e of events) {
    commits[e.key] = e.occurredAt;
    keysByFeed[doctorIndex.get(e.doctorId) ?? -1]?.push(e.key);
    keysByFeed[patientIndex.get(e.patientId) ?? -1]?.push(e.key);
  }
  const drained = await pool.waitFor(keysByFeed as KeysByFeed, options.drainTimeout * 1000, 600_000);
  const report: PoolReport = await pool.report({ commits, sent: commits, keysByFeed, ignore: warmKeys });
  const delivery = latencyStats(report.latencies);
  const ledger = await traffic.ledger.check(prisma);
  const notReadyServices = await unreadyServices(stack);
  await sampleMemory();

  // Report.
  const measuredSamples = traffic.samples.filter((s) => s.at >= warmupMs && s.at < endMs);
  const windowFigures = windowStats(measuredSamples, warmupMs, endMs, windowMs);
  const first = windowFigures[0]!;
  const last = windowFigures.at(-1)!;
  const drift = round1((last.p99 / first.p99) * 100) / 100;
  const driftOk = last.p99 <= Math.max(first.p99 * options.p99Drift, first.p99 + options.p99SlackMs);
  const answers: Record<string, number> = {};
  for (const s of traffic.samples.filter((x) => x.at >= 0)) answers[`${s.op}: ${s.outcome}`] = (answers[`${s.op}: ${s.outcome}`] ?? 0) + 1;
  const slopes = memory.map((m) => {
    const after = m.samples.filter((s) => s.at >= warmupMs);
    return {
      name: m.name,
      pid: m.pid,
      role: m.role,
      samples: after.length,
      rssFirstMb: mb(after[0]?.rss ?? NaN),
      rssLastMb: mb(after.at(-1)?.rss ?? NaN),
      rssPeakMb: mb(Math.max(...m.samples.map((s) => s.rss))),
      rssSlopeMbPerHour: round1(
        slopeMbPerHour(
          after.map((s) => ({ at: s.at, bytes: s.rss })),
          warmupMs,
        ),
      ),
      heapFirstMb: mb(after[0]?.heap ?? NaN),
      heapLastMb: mb(after.at(-1)?.heap ?? NaN),
      heapSlopeMbPerHour: round1(
        slopeMbPerHour(
          after.map((s) => ({ at: s.at, bytes: s.heap })),
          warmupMs,
        ),
      ),
    };
  });
  const checkedSlopes = slopes.filter((s) => s.role === "router" || s.role === "subgraph");
  const tooSteep = checkedSlopes.filter((s) => !(s.rssSlopeMbPerHour <= options.rssSlopeLimit));
  // Over a few minutes the allocator's ups and downs outweigh any trend: the slope is judged over long enough runs only.
  const slopeSpanMinutes = minutes(trafficMs - warmupMs);
  const slopeJudged = slopeSpanMinutes >= options.rssMinMinutes;

  console.log(`\n=== Latency per window after the warm-up (all requests of the traffic, by send time; load average before: ${loadBefore})`);
  console.log(
    table(
      ["window (min)", "requests", "req/s", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms"],
      windowFigures.map((w) => [
        `${minutes(w.from)}–${minutes(w.to)}`,
        w.count,
        round1((w.count * 1000) / (w.to - w.from)),
        measuredSamples.filter((s) => s.error && s.at >= w.from && s.at < w.to).length,
        w.p50,
        w.p95,
        w.p99,
        w.max,
      ]),
    ),
  );
  console.log(
    `  p99 drift: last window ${last.p99} ms ÷ first ${first.p99} ms = ${drift} (limit ${options.p99Drift}, or within ${options.p99SlackMs} ms of the first)`,
  );

  console.log("\n=== Requests by operation, whole run");
  console.log(operationsTable(traffic.samples.filter((s) => s.at >= 0)));
  console.log("\n=== Answers by kind (ok; SlotUnavailable with its code; errors: HTTP status + extensions.code, or network + error code)");
  console.log(
    table(
      ["operation: answer", "count"],
      Object.entries(answers).sort(([a], [b]) => a.localeCompare(b)),
    ),
  );
  const userRequests = traffic.samples.filter((x) => x.at >= 0 && x.at < endMs && x.op !== "approve" && x.op !== "reject").length;
  console.log(
    `  patients' requests: ${round1((userRequests * 1000) / endMs)}/s sent of ${options.rate}/s scheduled; ${dropped} ticks missed (this process more than ` +
      `a second late: a busy machine), ${skipped} skipped (more than ${MAX_IN_FLIGHT} in flight); doctors' approvals ${approvals}, rejections ${rejections}`,
  );
  console.log(`  this process's event loop ran late by up to ${loopDelay.max} ms (p99 ${loopDelay.p99} ms)`);

  console.log("\n=== CPU per process (core %: CPU over the wall time, 100 = one core busy), per window");
  console.log(
    table(
      ["process", ...meter.laps.map((l) => l.name)],
      [
        ...processes.map((p, i) => [p.name, ...meter.laps.map((l) => Math.round((100 * l.usage[i]!.cpuMs) / Math.max(1, l.wallMs)))]),
        [
          "router + subgraphs",
          ...meter.laps.map((l) =>
            Math.round((100 * l.usage.reduce((sum, u, i) => (isPlatform(processes[i]!) ? sum + u.cpuMs : sum), 0)) / Math.max(1, l.wallMs)),
          ),
        ],
      ],
    ),
  );
  const measuredLaps = meter.laps.slice(1);
  const measuredWallMs = measuredLaps.reduce((sum, l) => sum + l.wallMs, 0);
  const totalUsage = processes.map((_, i) => {
    const laps = measuredLaps.map((l) => l.usage[i]!);
    return { ...laps.at(-1)!, cpuMs: laps.reduce((sum, u) => sum + u.cpuMs, 0), peakRss: Math.max(...laps.map((u) => u.peakRss)), wallMs: measuredWallMs };
  });
  console.log(`\n  after the warm-up: ${measuredSamples.length} requests in ${seconds(measuredWallMs)} s; CPU ms per request`);
  console.log(processTable(phaseCpu(processes, Math.max(1, measuredSamples.length), measuredWallMs, totalUsage, null)));

  console.log(`\n=== Memory: RSS and heap (${options.gc ? "after a full GC, " : ""}every ${options.sample} s); slopes by linear regression after the warm-up`);
  console.log(
    table(
      ["process", "pid", "samples", "RSS first MB", "RSS last MB", "RSS peak MB", "RSS MB/h", "heap first MB", "heap last MB", "heap MB/h"],
      slopes.map((s) => [
        s.name,
        s.pid,
        s.samples,
        s.rssFirstMb,
        s.rssLastMb,
        s.rssPeakMb,
        s.rssSlopeMbPerHour,
        s.heapFirstMb,
        s.heapLastMb,
        s.heapSlopeMbPerHour,
      ]),
    ),
  );
  console.log(
    `  limit for the router and the subgraphs: ${options.rssSlopeLimit} MB/h of RSS over the ${slopeSpanMinutes} min after the warm-up` +
      (slopeJudged ? "" : ` — not judged: shorter than --rss-min-minutes ${options.rssMinMinutes}, too short to tell a trend from noise`),
  );

  console.log(
    `\n=== Live feeds: ${identities.length} subscribers (${doctors.length} doctors, ${patients.length} patients), ${events.length} events in the outbox since the warm-up`,
  );
  console.log(
    table(
      [
        "expected deliveries",
        "received",
        "lost",
        "duplicated",
        "out of order",
        "unexpected",
        "subscribers ended early",
        "results with errors",
        "resumed after token expiry",
      ],
      [
        [
          report.expected,
          report.expected - report.lost,
          report.lost,
          report.duplicates,
          report.outOfOrder,
          report.unexpected,
          report.endedEarly,
          report.resultsWithErrors,
          report.resumes,
        ],
      ],
    ),
  );
  console.log(
    `  delivery latency (receipt − the event's occurrence in scheduling): p50 ${delivery.p50} ms, p95 ${delivery.p95} ms, p99 ${delivery.p99} ms, max ${delivery.max} ms` +
      (drained.timedOut ? `; deliveries stopped with ${drained.subscribers - drained.complete} subscribers incomplete` : ""),
  );
  for (const sample of report.errorSamples) console.log(`  subscriber: ${sample}`);

  console.log("");
  printProblems(ledger, traffic.samples, notReadyServices);
  if (slopeJudged) for (const s of tooSteep) console.log(`  ${s.name}: RSS grows ${s.rssSlopeMbPerHour} MB/h`);
  for (const s of notReadyServices) console.log(`  ${s.name} not ready: ${s.problem}`);
  const refreshes = [...users, ...doctorUsers.values()].reduce((sum, u) => sum + u.session.refreshes, 0);
  console.log(`  traffic sessions refreshed ${refreshes} times; services: ${stack.services.map((s) => `${s.name} ${s.pid}`).join(", ")}`);

  const checks = {
    noLostLiveEvents: report.lost === 0 && !drained.timedOut,
    noDuplicatedLiveEvents: report.duplicates === 0,
    subscribersHealthy: report.outOfOrder === 0 && report.unexpected === 0 && report.endedEarly === 0 && report.resultsWithErrors === 0,
    p99DriftWithinLimit: driftOk,
    rssSlopeWithinLimit: slopeJudged ? tooSteep.length === 0 : null,
    ...commonChecks(ledger, traffic.samples, notReadyServices),
  };
  const exitCode = printChecks(checks);

  const file = await writeResults(`soak-${startedAt.toISOString().replace(/[:.]/g, "-")}`, {
    benchmark: "soak",
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    commit,
    machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, totalMemMb: mb(os.totalmem()), loadAverageBefore: loadBefore },
    options,
    timing: { runMs, warmupMs, windowMs, windows, trafficMs: Math.round(trafficMs) },
    stack: { portBase: stack.portBase, env: stackEnv, services: stack.services.map(({ name, pid, url }) => ({ name, pid, url })) },
    windows: windowFigures,
    p99Drift: { first: first.p99, last: last.p99, ratio: drift },
    answers,
    approvals,
    rejections,
    skipped,
    dropped,
    loopDelayMs: loopDelay,
    cpu: meter.laps.map((l) => ({
      name: l.name,
      wallMs: Math.round(l.wallMs),
      processes: processes.map((p, i) => ({ name: p.name, cpuMs: Math.round(l.usage[i]!.cpuMs) })),
    })),
    memory: slopes,
    memorySeries: memory,
    live: { ...report, subscribers: identities.length, events: events.length, latencies: undefined, latenciesFromSend: undefined, deliveryMs: delivery },
    ledger,
    notReady: notReadyServices,
    checks,
  });
  console.log(`\nResults written to ${file}`);
  return exitCode;
}

/**
 * Ctrl-C safety, as in the other benchmarks with child processes: this file runs as the launcher (what tsx starts) and
 * as the runner (CLINIGRAPH_BENCH_SOAK_RUNNER=1) in a process group of its own with the services and the subscriber
 * process; Ctrl-C reaches the launcher, which passes SIGINT on to the runner, which closes the subscribers, stops the
 * services and drops the database and its Redis keys.
 */
launchBench({
  script: fileURLToPath(import.meta.url),
  runnerEnv: "CLINIGRAPH_BENCH_SOAK_RUNNER",
  checkOptions: () => parseOptions(process.argv.slice(2), process.env),
  main,
  shutdown: () => run.shutdown(),
  stopping: "closing the subscribers, stopping the stack and dropping the bench database",
});
