/**
 * What the load tests (`bench:spike`, `bench:soak`) share around their traffic: starting the platform as a deployment
 * runs it and tearing it down once whatever happens (`LoadRun`, for bench/lib/launcher.ts), and the parts of their
 * report that read the same: requests by operation, what went wrong, the database's word on the bookings, the
 * services' readiness, the checks and the exit code.
 */
import os from "node:os";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { createPrisma } from "@clinigraph/scheduling";
import { notReady, startProcessStack, type ProcessStack } from "./processStack.js";
import { latencyStats, table } from "./report.js";
import { RouterClient } from "./routerClient.js";
import type { LedgerCheck, Sample } from "./traffic.js";

const round1 = (n: number) => Math.round(n * 10) / 10;
const seconds = (ms: number) => Math.round(ms / 100) / 10;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

export interface Started {
  stack: ProcessStack;
  /** The router's client for seeding (a pool of `parallelism × 2` connections) and the users' own connections. */
  client: RouterClient;
  /** scheduling's tables, for the checks. */
  prisma: ReturnType<typeof createPrisma>;
  bootMs: number;
}

/** One load test's platform: started once, stopped once (after the test, on an error or on Ctrl-C). */
export class LoadRun {
  private started: Partial<Started> = {};
  private stopStack: (() => Promise<void>) | undefined;
  private readonly beforeStop: (() => Promise<void>)[] = [];
  private stopping: Promise<void> | undefined;
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 20 });

  /** Prints the test's title, options and machine. */
  header(title: string, options: object, extra = "") {
    console.log(`${title} — ${JSON.stringify(options)}`);
    console.log(
      `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, ${mb(os.totalmem())} MB RAM, load ${os.loadavg().map(round1).join(" ")}${extra}`,
    );
  }

  /** The platform, one process per service, with `env` on top of the stack's own. */
  async start(env: Record<string, string>, parallelism: number): Promise<Started> {
    console.log("Starting the platform, one process per service…");
    const bootStarted = performance.now();
    const starting = startProcessStack({ env, log: (line) => console.log(line) });
    this.stopStack = () => starting.stop();
    const stack = await starting.started;
    const bootMs = performance.now() - bootStarted;
    console.log(
      `Stack up in ${seconds(bootMs)} s: ${stack.routerUrl}, database ${new URL(stack.databaseUrl).pathname.slice(1)}, Redis keys ${stack.events.namespace}*`,
    );
    this.started = { stack, bootMs, client: new RouterClient(stack.routerUrl, parallelism * 2), prisma: createPrisma(stack.databaseUrl, 2) };
    return this.started as Started;
  }

  /** Starts (again) measuring how late this process's event loop runs: a late load generator sends late. */
  measureLoopDelay() {
    this.loopDelay.reset();
    this.loopDelay.enable();
  }

  /** This process's event-loop delay since `measureLoopDelay`, ms: p99 and max. */
  loopDelayMs(): { p99: number; max: number } {
    return { p99: round1(this.loopDelay.percentile(99) / 1e6), max: round1(this.loopDelay.max / 1e6) };
  }

  /** Runs `work` first when stopping (e.g. closing the subscribers). */
  onStop(work: () => Promise<void>) {
    this.beforeStop.push(work);
  }

  shutdown(): Promise<void> {
    return (this.stopping ??= (async () => {
      for (const work of this.beforeStop) await work().catch((err: unknown) => console.error(err));
      this.started.client?.close();
      await this.started.prisma?.$disconnect().catch(() => undefined);
      try {
        await this.stopStack?.();
      } catch (err) {
        console.error("stopping the stack failed (its database may be left behind):", err);
      }
    })());
  }
}

/** Every service whose `/ready` does not answer 200, with what it answered. */
export async function unreadyServices(stack: ProcessStack): Promise<{ name: string; problem: string }[]> {
  const answers = await Promise.all(stack.services.map(async (s) => ({ name: s.name, problem: await notReady(s.url) })));
  return answers.filter((a): a is { name: string; problem: string } => a.problem !== null);
}

/** Requests, errors and latency per operation. */
export function operationsTable(samples: readonly Sample[]): string {
  const ops = [...new Set(samples.map((s) => s.op))];
  return table(
    ["operation", "requests", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms"],
    ops.map((op) => {
      const mine = samples.filter((s) => s.op === op);
      const stats = latencyStats(mine.map((s) => s.ms));
      return [op, mine.length, mine.filter((s) => s.error).length, stats.p50, stats.p95, stats.p99, stats.max];
    }),
  );
}

/** The database's word on the bookings, then the first server faults, network errors and services not ready. */
export function printProblems(ledger: LedgerCheck, samples: readonly Sample[], unready: readonly { name: string; problem: string }[]) {
  console.log(
    `=== Database: ${ledger.answered} appointments answered for, ${ledger.missing} missing, ${ledger.wrongStatus} with another status, ` +
      `${ledger.slotsWithSeveralLive} slots with several live appointments, ${ledger.liveOnFreeSlot} live appointments on a slot not BUSY, ` +
      `${ledger.liveUnknownToTest} live appointments the test had no answer for`,
  );
  for (const sample of ledger.samples) console.log(`  ${sample}`);
  for (const s of samples.filter((x) => x.error?.serverFault).slice(0, 5))
    console.log(`  server fault: ${s.op} at ${seconds(s.at)} s: ${s.outcome}${s.detail ? `: ${s.detail}` : ""}`);
  for (const s of samples.filter((x) => x.error?.network).slice(0, 5))
    console.log(`  network error: ${s.op} at ${seconds(s.at)} s after ${Math.round(s.ms)} ms: ${s.outcome}`);
  for (const s of unready) console.log(`  ${s.name} not ready: ${s.problem}`);
}

/** The checks every load test makes of its requests, the database and the services. */
export function commonChecks(ledger: LedgerCheck, samples: readonly Sample[], unready: readonly unknown[]) {
  return {
    noServerErrors: !samples.some((s) => s.error?.serverFault),
    noNetworkErrors: !samples.some((s) => s.error?.network),
    noLostBookings: ledger.missing === 0 && ledger.wrongStatus === 0,
    atMostOneLiveAppointmentPerSlot: ledger.slotsWithSeveralLive === 0 && ledger.liveOnFreeSlot === 0,
    everyServiceReady: unready.length === 0,
  };
}

/** Prints the checks (null: not judged this time) and answers the exit code: 1 when one failed. */
export function printChecks(checks: Record<string, boolean | null>): number {
  console.log("=== Checks");
  for (const [name, ok] of Object.entries(checks)) console.log(`  ${ok === null ? "skip" : ok ? "ok  " : "FAIL"} ${name}`);
  return Object.values(checks).every((ok) => ok !== false) ? 0 : 1;
}
