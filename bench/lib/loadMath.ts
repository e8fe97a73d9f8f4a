/**
 * The arithmetic of the load tests (`bench:spike`, `bench:soak`), kept pure so it is unit-tested
 * (loadMath.test.ts): when each simulated user starts and stops, which phase a moment belongs to, latency per time
 * window, when latency has recovered after a spike, the slope of a memory series, how an answer counts as an error,
 * and the weighted choice of the next action.
 */
import { latencyStats, type LatencyStats } from "./report.js";

// ---------------------------------------------------------------------------------------------------------------
// A spike's schedule

export interface SpikePlan {
  users: number;
  rampUpMs: number;
  holdMs: number;
  rampDownMs: number;
}

export type SpikePhase = "ramp-up" | "hold" | "ramp-down";

export interface PhaseSpan<P extends string = string> {
  name: P;
  /** Milliseconds from the start of the ramp-up; `to` excluded. */
  from: number;
  to: number;
}

export interface SpikeSchedule {
  /** When user i (0 … users − 1) starts: spread evenly over the ramp-up, the first at 0. */
  startAt(i: number): number;
  /** When user i stops: spread evenly over the ramp-down, the last to start the first to stop. */
  stopAt(i: number): number;
  phases: readonly PhaseSpan<SpikePhase>[];
  /** The end of the ramp-down: every user has stopped (but may still wait for its last answer). */
  endMs: number;
}

/** 0 → `users` evenly over the ramp-up, all of them through the hold, then back to 0 evenly over the ramp-down. */
export function spikeSchedule(plan: SpikePlan): SpikeSchedule {
  const { users, rampUpMs, holdMs, rampDownMs } = plan;
  if (!Number.isInteger(users) || users < 1) throw new Error(`users must be a whole number ≥ 1, got ${users}`);
  if ([rampUpMs, holdMs, rampDownMs].some((ms) => !(ms >= 0))) throw new Error("phase lengths must be ≥ 0");
  const holdFrom = rampUpMs;
  const downFrom = rampUpMs + holdMs;
  const endMs = downFrom + rampDownMs;
  return {
    startAt: (i) => Math.floor((rampUpMs * i) / users),
    stopAt: (i) => downFrom + Math.floor((rampDownMs * (users - 1 - i)) / users),
    phases: [
      { name: "ramp-up", from: 0, to: holdFrom },
      { name: "hold", from: holdFrom, to: downFrom },
      { name: "ramp-down", from: downFrom, to: endMs },
    ],
    endMs,
  };
}

/** How many users of `schedule` are running at `t` (started, not yet stopped). */
export function activeUsers(schedule: SpikeSchedule, users: number, t: number): number {
  let active = 0;
  for (let i = 0; i < users; i++) if (schedule.startAt(i) <= t && t < schedule.stopAt(i)) active++;
  return active;
}

