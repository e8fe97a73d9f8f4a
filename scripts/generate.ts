/**
 * Generates what each subgraph compiles against, skipping inputs that have not changed since the last run:
 * its Prisma client (prisma/<subgraph>/schema.prisma → subgraphs/<subgraph>/src/generated/prisma) and its GraphQL
 * resolver types (src/schema.graphql → src/generated/graphql.ts, scripts/codegen.ts); and the typed documents of the
 * operations clients of the supergraph send (OPERATIONS below: tests/support/operations/*.graphql →
 * tests/support/generated/operations.ts). Runs before start, test and typecheck, so nobody has to remember it.
 * `--check` only reports generated GraphQL types and typed documents that are stale.
 *
 * Offline note: the prisma CLI tries to fetch a schema-engine binary it does not need for `generate`;
 * PRISMA_SCHEMA_ENGINE_BINARY pointing at any file stops that.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { DATABASE_SUBGRAPHS, REPO_ROOT } from "@clinigraph/platform";
import { runCodegen, runOperationsCodegen, type OperationsTarget } from "./codegen.js";

const require = createRequire(import.meta.url);
const prismaCli = require.resolve("prisma/build/index.js");
const prismaVersion = (require("prisma/package.json") as { version: string }).version;

const subgraphDirs = DATABASE_SUBGRAPHS.map((name) => path.join(REPO_ROOT, "subgraphs", name));
const supergraphFile = path.join(REPO_ROOT, "schema", "supergraph.graphql");
/**
 * GraphQL documents sent to the supergraph, typed. The router sends none of its own (it forwards callers' operations
 * and the plans it makes of them; the session check and the JWKS are plain HTTP).
 */
const OPERATIONS: OperationsTarget[] = [
  { documentsDir: path.join(REPO_ROOT, "tests", "support", "operations"), output: path.join(REPO_ROOT, "tests", "support", "generated", "operations.ts") },
  // The web app's operations: committed (front-end teams read the types in review and build the app without this
  // script); `pnpm web:codegen` rewrites them, `--check` (in `pnpm test`) fails when the supergraph moved on.
  {
    documentsDir: path.join(REPO_ROOT, "apps", "web", "src", "graphql"),
    output: path.join(REPO_ROOT, "apps", "web", "src", "generated", "operations.ts"),
    documentNodeImport: "@graphql-typed-document-node/core#TypedDocumentNode",
    committed: true,
  },
];
const webOnly = process.argv.includes("--web");

if (process.argv.includes("--check")) {
  const stale = [...(await runCodegen(subgraphDirs, { check: true })), ...(await runOperationsCodegen(supergraphFile, OPERATIONS, { check: true }))];
  if (stale.length > 0) {
    console.error(`Stale generated GraphQL types (run pnpm generate): ${stale.join(", ")}`);
    process.exit(1);
  }
  console.log("Generated GraphQL types are fresh");
  process.exit(0);
}

for (const subgraph of DATABASE_SUBGRAPHS) {
  const schemaPath = path.join(REPO_ROOT, "prisma", subgraph, "schema.prisma");
  const outDir = path.join(REPO_ROOT, "subgraphs", subgraph, "src", "generated", "prisma");
  const stampPath = path.join(outDir, ".schema-hash");
  const hash = createHash("sha256").update(prismaVersion).update(readFileSync(schemaPath)).digest("hex");
  if (existsSync(stampPath) && readFileSync(stampPath, "utf8") === hash) continue;
  execFileSync(process.execPath, [prismaCli, "generate", "--schema", schemaPath], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
  });
  writeFileSync(stampPath, hash);
  console.log(`generated Prisma client for ${subgraph}`);
}

await runCodegen(subgraphDirs, { log: (line) => console.log(line) });
await runOperationsCodegen(
  supergraphFile,
  OPERATIONS.filter((target) => Boolean(target.committed) === webOnly),
  { log: (line) => console.log(line) },
);
