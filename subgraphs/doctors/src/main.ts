/** Process entry: start from this process's environment, stop cleanly on SIGINT/SIGTERM. */
import { runMain } from "@clinigraph/platform";
import { startDoctors } from "./index.js";

await runMain("doctors", (env) => startDoctors(env));
