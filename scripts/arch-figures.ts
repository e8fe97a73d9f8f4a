/**
 * Prints how far the subgraphs are from their common shape (docs/architecture.md), by the rules of
 * tests/architecture.test.ts: Prisma/SQL call sites outside data/, environment reads outside config modules,
 * hand-written resolver parameter types, untyped resolver maps. `pnpm arch:figures [--json]`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { DATABASE_SUBGRAPHS } from "@clinigraph/platform";

const REPO_ROOT = path.resolve(import.meta.dirname, "..");

const PRISMA_CALL =
  /\b(?:prisma|tx|client)\.(?:\$queryRaw|\$executeRaw|\$queryRawUnsafe|\$executeRawUnsafe|\$transaction|\w+\.(?:findUnique|findFirst|findMany|create|createMany|update|updateMany|upsert|delete|deleteMany|count|aggregate|groupBy)\b)/g;
/** A read of one variable (`process.env.X`, `env.X`, `env["X"]`); handing the whole environment to a config module is not one. */
const ENV_READ = /\bprocess\.env\.[A-Z_]|\bprocess\.env\[|\benv\.[A-Z][A-Z0-9_]*\b|\benv\[["'`]/g;
/** A resolver parameter annotated by hand: `(_: unknown, args: { id: string }, ctx: SchedulingContext)`. */
const HAND_TYPED_PARAM = /[(,][ \t]*(?:_+|parent|root|args|_args|ctx|context|\w+)\s*:\s*(?:unknown|\{|[A-Z]\w*)/g;

const { readdirSync, statSync, existsSync } = await import("node:fs");
function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (name === "generated" || name === "node_modules") return [];
    return statSync(file).isDirectory() ? sourceFiles(file) : name.endsWith(".ts") ? [file] : [];
  });
}

const count = (files: string[], pattern: RegExp) => files.reduce((n, f) => n + [...readFileSync(f, "utf8").matchAll(pattern)].length, 0);

const rows = DATABASE_SUBGRAPHS.map((name) => {
  const src = path.join(REPO_ROOT, "subgraphs", name, "src");
  const files = sourceFiles(src);
  const inside = (dir: string) => (f: string) => path.relative(src, f).split(path.sep)[0] === dir;
  const resolverFiles = files.filter(inside("resolvers")).filter((f) => !f.endsWith("mappers.ts"));
  const index = path.join(src, "resolvers", "index.ts");
  return {
    subgraph: name,
    prismaOutsideData: count(
      files.filter((f) => !inside("data")(f) && path.relative(src, f) !== path.join("events", "outbox.ts")),
      PRISMA_CALL,
    ),
    envReadsOutsideConfig: count(
      files.filter((f) => path.relative(src, f) !== "config.ts"),
      ENV_READ,
    ),
    handTypedResolverParams: count(resolverFiles, HAND_TYPED_PARAM),
    typedResolverMap: existsSync(index) && /:\s*Resolvers\b/.test(readFileSync(index, "utf8")),
  };
});

const servicesDirs = ["router/src", "packages/platform/src", "packages/events/src"];
const serviceFiles = servicesDirs.flatMap((dir) => sourceFiles(path.join(REPO_ROOT, dir))).filter((f) => !f.endsWith("/config.ts"));
const envElsewhere = count(serviceFiles, ENV_READ);
const scriptFiles = [...sourceFiles(path.join(REPO_ROOT, "scripts")), ...sourceFiles(path.join(REPO_ROOT, "packages/testing/src"))].filter(
  (f) => !f.includes(`${path.sep}tests${path.sep}`) && !f.endsWith("arch-figures.ts"),
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
