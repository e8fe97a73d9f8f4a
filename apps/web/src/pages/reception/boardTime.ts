/**
 * Minutes in state on the clinic board. The API counts them on the clinic's clock when it answers (`minutesInState`,
 * with `since` the instant the state began); the board then counts on by itself, without asking again. When the
 * browser's clock agrees with the clinic's to the minute, it counts from `since` (so the number turns exactly on the
 * minute); when it does not (a skewed computer, a clinic clock set elsewhere), it adds the minutes its own clock saw
 * pass since the entry was read.
 */
const MINUTE = 60_000;

export interface StateClock {
  /** When the entry entered its state (ISO instant, the clinic's clock). */
  since: string;
  /** Whole minutes in the state when the API answered. */
  minutesInState: number;
}

/** `readAt`: when the browser received the entry (ms); `now`: the browser's clock (ms). */
function anchor(entry: StateClock, readAt: number): { from: number; base: number } {
  const since = new Date(entry.since).getTime();
  const agrees = Number.isFinite(since) && Math.floor((readAt - since) / MINUTE) === entry.minutesInState;
  return agrees ? { from: since, base: 0 } : { from: readAt, base: entry.minutesInState };
}

/** The whole minutes to show at `now`: never less than the API said. */
export function displayedMinutes(entry: StateClock, readAt: number, now: number): number {
  const { from, base } = anchor(entry, readAt);
  return Math.max(entry.minutesInState, base + Math.floor(Math.max(0, now - from) / MINUTE));
}

/** Milliseconds from `now` until the shown number changes (at most a minute). */
export function msUntilNextMinute(entry: StateClock, readAt: number, now: number): number {
  const { from } = anchor(entry, readAt);
  const elapsed = Math.max(0, now - from);
  return MINUTE - (elapsed % MINUTE);
}

/** 125 → { hours: 2, minutes: 5 }. */
export function splitMinutes(total: number): { hours: number; minutes: number } {
  return { hours: Math.floor(total / 60), minutes: total % 60 };
}
