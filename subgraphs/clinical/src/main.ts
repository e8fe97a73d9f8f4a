import "@clinigraph/platform/graphql-production"; // first: graphql-js in production mode (see the module)
import { runMain } from "@clinigraph/platform";
import { startClinical } from "./index.js";

await runMain("clinical", (env) => startClinical(env));
