import { runMain } from "@clinigraph/platform";
import { startAccounts } from "./index.js";

await runMain("accounts", (env) => startAccounts(env));
