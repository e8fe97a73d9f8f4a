import "@clinigraph/platform/graphql-production"; // first: graphql-js in production mode (see the module)
import { runMain } from "@clinigraph/platform";
import { startScheduling } from "./index.js";

await runMain("scheduling", (env) => startScheduling(env));
