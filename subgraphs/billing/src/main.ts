import "@clinigraph/platform/graphql-production"; // first: graphql-js in production mode (see the module)
import { runMain } from "@clinigraph/platform";
import { startBilling } from "./index.js";

await runMain("billing", (env) => startBilling(env));
