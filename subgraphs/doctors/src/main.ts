/** Process entry: start from this process's environment, stop cleanly on SIGINT/SIGTERM. */

import "@clinigraph/platform/graphql-production"; // first: graphql-js in production mode (see the module)
import { runMain } from "@clinigraph/platform";
import { startDoctors } from "./index.js";

await runMain("doctors", (env) => startDoctors(env));
