/**
 * pnpm build:router — the router and the platform package as JavaScript, so production starts the router with plain
 * Node instead of transpiling TypeScript at every start (tsx); `pnpm build:services` (scripts/build-services.ts) does
 * the same for every Node service of the container images: the router, each subgraph, and the platform and events
 * packages they import.
 *  - every `.ts` file of a package's src/ (tests and `.d.ts` aside) is transpiled on its own with esbuild (no
 *    bundling, no type check: `pnpm typecheck` does that) to its dist/, ESM for Node 20 with linked source maps, in
 *    the same layout as src/ — so paths taken from `import.meta.url` (platform's REPO_ROOT, three directories up; a
 *    subgraph's `./schema.graphql`) come out the same; the `.graphql` files of src/ are copied beside them;
 *  - each package.json export maps the `clinigraph-dist` condition to its file under dist/ (`"default"` stays the
 *    TypeScript source for tsx, tsc and Jest, which do not know the condition); the build fails if one does not, or
 *    names a file the build did not write.
 * Start: `pnpm start:router [--supergraph <file>] [--port <n>]`, i.e.
 * `node --conditions=clinigraph-dist router/dist/main.js`, after this build (the Dockerfile runs both).
 * esbuild comes with tsx (its dependency), so it is loaded through tsx's own resolution rather than declared here.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "@clinigraph/platform";

/** The part of esbuild's JS API this build uses. */
interface Esbuild {
  version: string;
  build(options: {
    entryPoints: string[];
    outbase: string;
    outdir: string;
    tsconfig: string;
    format: "esm";
    platform: "node";
    target: string;
    sourcemap: "linked";
    bundle: false;
    logLevel: "warning";
  }): Promise<{ errors: unknown[]; warnings: unknown[] }>;
}

export interface BuildTarget {
  /** The package's directory (its package.json, src/ and dist/). */
  packageDir: string;
}

export const BUILD_TARGETS: readonly BuildTarget[] = [
  { packageDir: path.join(REPO_ROOT, "packages", "platform") },
  { packageDir: path.join(REPO_ROOT, "router") },
];

/** The export condition that selects the compiled files (`node --conditions=clinigraph-dist`). */
export const DIST_CONDITION = "clinigraph-dist";

export interface BuiltPackage {
  packageDir: string;
  outDir: string;
  /** Sources transpiled, relative to src/ (one `.js` and one `.js.map` each under dist/). */
  sources: string[];
  /** Files copied as they are (ASSET_EXTENSIONS), relative to src/ and to dist/. */
  assets: string[];
  /** The package's exports: subpath → compiled file (absolute). */
  exports: Record<string, string>;
}

export function loadEsbuild(): Esbuild {
  const tsx = createRequire(import.meta.url).resolve("tsx/package.json");
  return createRequire(tsx)("esbuild") as Esbuild;
}

/** Files a package reads beside its modules at run time (a subgraph's `schema.graphql`): copied to dist/ as they are. */
export const ASSET_EXTENSIONS = [".graphql"] as const;

const outsideTests = (file: string) => !file.split(path.sep).some((part) => part === "tests" || part === "__tests__");

/** The TypeScript sources of a src/ directory, relative to it: no tests, no declaration files. */
export function sourcesOf(srcDir: string): string[] {
  return readdirSync(srcDir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts") && !/\.test\.ts$/.test(file))
    .filter(outsideTests)
    .sort();
}

/** The assets of a src/ directory (ASSET_EXTENSIONS), relative to it, tests aside. */
export function assetsOf(srcDir: string): string[] {
  return readdirSync(srcDir, { recursive: true, encoding: "utf8" })
    .filter((file) => ASSET_EXTENSIONS.some((extension) => file.endsWith(extension)))
    .filter(outsideTests)
    .sort();
}

/** Transpiles the targets' src/ into their dist/ (emptied first, so no file of a deleted source lingers). */
export async function buildRouter(targets: readonly BuildTarget[] = BUILD_TARGETS): Promise<BuiltPackage[]> {
  const esbuild = loadEsbuild();
  const built: BuiltPackage[] = [];
  for (const { packageDir } of targets) {
    const srcDir = path.join(packageDir, "src");
    const outDir = path.join(packageDir, "dist");
    const sources = sourcesOf(srcDir);
    if (sources.length === 0) throw new Error(`build-router: no TypeScript sources in ${srcDir}`);
    rmSync(outDir, { recursive: true, force: true });
    const result = await esbuild.build({
      entryPoints: sources.map((file) => path.join(srcDir, file)),
      outbase: srcDir,
      outdir: outDir,
      tsconfig: path.join(REPO_ROOT, "tsconfig.json"),
      format: "esm",
      platform: "node",
      target: "node20",
      sourcemap: "linked",
      bundle: false,
      logLevel: "warning",
    });
    if (result.errors.length > 0) throw new Error(`build-router: esbuild failed for ${srcDir}`);
    const assets = assetsOf(srcDir);
    for (const asset of assets) {
      mkdirSync(path.dirname(path.join(outDir, asset)), { recursive: true });
      copyFileSync(path.join(srcDir, asset), path.join(outDir, asset));
    }
    built.push({ packageDir, outDir, sources, assets, exports: compiledExports(packageDir) });
  }
  return built;
}

type ExportEntry = string | Record<string, string>;

/**
 * Each export of the package's package.json as Node resolves it under the `clinigraph-dist` condition; throws when
 * an export has no such condition, or its file is missing or not the compiled twin of the export's source.
 */
export function compiledExports(packageDir: string): Record<string, string> {
  const manifest = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as { name: string; exports?: Record<string, ExportEntry> };
  const resolved: Record<string, string> = {};
  for (const [subpath, entry] of Object.entries(manifest.exports ?? {})) {
    const at = `${manifest.name} export "${subpath}"`;
    if (typeof entry === "string" || entry[DIST_CONDITION] === undefined || entry.default === undefined)
      throw new Error(`build-router: ${at} needs { "${DIST_CONDITION}": "./dist/….js", "default": "./src/….ts" }`);
    const source = entry.default;
    const compiled = entry[DIST_CONDITION];
    const expected = source.replace(/^\.\/src\//, "./dist/").replace(/\.ts$/, ".js");
    if (compiled !== expected) throw new Error(`build-router: ${at} maps "${DIST_CONDITION}" to ${compiled}, not ${expected} (the build of ${source})`);
    const file = path.join(packageDir, compiled);
    if (!existsSync(file)) throw new Error(`build-router: ${at}: ${compiled} was not built`);
    resolved[subpath] = file;
  }
  return resolved;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const started = performance.now();
  const built = await buildRouter();
  for (const { outDir, sources, exports } of built)
    console.log(`${path.relative(REPO_ROOT, outDir)}: ${sources.length} files, exports ${Object.keys(exports).join(" ")}`);
  console.log(`built with esbuild ${loadEsbuild().version} in ${Math.round(performance.now() - started)} ms; start: pnpm start:router`);
}
