/**
 * A child process of a benchmark: `pnpm analytics:import <file.csv>` as the command runs it (`runImportCommand`, the
 * same function, the same stream, batches and report), so its CPU time and memory are measured apart from the
 * benchmark that wrote the file. Only the doctors client is replaced (the command's `catalogue` option), by a
 * stand-in that knows the catalogue given to `run`: the real client asks the doctors subgraph twice per import and
 * keeps the answers, so it weighs nothing in the figures.
 *
 * Methods (see `children.ts`): `run(file, env, catalogue)` → `ImportRun` (the command's exit code and report, wall time,
 * RSS), and `mark`/`usage`.
 */
import { performance } from "node:perf_hooks";
import { Writable } from "node:stream";
import { runImportCommand } from "../../subgraphs/analytics/src/cli/importCsv.js";
import type { ImportReport } from "../../subgraphs/analytics/src/domain/importVisits.js";
import { serveParent } from "./children.js";

/** The codes the stand-in doctors catalogue knows. */
export interface BenchCatalogue {
  specialtyCodes: string[];
  services: { id: string; code: string; durationMinutes: number }[];
}

export interface ImportRun {
  code: number;
  /** The command's report (null when it failed). */
  report: ImportReport | null;
  /** The first lines the command printed on stdout. */
  printed: string[];
  wallMs: number;
  /** RSS sampled every 100 ms during the run: the highest in its first and in its second half, bytes. */
  peakRssFirstHalf: number;
  peakRssSecondHalf: number;
}

serveParent({
  async run(file: string, env: Record<string, string>, catalogue: BenchCatalogue): Promise<ImportRun> {
    const specialties = new Set(catalogue.specialtyCodes);
    const services = new Map(catalogue.services.map((s) => [s.code, { id: s.id, durationMinutes: s.durationMinutes }]));
    const samples: { at: number; rss: number }[] = [];
    const started = performance.now();
    let report: ImportReport | null = null;
    let printed = "";
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, done) {
        if (printed.length < 4096) printed += chunk.toString();
        done();
      },
    });
    const sampler = setInterval(() => samples.push({ at: performance.now(), rss: process.memoryUsage.rss() }), 100);
    const code = await runImportCommand(
      [file],
      { ...process.env, ...env },
      {
        catalogue: {
          doctor: async () => null,
          service: async () => null,
          specialtyCodes: async () => specialties,
          servicesByCode: async () => services,
          schedule: async () => null,
          doctorIds: async () => [],
        },
        onReport: (r) => (report = r),
        stdout,
      },
    );
    clearInterval(sampler);
    const ended = performance.now();
    const middle = (started + ended) / 2;
    const peak = (list: typeof samples) => list.reduce((max, s) => Math.max(max, s.rss), 0);
    return {
      code,
      report,
      printed: printed.split("\n").slice(0, 4),
      wallMs: ended - started,
      peakRssFirstHalf: peak(samples.filter((s) => s.at < middle)),
      peakRssSecondHalf: peak(samples.filter((s) => s.at >= middle)),
    };
  },
});
