/**
 * Notifications scheduler benchmark (`pnpm bench:notifications`): a minute's worth of appointment reminders falling
 * due at once, sent by the real scheduler over real SMTP, once with one scheduler process and once with two.
 *
 *   1. A fresh PostgreSQL database (accounts' and notifications' schemas, migrated; dropped at the end, also after an
 *      error or Ctrl-C). In child processes: an SMTP sink (`lib/smtpSinkProcess.ts`) and the real accounts subgraph
 *      (`lib/accountsProcess.ts`) on that database. accounts creates `--users` patients through its own UserRepository,
 *      so their addresses are sealed as in production (one precomputed Argon2id hash shared by all: nobody signs in).
 *   2. For each entry of `--scenarios` (the number of scheduler processes; default 1 then 2): the ledger is emptied,
 *      that many notifications instances are started, each in its own process (`lib/notificationsProcess.ts`:
 *      `startNotifications` with NOTIFICATIONS_SCHEDULER=on, SMTP_URL at the sink, ACCOUNTS_URL at accounts, and a doctor
 *      directory that knows one doctor, Europe/Berlin). Once they run, `--reminders` APPOINTMENT_REMINDER deliveries
 *      (SCHEDULED, EMAIL, one per patient, round-robin when there are fewer patients) are written straight into
 *      notifications.deliveries, due from `--lead` seconds later, spread evenly over `--window` seconds.
 *   3. The bench waits until nothing is SCHEDULED or SENDING any more (or `--max-wait` seconds after the last due
 *      time), then reports: whether everything was sent exactly once (the sink's message count and distinct
 *      Message-IDs against the ledger, each to its patient's address, every row SENT at the first attempt), lateness
 *      (sent_at − due_at) p50/p95/p99/max and whether p99 met `--goal-p99`, throughput, CPU per delivery and peak RSS of
 *      the scheduler processes (measured inside each, RSS sampled every 100 ms), the CPU of accounts and of the sink,
 *      the machine's CPU use, and the scheduler's steps (claim, contacts, preferences, send, record) as timed inside
 *      the scheduler process.
 *
 * Tuning goes through the service's own settings: `--batch-size`, `--concurrency` and `--poll-ms` set
 * NOTIFICATIONS_BATCH_SIZE, NOTIFICATIONS_CONCURRENCY and NOTIFICATIONS_POLL_MS of the scheduler processes (unset:
 * the service's defaults). Timings are printed, never asserted: the exit code is 1 only when a delivery was lost,
 * duplicated, misaddressed or not recorded SENT.
 *
 * Options (flag or environment variable, flags win):
 *   --reminders N          BENCH_NOTIFY_REMINDERS          reminders per scenario (default 10000)
 *   --users N              BENCH_NOTIFY_USERS              distinct recipients created in accounts (default 10000)
 *   --window S             BENCH_NOTIFY_WINDOW             seconds the due times are spread over (default 60; 0: all at once)
 *   --lead S               BENCH_NOTIFY_LEAD               seconds from writing the rows to the first due time (default 5)
 *   --scenarios LIST       BENCH_NOTIFY_SCENARIOS          scheduler processes per scenario (default 1,2)
 *   --batch-size N         BENCH_NOTIFY_BATCH_SIZE         NOTIFICATIONS_BATCH_SIZE (default: the service's, 200)
 *   --concurrency N        BENCH_NOTIFY_CONCURRENCY        NOTIFICATIONS_CONCURRENCY (default: the service's, 32)
 *   --poll-ms N            BENCH_NOTIFY_POLL_MS            NOTIFICATIONS_POLL_MS (default: the service's, 1000)
 *   --seed-parallelism N   BENCH_NOTIFY_SEED_PARALLELISM   users created at once in accounts (default 8)
 *   --goal-p99 S           BENCH_NOTIFY_GOAL_P99           lateness p99 goal, seconds, reported as met or not (default 30)
 *   --max-wait S           BENCH_NOTIFY_MAX_WAIT           give up this many seconds after the last due time (default 300)
 *   --smtp-query Q         BENCH_NOTIFY_SMTP_QUERY         query parameters added to SMTP_URL, i.e. the e-mail channel's
 *                                                          nodemailer options (e.g. maxConnections=20; default none)
 *
 * Figures go to stdout and to bench/results/notifications-<timestamp>.json.
 */
