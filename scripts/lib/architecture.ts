/**
 * The rules of the subgraph shape (docs/architecture.md) as functions over one subgraph's folder, used by
 * tests/architecture.test.ts on every subgraph, by the scaffold's test on a new one and by `pnpm arch:figures`. Each returns the
 * violations (empty: the rule holds).
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

export function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (name === "generated" || name === "node_modules") return [];
    return statSync(file).isDirectory() ? sourceFiles(file) : name.endsWith(".ts") ? [file] : [];
  });
}

const importsOf = (source: string) => [...source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s+"([^"]+)"/g)].map((m) => m[1]!);

/** Where a file sits in its subgraph: domain, data, events/outbox, events/consumers, resolvers, live, or root. */
export function layerOf(file: string, src: string): string {
  const parts = path.relative(src, file).split(path.sep);
  if (parts.length === 1) return "root";
  if (parts[0] === "events") return parts.length > 2 ? `events/${parts[1]}` : `events/${path.basename(parts[1]!, ".ts")}`;
  return parts[0]!;
}

/** What each layer must not import (folders of the same subgraph, or packages). */
const FORBIDDEN_IMPORTS: Record<string, RegExp[]> = {
  domain: [
    /\/data\//,
    /\/events\//,
    /\/resolvers\//,
    /\/live\//,
    /\/generated\//,
    /\.\.\/context/,
    /\.\.\/server/,
    /^@prisma\//,
    /^graphql$/,
    /^@apollo\//,
    /^pg$/,
    /^ioredis$/,
  ],
  data: [/\/resolvers\//, /\/events\/consumers\//, /\.\.\/context/, /\.\.\/server/],
  "events/outbox": [/\/resolvers\//, /\/events\/consumers\//, /\.\.\/\.\.\/context/],
  "events/consumers": [/\/resolvers\//, /\.\.\/\.\.\/context/, /\/data\//],
  resolvers: [/^@prisma\//, /\/generated\/prisma/],
};

export const PRISMA_CALL =
  /\b(?:prisma|tx|client)\.(?:\$queryRaw|\$executeRaw|\$queryRawUnsafe|\$executeRawUnsafe|\$transaction|\w+\.(?:findUnique|findFirst|findMany|create|createMany|update|updateMany|upsert|delete|deleteMany|count|aggregate|groupBy)\b)/g;
/** A read of one variable (`process.env.X`, `env.X`, `env["X"]`); handing the whole environment to the config module is not one. */
export const ENV_READ = /\bprocess\.env\.[A-Z_]|\bprocess\.env\[|\benv\.[A-Z][A-Z0-9_]*\b|\benv\[["'`]/g;

const ROOT_FILES = ["config.ts", "context.ts", "server.ts", "index.ts", "main.ts", "jobs.ts"];

export interface ShapeReport {
  layout: string[];
  resolverFileNames: string[];
  untypedResolverMap: string[];
  upwardImports: string[];
  prismaOutsideData: string[];
  envReadsOutsideConfig: string[];
}

/** Checks the subgraph at `root` (its folder, e.g. subgraphs/doctors). */
export function checkSubgraphShape(root: string): ShapeReport {
  const src = path.join(root, "src");
  const files = sourceFiles(src);
  const rel = (file: string) => path.relative(root, file);
  const layout: string[] = [];
  for (const entry of [
    "schema.graphql",
    "config.ts",
    "context.ts",
    "server.ts",
    "index.ts",
    "main.ts",
    "resolvers/index.ts",
    "resolvers/mappers.ts",
    "domain/deps.ts",
    "domain/ports.ts",
    "data/prisma.ts",
  ])
    if (!existsSync(path.join(src, entry))) layout.push(`missing src/${entry}`);
  if (!existsSync(path.join(root, "tests", "support", "harness.ts"))) layout.push("missing tests/support/harness.ts");
  for (const file of files)
    if (layerOf(file, src) === "root" && !ROOT_FILES.includes(path.basename(file))) layout.push(`unexpected src/${path.basename(file)}`);
  // The entry point's first import puts graphql-js in production mode before anything loads graphql (platform's graphqlProduction.ts).
  const main = path.join(src, "main.ts");
  const firstImport = existsSync(main) ? /(?:^|\n)\s*import\s+(?:[^;]*?from\s+)?"([^"]+)"/.exec(readFileSync(main, "utf8"))?.[1] : undefined;
  if (existsSync(main) && firstImport !== "@clinigraph/platform/graphql-production")
    layout.push("src/main.ts must import @clinigraph/platform/graphql-production first");

  const resolverDir = path.join(src, "resolvers");
  const resolverNames = existsSync(resolverDir) ? readdirSync(resolverDir).filter((f) => f.endsWith(".ts") && f !== "index.ts" && f !== "mappers.ts") : [];
  const resolverFileNames = resolverNames.filter((f) => !/^[A-Z][A-Za-z]*\.ts$/.test(f)).map((f) => `src/resolvers/${f}`);

  const index = path.join(resolverDir, "index.ts");
  const untypedResolverMap = existsSync(index) && /:\s*Resolvers\b/.test(readFileSync(index, "utf8")) ? [] : ["src/resolvers/index.ts"];

  const upwardImports: string[] = [];
  for (const file of files) {
    const rules = FORBIDDEN_IMPORTS[layerOf(file, src)] ?? [];
    for (const spec of importsOf(readFileSync(file, "utf8"))) if (rules.some((rule) => rule.test(spec))) upwardImports.push(`${rel(file)} imports ${spec}`);
  }
  const matches = (candidates: string[], pattern: RegExp) =>
    candidates.flatMap((f) => [...readFileSync(f, "utf8").matchAll(pattern)].map((m) => `${rel(f)}: ${m[0]}`));
  return {
    layout,
    resolverFileNames,
    untypedResolverMap,
    upwardImports,
    prismaOutsideData: matches(
      files.filter((f) => layerOf(f, src) !== "data" && layerOf(f, src) !== "events/outbox"),
      PRISMA_CALL,
    ),
    envReadsOutsideConfig: matches(
      files.filter((f) => path.relative(src, f) !== "config.ts"),
      ENV_READ,
    ),
  };
}