/** The phase `t` falls in (a phase's `from` included, its `to` excluded), or null outside all of them. */
export function phaseAt<P extends string>(phases: readonly PhaseSpan<P>[], t: number): P | null {
  for (const phase of phases) if (t >= phase.from && t < phase.to) return phase.name;
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Latency over time

/** One answered request: when it was sent (ms on the caller's clock) and how long it took. */
export interface TimedSample {
  at: number;
  ms: number;
}

export interface WindowStats extends LatencyStats {
  from: number;
  to: number;
}

/** Latency statistics of consecutive windows of `windowMs` from `fromMs` to `toMs` (the last one may be shorter). */
export function windowStats(samples: readonly TimedSample[], fromMs: number, toMs: number, windowMs: number): WindowStats[] {
  if (!(windowMs > 0)) throw new Error(`windowMs must be > 0, got ${windowMs}`);
  const windows: WindowStats[] = [];
  for (let from = fromMs; from < toMs; from += windowMs) {
    const to = Math.min(from + windowMs, toMs);
    windows.push({ from, to, ...latencyStats(samples.filter((s) => s.at >= from && s.at < to).map((s) => s.ms)) });
  }
  return windows;
}

export interface RecoveryOptions {
  /** A window holds when its p99 is at most this (e.g. 1.5 × the baseline p99), in ms. */
  boundMs: number;
  windowMs: number;
  /** Candidate start times are this far apart. */
  stepMs: number;
  /** This many adjacent windows, back to back, must all hold: one quiet window is not a recovery. */
  stableWindows: number;
  /** A window with fewer samples does not hold (too few to tell a p99). */
  minSamples: number;
}

/**
 * How long after `fromMs` the latency of `samples` recovered: the smallest offset o (a multiple of `stepMs`) such
 * that the `stableWindows` windows of `windowMs` from `fromMs + o` on, back to back, each hold (enough samples, p99
 * at most `boundMs`), all of them ending by `untilMs` (the end of what was observed). Null if there is none.
 */
export function recoveryTime(samples: readonly TimedSample[], fromMs: number, untilMs: number, options: RecoveryOptions): number | null {
  const { boundMs, windowMs, stepMs, stableWindows, minSamples } = options;
  if (!(windowMs > 0 && stepMs > 0 && stableWindows >= 1)) throw new Error("windowMs and stepMs must be > 0, stableWindows ≥ 1");
  const sorted = [...samples].sort((a, b) => a.at - b.at);
  const holds = (from: number) => {
    const to = from + windowMs;
    const ms: number[] = [];
    for (const s of sorted) {
      if (s.at >= to) break;
      if (s.at >= from) ms.push(s.ms);
    }
    return ms.length >= minSamples && latencyStats(ms).p99 <= boundMs;
  };
  for (let offset = 0; fromMs + offset + stableWindows * windowMs <= untilMs; offset += stepMs) {
    let all = true;
    for (let k = 0; k < stableWindows && all; k++) all = holds(fromMs + offset + k * windowMs);
    if (all) return offset;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Memory over time

/** The least-squares line through the points: slope (y per x) and intercept; NaN for fewer than two distinct x. */
export function linearFit(points: readonly { x: number; y: number }[]): { slope: number; intercept: number } {
  const n = points.length;
  if (n < 2) return { slope: NaN, intercept: NaN };
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - mx) ** 2;
    sxy += (p.x - mx) * (p.y - my);
  }
  if (sxx === 0) return { slope: NaN, intercept: NaN };
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/** MB per hour of a series of (ms, bytes) samples, by linear regression over those taken at or after `fromMs`. */
export function slopeMbPerHour(samples: readonly { at: number; bytes: number }[], fromMs: number): number {
  const points = samples.filter((s) => s.at >= fromMs).map((s) => ({ x: s.at / 3_600_000, y: s.bytes / 1024 / 1024 }));
  return linearFit(points).slope;
}

// ---------------------------------------------------------------------------------------------------------------
// Answers and errors

/** What went wrong with a request, as the load tests count it. */
export interface ErrorKind {
  /** "HTTP 504 GATEWAY_TIMEOUT", "HTTP 200 INTERNAL", "network ECONNRESET", … */
  label: string;
  /** The platform failed (an HTTP status of 500 or above, or an INTERNAL error), not the caller. */
  serverFault: boolean;
  network: boolean;
}

const INTERNAL_CODES: ReadonlySet<string> = new Set(["INTERNAL", "INTERNAL_SERVER_ERROR"]);

/**
 * The error of an HTTP answer, null when it is a success: its status and its first GraphQL error's `extensions.code`
 * (and `extensions.reason`, which says why a CONFLICT).
 */
export function answerError(answer: {
  status: number;
  errors?: readonly { extensions?: { code?: unknown; reason?: unknown } }[] | null;
  data?: unknown;
}): ErrorKind | null {
  const codes = (answer.errors ?? []).map((e) => (typeof e.extensions?.code === "string" ? e.extensions.code : "NO_CODE"));
  const ok = answer.status >= 200 && answer.status < 300;
  if (ok && codes.length === 0 && answer.data != null) return null;
  const reason = answer.errors?.[0]?.extensions?.reason;
  const code = (codes[0] ?? (ok ? "NO_DATA" : "NO_GRAPHQL_ERROR")) + (typeof reason === "string" ? ` ${reason}` : "");
  return { label: `HTTP ${answer.status} ${code}`, serverFault: answer.status >= 500 || codes.some((c) => INTERNAL_CODES.has(c)), network: false };
}

/** A request that got no answer: its Node error code. */
export const networkError = (code: string): ErrorKind => ({ label: `network ${code}`, serverFault: false, network: true });

// ---------------------------------------------------------------------------------------------------------------
// Choices

/** The key whose share of the weights `r` (uniform in [0, 1)) falls in; weights ≤ 0 are never picked. */
export function pickWeighted<K extends string>(weights: Readonly<Record<K, number>>, r: number): K {
  const entries = (Object.entries(weights) as [K, number][]).filter(([, w]) => w > 0);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  if (entries.length === 0 || !(total > 0)) throw new Error("at least one weight must be > 0");
  let point = r * total;
  for (const [key, w] of entries) {
    if (point < w) return key;
    point -= w;
  }
  return entries[entries.length - 1]![0];
}

/** A think time around `meanMs`: uniform between half and one and a half times it, for `r` uniform in [0, 1). */
export const thinkTime = (meanMs: number, r: number) => meanMs * (0.5 + r);
