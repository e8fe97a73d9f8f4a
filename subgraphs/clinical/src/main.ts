import { runMain } from "@clinigraph/platform";
import { startClinical } from "./index.js";

await runMain("clinical", (env) => startClinical(env));
