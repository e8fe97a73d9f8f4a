/**
 * Generates each subgraph's Prisma client (prisma/<subgraph>/schema.prisma → subgraphs/<subgraph>/src/generated/prisma),
 * skipping schemas that have not changed since the last run. Runs before start, test and typecheck,
 * so nobody has to remember it.
 *
 * Offline note: the prisma CLI tries to fetch a schema-engine binary it does not need for `generate`;
 * PRISMA_SCHEMA_ENGINE_BINARY pointing at any file stops that (ARCHITECTURE §2).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { DATABASE_SUBGRAPHS, REPO_ROOT } from "@clinigraph/platform";

const require = createRequire(import.meta.url);
const prismaCli = require.resolve("prisma/build/index.js");
const prismaVersion = (require("prisma/package.json") as { version: string }).version;

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
