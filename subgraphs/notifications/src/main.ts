import { runMain } from "@clinigraph/platform";
import { startNotifications } from "./index.js";

await runMain("notifications", (env) => startNotifications(env));
