/**
 * Background work of the scheduling process: expire holds and make interrupted waitlist offers (every 30 s),
 * and reconcile all doctors' slots with the doctors subgraph (at start and every 10 minutes). Timers are unref'd and stop() waits
 * for a running pass, so shutdown is clean.
 */
import type { Logger } from "@clinigraph/platform";
import type { Deps } from "./domain/deps.js";
import { expireHolds } from "./domain/expireHolds.js";
import { reconcileAllDoctors } from "./domain/reconcile.js";
import { offerPendingSlots } from "./domain/waitlist.js";

export interface JobOptions {
  holdSweepMs: number;
  reconcileMs: number;
}

export function startJobs(deps: Deps, logger: Logger, options: JobOptions) {
  const running = new Set<Promise<unknown>>();
  const run = (name: string, work: () => Promise<unknown>) => {
    const pass = work()
      .catch((err: unknown) => logger.warn({ err, job: name }, "background job failed; it will run again"))
      .finally(() => running.delete(pass));
    running.add(pass);
  };
  // Expired holds free their slots; then any slot whose waitlist offer a crash interrupted is offered.
  const sweep = setInterval(() => run("expireHolds", async () => (await expireHolds(deps), await offerPendingSlots(deps))), options.holdSweepMs);
  const reconcile = setInterval(() => run("reconcile", () => reconcileAllDoctors(deps, logger)), options.reconcileMs);
  sweep.unref();
  reconcile.unref();
  run("reconcile", () => reconcileAllDoctors(deps, logger));
  return {
    async stop() {
      clearInterval(sweep);
      clearInterval(reconcile);
      await Promise.allSettled([...running]);
    },
  };
}
