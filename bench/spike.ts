/**
 * Spike load test (`pnpm bench:spike`): the platform as a deployment runs it (bench/lib/processStack.ts: a fresh
 * database, one process per service, NODE_ENV=production), hit by 0 → `--users` signed-in patients within
 * `--ramp-up` seconds, held there, then let go, while a light probe load measures how long latency takes to recover.
 *
 *   1. Seeds through the router: `--doctors` doctors (6 specialties, Monday–Friday 08:00–16:00, 30-minute slots,
 *      auto-approve) and `--users` patients plus a few probe patients, registered `--seed-parallelism` at a time
 *      (Argon2id included: the seeding time is printed).
 *   2. Probe: one request (`availableSlots`, first: 20, as the users search) every 1/`--probe-rate` s, open loop, over
 *      its own keep-alive connections. `--probe-warmup` s not counted, then `--baseline` s measured: the baseline p99.
 *   3. Spike: user i starts at i × ramp-up / users and, until its stop time, loops: an action picked by the weights
 *      (`--search`, `--doctor`, `--book`, `--cancel`), its answer, a think time uniform in [0.5, 1.5] × `--think-ms`.
 *      Each user has its own patient token and its own keep-alive connection. Searches are `availableSlots` (a week
 *      1–21 days ahead by specialty, service, doctor or unfiltered, first: 20); a doctor lookup is the doctor's page
 *      (`doctor`, services with billing's prices); a booking requests one of the slots the user's last search found; a
 *      cancellation cancels one of the user's bookings. The users stop over `--ramp-down` s, the last started first.
 *   4. Recovery: the probe goes on after the ramp-down until its p99 over `--recovery-window` s windows is back within
 *      `--recovery-factor` × the baseline p99 for two windows in a row (at most 2 × `--recovery-limit` + two windows).
 *
 * Printed per phase (baseline, ramp-up, hold, ramp-down, recovery): requests, answers by kind (HTTP status, GraphQL
 * `extensions.code`, SlotUnavailable codes, network errors), p50/p95/p99/max, throughput, the probe's p99, and each
 * process's CPU (router, subgraphs, PostgreSQL, the load generator); a timeline in 5-second windows; the recovery time.
 * Checks (exit code 1 when one fails): no 5xx or INTERNAL answer, no network error, no lost booking (every appointment
 * answered for is in scheduling's tables with the status answered), no slot with two live appointments (and every
 * live one's slot BUSY), recovery within `--recovery-limit`, every service's `/ready` answering 200 at the end.
 *
 * Options: `pnpm bench:spike --help` (flags, or the BENCH_SPIKE_* environment variables). Figures also go to
 * bench/results/spike-<timestamp>.json.
 */
import os from "node:os";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import type { ProcessUsage } from "./lib/children.js";
import { databaseProcesses } from "./lib/databaseProcesses.js";
import { readIntegerOptions, type IntegerOption } from "./lib/flags.js";
import { launchBench } from "./lib/launcher.js";
import { activeUsers, phaseAt, pickWeighted, recoveryTime, spikeSchedule, thinkTime, windowStats, type PhaseSpan } from "./lib/loadMath.js";
import { PhaseMeter, phaseCpu, processTable, type PhaseCpu } from "./lib/phaseCpu.js";
import { commonChecks, LoadRun, operationsTable, printChecks, printProblems, unreadyServices } from "./lib/loadRun.js";
import { thisProcess, type MeasuredProcess } from "./lib/processStack.js";
import { gitCommit, latencyStats, table, writeResults, type LatencyStats } from "./lib/report.js";
import { analyzeWithoutAutovacuum, login, medicalServices, registerPatients, seedDoctors, verifySlots } from "./lib/seed.js";
import { Session } from "./lib/session.js";
import { Traffic, trafficUser, type Sample, type TrafficUser, type UserOp } from "./lib/traffic.js";

// ---------------------------------------------------------------------------------------------------------------
// Options

