/** Booking and search costs for the capacity model from a `pnpm bench:booking` result file (bench/results/booking-*.json). */
import type { CapacityInputs } from "./capacity.js";

interface ProcessCpu {
  name: string;
  role: string;
  cpuMsPerRequest: number;
  cpuMsPerRequestWithEvents?: number | null;
}
interface PhaseCpu {
  cpu: { processes: ProcessCpu[] };
}
export interface BookingResults {
  finishedAt?: string;
  commit?: string;
  machine?: { cpus?: number; cpuModel?: string; node?: string };
  baseline?: PhaseCpu;
  search?: { concurrent?: PhaseCpu; sequential?: PhaseCpu };
}

const services = (processes: ProcessCpu[], pick: (p: ProcessCpu) => number) =>
  Object.fromEntries(processes.filter((p) => p.role === "router" || p.role === "subgraph").map((p) => [p.name, pick(p)]));
const postgres = (processes: ProcessCpu[], pick: (p: ProcessCpu) => number) =>
  processes.filter((p) => p.role === "database" && p.name === "PostgreSQL backends").reduce((sum, p) => sum + pick(p), 0);

/** The inputs with booking (and cancellation, assumed alike) and search (and read) costs taken from `results`. */
export function costsFromBookingResults(inputs: CapacityInputs, results: BookingResults, file: string): CapacityInputs {
  const baseline = results.baseline?.cpu.processes;
  const search = (results.search?.concurrent ?? results.search?.sequential)?.cpu.processes;
  if (!baseline || !search) throw new Error(`${file} has no baseline or search phase: run pnpm bench:booking with --baseline 1`);
  const withEvents = (p: ProcessCpu) => p.cpuMsPerRequestWithEvents ?? p.cpuMsPerRequest;
  const booking = { cpuMs: services(baseline, withEvents), postgresMs: postgres(baseline, withEvents) };
  const reading = { cpuMs: services(search, (p) => p.cpuMsPerRequest), postgresMs: postgres(search, (p) => p.cpuMsPerRequest) };
  const from = `${file} (${results.finishedAt ?? "?"}, commit ${results.commit ?? "?"}, ${results.machine?.cpus ?? "?"} × ${results.machine?.cpuModel ?? "?"})`;
  const ops = inputs.operations;
  return {
    ...inputs,
    measured: from,
    operations: {
      ...ops,
      booking: { ...ops.booking!, ...booking, source: `${from}: baseline burst with events` },
      cancellation: { ...ops.cancellation!, ...booking, source: `${from}: assumed equal to a booking` },
      search: { ...ops.search!, ...reading, source: `${from}: concurrent search` },
      read: { ...ops.read!, ...reading, source: `${from}: assumed equal to a search` },
    },
  };
}
