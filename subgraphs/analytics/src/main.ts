import "@clinigraph/platform/graphql-production"; // first: graphql-js in production mode (see the module)
import { runMain } from "@clinigraph/platform";
import { startAnalytics } from "./index.js";

await runMain("analytics", (env) => startAnalytics(env));
