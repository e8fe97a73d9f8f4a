/**
 * The body of every service's `main.ts`: start it from this process's environment, stop it cleanly on SIGINT or
 * SIGTERM (exit 0, or 1 when stopping failed), and exit 1 with the reason when it cannot start (a ConfigError
 * names the variable at fault).
 */
import { ConfigError } from "./config.js";
import { createLogger } from "./logger.js";

export async function runMain(name: string, start: (env: Record<string, string | undefined>) => Promise<{ close(): Promise<void> }>): Promise<void> {
  const logger = createLogger(name);
  let running: { close(): Promise<void> };
  try {
    running = await start(process.env);
  } catch (err) {
    if (err instanceof ConfigError) logger.fatal(`configuration: ${err.message}`);
    else logger.fatal({ err }, "cannot start");
    process.exit(1);
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      logger.info({ signal }, "stopping");
      running.close().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, "error while stopping");
          process.exit(1);
        },
      );
    });
  }
}
