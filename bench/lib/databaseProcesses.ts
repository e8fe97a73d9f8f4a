/**
 * The PostgreSQL server on this machine as measured "processes" of a benchmark: the CPU time of the processes named
 * `postgres`, read from /proc and summed since the mark — its backends (one per connection, every database of the
 * server) apart from its background processes. It shows what the statements of a phase cost the database, which the
 * services' own CPU does not include. A backend that exits during the phase takes its CPU time with it
 * (undercounted); one that starts counts from zero. Memory is not summed (every backend maps the shared buffers, so
 * their RSS overlap). Linux only.
 */
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import type { MemorySample, ProcessUsage } from "./children.js";
import type { MeasuredProcess } from "./processStack.js";

/** USER_HZ: /proc reports CPU time in these ticks (100 per second on every Linux of this decade). */
const TICK_MS = 10;

/** The server's own processes (postmaster, checkpointer, writers, autovacuum, launchers…), not a client's backend. */
const BACKGROUND = /^\/|: (checkpointer|background writer|walwriter|autovacuum|logical replication|stats|archiver|logger|startup|walreceiver|walsender)/;

const isBackground = (pid: string) => {
  try {
    return BACKGROUND.test(readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " "));
  } catch {
    return true;
  }
};

/** pid → user + system ticks of the postgres processes of the kind asked for, now. */
function sample(kind: "connections" | "background"): Map<number, number> {
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
    if (comm !== "postgres" || isBackground(entry) !== (kind === "background")) continue;
    const fields = stat.slice(close + 2).split(" ");
    // Fields after comm, 0-based: state=0 … utime=11, stime=12.
    ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
  }
  return ticks;
}

/**
 * Two measured "processes": PostgreSQL's backends serving connections (the statements' cost), and its own background
 * processes (checkpoints, WAL writing, autovacuum), which work on their own schedule after a burst. Empty when /proc
 * shows no postgres process.
 */
export function databaseProcesses(): MeasuredProcess[] {
  if (os.platform() !== "linux") return [];
  try {
    if (sample("background").size === 0) return [];
  } catch {
    return [];
  }
  return [measured("connections"), measured("background")];
}

function measured(kind: "connections" | "background"): MeasuredProcess {
  const first = sample(kind);
  const postmaster = first.size ? Math.min(...first.keys()) : 0;
  let mark = first;
  let markWall = performance.now();
  const usage = (): ProcessUsage => {
    let ticks = 0;
    for (const [pid, total] of sample(kind)) ticks += total - (mark.get(pid) ?? 0);
    return { pid: postmaster, cpuMs: ticks * TICK_MS, wallMs: performance.now() - markWall, eventLoopUtilization: 0, peakRss: 0, rss: 0 };
  };
  return {
    name: kind === "connections" ? "PostgreSQL backends" : "PostgreSQL background",
    pid: postmaster,
    role: "database",
    async mark() {
      mark = sample(kind);
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