const OPTION_SPEC = {
  users: { flag: "users", env: "BENCH_SPIKE_USERS", fallback: "2000", min: 1 },
  rampUp: { flag: "ramp-up", env: "BENCH_SPIKE_RAMP_UP", fallback: "10", min: 0 },
  hold: { flag: "hold", env: "BENCH_SPIKE_HOLD", fallback: "30", min: 0 },
  rampDown: { flag: "ramp-down", env: "BENCH_SPIKE_RAMP_DOWN", fallback: "10", min: 0 },
  thinkMs: { flag: "think-ms", env: "BENCH_SPIKE_THINK_MS", fallback: "5000", min: 0 },
  search: { flag: "search", env: "BENCH_SPIKE_SEARCH", fallback: "70", min: 0 },
  doctor: { flag: "doctor", env: "BENCH_SPIKE_DOCTOR", fallback: "15", min: 0 },
  book: { flag: "book", env: "BENCH_SPIKE_BOOK", fallback: "10", min: 0 },
  cancel: { flag: "cancel", env: "BENCH_SPIKE_CANCEL", fallback: "5", min: 0 },
  doctors: { flag: "doctors", env: "BENCH_SPIKE_DOCTORS", fallback: "50", min: 1 },
  seedParallelism: { flag: "seed-parallelism", env: "BENCH_SPIKE_SEED_PARALLELISM", fallback: "12", min: 1 },
  probeRate: { flag: "probe-rate", env: "BENCH_SPIKE_PROBE_RATE", fallback: "10", min: 1 },
  probeWarmup: { flag: "probe-warmup", env: "BENCH_SPIKE_PROBE_WARMUP", fallback: "10", min: 0 },
  baseline: { flag: "baseline", env: "BENCH_SPIKE_BASELINE", fallback: "20", min: 1 },
  recoveryLimit: { flag: "recovery-limit", env: "BENCH_SPIKE_RECOVERY_LIMIT", fallback: "30", min: 1 },
  recoveryFactor: { flag: "recovery-factor", env: "BENCH_SPIKE_RECOVERY_FACTOR", fallback: "1.5", min: 1, fractional: true },
  recoveryWindow: { flag: "recovery-window", env: "BENCH_SPIKE_RECOVERY_WINDOW", fallback: "10", min: 1 },
  timeout: { flag: "timeout", env: "BENCH_SPIKE_TIMEOUT", fallback: "30", min: 1 },
} as const satisfies Record<string, IntegerOption>;

type Options = Record<keyof typeof OPTION_SPEC, number>;

