import { runMain } from "@clinigraph/platform";
import { startBilling } from "./index.js";

await runMain("billing", (env) => startBilling(env));
