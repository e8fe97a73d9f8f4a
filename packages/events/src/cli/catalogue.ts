/**
 * `pnpm events:catalogue`: writes schema/events/catalogue.json from the typed catalogue.
 * `pnpm events:catalogue --check`: writes nothing; exits 1 when the committed file is stale.
 */
import path from "node:path";
import { REPO_ROOT } from "@clinigraph/platform";
import { CATALOGUE_FILE, syncCatalogue } from "../catalogue-file.js";

const status = await syncCatalogue({ check: process.argv.includes("--check") });
const relative = path.relative(REPO_ROOT, CATALOGUE_FILE);
if (status === "stale") {
  console.error(`${relative} is stale: run pnpm events:catalogue`);
  process.exitCode = 1;
} else {
  console.log(`${relative} ${status === "fresh" ? "is up to date" : status}`);
}