function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options {
  const options = readIntegerOptions("bench:spike", OPTION_SPEC, argv, env) as Options;
  if (options.search + options.doctor + options.book + options.cancel === 0)
    throw new Error("at least one of --search, --doctor, --book, --cancel must be > 0");
  return options;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const seconds = (ms: number) => Math.round(ms / 100) / 10;
const round1 = (n: number) => Math.round(n * 10) / 10;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** Two consecutive windows must hold for the latency to count as recovered. */
const STABLE_WINDOWS = 2;
/** The timeline's window. */
const TIMELINE_MS = 5_000;
/** A probe patient sends at most this many requests a minute (the router's default limit per user is 600). */
const PROBE_PER_IDENTITY_PER_MINUTE = 300;

/**
 * Tokens outlive the run (accounts' maximum, 15 minutes: the users' tokens come from seeding). Every visitor comes from
 * 127.0.0.1, so the limit per client address without a token is lifted for the registrations; the router's limit per
 * signed-in user stays at its default (600 a minute), as in production. The services log their errors (to stderr),
 * so that a server fault can be traced.
 */
const STACK_ENV = { ACCESS_TOKEN_TTL_SECONDS: "900", RATE_LIMIT_ANONYMOUS_PER_MINUTE: "1000000", LOG_LEVEL: "error" };
const TOKEN_TTL_MS = 900_000;

/** The light load that measures latency before and after the spike: open loop, one search every 1/rate s. */
class Probe {
  private stopped = false;
  private running: Promise<void> | undefined;
  private readonly inFlight = new Set<number>();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly traffic: Traffic,
    private readonly users: readonly TrafficUser[],
    private readonly rate: number,
    private readonly clock: () => number,
  ) {}

  start() {
    this.running = (async () => {
      const period = 1000 / this.rate;
      let next = performance.now();
      for (let k = 0; !this.stopped; k++) {
        const at = this.clock();
        this.inFlight.add(at);
        const request = this.traffic.search(this.users[k % this.users.length]!, "probe").finally(() => {
          this.inFlight.delete(at);
          this.pending.delete(request);
        });
        this.pending.add(request);
        next += period;
        // Behind schedule (a busy event loop): start again from now rather than firing a catch-up burst.
        if (next < performance.now()) next = performance.now();
        await sleep(next - performance.now());
      }
    })();
  }

  /** The send time of the oldest request still waiting for its answer (the clock now if none): samples before it are complete. */
  completeUntil(): number {
    return Math.min(this.clock(), ...this.inFlight);
  }

  async stop() {
    this.stopped = true;
    await this.running;
    await Promise.all(this.pending);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Report

type Phase = "baseline" | "ramp-up" | "hold" | "ramp-down" | "recovery";

interface PhaseFigures {
  name: Phase;
  seconds: number;
  /** Users running at the most. */
  users: number;
  /** Requests sent in the phase, and per second. */
  requests: number;
  throughputRps: number;
  /** Answers that arrived in the phase per second (whenever sent), and successful ones ("ok" or SlotUnavailable). */
  answeredRps: number;
  goodRps: number;
  errors: number;
  latencyMs: LatencyStats;
  probe: LatencyStats;
  answers: Record<string, number>;
  cpu: PhaseCpu;
}

function phaseFigures(
  span: PhaseSpan<Phase>,
  samples: readonly Sample[],
  users: number,
  usage: ProcessUsage[],
  wallMs: number,
  processes: readonly MeasuredProcess[],
) {
  const inSpan = samples.filter((s) => s.at >= span.from && s.at < span.to);
  const mine = inSpan.filter((s) => s.op !== "probe");
  const answeredIn = samples.filter((s) => s.op !== "probe" && s.at + s.ms >= span.from && s.at + s.ms < span.to);
  const answers: Record<string, number> = {};
  for (const s of mine) answers[s.outcome] = (answers[s.outcome] ?? 0) + 1;
  const figures: PhaseFigures = {
    name: span.name,
    seconds: seconds(span.to - span.from),
    users,
    requests: mine.length,
    throughputRps: round1((mine.length * 1000) / Math.max(1, span.to - span.from)),
    answeredRps: round1((answeredIn.length * 1000) / Math.max(1, span.to - span.from)),
    goodRps: round1((answeredIn.filter((s) => !s.error).length * 1000) / Math.max(1, span.to - span.from)),
    errors: mine.filter((s) => s.error).length,
    latencyMs: latencyStats(mine.map((s) => s.ms)),
    probe: latencyStats(inSpan.filter((s) => s.op === "probe").map((s) => s.ms)),
    answers,
    // Per request of the phase, probe included: CPU is spent on both.
    cpu: phaseCpu(processes, Math.max(1, inSpan.length), wallMs, usage, null),
  };
  return figures;
}

// ---------------------------------------------------------------------------------------------------------------
// Main

const run = new LoadRun();

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const runId = Date.now().toString(36);
  const startedAt = new Date();
  const commit = gitCommit();
  run.header("Spike load test", options);
  const { stack, client, prisma, bootMs } = await run.start(STACK_ENV, options.seedParallelism);

  // 1. Seeding.
  console.log("\nSeeding through the router…");
  const seedingStartedAt = Date.now();
  const adminToken = (await login(client, stack.admin.email, stack.admin.password)).accessToken;
  const services = await medicalServices(client);
  const doctorSeeding = await seedDoctors(client, adminToken, services, { count: options.doctors, parallelism: options.seedParallelism, runId });
  console.log(`  ${options.doctors} doctors with weekly schedules in ${seconds(doctorSeeding.ms)} s`);
  const probeIdentities = Math.ceil((options.probeRate * 60) / PROBE_PER_IDENTITY_PER_MINUTE);
  const patientSeeding = await registerPatients(client, { count: options.users + probeIdentities, parallelism: options.seedParallelism, runId });
  const registration = latencyStats(patientSeeding.latencyMs);
  console.log(
    `  ${patientSeeding.patients.length} patients registered in ${seconds(patientSeeding.ms)} s at parallelism ${options.seedParallelism} ` +
      `(${round1(patientSeeding.patients.length / (patientSeeding.ms / 1000))}/s; per call p50 ${registration.p50} ms, p95 ${registration.p95} ms)`,
  );
  const range = { from: new Date(Date.now() + 86_400_000).toISOString(), to: new Date(Date.now() + 29 * 86_400_000).toISOString() };
  const resynced = await verifySlots(client, doctorSeeding.doctors, adminToken, range);
  const settleStarted = performance.now();
  await stack.eventsSettled();
  console.log(
    `  the seeding's events handled ${Math.round(performance.now() - settleStarted)} ms after the last call${resynced ? `; ${resynced} doctors resynced` : ""}`,
  );
  if (await analyzeWithoutAutovacuum(prisma)) console.log("  autovacuum is off on this server: ANALYZE run once after seeding, as autovacuum would have");

  // 2. Probe and baseline. The clock's zero is the start of the ramp-up: the baseline runs before it (negative times).
  const processes: MeasuredProcess[] = [...stack.services, thisProcess("bench (client)", "client"), ...databaseProcesses()];
  let t0 = performance.now() + (options.probeWarmup + options.baseline) * 1000;
  const clock = () => performance.now() - t0;
  const timeoutMs = options.timeout * 1000;
  const traffic = new Traffic(client, doctorSeeding.doctors, services, clock, timeoutMs);
  const sessionOf = (p: { token: string; refreshToken: string }) => new Session(client, p.token, p.refreshToken, TOKEN_TTL_MS, seedingStartedAt);
  const userSessions = patientSeeding.patients.slice(0, options.users).map(sessionOf);
  const probeConnection = client.ownConnection(100);
  const probeUsers = patientSeeding.patients.slice(options.users).map((p) => trafficUser(sessionOf(p), probeConnection));
  const probe = new Probe(traffic, probeUsers, options.probeRate, clock);
  const meter = new PhaseMeter(processes);
  console.log(
    `\nProbe: ${options.probeRate} searches/s from ${probeIdentities} patient(s); ${options.probeWarmup} s warm-up, then ${options.baseline} s baseline…`,
  );
  probe.start();
  await sleep(t0 - options.baseline * 1000 - performance.now());
  const loadBefore = round1(os.loadavg()[0]!);
  await meter.start();
  t0 = performance.now() + options.baseline * 1000; // exact from here on
  await sleep(t0 - performance.now());
  await meter.lap("baseline");
  run.measureLoopDelay();
  const baselineP99 = latencyStats(traffic.samples.filter((s) => s.op === "probe" && s.at >= -options.baseline * 1000 && s.at < 0).map((s) => s.ms)).p99;
  const boundMs = baselineP99 * options.recoveryFactor;
  console.log(`  baseline p99 ${baselineP99} ms → recovered when the probe's p99 is ≤ ${round1(boundMs)} ms again`);

  // 3. The spike.
  const schedule = spikeSchedule({ users: options.users, rampUpMs: options.rampUp * 1000, holdMs: options.hold * 1000, rampDownMs: options.rampDown * 1000 });
  const weights: Record<UserOp, number> = { search: options.search, doctor: options.doctor, book: options.book, cancel: options.cancel };
  console.log(
    `\nSpike: 0 → ${options.users} users in ${options.rampUp} s, ${options.hold} s hold, ${options.rampDown} s ramp-down; think time ${options.thinkMs} ms ± 50 %…`,
  );
  const runUser = async (i: number) => {
    await sleep(schedule.startAt(i) - clock());
    const user = trafficUser(userSessions[i]!, client.ownConnection());
    const stopAt = schedule.stopAt(i);
    while (clock() < stopAt) {
      await traffic.act(pickWeighted(weights, Math.random()), user);
      await sleep(Math.min(thinkTime(options.thinkMs, Math.random()), stopAt - clock()));
    }
  };
  const users = Promise.all(Array.from({ length: options.users }, (_, i) => runUser(i)));
  const progress = setInterval(() => {
    const t = clock();
    const recent = traffic.samples.filter((s) => s.op !== "probe" && s.at + s.ms >= t - 5_000);
    console.log(
      `  t = ${seconds(t)} s: ${activeUsers(schedule, options.users, t)} users, ${traffic.inFlight} requests in flight, ` +
        `${recent.length / 5} answers/s and ${recent.filter((s) => s.error).length} errors in the last 5 s, load ${round1(os.loadavg()[0]!)}`,
    );
  }, 5_000);
  const spans: PhaseSpan<Phase>[] = [{ name: "baseline", from: -options.baseline * 1000, to: 0 }, ...schedule.phases];
  try {
    for (const span of schedule.phases) {
      await sleep(span.to - clock());
      await meter.lap(span.name);
    }

    // 4. Recovery: until the probe's p99 is back within bounds for two windows in a row, or long enough to give up.
    const windowMs = options.recoveryWindow * 1000;
    const observeUntil = schedule.endMs + 2 * options.recoveryLimit * 1000 + STABLE_WINDOWS * windowMs;
    const recoveryOptions = {
      boundMs,
      windowMs,
      stepMs: 1_000,
      stableWindows: STABLE_WINDOWS,
      minSamples: Math.max(5, Math.floor((options.probeRate * windowMs) / 2_000)),
    };
    let recoveredAfter: number | null = null;
    while (recoveredAfter === null && clock() < observeUntil) {
      await sleep(1_000);
      const probes = traffic.samples.filter((s) => s.op === "probe" && s.at >= schedule.endMs);
      recoveredAfter = recoveryTime(probes, schedule.endMs, probe.completeUntil(), recoveryOptions);
    }
    await users;
    const recoveryEnd = clock();
    const loopDelay = run.loopDelayMs();
    await probe.stop();
    await meter.lap("recovery");
    spans.push({ name: "recovery", from: schedule.endMs, to: recoveryEnd });
    clearInterval(progress);
    console.log(
      recoveredAfter === null
        ? `  the probe's p99 was not back within ${options.recoveryFactor} × baseline ${seconds(observeUntil - schedule.endMs)} s after the ramp-down`
        : `  recovered ${seconds(recoveredAfter)} s after the end of the ramp-down`,
    );

    // 5. After the test: events, the database, readiness.
    const eventsStarted = performance.now();
    await stack.eventsSettled(300_000);
    const eventsSettledMs = Math.round(performance.now() - eventsStarted);
    const ledger = await traffic.ledger.check(prisma);
    const notReadyServices = await unreadyServices(stack);
    const refreshes = [...userSessions, ...probeUsers.map((u) => u.session)].reduce((sum, s) => sum + s.refreshes, 0);

    // Report.
    /** The most users running at once from `from` to `to` (looked at every 100 ms). */
    const peakUsers = (from: number, to: number) => {
      let peak = 0;
      for (let t = from; t < to; t += 100) peak = Math.max(peak, activeUsers(schedule, options.users, t));
      return peak;
    };
    const maxUsers = (span: PhaseSpan<Phase>) => peakUsers(span.from, span.to);
    const phases = spans.map((span, i) => phaseFigures(span, traffic.samples, maxUsers(span), meter.laps[i]!.usage, meter.laps[i]!.wallMs, processes));
    const userSamples = traffic.samples.filter((s) => s.op !== "probe");

    console.log("\n=== Seeding (through the router, Argon2id included)");
    console.log(
      table(
        ["step", "count", "total s", "p50 ms", "p95 ms"],
        [
          ["stack start (db + migrations + 8 processes)", 1, seconds(bootMs), "-", "-"],
          [`doctors (createDoctor + setWeeklySchedule), parallelism ${options.seedParallelism}`, options.doctors, seconds(doctorSeeding.ms), "-", "-"],
          [
            `registerPatient, parallelism ${options.seedParallelism}`,
            patientSeeding.patients.length,
            seconds(patientSeeding.ms),
            registration.p50,
            registration.p95,
          ],
        ],
      ),
    );

    console.log(
      `\n=== Phases (requests and latency counted in the phase they were sent in, answers in the phase they arrived in; good: not an error; ` +
        `the probe apart; load average before: ${loadBefore}; this process's event loop late by up to ${loopDelay.max} ms, p99 ${loopDelay.p99} ms)`,
    );
    console.log(
      table(
        ["phase", "s", "peak users", "requests", "sent/s", "answered/s", "good/s", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms", "probe p50", "probe p99"],
        phases.map((p) => [
          p.name,
          p.seconds,
          p.users,
          p.requests,
          p.throughputRps,
          p.answeredRps,
          p.goodRps,
          p.errors,
          p.latencyMs.p50,
          p.latencyMs.p95,
          p.latencyMs.p99,
          p.latencyMs.max,
          p.probe.p50,
          p.probe.p99,
        ]),
      ),
    );
    const labels = [...new Set(phases.flatMap((p) => Object.keys(p.answers)))].sort();
    console.log("\n=== Users' answers by kind and phase (ok; SlotUnavailable with its code; errors: HTTP status + extensions.code, or network + error code)");
    console.log(
      table(
        ["answer", ...phases.map((p) => p.name), "all"],
        labels.map((label) => [label, ...phases.map((p) => p.answers[label] ?? 0), phases.reduce((sum, p) => sum + (p.answers[label] ?? 0), 0)]),
      ),
    );

    console.log("\n=== Users' requests by operation, whole spike");
    console.log(operationsTable(userSamples));

    console.log(`\n=== Timeline, ${TIMELINE_MS / 1000}-second windows (by send time; 0 = start of the ramp-up)`);
    const userWindows = windowStats(userSamples, -options.baseline * 1000, recoveryEnd, TIMELINE_MS);
    const probeWindows = windowStats(
      traffic.samples.filter((s) => s.op === "probe"),
      -options.baseline * 1000,
      recoveryEnd,
      TIMELINE_MS,
    );
    console.log(
      table(
        ["t s", "phase", "peak users", "req/s", "errors", "p50 ms", "p99 ms", "probe p99 ms"],
        userWindows.map((w, i) => [
          seconds(w.from),
          phaseAt(spans, w.from) ?? "",
          peakUsers(w.from, w.to),
          round1((w.count * 1000) / (w.to - w.from)),
          userSamples.filter((s) => s.error && s.at >= w.from && s.at < w.to).length,
          w.p50,
          w.p99,
          probeWindows[i]!.p99,
        ]),
      ),
    );

    console.log("\n=== CPU per process and phase (ms per request, probe included; core %: CPU over the phase's wall time, 100 = one core)");
    for (const p of phases) {
      console.log(`\n  ${p.name}: ${p.cpu.requests} requests in ${p.seconds} s`);
      console.log(processTable(p.cpu));
    }

    const recoveredWithinLimit = recoveredAfter !== null && recoveredAfter <= options.recoveryLimit * 1000;
    console.log(
      `\n=== Recovery: baseline p99 ${baselineP99} ms (probe, ${options.baseline} s), bound ${round1(boundMs)} ms (× ${options.recoveryFactor}); ` +
        (recoveredAfter === null ? "not recovered" : `recovered ${seconds(recoveredAfter)} s after the ramp-down ended`) +
        ` (limit ${options.recoveryLimit} s; ${options.recoveryWindow}-second windows, ${STABLE_WINDOWS} in a row)`,
    );
    printProblems(ledger, traffic.samples, notReadyServices);
    console.log(`  events settled ${eventsSettledMs} ms after the last answer`);
    if (refreshes) console.log(`  note: ${refreshes} sessions were refreshed during the run (refreshSession calls are in the load)`);
    console.log(
      `=== This process (load generator): RSS ${mb(process.memoryUsage().rss)} MB, peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB; services: ${stack.services.map((s) => `${s.name} ${s.pid}`).join(", ")}`,
    );

    const checks = { ...commonChecks(ledger, traffic.samples, notReadyServices), recoveredWithinLimit };
    const exitCode = printChecks(checks);

    const file = await writeResults(`spike-${startedAt.toISOString().replace(/[:.]/g, "-")}`, {
      benchmark: "spike",
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      commit,
      machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, totalMemMb: mb(os.totalmem()), loadAverageBefore: loadBefore },
      options,
      stack: { portBase: stack.portBase, env: STACK_ENV, services: stack.services.map(({ name, pid, url }) => ({ name, pid, url })) },
      seeding: {
        stackStartMs: Math.round(bootMs),
        doctorsMs: Math.round(doctorSeeding.ms),
        patients: patientSeeding.patients.length,
        patientsMs: Math.round(patientSeeding.ms),
        registerPatientMs: registration,
      },
      baselineP99Ms: baselineP99,
      loopDelayMs: loopDelay,
      recovery: { afterMs: recoveredAfter, boundMs: round1(boundMs), limitMs: options.recoveryLimit * 1000 },
      phases,
      ledger,
      eventsSettledMs,
      notReady: notReadyServices,
      checks,
    });
    console.log(`\nResults written to ${file}`);
    return exitCode;
  } finally {
    clearInterval(progress);
  }
}

/**
 * Ctrl-C safety, as in the other benchmarks with child processes: this file runs as the launcher (what tsx starts) and
 * as the runner (CLINIGRAPH_BENCH_SPIKE_RUNNER=1) in a process group of its own with the services; Ctrl-C reaches the
 * launcher, which passes SIGINT on to the runner, which stops the services and drops the database and its Redis keys.
 */
launchBench({
  script: fileURLToPath(import.meta.url),
  runnerEnv: "CLINIGRAPH_BENCH_SPIKE_RUNNER",
  checkOptions: () => parseOptions(process.argv.slice(2), process.env),
  main,
  shutdown: () => run.shutdown(),
  stopping: "stopping the stack and dropping the bench database",
});
