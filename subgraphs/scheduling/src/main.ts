import { runMain } from "@clinigraph/platform";
import { startScheduling } from "./index.js";

await runMain("scheduling", (env) => startScheduling(env));
