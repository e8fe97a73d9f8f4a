/**
 * The notifications scheduler: a loop that sends what is due (domain/dispatch.ts). It runs again at once while
 * passes come back full, else sleeps until the next delivery is due or `pollMs` passes, whichever is sooner (a new
 * message from another instance's consumer is picked up within `pollMs`). Every instance runs one; their claims
 * never overlap. stop() lets the pass in flight finish.
 */
import type { Logger } from "@clinigraph/platform";
import type { Deps } from "./domain/deps.js";
import { dispatchDue, type DispatchReport } from "./domain/dispatch.js";

export interface SchedulerOptions {
  pollMs: number;
}

export interface Scheduler {
  /** Resolves once no delivery due now is waiting (for tests and the e2e stack's settling). */
  idle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export function startScheduler(deps: Deps, logger: Logger, options: SchedulerOptions): Scheduler {
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let wake: (() => void) | null = null;
  let pass: Promise<DispatchReport | null> = Promise.resolve(null);

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
      timer.unref();
    }).finally(() => {
      wake = null;
      if (timer) clearTimeout(timer);
    });

  const loop = async () => {
    while (!stopping) {
      pass = dispatchDue(deps).catch((err: unknown) => {
        logger.warn({ err }, "scheduler pass failed; trying again");
        return null;
      });
      const report = await pass;
      if (stopping) break;
      if (report && report.claimed >= deps.dispatch.batchSize) continue; // more is due: no pause
      const next = await deps.deliveries.nextDueAt().catch(() => null);
      const untilNext = next ? next.getTime() - deps.clock().getTime() : options.pollMs;
      await sleep(Math.max(10, Math.min(options.pollMs, untilNext)));
    }
  };
  const running = loop();

  return {
    async idle(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await pass;
        const next = await deps.deliveries.nextDueAt();
        if (!next || next.getTime() > deps.clock().getTime()) return;
        if (Date.now() > deadline) throw new Error(`notifications scheduler not idle after ${timeoutMs} ms`);
        wake?.();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      stopping = true;
      wake?.();
      await running;
    },
  };
}
