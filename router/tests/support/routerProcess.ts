/**
 * The router started as its own process, as a deployment starts it (`node … main.js`, or the sources through tsx),
 * for the tests of what only a process shows: the compiled build, several workers on one port. Its JSON log lines
 * are kept, and `logged` waits for a message to have appeared a number of times. `stopAll` kills what is left.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { REPO_ROOT } from "@clinigraph/platform";

export interface LogLine {
  msg?: string;
  pid?: number;
  level?: number;
  [field: string]: unknown;
}

export interface RouterProcess {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** The log lines with this message, once there are at least `count` of them; rejects after `timeoutMs` or at exit. */
  logged(msg: string, count?: number, timeoutMs?: number): Promise<LogLine[]>;
  /** Its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
}

const started: ChildProcess[] = [];

/** Kills (SIGKILL) every router process a test left running. */
export function stopAll(): void {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

/** `node <args>` in the repository, with only `env` (and PATH) as its environment. */
export function startRouterProcess(args: readonly string[], env: Record<string, string>): RouterProcess {
  const child = spawn(process.execPath, [...args], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  started.push(child);
  let output = "";
  let partial = "";
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stdout!.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    const complete = (partial + chunk.toString()).split("\n");
    partial = complete.pop()!;
    for (const text of complete) if (text.startsWith("{")) lines.push(JSON.parse(text) as LogLine);
    for (const wake of [...waiters]) wake();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    logged: (msg, count = 1, timeoutMs = 30_000) =>
      new Promise<LogLine[]>((resolve, reject) => {
        const matching = () => lines.filter((line) => line.msg === msg);
        const check = () => {
          if (matching().length < count) return;
          done();
          resolve(matching());
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${count}× "${msg}" within ${timeoutMs} ms:\n${output}`));
        }, timeoutMs);
        const onExit = (code: number | null) => {
          done();
          reject(new Error(`the router exited (${code}) before ${count}× "${msg}":\n${output}`));
        };
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
          child.off("exit", onExit);
        };
        waiters.add(check);
        child.once("exit", onExit);
        check();
      }),
  };
}
