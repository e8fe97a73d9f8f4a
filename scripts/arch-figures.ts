/**
 * Prints how far the subgraphs are from their common shape (docs/architecture.md), by the rules of
 * scripts/lib/architecture.ts (checked by tests/architecture.test.ts): Prisma/SQL call sites outside data/, environment reads outside config modules,
 * hand-written resolver parameter types, untyped resolver maps. `pnpm arch:figures [--json]`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { DATABASE_SUBGRAPHS } from "@clinigraph/platform";
import { ENV_READ, checkSubgraphShape, sourceFiles } from "./lib/architecture.js";

const REPO_ROOT = path.resolve(import.meta.dirname, "..");

/** A resolver parameter annotated by hand: `(_: unknown, args: { id: string }, ctx: SchedulingContext)`. */
const HAND_TYPED_PARAM = /[(,][ \t]*(?:_+|parent|root|args|_args|ctx|context|\w+)\s*:\s*(?:unknown|\{|[A-Z]\w*)/g;

const count = (files: string[], pattern: RegExp) => files.reduce((n, f) => n + [...readFileSync(f, "utf8").matchAll(pattern)].length, 0);

const rows = DATABASE_SUBGRAPHS.map((name) => {
  const root = path.join(REPO_ROOT, "subgraphs", name);
  const report = checkSubgraphShape(root);
  const resolverFiles = sourceFiles(path.join(root, "src", "resolvers")).filter((f) => !f.endsWith("mappers.ts"));
  return {
    subgraph: name,
    prismaOutsideData: report.prismaOutsideData.length,
    envReadsOutsideConfig: report.envReadsOutsideConfig.length,
    handTypedResolverParams: count(resolverFiles, HAND_TYPED_PARAM),
    typedResolverMap: report.untypedResolverMap.length === 0,
  };
});

const servicesDirs = ["router/src", "packages/platform/src", "packages/events/src"];
const serviceFiles = servicesDirs.flatMap((dir) => sourceFiles(path.join(REPO_ROOT, dir))).filter((f) => !f.endsWith("/config.ts"));
const envElsewhere = count(serviceFiles, ENV_READ);
const scriptFiles = [...sourceFiles(path.join(REPO_ROOT, "scripts")), ...sourceFiles(path.join(REPO_ROOT, "packages/testing/src"))].filter(
  (f) => !f.includes(`${path.sep}tests${path.sep}`) && !f.endsWith("arch-figures.ts") && !f.endsWith(path.join("lib", "architecture.ts")), // the rules mention the patterns they look for
);
const envInScripts = count(scriptFiles, ENV_READ);

if (process.argv.includes("--json")) console.log(JSON.stringify({ rows, envReadsInRouterAndPackages: envElsewhere, envReadsInScripts: envInScripts }, null, 2));
else {
  console.table(rows);
  const total = (key: "prismaOutsideData" | "envReadsOutsideConfig" | "handTypedResolverParams") => rows.reduce((n, r) => n + r[key], 0);
  console.log(`Prisma/SQL call sites outside data/: ${total("prismaOutsideData")}`);
  console.log(
    `Environment variable reads outside config modules: ${total("envReadsOutsideConfig")} in subgraphs, ${envElsewhere} in the router and packages; ${envInScripts} in CLI scripts, the pnpm start launcher and test support`,
  );
  console.log(`Hand-written resolver parameter types: ${total("handTypedResolverParams")}`);
  console.log(`Resolver maps typed by the generated Resolvers: ${rows.filter((r) => r.typedResolverMap).length}/${rows.length}`);
}
