/**
 * How a bench that starts child processes runs: the command checks its options, then forks itself as the runner in
 * its own process group (`detached`), passing on Ctrl-C as one SIGINT so the runner can stop its children and drop
 * its database before it exits; the command exits with the runner's code.
 */
import { fork } from "node:child_process";

/** Runs `runner` when this process is the forked runner (`runnerEnv` set), else forks `script` as it. */
export function launchBench(options: { script: string; runnerEnv: string; checkOptions: () => void; runner: () => void }): void {
  if (process.env[options.runnerEnv] === "1") {
    options.runner();
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
