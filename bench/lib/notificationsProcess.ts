/**
 * A child process of a benchmark: one notifications instance as a deployment runs it, `startNotifications(env)` with
 * the scheduler on (NOTIFICATIONS_SCHEDULER=on), its e-mail channel on SMTP_URL and its contacts from accounts at
 * ACCOUNTS_URL. Only the doctor directory is replaced, by one that knows a single doctor (given to `start`): the real
 * client keeps each doctor's answer for 5 minutes, so a run over one doctor would ask the doctors subgraph once anyway.
 * Events go over the in-process bus (no REDIS_URL); nothing publishes any.
 *
 * The scheduler's steps are timed by wrapping the methods of the dependencies it calls (claim, contacts, preferences,
 * send, record), which costs a clock read per call and changes nothing else.
 *
 * Methods (see `children.ts`): `start(env, doctor)` → `{ url }` (the scheduler is running once it answers), `steps()` →
 * `SchedulerSteps` since the last call, and `mark`/`usage`; `stop` closes the instance as its main would.
 */
import { performance } from "node:perf_hooks";
import { startNotifications, type StartNotificationsOptions } from "@clinigraph/notifications";
import { serveParent } from "./children.js";
import { latencyStats, type LatencyStats } from "./report.js";

type Directory = NonNullable<StartNotificationsOptions["directory"]>;

/** The one doctor the directory knows (with the one service its reminders name). */
export interface BenchDoctor {
  id: string;
  serviceId: string;
  card: { name: string; timezone: string; location: string | null };
  serviceName: string;
}

function directoryOf(doctor: BenchDoctor): Directory {
  return {
    doctor: async (doctorId) => (doctorId === doctor.id ? { ...doctor.card } : null),
    serviceName: async (serviceId) => (serviceId === doctor.serviceId ? doctor.serviceName : null),
    freeStarts: async () => [],
    sameSpecialtyFreeSlots: async () => [],
  };
}

export interface StepTimes {
  calls: number;
  totalMs: number;
  latencyMs: LatencyStats;
}

export interface SchedulerSteps {
  /** Claims that returned at least one delivery, and how many each returned. */
  claims: StepTimes & { emptyClaims: number; claimed: LatencyStats };
  contacts: StepTimes;
  preferences: StepTimes;
  send: StepTimes;
  markSent: StepTimes;
}

let running: Awaited<ReturnType<typeof startNotifications>> | undefined;

const samples = () => ({
  claim: [] as number[],
  claimed: [] as number[],
  empty: 0,
  contacts: [] as number[],
  preferences: [] as number[],
  send: [] as number[],
  markSent: [] as number[],
});
let times = samples();

/** Replaces `target[name]` by a wrapper recording each call's duration in `into()` (read at call time). */
function timed<T extends object, K extends keyof T>(
  target: T,
  name: K,
  into: () => number[],
  after?: (result: Awaited<ReturnType<Extract<T[K], (...args: never[]) => unknown>>>) => void,
) {
  const original = target[name] as unknown as (...args: unknown[]) => Promise<unknown>;
  (target as Record<K, unknown>)[name] = async (...args: unknown[]) => {
    const started = performance.now();
    const result = await original.apply(target, args);
    into().push(performance.now() - started);
    after?.(result as never);
    return result;
  };
}

const step = (values: number[]): StepTimes => ({ calls: values.length, totalMs: values.reduce((sum, v) => sum + v, 0), latencyMs: latencyStats(values) });

serveParent({
  async start(env: Record<string, string>, doctor: BenchDoctor) {
    running = await startNotifications(env, { directory: directoryOf(doctor) });
    const deps = running.deps;
    timed(
      deps.deliveries,
      "claimDue",
      () => times.claim,
      (batch) => (batch.length ? times.claimed.push(batch.length) : times.empty++),
    );
    timed(deps.contacts, "contactsOf", () => times.contacts);
    timed(deps.preferences, "findMany", () => times.preferences);
    timed(deps.channels.EMAIL, "send", () => times.send);
    timed(deps.deliveries, "markSent", () => times.markSent);
    return { url: running.url };
  },

  steps(): SchedulerSteps {
    const t = times;
    times = samples();
    return {
      claims: { ...step(t.claim), emptyClaims: t.empty, claimed: latencyStats(t.claimed) },
      contacts: step(t.contacts),
      preferences: step(t.preferences),
      send: step(t.send),
      markSent: step(t.markSent),
    };
  },

  async stop() {
    await running?.close();
  },
});
