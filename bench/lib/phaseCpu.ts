/**
 * What each process of a stack spent on a phase of a benchmark: CPU time per request (to the last answer, and until
 * the phase's events were handled), share of a core, peak RSS — from every process's `usage()` over the phase — and
 * the table the benchmarks print of it.
 */
import { performance } from "node:perf_hooks";
import type { ProcessUsage } from "./children.js";
import type { MeasuredProcess } from "./processStack.js";
import { table } from "./report.js";

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const round2 = (n: number) => Math.round(n * 100) / 100;

/** One process's share of a phase. */
export interface ProcessCpu {
  name: string;
  pid: number;
  role: MeasuredProcess["role"];
  /** CPU ms from the phase's start to its last answer, and per request. */
  cpuMs: number;
  cpuMsPerRequest: number;
  /** The same until every event of the phase was handled (bursts; null for searches). */
  cpuMsWithEvents: number | null;
  cpuMsPerRequestWithEvents: number | null;
  /** CPU time over the phase's wall time, in % of one core. */
  corePercent: number;
  peakRssMb: number;
}

export interface PhaseCpu {
  requests: number;
  processes: ProcessCpu[];
  /** Router + subgraphs (in-process: the one process, client included), per request: to the last answer / with events. */
  platformCpuMsPerRequest: number;
  platformCpuMsPerRequestWithEvents: number | null;
  /** The load generator's (this process's) share; null in-process, where it is inside the platform's figure. */
  clientCpuMsPerRequest: number | null;
}

/** The platform's own processes: what "router + subgraphs" sums (not the load generator, not PostgreSQL). */
export const isPlatform = (p: { role: MeasuredProcess["role"] }) => p.role === "router" || p.role === "subgraph" || p.role === "all";

export function phaseCpu(
  processes: readonly MeasuredProcess[],
  requests: number,
  wallMs: number,
  atAnswers: ProcessUsage[],
  atSettled: ProcessUsage[] | null,
): PhaseCpu {
  const rows = processes.map((p, i): ProcessCpu => {
    const answers = atAnswers[i]!;
    const settled = atSettled?.[i];
    return {
      name: p.name,
      pid: p.pid,
      role: p.role,
      cpuMs: Math.round(answers.cpuMs),
      cpuMsPerRequest: round2(answers.cpuMs / requests),
      cpuMsWithEvents: settled ? Math.round(settled.cpuMs) : null,
      cpuMsPerRequestWithEvents: settled ? round2(settled.cpuMs / requests) : null,
      corePercent: Math.round((100 * answers.cpuMs) / Math.max(1, wallMs)),
      peakRssMb: mb(Math.max(answers.peakRss, settled?.peakRss ?? 0)),
    };
  });
  const sum = (values: number[]) => values.reduce((total, v) => total + v, 0);
  const platform = atAnswers.filter((_, i) => isPlatform(processes[i]!));
  const client = atAnswers.find((_, i) => processes[i]!.role === "client");
  return {
    requests,
    processes: rows,
    platformCpuMsPerRequest: round2(sum(platform.map((u) => u.cpuMs)) / requests),
    platformCpuMsPerRequestWithEvents: atSettled ? round2(sum(atSettled.filter((_, i) => isPlatform(processes[i]!)).map((u) => u.cpuMs)) / requests) : null,
    clientCpuMsPerRequest: client ? round2(client.cpuMs / requests) : null,
  };
}

/** One phase's CPU per process: each service, their sum, then the load generator. */
export function processTable(cpu: PhaseCpu): string {
  const withEvents = cpu.processes.some((p) => p.cpuMsPerRequestWithEvents !== null);
  const row = (p: ProcessCpu) => [p.name, p.pid, p.cpuMsPerRequest, withEvents ? (p.cpuMsPerRequestWithEvents ?? "-") : "-", p.corePercent, p.peakRssMb];
  const services = cpu.processes.filter((p) => p.role === "router" || p.role === "subgraph");
  const sum = (values: number[]) => values.reduce((total, v) => total + v, 0);
  const total =
    services.length > 0
      ? [
          [
            "router + subgraphs",
            "",
            cpu.platformCpuMsPerRequest,
            cpu.platformCpuMsPerRequestWithEvents ?? "-",
            sum(services.map((p) => p.corePercent)),
            sum(services.map((p) => p.peakRssMb)),
          ],
        ]
      : [];
  return table(
    ["process", "pid", "CPU ms/req", "+ events", "core %", "peak RSS MB"],
    [
      ...services.map(row),
      ...total,
      ...cpu.processes.filter((p) => p.role === "client" || p.role === "all").map(row),
      // PostgreSQL's CPU (all its processes on this machine); no RSS: its backends share their buffers.
      ...cpu.processes.filter((p) => p.role === "database").map((p) => [...row(p).slice(0, 5), "-"]),
    ],
  );
}

/** Each process's CPU over consecutive phases: `lap` closes one phase (usage since the last mark) and marks the next. */
export class PhaseMeter {
  private started = 0;
  readonly laps: { name: string; wallMs: number; usage: ProcessUsage[] }[] = [];
  constructor(private readonly processes: readonly MeasuredProcess[]) {}

  async start() {
    await Promise.all(this.processes.map((p) => p.mark()));
    this.started = performance.now();
  }

  async lap(name: string) {
    const usage = await Promise.all(this.processes.map((p) => p.usage()));
    const now = performance.now();
    this.laps.push({ name, wallMs: now - this.started, usage });
    await Promise.all(this.processes.map((p) => p.mark()));
    this.started = performance.now();
  }
}
