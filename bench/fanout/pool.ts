/**
 * Pools of graphql-ws subscribers (`ClientPool`, clients.ts) for the benchmarks with live feeds: in the benchmark's
 * own process (`inlinePool`) or in a child process of its own (`childPool`, worker.ts), which answers the same calls
 * over IPC — so the subscribers' CPU and memory are not the benchmark's, and each side has its own file-descriptor
 * limit.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  ClientPool,
  type KeysByFeed,
  type OpenRequest,
  type OpenResult,
  type PoolCall,
  type PoolMethod,
  type PoolReply,
  type PoolReport,
  type ReportRequest,
  type UsageSample,
  type WaitResult,
} from "./clients.js";

export interface Pool {
  readonly pid: number;
  opened: number;
  open(request: OpenRequest): Promise<OpenResult>;
  waitFor(keysByFeed: KeysByFeed, idleMs: number, maxMs: number, mode?: "all" | "any"): Promise<WaitResult>;
  mark(): Promise<void>;
  usage(): Promise<UsageSample>;
  report(request: ReportRequest): Promise<PoolReport>;
  close(): Promise<void>;
  kill(): void;
}

export function inlinePool(): Pool {
  const pool: Pool = {
    pid: process.pid,
    opened: 0,
    open: (request) => local.open(request),
    waitFor: (keysByFeed, idleMs, maxMs, mode) => local.waitFor(keysByFeed, idleMs, maxMs, mode),
    mark: async () => local.mark(),
    usage: async () => local.usage(),
    report: async (request) => local.report(request),
    close: () => local.close(),
    kill: () => void local.close(),
  };
  const local = new ClientPool((opened) => (pool.opened = opened));
  return pool;
}

export async function childPool(): Promise<Pool> {
  const child: ChildProcess = fork(fileURLToPath(new URL("./worker.ts", import.meta.url)), [], {
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  let nextId = 0;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  const pool: Pool = {
    pid: child.pid ?? -1,
    opened: 0,
    open: (request) => call("open", request) as Promise<OpenResult>,
    waitFor: (keysByFeed, idleMs, maxMs, mode) => call("waitFor", keysByFeed, idleMs, maxMs, mode ?? "all") as Promise<WaitResult>,
    mark: async () => void (await call("mark")),
    usage: () => call("usage") as Promise<UsageSample>,
    report: (request) => call("report", request) as Promise<PoolReport>,
    close: async () => void (await call("close")),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    },
  };
  child.on("message", (reply: PoolReply) => {
    if ("progress" in reply) {
      pool.opened = reply.progress;
      return;
    }
    const waiter = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiter?.resolve(reply.value);
    else waiter?.reject(new Error(`client process ${child.pid}: ${reply.error}`));
  });
  child.on("exit", (code, signal) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`client process ${child.pid} exited (${code ?? signal})`));
    pending.clear();
  });
  function call(method: PoolMethod, ...args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      const message: PoolCall = { id, method, args };
      child.send(message, (err) => {
        if (!err) return;
        pending.delete(id);
        reject(err);
      });
    });
  }
  return pool;
}
