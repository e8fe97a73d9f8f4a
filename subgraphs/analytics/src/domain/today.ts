/**
 * `kpisToday`: today's figures (clinic time zone, no filter), sent when the subscription starts and again after
 * facts change — at most once a second however many events arrive, so a busy morning costs one query a second per
 * subscriber. Fact changes arrive as signals on a live feed (every instance of analytics publishes its own, and
 * with Redis every instance sees them all).
 */
import { dayIn } from "@clinigraph/platform";
import { setTimeout as sleep } from "node:timers/promises";
import type { Deps } from "./deps.js";
import { checkReader, emptyCounts, toPoint } from "./kpis.js";
import type { Actor, KpiPoint } from "./types.js";

/** The live topic of fact changes. */
export const FACTS_CHANGED_TOPIC = "facts-changed";
export const MIN_GAP_MS = 1_000;

/** Today's KPI point, unfiltered. */
export async function todaysPoint(deps: Pick<Deps, "facts" | "settings" | "clock">): Promise<KpiPoint> {
  const today = dayIn(deps.clock(), deps.settings.timezone);
  const [counts] = await deps.facts.periodCounts(today, today, "DAY", {});
  return toPoint(counts ?? emptyCounts(today), deps.settings.minCell);
}

/**
 * Today's figures now, then after each burst of `changes`, no sooner than `gapMs` after the last: signals that
 * arrive while waiting are folded into the next figures. Ending the iteration (the client leaves) stops reading
 * `changes`.
 */
export async function* kpisToday(
  deps: Pick<Deps, "facts" | "settings" | "clock">,
  actor: Actor,
  changes: AsyncIterableIterator<unknown>,
  gapMs = MIN_GAP_MS,
): AsyncGenerator<KpiPoint> {
  checkReader(actor);
  const state: { dirty: boolean; ended: boolean; wake: (() => void) | null } = { dirty: false, ended: false, wake: null };
  const pump = (async () => {
    try {
      for await (const _ of changes) {
        state.dirty = true;
        state.wake?.();
      }
    } finally {
      state.ended = true;
      state.wake?.();
    }
  })();
  try {
    yield await todaysPoint(deps);
    let last = Date.now();
    for (;;) {
      if (!state.dirty && !state.ended) await new Promise<void>((resolve) => (state.wake = resolve));
      state.wake = null;
      if (!state.dirty) return; // the feed ended
      const wait = last + gapMs - Date.now();
      if (wait > 0) await sleep(wait);
      state.dirty = false;
      yield await todaysPoint(deps);
      last = Date.now();
    }
  } finally {
    await changes.return?.();
    await pump.catch(() => undefined);
  }
}
