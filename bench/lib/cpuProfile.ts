/**
 * A V8 CPU profile of this process over a stretch of a benchmark (`node:inspector`), sampled every 500 µs: `start()`,
 * then `stop(file)` writes the `.cpuprofile` (open it in Chrome DevTools or speedscope) and answers its path.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { Session } from "node:inspector/promises";

export interface CpuProfiler {
  start(): Promise<void>;
  stop(file: string): Promise<string>;
}

export function cpuProfiler(): CpuProfiler {
  let session: Session | undefined;
  return {
    async start() {
      if (session) throw new Error("a CPU profile is already being taken");
      session = new Session();
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.setSamplingInterval", { interval: 500 });
      await session.post("Profiler.start");
    },
    async stop(file) {
      const running = session;
      if (!running) throw new Error("no CPU profile is being taken");
      session = undefined;
      try {
        const { profile } = await running.post("Profiler.stop");
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, JSON.stringify(profile));
        return file;
      } finally {
        running.disconnect();
      }
    },
  };
}
