/**
 * `pnpm compose`: composes subgraphs/*\/src/schema.graphql into schema/supergraph.graphql.
 * `pnpm compose:check`: writes nothing; exits 1 when composition fails or the committed file is stale.
 * The work is done in router/src/compose.ts (shared with the tests).
 */
import path from "node:path";
import { REPO_ROOT } from "@clinigraph/platform";
import { composeRepository } from "../router/src/compose.js";

const check = process.argv.includes("--check");
const report = await composeRepository({ root: REPO_ROOT, check });
const relative = path.relative(REPO_ROOT, report.file);

for (const hint of report.hints) console.warn(`hint: ${hint}`);
switch (report.status) {
  case "failed":
    console.error(`Composition failed (${report.subgraphs.join(", ") || "no subgraphs"}):`);
    for (const error of report.errors) console.error(`  - ${error}`);
    process.exitCode = 1;
    break;
  case "stale":
    console.error(`${relative} is stale: run pnpm compose`);
    process.exitCode = 1;
    break;
  case "fresh":
    console.log(`${relative} is up to date (${report.subgraphs.join(", ")})`);
    break;
  case "unchanged":
    console.log(`${relative} unchanged (${report.subgraphs.join(", ")})`);
    break;
  case "written":
    console.log(`wrote ${relative} (${report.subgraphs.join(", ")})`);
    break;
}