import os from "node:os";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { launchBench } from "./lib/launcher.js";
import { loadNotificationsConfig } from "@clinigraph/notifications";
import { createTestDatabase, queryDatabase, TEST_ROUTER_SECRETS, type TestDatabase } from "@clinigraph/testing";
import type { ContactsServed, CreatedUsers } from "./lib/accountsProcess.js";
import { forkChild, type Child, type ProcessUsage } from "./lib/children.js";
import { readFlags } from "./lib/flags.js";
import type { BenchDoctor, SchedulerSteps } from "./lib/notificationsProcess.js";
import { REPO, gitCommit, latencyStats, table, type LatencyStats } from "./lib/report.js";
import type { SinkReport } from "./lib/smtpSinkProcess.js";

// ---------------------------------------------------------------------------------------------------------------
// Options

interface Options {
  reminders: number;
  users: number;
  window: number;
  lead: number;
  scenarios: number[];
  batchSize: number | null;
  concurrency: number | null;
  pollMs: number | null;
  seedParallelism: number;
  goalP99: number;
  maxWait: number;
  /** Query parameters added to SMTP_URL (the e-mail channel's nodemailer options, e.g. maxConnections=20), or "". */
  smtpQuery: string;
}

type Spec = { flag: string; env: string; fallback: string | null; min: number; integer?: boolean; list?: boolean };
const OPTION_SPEC: Record<Exclude<keyof Options, "smtpQuery">, Spec> = {
  reminders: { flag: "reminders", env: "BENCH_NOTIFY_REMINDERS", fallback: "10000", min: 1, integer: true },
  users: { flag: "users", env: "BENCH_NOTIFY_USERS", fallback: "10000", min: 1, integer: true },
  window: { flag: "window", env: "BENCH_NOTIFY_WINDOW", fallback: "60", min: 0 },
  lead: { flag: "lead", env: "BENCH_NOTIFY_LEAD", fallback: "5", min: 1 },
  scenarios: { flag: "scenarios", env: "BENCH_NOTIFY_SCENARIOS", fallback: "1,2", min: 1, integer: true, list: true },
  batchSize: { flag: "batch-size", env: "BENCH_NOTIFY_BATCH_SIZE", fallback: null, min: 1, integer: true },
  concurrency: { flag: "concurrency", env: "BENCH_NOTIFY_CONCURRENCY", fallback: null, min: 1, integer: true },
  pollMs: { flag: "poll-ms", env: "BENCH_NOTIFY_POLL_MS", fallback: null, min: 10, integer: true },
  seedParallelism: { flag: "seed-parallelism", env: "BENCH_NOTIFY_SEED_PARALLELISM", fallback: "8", min: 1, integer: true },
  goalP99: { flag: "goal-p99", env: "BENCH_NOTIFY_GOAL_P99", fallback: "30", min: 0 },
  maxWait: { flag: "max-wait", env: "BENCH_NOTIFY_MAX_WAIT", fallback: "300", min: 1 },
};

function usage(): string {
  const lines = Object.values(OPTION_SPEC).map((o) => `  --${o.flag.padEnd(17)} ${o.env.padEnd(30)} default ${o.fallback ?? "the service's"}`);
  lines.push(`  --${"smtp-query".padEnd(17)} ${"BENCH_NOTIFY_SMTP_QUERY".padEnd(30)} default none (e.g. maxConnections=20: added to SMTP_URL)`);
  return ["Usage: pnpm bench:notifications [--flag value ...]   (or the environment variables)", ...lines].join("\n");
}

