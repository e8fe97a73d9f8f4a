/** A settable clock for SchedulingDeps: tests move time instead of sleeping. */

/** Monday 2 March 2026, 08:00 UTC = 09:00 in Berlin (CET, before the DST change of 29 March). */
export const BASE_TIME = new Date("2026-03-02T08:00:00Z");

export class FakeClock {
  private current: number;

  constructor(start: Date = BASE_TIME) {
    this.current = start.getTime();
  }

  /** Pass this as `SchedulingDeps.clock`. */
  readonly now = (): Date => new Date(this.current);

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }

  advanceMinutes(minutes: number): void {
    this.current += minutes * 60_000;
  }

  reset(): void {
    this.current = BASE_TIME.getTime();
  }
}
