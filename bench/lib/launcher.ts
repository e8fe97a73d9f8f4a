/**
 * How a bench that starts child processes runs: the command checks its options, then forks itself as the runner in
 * its own process group (`detached`), passing on Ctrl-C as one SIGINT so the runner can stop its children and drop
 * its database before it exits; the command exits with the runner's code.
 */
import { fork } from "node:child_process";

export interface BenchRun {
  script: string;
  runnerEnv: string;
  /** Checks the options (throws with the usage or the problem). */
  checkOptions: () => void;
  /** The bench; resolves to the exit code. */
  main: () => Promise<number>;
  /** Stops the children and cleans up (runs after main, on errors and on Ctrl-C). */
  shutdown: () => Promise<void>;
  /** What Ctrl-C prints before cleaning up, e.g. "stopping the child processes and dropping the bench database". */
  stopping: string;
  /** Told of each signal handler the runner installs (a bench that removes others' handlers keeps these). */
  onSignalHandler?: (handler: () => void) => void;
}

/**
 * The runner: `main`, then `shutdown`, exiting with main's code (1 on an error); SIGINT/SIGTERM or the launcher's
 * going away stop it through `shutdown` (exit 130). A second signal while it cleans up is only reported.
 */
function runBench(options: BenchRun): void {
  let signalled = false;
  const stopOn = (why: string) => {
    if (signalled) return void console.error(`${why}: still stopping…`);
    signalled = true;
    console.error(`\n${why}: ${options.stopping}…`);
    void options.shutdown().finally(() => process.exit(130));
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const handler = () => stopOn(signal);
    options.onSignalHandler?.(handler);
    process.on(signal, handler);
  }
  process.on("disconnect", () => stopOn("launcher gone"));
  options.main().then(
    async (code) => {
      await options.shutdown();
      process.exit(code);
    },
    async (err: unknown) => {
      console.error(err);
      await options.shutdown();
      process.exit(1);
    },
  );
}

/** Runs the bench when this process is the forked runner (`runnerEnv` set), else forks `script` as it. */
export function launchBench(options: BenchRun): void {
  if (process.env[options.runnerEnv] === "1") {
    runBench(options);
    return;
  }
  try {
    options.checkOptions(); // --help and bad options answered here
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  }
  const child = fork(options.script, process.argv.slice(2), { detached: true, env: { ...process.env, [options.runnerEnv]: "1" } });
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
    });
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}