function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options {
  const flags = readFlags(argv, [...Object.values(OPTION_SPEC).map((o) => o.flag), "smtp-query"], usage);
  const options = {} as Record<string, number | number[] | string | null>;
  for (const [key, spec] of Object.entries(OPTION_SPEC)) {
    const raw = (flags.get(spec.flag) ?? env[spec.env] ?? "").trim();
    if (raw === "" && spec.fallback === null) {
      options[key] = null;
      continue;
    }
    const text = raw === "" ? spec.fallback! : raw;
    const values = (spec.list ? text.split(",") : [text]).map((part) => Number(part.trim().replace(/_/g, "")));
    for (const value of values)
      if (!Number.isFinite(value) || value < spec.min || (spec.integer && !Number.isInteger(value)))
        throw new Error(`--${spec.flag} / ${spec.env} must be ${spec.integer ? "integers" : "numbers"} ≥ ${spec.min}, got "${text}"`);
    options[key] = spec.list ? values : values[0]!;
  }
  const smtpQuery = (flags.get("smtp-query") ?? env.BENCH_NOTIFY_SMTP_QUERY ?? "").trim().replace(/^\?/, "");
  for (const [name] of new URLSearchParams(smtpQuery))
    if (!/^[A-Za-z]+$/.test(name)) throw new Error(`--smtp-query / BENCH_NOTIFY_SMTP_QUERY must be name=value pairs joined by &, got "${smtpQuery}"`);
  options.smtpQuery = smtpQuery;
  return options as unknown as Options;
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;
const seconds = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s` : "-");
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "-");

const RESULTS_DIR = path.join(REPO, "bench", "results");
const RUN_STAMP = new Date().toISOString().replace(/[:.]/g, "-");
const LIB = new URL("./lib/", import.meta.url);

/** The one doctor every reminder is with. */
const DOCTOR: BenchDoctor = {
  id: "0b7a4c1e-52d4-4c55-9a7e-5c0f1f0b6d01",
  serviceId: "0b7a4c1e-52d4-4c55-9a7e-5c0f1f0b6d02",
  card: { name: "Dr. Anna Weber", timezone: "Europe/Berlin", location: "Building B, room 2.14" },
  serviceName: "General consultation",
};

/** Reminders go out this many minutes before the appointment (the default preference's second offset). */
const OFFSET_MINUTES = 60;

/** Busy and total jiffies of the whole machine (/proc/stat), for its CPU use over a phase. */
function machineCpu(): { busy: number; total: number } | null {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((sum, v) => sum + v, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

const sender = (index: number) => `scheduler-${index + 1}@bench.example`;

// ---------------------------------------------------------------------------------------------------------------
// Processes and cleanup

const state: { db?: TestDatabase; children: Set<Child>; stopping?: Promise<void> } = { children: new Set() };

async function startChild(name: string, file: string): Promise<Child> {
  const child = await forkChild(name, new URL(file, LIB));
  state.children.add(child);
  void child.exited.then(() => state.children.delete(child));
  return child;
}

/** Stops every child (SIGKILL after 10 s) and drops the database, once, whatever state the run is in. */
function shutdown(): Promise<void> {
  return (state.stopping ??= (async () => {
    await Promise.all([...state.children].map((child) => child.stop(10_000).catch(() => child.kill())));
    if (state.db) {
      try {
        await state.db.drop();
        console.log(`Dropped database ${state.db.name}.`);
      } catch (err) {
        console.error(`dropping database ${state.db.name} failed (drop it by hand):`, err);
      }
    }
  })());
}

// ---------------------------------------------------------------------------------------------------------------
// One scenario

interface Context {
  options: Options;
  db: TestDatabase;
  smtpUrl: string;
  accountsUrl: string;
  sink: Child;
  accounts: Child;
  userIds: string[];
  emailOf: Map<string, string>;
  settings: { batchSize: number; concurrency: number; pollMs: number; leaseMs: number };
}

interface ScenarioResult {
  processes: number;
  settings: Context["settings"];
  insertMs: number;
  lateWriteMs: number;
  complete: boolean;
  waitedMs: number;
  ledger: { statuses: Record<string, number>; retried: number };
  sink: { messages: number; distinctMessageIds: number; connections: number; missing: number; unexpected: number; duplicates: number; misaddressed: number };
  sentPerProcess: number[];
  latenessMs: LatencyStats;
  /** offeredPerS: null when every reminder falls due at the same moment (`--window 0`). */
  throughput: { offeredPerS: number | null; achievedPerS: number; peakPerS: number; firstDueToLastSentMs: number; lastDueToLastSentMs: number };
  cpu: {
    schedulerMs: number[];
    schedulerMsPerDelivery: number;
    deliveriesPerCpuSecond: number;
    accountsMs: number;
    sinkMs: number;
    machineBusyPct: number | null;
  };
  peakRssMb: number[];
  contactsServed: ContactsServed;
  steps: SchedulerSteps[];
  goalMet: boolean;
  exactlyOnce: boolean;
}

function schedulerEnv(ctx: Pick<Context, "options" | "db" | "accountsUrl" | "smtpUrl">, index: number): Record<string, string> {
  const { options } = ctx;
  return {
    DATABASE_URL: ctx.db.url,
    CLINIGRAPH_ROUTER_SECRETS: TEST_ROUTER_SECRETS.join(","),
    NOTIFICATIONS_PORT: "0",
    NOTIFICATIONS_SCHEDULER: "on",
    ACCOUNTS_URL: ctx.accountsUrl,
    SMTP_URL: options.smtpQuery ? `${ctx.smtpUrl}?${options.smtpQuery}` : ctx.smtpUrl,
    // The envelope sender tells the sink which process sent a message.
    MAIL_FROM: `Clinigraph <${sender(index)}>`,
    WEB_APP_URL: "https://app.clinic.example",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
    ...(options.batchSize !== null ? { NOTIFICATIONS_BATCH_SIZE: String(options.batchSize) } : {}),
    ...(options.concurrency !== null ? { NOTIFICATIONS_CONCURRENCY: String(options.concurrency) } : {}),
    ...(options.pollMs !== null ? { NOTIFICATIONS_POLL_MS: String(options.pollMs) } : {}),
  };
}

/** Writes the reminders (one statement), due from `firstDue` on, `step` ms apart. */
async function writeReminders(ctx: Context, firstDue: number, step: number): Promise<void> {
  const n = ctx.options.reminders;
  const ids: string[] = [];
  const keys: string[] = [];
  const recipients: string[] = [];
  const appointments: string[] = [];
  const starts: string[] = [];
  const facts: string[] = [];
  const dues: string[] = [];
  for (let i = 0; i < n; i++) {
    const recipient = ctx.userIds[i % ctx.userIds.length]!;
    const appointment = randomUUID();
    const due = new Date(Math.round(firstDue + i * step));
    const startsAt = new Date(due.getTime() + OFFSET_MINUTES * 60_000).toISOString();
    ids.push(randomUUID());
    keys.push(`reminder:${appointment}:${recipient}:${OFFSET_MINUTES}:EMAIL:${startsAt}`);
    recipients.push(recipient);
    appointments.push(appointment);
    starts.push(startsAt);
    facts.push(JSON.stringify({ audience: "patient", doctorId: DOCTOR.id, serviceId: DOCTOR.serviceId, patientId: recipient, startsAt }));
    dues.push(due.toISOString());
  }
  await queryDatabase(
    ctx.db.url,
    `INSERT INTO notifications.deliveries
       (id, dedupe_key, recipient_id, kind, channel, appointment_id, offset_minutes, starts_at, facts, due_at, status, attempts, created_at, updated_at)
     SELECT r.id, r.key, r.recipient, 'APPOINTMENT_REMINDER', 'EMAIL', r.appointment, ${OFFSET_MINUTES}, r.starts, r.facts, r.due, 'SCHEDULED', 0, now(), now()
       FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::timestamptz[], $6::jsonb[], $7::timestamptz[])
            AS r(id, key, recipient, appointment, starts, facts, due)`,
    [ids, keys, recipients, appointments, starts, facts, dues],
  );
  // As a long-lived ledger would have: planner statistics for the claim's query.
  await queryDatabase(ctx.db.url, "ANALYZE notifications.deliveries");
}

interface Progress {
  sent: number;
  pending: number;
  failed: number;
  due: number;
}

const progressOf = async (url: string): Promise<Progress> =>
  (
    await queryDatabase<Progress>(
      url,
      `SELECT count(*) FILTER (WHERE status = 'SENT')::int AS sent,
              count(*) FILTER (WHERE status IN ('SCHEDULED', 'SENDING'))::int AS pending,
              count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
              count(*) FILTER (WHERE due_at <= now())::int AS due
         FROM notifications.deliveries`,
    )
  )[0]!;

async function runScenario(ctx: Context, processes: number): Promise<ScenarioResult> {
  const { options } = ctx;
  await queryDatabase(ctx.db.url, "TRUNCATE notifications.deliveries");
  await ctx.sink.call("reset");

  const schedulers = await Promise.all(
    Array.from({ length: processes }, async (_, index) => {
      const child = await startChild(`scheduler ${index + 1}`, "notificationsProcess.ts");
      await child.call("start", schedulerEnv(ctx, index), DOCTOR);
      return child;
    }),
  );
  console.log(`  ${processes} scheduler process(es) running: pid ${schedulers.map((s) => s.pid).join(", ")}`);

  try {
    const measured = [...schedulers, ctx.accounts, ctx.sink];
    await Promise.all(measured.map((child) => child.call("mark")));
    await Promise.all(schedulers.map((child) => child.call("steps")));
    await ctx.accounts.call("contactsServed");
    const cpuBefore = machineCpu();

    const written = Date.now();
    const firstDue = written + options.lead * 1000;
    const step = (options.window * 1000) / options.reminders;
    const lastDue = firstDue + step * (options.reminders - 1);
    const insertStarted = performance.now();
    await writeReminders(ctx, firstDue, step);
    const insertMs = performance.now() - insertStarted;
    const lateWriteMs = Math.max(0, Date.now() - firstDue);
    console.log(
      `  ${int(options.reminders)} reminders written in ${seconds(insertMs)}; due from ${seconds(firstDue - written)} after the write began, ` +
        (options.window > 0 ? `over ${options.window} s (${int(options.reminders / options.window)}/s offered)` : "all at that moment") +
        (lateWriteMs ? ` — WARNING: the write finished ${seconds(lateWriteMs)} after the first due time; raise --lead` : ""),
    );

    const deadline = lastDue + options.maxWait * 1000;
    let progress = await progressOf(ctx.db.url);
    let lastPrint = 0;
    let crashed = false;
    while (progress.pending > 0 && Date.now() < deadline) {
      if ((crashed = schedulers.some((child) => !child.running()))) {
        console.log(`  A scheduler process exited during the run (see its output above): not waiting for the rest.`);
        break;
      }
      await sleep(500);
      progress = await progressOf(ctx.db.url);
      if (Date.now() - lastPrint >= 5_000) {
        lastPrint = Date.now();
        const t = (Date.now() - firstDue) / 1000;
        console.log(
          `    ${(t < 0 ? "" : "+") + t.toFixed(0)} s`.padEnd(12) +
            `due ${int(progress.due).padStart(6)}  sent ${int(progress.sent).padStart(6)}  ` +
            `backlog ${int(Math.max(0, progress.due - progress.sent - progress.failed)).padStart(6)}  failed ${progress.failed}`,
        );
      }
    }
    const complete = progress.pending === 0;
    const waitedMs = Date.now() - firstDue;
    // SMTP accepted every message before its row became SENT; give the sink a moment for any in flight on a timeout.
    if (!complete) await sleep(2_000);
    if (crashed) throw new Error("a scheduler process exited during the run");

    const cpuAfter = machineCpu();
    const schedulerUsage = await Promise.all(schedulers.map((child) => child.call<ProcessUsage>("usage")));
    const accountsUsage = await ctx.accounts.call<ProcessUsage>("usage");
    const sinkUsage = await ctx.sink.call<ProcessUsage>("usage");
    const steps = await Promise.all(schedulers.map((child) => child.call<SchedulerSteps>("steps")));
    const contactsServed = await ctx.accounts.call<ContactsServed>("contactsServed");
    const sinkReport = await ctx.sink.call<SinkReport>("report");

    const rows = await queryDatabase<{ id: string; recipient_id: string; status: string; attempts: number; due_ms: number; sent_ms: number | null }>(
      ctx.db.url,
      `SELECT id, recipient_id, status, attempts,
              (extract(epoch FROM due_at) * 1000)::float8 AS due_ms, (extract(epoch FROM sent_at) * 1000)::float8 AS sent_ms
         FROM notifications.deliveries`,
    );

    // Exactly once: every row's Message-ID (<delivery id@clinigraph>) arrived once, at its patient's address.
    const rowByMessageId = new Map(rows.map((row) => [`<${row.id}@clinigraph>`, row]));
    const seen = new Map<string, number>();
    let misaddressed = 0;
    let unexpected = 0;
    const sentPerProcess = schedulers.map(() => 0);
    for (const message of sinkReport.messages) {
      seen.set(message.messageId, (seen.get(message.messageId) ?? 0) + 1);
      const row = rowByMessageId.get(message.messageId);
      if (!row) unexpected++;
      else if (message.to.length !== 1 || message.to[0] !== ctx.emailOf.get(row.recipient_id)) misaddressed++;
      const index = schedulers.findIndex((_, i) => sender(i) === message.from);
      if (index >= 0) sentPerProcess[index]!++;
    }
    const missing = [...rowByMessageId.keys()].filter((id) => !seen.has(id)).length;
    const duplicates = sinkReport.messages.length - seen.size;
    const statuses: Record<string, number> = {};
    for (const row of rows) statuses[row.status] = (statuses[row.status] ?? 0) + 1;
    const retried = rows.filter((row) => row.attempts > 1).length;

    const sent = rows.filter((row) => row.status === "SENT" && row.sent_ms !== null);
    const lateness = latencyStats(sent.map((row) => row.sent_ms! - row.due_ms));
    const lastSent = Math.max(...sent.map((row) => row.sent_ms!));
    const perSecond = new Map<number, number>();
    for (const row of sent) {
      const bucket = Math.floor((row.sent_ms! - firstDue) / 1000);
      perSecond.set(bucket, (perSecond.get(bucket) ?? 0) + 1);
    }
    const schedulerCpu = schedulerUsage.map((u) => u.cpuMs);
    const schedulerCpuTotal = schedulerCpu.reduce((sum, v) => sum + v, 0);
    const exactlyOnce =
      complete &&
      rows.length === options.reminders &&
      statuses.SENT === options.reminders &&
      sinkReport.messages.length === options.reminders &&
      seen.size === options.reminders &&
      missing === 0 &&
      unexpected === 0 &&
      duplicates === 0 &&
      misaddressed === 0;

    return {
      processes,
      settings: ctx.settings,
      insertMs,
      lateWriteMs,
      complete,
      waitedMs,
      ledger: { statuses, retried },
      sink: {
        messages: sinkReport.messages.length,
        distinctMessageIds: seen.size,
        connections: sinkReport.connections,
        missing,
        unexpected,
        duplicates,
        misaddressed,
      },
      sentPerProcess,
      latenessMs: lateness,
      throughput: {
        offeredPerS: options.window > 0 ? round1(options.reminders / options.window) : null,
        achievedPerS: round1(sent.length / Math.max(0.001, (lastSent - firstDue) / 1000)),
        peakPerS: Math.max(0, ...perSecond.values()),
        firstDueToLastSentMs: lastSent - firstDue,
        lastDueToLastSentMs: lastSent - lastDue,
      },
      cpu: {
        schedulerMs: schedulerCpu.map(Math.round),
        schedulerMsPerDelivery: round2(schedulerCpuTotal / Math.max(1, sent.length)),
        deliveriesPerCpuSecond: Math.round((sent.length * 1000) / Math.max(1, schedulerCpuTotal)),
        accountsMs: Math.round(accountsUsage.cpuMs),
        sinkMs: Math.round(sinkUsage.cpuMs),
        machineBusyPct: cpuBefore && cpuAfter ? Math.round((100 * (cpuAfter.busy - cpuBefore.busy)) / Math.max(1, cpuAfter.total - cpuBefore.total)) : null,
      },
      peakRssMb: schedulerUsage.map((u) => mb(u.peakRss)),
      contactsServed,
      steps,
      goalMet: sent.length === options.reminders && lateness.p99 < options.goalP99 * 1000,
      exactlyOnce,
    };
  } finally {
    await Promise.all(schedulers.map((child) => child.stop().catch(() => child.kill())));
  }
}

function printScenario(options: Options, r: ScenarioResult) {
  const s = r.sink;
  console.log(
    `\n  Exactly once: ${r.exactlyOnce ? "yes" : "NO"} — sink ${int(s.messages)} messages, ${int(s.distinctMessageIds)} distinct Message-IDs ` +
      `(missing ${s.missing}, duplicates ${s.duplicates}, unknown ${s.unexpected}, wrong address ${s.misaddressed}); ledger ${Object.entries(r.ledger.statuses)
        .map(([status, n]) => `${status} ${int(n)}`)
        .join(", ")}; rows sent after a retry: ${r.ledger.retried}` +
      (r.complete ? "" : ` — gave up ${seconds(r.waitedMs)} after the first due time with deliveries still pending`),
  );
  if (r.processes > 1) console.log(`  Sent per process: ${r.sentPerProcess.map(int).join(" / ")}`);
  console.log(
    `  Lateness (sent_at − due_at): p50 ${seconds(r.latenessMs.p50)}, p95 ${seconds(r.latenessMs.p95)}, p99 ${seconds(r.latenessMs.p99)}, ` +
      `max ${seconds(r.latenessMs.max)} — goal p99 < ${options.goalP99} s: ${r.goalMet ? "met" : "NOT met"}`,
  );
  console.log(
    `  Throughput: ${r.throughput.achievedPerS}/s from the first due time to the last send (${r.throughput.offeredPerS === null ? "all due at once" : `${r.throughput.offeredPerS}/s offered`}; ` +
      `busiest second ${r.throughput.peakPerS}); last send ${seconds(r.throughput.lastDueToLastSentMs)} after the last due time`,
  );
  console.log(
    `  CPU: scheduler ${r.cpu.schedulerMs.map((ms) => `${int(ms)} ms`).join(" + ")} = ${r.cpu.schedulerMsPerDelivery} ms per delivery ` +
      `(≈ ${int(r.cpu.deliveriesPerCpuSecond)} deliveries per CPU-second); accounts ${int(r.cpu.accountsMs)} ms, SMTP sink ${int(r.cpu.sinkMs)} ms; ` +
      `machine ${r.cpu.machineBusyPct ?? "?"} % busy (all ${os.cpus().length} cores, PostgreSQL included)`,
  );
  console.log(`  Peak RSS of the scheduler process(es): ${r.peakRssMb.map((m) => `${m} MB`).join(", ")}`);
  console.log(
    `  accounts answered ${int(r.contactsServed.requests)} /internal/contacts requests (server side p50 ${r.contactsServed.latencyMs.p50} ms, ` +
      `p99 ${r.contactsServed.latencyMs.p99} ms); the sink saw ${int(s.connections)} SMTP connections`,
  );
  console.log("  Scheduler steps, timed inside the scheduler process(es) (wall time per call, includes waiting for the event loop):");
  console.log(
    table(
      ["step", "process", "calls", "total s", "p50 ms", "p95 ms", "p99 ms", "max ms"],
      r.steps.flatMap((st, i) =>
        (
          [
            ["claim (SKIP LOCKED)", st.claims],
            ["contacts (accounts)", st.contacts],
            ["preferences", st.preferences],
            ["send (SMTP)", st.send],
            ["record SENT", st.markSent],
          ] as const
        ).map(([name, t]) => [name, i + 1, t.calls, round1(t.totalMs / 1000), t.latencyMs.p50, t.latencyMs.p95, t.latencyMs.p99, t.latencyMs.max]),
      ),
    ),
  );
  for (const [i, st] of r.steps.entries())
    console.log(
      `  process ${i + 1}: ${int(st.claims.calls)} claims, ${int(st.claims.calls - st.claims.emptyClaims)} with deliveries ` +
        `(p50 ${st.claims.claimed.p50}, max ${st.claims.claimed.max} per claim)`,
    );
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
  const runId = Date.now().toString(36);
  console.log(`Notifications scheduler benchmark — ${JSON.stringify(options)}`);
  console.log(
    `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, ${mb(os.totalmem())} MB RAM, ` +
      `load ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}, commit ${gitCommit() ?? "?"}`,
  );

  const bootStarted = performance.now();
  state.db = await createTestDatabase(["accounts", "notifications"]);
  const db = state.db;
  const sink = await startChild("smtp sink", "smtpSinkProcess.ts");
  const accounts = await startChild("accounts", "accountsProcess.ts");
  const [{ url: smtpUrl }, { url: accountsUrl }] = await Promise.all([sink.call<{ url: string }>("start"), accounts.call<{ url: string }>("start", db.url)]);
  // The settings the scheduler processes will run with (the service's defaults where not set), checked here first.
  const config = loadNotificationsConfig(schedulerEnv({ options, db, smtpUrl, accountsUrl }, 0));
  const settings = { ...config.scheduler };
  console.log(
    `Database ${db.name}, SMTP sink ${smtpUrl} (pid ${sink.pid}), accounts ${accountsUrl} (pid ${accounts.pid}), up in ${seconds(performance.now() - bootStarted)}`,
  );
  console.log(
    "Contacts: the real accounts subgraph in its own process, answering POST /internal/contacts over HTTP from its database (sealed contacts opened per request).",
  );
  console.log(
    "Doctor directory: an in-process stand-in knowing one doctor (Europe/Berlin) and its service; the real client keeps each answer for 5 minutes, " +
      "so with one doctor it would ask the doctors subgraph once per process.",
  );
  console.log(
    `Scheduler settings: batch size ${settings.batchSize}, concurrency ${settings.concurrency}, poll ${settings.pollMs} ms, lease ${settings.leaseMs} ms; ` +
      `e-mail over the channel's own nodemailer pool (${options.smtpQuery ? `SMTP_URL with ?${options.smtpQuery}` : "its defaults: 5 connections per process"}).`,
  );

  const seedStarted = performance.now();
  const users = await accounts.call<CreatedUsers>("createUsers", {
    count: options.users,
    emailPrefix: `patient.${runId}`,
    parallelism: options.seedParallelism,
  });
  console.log(
    `Seeded ${int(options.users)} patients through accounts' UserRepository in ${seconds(performance.now() - seedStarted)} ` +
      `(parallelism ${options.seedParallelism}; per user p50 ${users.perUserMs.p50} ms, p95 ${users.perUserMs.p95} ms; ` +
      `the one shared Argon2id hash took ${Math.round(users.hashMs)} ms)` +
      (options.users < options.reminders ? `; ${int(options.reminders)} reminders go round-robin to them` : ""),
  );
  const emailOf = new Map(users.ids.map((id, i) => [id, `patient.${runId}.${i}@bench.example`]));
  const ctx: Context = { options, db, smtpUrl, accountsUrl, sink, accounts, userIds: users.ids, emailOf, settings };

  const results: ScenarioResult[] = [];
  for (const [i, processes] of options.scenarios.entries()) {
    const label = String.fromCharCode(65 + i);
    console.log(`\n=== Scenario ${label}: ${processes} scheduler process${processes === 1 ? "" : "es"} on one database`);
    const result = await runScenario(ctx, processes);
    printScenario(options, result);
    results.push(result);
  }

  const due = options.window > 0 ? `due over ${options.window} s` : "all due at once";
  console.log(`\n=== Summary (${int(options.reminders)} reminders ${due}; goal p99 < ${options.goalP99} s)`);
  console.log(
    table(
      [
        "scenario",
        "procs",
        "exactly once",
        "sink msgs",
        "distinct IDs",
        "SENT",
        "p50 s",
        "p99 s",
        "max s",
        "deliv/s",
        "busiest s",
        "CPU ms/deliv",
        "peak RSS MB",
        "p99 goal",
      ],
      results.map((r, i) => [
        String.fromCharCode(65 + i),
        r.processes,
        r.exactlyOnce ? "yes" : "NO",
        r.sink.messages,
        r.sink.distinctMessageIds,
        r.ledger.statuses.SENT ?? 0,
        round2(r.latenessMs.p50 / 1000),
        round2(r.latenessMs.p99 / 1000),
        round2(r.latenessMs.max / 1000),
        r.throughput.achievedPerS,
        r.throughput.peakPerS,
        r.cpu.schedulerMsPerDelivery,
        r.peakRssMb.join(" / "),
        r.goalMet ? "met" : "NOT met",
      ]),
    ),
  );

  await ensureResultsDir();
  const file = path.join(RESULTS_DIR, `notifications-${RUN_STAMP}.json`);
  await writeFile(
    file,
    JSON.stringify(
      {
        benchmark: "notifications",
        startedAt: startedAt.toISOString(),
        commit: gitCommit(),
        machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, totalMemMb: mb(os.totalmem()), load: os.loadavg() },
        options,
        settings,
        seeding: { users: options.users, ms: users.ms, perUserMs: users.perUserMs, hashMs: users.hashMs },
        contacts: "real accounts subgraph (child process, /internal/contacts over HTTP)",
        directory: "in-process stand-in, one doctor (Europe/Berlin)",
        scenarios: results,
      },
      null,
      2,
    ),
  );
  console.log(`\nResults: ${path.relative(process.cwd(), file)}`);
  return results.every((r) => r.exactlyOnce) ? 0 : 1;
}

/**
 * Ctrl-C safety, as in bench/fanout.ts: `tsx` SIGKILLs its child when that child does not acknowledge a signal within
 * about 60 ms, which would leave the database behind. So this file runs twice: the launcher (what tsx starts, always
 * idle) and the runner (`CLINIGRAPH_BENCH_NOTIFY_RUNNER=1`) in its own process group with its children; Ctrl-C reaches
 * the launcher only, which passes SIGINT on to the runner, which stops its children and drops the database.
 */
const RUNNER_ENV = "CLINIGRAPH_BENCH_NOTIFY_RUNNER";

launchBench({
  script: fileURLToPath(import.meta.url),
  runnerEnv: RUNNER_ENV,
  checkOptions: () => parseOptions(process.argv.slice(2), process.env),
  main,
  shutdown,
  stopping: "stopping the child processes and dropping the bench database",
});
