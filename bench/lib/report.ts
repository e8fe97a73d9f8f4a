/** Helpers the benchmarks share: bounded parallelism, latency statistics, a text table, the commit measured, machine CPU. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Runs `work` over `items` with at most `parallelism` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], parallelism: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, items.length) }, worker));
  return results;
}

export interface LatencyStats {
  count: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles, rounded to 0.1; NaN for no samples. */
export function latencyStats(samples: ArrayLike<number>): LatencyStats {
  if (samples.length === 0) return { count: 0, min: NaN, p50: NaN, p95: NaN, p99: NaN, max: NaN, mean: NaN };
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  const round = (n: number) => Math.round(n * 10) / 10;
  let sum = 0;
  for (const n of sorted) sum += n;
  return {
    count: sorted.length,
    min: round(sorted[0]!),
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    max: round(sorted[sorted.length - 1]!),
    mean: round(sum / sorted.length),
  };
}

/** A text table: first column left-aligned, the others right-aligned; NaN prints as "-". */
export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = [headers, ...rows].map((row) => row.map((c) => (typeof c === "number" && Number.isNaN(c) ? "-" : String(c))));
  const widths = headers.map((_, col) => Math.max(...cells.map((row) => row[col]!.length)));
  const line = (row: readonly string[]) => row.map((c, col) => (col === 0 ? c.padEnd(widths[col]!) : c.padStart(widths[col]!))).join("  ");
  return ["  " + line(cells[0]!), "  " + widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map((row) => "  " + line(row))].join("\n");
}

/** The repository's root. */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The short commit measured (null outside a git checkout). */
export function gitCommit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

/** Busy and total jiffies of the whole machine (/proc/stat), for its CPU use over a phase; null where unreadable. */
export function machineCpu(): { busy: number; total: number } | null {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = fields.slice(0, 8).reduce((sum, v) => sum + v, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** The machine's CPU use between two `machineCpu()` readings, in percent of all cores (null when unknown). */
export function busyPercent(before: ReturnType<typeof machineCpu>, after: ReturnType<typeof machineCpu>): number | null {
  if (!before || !after) return null;
  return Math.round((100 * (after.busy - before.busy)) / Math.max(1, after.total - before.total));
}

/**
 * Writes a benchmark's figures to bench/results/<name>.json (the folder and its .gitignore created when missing),
 * formatted as the repository's Prettier would, so `prettier --check .` stays clean; answers the file.
 */
export async function writeResults(name: string, results: unknown): Promise<string> {
  const dir = path.join(REPO, "bench", "results");
  await mkdir(dir, { recursive: true });
  const ignore = path.join(dir, ".gitignore");
  if (!(await stat(ignore).catch(() => null))) await writeFile(ignore, "*\n!.gitignore\n");
  const file = path.join(dir, `${name}.json`);
  const prettier = await import("prettier");
  await writeFile(file, await prettier.format(JSON.stringify(results), { ...(await prettier.resolveConfig(file)), filepath: file }));
  return file;
}
