/**
 * pnpm build:services — every Node service of the container images as JavaScript, by the build of
 * scripts/build-router.ts: packages/platform and packages/events, the router and each subgraph (subgraphs/<name>),
 * each into its own dist/. The images (Dockerfile) then start them with plain Node and no TypeScript tooling:
 * `node --conditions=clinigraph-dist dist/main.js` in the service's package, and the migrations with
 * `node --conditions=clinigraph-dist packages/platform/dist/cli/migrate.js`. `pnpm image:files` (scripts/image-files.ts)
 * then gathers one service's built packages with their production dependencies only.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "@clinigraph/platform";
import { buildRouter, loadEsbuild, type BuildTarget, type BuiltPackage } from "./build-router.js";

/** The subgraphs: every directory of subgraphs/ with a `src/main.ts`. */
export function subgraphDirs(root: string = REPO_ROOT): string[] {
  return readdirSync(path.join(root, "subgraphs"))
    .filter((name) => existsSync(path.join(root, "subgraphs", name, "src", "main.ts")))
    .sort()
    .map((name) => path.join(root, "subgraphs", name));
}

/** What the images run: the shared packages first, then the router and the subgraphs. */
export function serviceBuildTargets(root: string = REPO_ROOT): BuildTarget[] {
  return [
    { packageDir: path.join(root, "packages", "platform") },
    { packageDir: path.join(root, "packages", "events") },
    { packageDir: path.join(root, "router") },
    ...subgraphDirs(root).map((packageDir) => ({ packageDir })),
  ];
}

export function buildServices(): Promise<BuiltPackage[]> {
  return buildRouter(serviceBuildTargets());
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const started = performance.now();
  const built = await buildServices();
  for (const { outDir, sources, assets } of built)
    console.log(`${path.relative(REPO_ROOT, outDir)}: ${sources.length} files${assets.length ? `, ${assets.join(" ")}` : ""}`);
  console.log(`built with esbuild ${loadEsbuild().version} in ${Math.round(performance.now() - started)} ms`);
}
