import "@clinigraph/platform/graphql-production"; // first: graphql-js in production mode (see the module)
import { runMain } from "@clinigraph/platform";
import { startAccounts } from "./index.js";

await runMain("accounts", (env) => startAccounts(env));
