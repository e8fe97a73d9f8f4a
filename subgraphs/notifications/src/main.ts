import "@clinigraph/platform/graphql-production"; // first: graphql-js in production mode (see the module)
import { runMain } from "@clinigraph/platform";
import { startNotifications } from "./index.js";

await runMain("notifications", (env) => startNotifications(env));
