/**
 * Child processes of a benchmark, driven over IPC: the parent forks a TypeScript file (tsx's loader is inherited
 * through `execArgv`) and calls the methods the child serves, `call(method, ...args)`, answered with structured clones
 * (Dates, Maps and Sets pass as they are).
 *
 * Every child also serves `mark`, `usage` and `memory`: `mark()` restarts its CPU clock, its event-loop utilisation and
 * its peak RSS, sampled every 100 ms from then on, and `usage()` answers the CPU time (user + system), the event loop's
 * busy share and the peak RSS since the mark. So a benchmark can measure one process's cost of a phase while the
 * other processes run beside it. `memory(gc)` answers its RSS and heap now, after a full garbage collection if `gc`.
 *
 * A child exits when the parent asks it to `stop` (after its own stop handler), and also when its IPC channel closes:
 * a parent that dies, even by SIGKILL, leaves nothing running.
 */
import { fork, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";

export interface ProcessUsage {
  pid: number;
  /** CPU time since the mark, user + system, milliseconds. */
  cpuMs: number;
  /** Wall time since the mark, milliseconds. */
  wallMs: number;
  /** Share of the wall time since the mark the event loop was busy (0–1, `performance.eventLoopUtilization`). */
  eventLoopUtilization: number;
  /** Highest RSS sampled (every 100 ms) since the mark, bytes. */
  peakRss: number;
  /** RSS now, bytes. */
  rss: number;
}

interface Call {
  id: number;
  method: string;
  args: unknown[];
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export interface Child {
  readonly name: string;
  readonly pid: number;
  call<T = unknown>(method: string, ...args: unknown[]): Promise<T>;
  /** Asks the child to stop (its `stop` handler) and waits for it to exit; SIGKILL after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
  /** SIGKILL now, if it still runs. */
  kill(): void;
  /** Whether the process is still running. */
  running(): boolean;
  readonly exited: Promise<void>;
}

/** Forks `file` (a module calling `serveParent`) with `env` added to this process's environment. */
export async function forkChild(name: string, file: URL, env: Record<string, string> = {}): Promise<Child> {
  const child: ChildProcess = fork(fileURLToPath(file), [], {
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, ...env },
  });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  let nextId = 0;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  const running = () => child.exitCode === null && child.signalCode === null;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.on("message", (reply: Reply) => {
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiter?.resolve(reply.value);
    else waiter?.reject(new Error(`${name} (pid ${child.pid}): ${reply.error}`));
  });
  child.once("exit", (code, signal) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${name} (pid ${child.pid}) exited (${code ?? signal})`));
    pending.clear();
  });
  const kill = () => {
    if (running()) child.kill("SIGKILL");
  };
  const call = <T>(method: string, ...args: unknown[]): Promise<T> => {
    if (!running()) return Promise.reject(new Error(`${name} (pid ${child.pid}) is not running`));
    return new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, method, args } satisfies Call, (err) => {
        if (!err) return;
        pending.delete(id);
        reject(err);
      });
    });
  };
  return {
    name,
    pid: child.pid ?? -1,
    exited,
    call,
    async stop(timeoutMs = 15_000) {
      if (!running()) return;
      const timer = setTimeout(kill, timeoutMs);
      try {
        await Promise.race([call("stop").catch(() => undefined), exited]);
        await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    kill,
    running,
  };
}

export interface MemorySample {
  /** Bytes, as `process.memoryUsage()` answers them. */
  rss: number;
  heapUsed: number;
  external: number;
}

type Handler = (...args: never[]) => unknown;

/**
 * This process's CPU time, event-loop utilisation and peak RSS (sampled every 100 ms) since the last `mark()`: what
 * every child answers to `mark`/`usage`, and what a benchmark measures of its own process.
 */
export function usageMeter(): { mark(): void; usage(): ProcessUsage } {
  let markCpu = process.cpuUsage();
  let markWall = performance.now();
  let markElu = performance.eventLoopUtilization();
  let peakRss = process.memoryUsage.rss();
  setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 100).unref();
  return {
    mark() {
      markCpu = process.cpuUsage();
      markWall = performance.now();
      markElu = performance.eventLoopUtilization();
      peakRss = process.memoryUsage.rss();
    },
    usage() {
      const cpu = process.cpuUsage(markCpu);
      const rss = process.memoryUsage.rss();
      peakRss = Math.max(peakRss, rss);
      return {
        pid: process.pid,
        cpuMs: (cpu.user + cpu.system) / 1000,
        wallMs: performance.now() - markWall,
        eventLoopUtilization: performance.eventLoopUtilization(markElu).utilization,
        peakRss,
        rss,
      };
    },
  };
}

let fullGc: (() => void) | undefined;

/**
 * This process's RSS and heap now; with `gc`, after two full garbage collections (V8's own `gc`, exposed at run time
 * the first time it is asked for), so that snapshots taken at different times are comparable.
 */
export function memorySample(gc = false): MemorySample {
  if (gc) {
    if (!fullGc) {
      v8.setFlagsFromString("--expose-gc");
      fullGc = vm.runInNewContext("gc") as () => void;
    }
    fullGc();
    fullGc();
  }
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, heapUsed, external };
}

/**
 * The child's side: answers the parent's calls with `handlers` (plus `mark`, `usage` and `memory`). `stop` runs the handler of
 * that name, if any, then exits; a closed IPC channel (the parent is gone) runs it too, then exits.
 */
export function serveParent(handlers: Record<string, Handler>): void {
  if (!process.send) throw new Error(`${process.argv[1]} runs as a child process of a benchmark`);
  const send = (reply: Reply) => process.send!(reply);

  const meter = usageMeter();
  const builtIn: Record<string, Handler> = { mark: meter.mark, usage: meter.usage, memory: (gc?: boolean) => memorySample(gc === true) };

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      try {
        await handlers.stop?.();
      } catch (err) {
        console.error(`${process.argv[1]}: stopping failed:`, err);
      }
    })());

  process.on("message", (call: Call) => {
    void (async () => {
      try {
        if (call.method === "stop") {
          await stop();
          process.send!({ id: call.id, ok: true, value: null } satisfies Reply, () => process.exit(0));
          return;
        }
        const handler = builtIn[call.method] ?? handlers[call.method];
        if (!handler) throw new Error(`unknown method ${call.method}`);
        const value = await (handler as (...args: unknown[]) => unknown)(...call.args);
        send({ id: call.id, ok: true, value: value ?? null });
      } catch (err) {
        send({ id: call.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      }
    })();
  });
  process.on("disconnect", () => {
    void stop().finally(() => process.exit(0));
  });
  // The parent owns Ctrl-C: it stops this process itself (it sits in the parent's process group).
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stop().finally(() => process.exit(0)));
}
