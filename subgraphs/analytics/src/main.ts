import { runMain } from "@clinigraph/platform";
import { startAnalytics } from "./index.js";

await runMain("analytics", (env) => startAnalytics(env));
