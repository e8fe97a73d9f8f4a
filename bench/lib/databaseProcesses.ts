/**
 * The PostgreSQL server on this machine as one measured "process" of a benchmark: the CPU time of every process
 * named `postgres` (the postmaster, its background workers and one backend per connection), read from /proc, summed
 * since the mark. It shows what the statements of a phase cost the database, which the services' own CPU does not
 * include. A backend that exits during the phase takes its CPU time with it (undercounted); one that starts counts
 * from zero. Memory is not summed (every backend maps the shared buffers, so their RSS overlap). Linux only; null
 * when /proc shows no postgres process (the database is elsewhere, or another OS).
 */
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import type { MemorySample, ProcessUsage } from "./children.js";
import type { MeasuredProcess } from "./processStack.js";

/** USER_HZ: /proc reports CPU time in these ticks (100 per second on every Linux of this decade). */
const TICK_MS = 10;

/** pid → user + system ticks of every postgres process now. */
function sample(): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid …": comm may hold spaces, so split after its closing parenthesis.
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    if (comm !== "postgres") continue;
    const fields = stat.slice(close + 2).split(" ");
    // Fields after comm, 0-based: state=0 … utime=11, stime=12.
    ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
  }
  return ticks;
}

export function databaseProcesses(): MeasuredProcess | null {
  if (os.platform() !== "linux") return null;
  let first: Map<number, number>;
  try {
    first = sample();
  } catch {
    return null;
  }
  if (first.size === 0) return null;
  const postmaster = Math.min(...first.keys());
  let mark = first;
  let markWall = performance.now();
  const usage = (): ProcessUsage => {
    let ticks = 0;
    for (const [pid, total] of sample()) ticks += total - (mark.get(pid) ?? 0);
    return { pid: postmaster, cpuMs: ticks * TICK_MS, wallMs: performance.now() - markWall, eventLoopUtilization: 0, peakRss: 0, rss: 0 };
  };
  return {
    name: "PostgreSQL (all)",
    pid: postmaster,
    role: "database",
    async mark() {
      mark = sample();
      markWall = performance.now();
    },
    async usage() {
      return usage();
    },
    async memory(): Promise<MemorySample> {
      return { rss: 0, heapUsed: 0, external: 0 };
    },
    async profileStart() {},
    async profileStop() {
      return "";
    },
  };
}
