/** Entry point: start from env, stop cleanly on SIGINT/SIGTERM. */
import { createLogger } from "@clinigraph/platform";
import { startDoctors } from "./start.js";

const logger = createLogger("doctors");
const running = await startDoctors(process.env, { logger });

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
