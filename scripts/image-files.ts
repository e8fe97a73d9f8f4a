/**
 * pnpm image:files <package> <out> [--with <path>]… — the files of one service's container image, in the repository's
 * layout, after `pnpm build:services`: the package (e.g. @clinigraph/accounts) and the workspace packages it depends
 * on, each as package.json and its compiled dist/ (no sources, no tests), and their production dependencies only,
 * installed by pnpm from the lockfile (`--prod --frozen-lockfile`, offline: the packages come from the store the full
 * install filled). `--with` adds files or folders the service reads at run time (the router's supergraph, the
 * migrations). The Dockerfile copies `<out>` into the image as /app, so platform's REPO_ROOT is /app there as here.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";
import { REPO_ROOT } from "@clinigraph/platform";

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
}

export interface WorkspacePackage {
  name: string;
  /** Relative to the repository root, e.g. `subgraphs/accounts`. */
  dir: string;
  manifest: Manifest;
}

/** The workspace's packages (pnpm-workspace.yaml: `dir` and `dir/*` entries), by name. */
export function workspacePackages(root: string = REPO_ROOT): Map<string, WorkspacePackage> {
  const { packages: patterns = [] } = parse(readFileSync(path.join(root, "pnpm-workspace.yaml"), "utf8")) as { packages?: string[] };
  const dirs = patterns.flatMap((pattern) => {
    if (!pattern.endsWith("/*")) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(path.join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`);
  });
  const packages = new Map<string, WorkspacePackage>();
  for (const dir of dirs.filter((d) => existsSync(path.join(root, d, "package.json")))) {
    const manifest = JSON.parse(readFileSync(path.join(root, dir, "package.json"), "utf8")) as Manifest;
    packages.set(manifest.name, { name: manifest.name, dir, manifest });
  }
  return packages;
}

/** `name` and the workspace packages among its (production) dependencies, transitively; `name` first. */
export function workspaceClosure(name: string, packages: Map<string, WorkspacePackage>): WorkspacePackage[] {
  const found: WorkspacePackage[] = [];
  const visit = (current: string) => {
    const pkg = packages.get(current);
    if (!pkg) throw new Error(`image-files: no workspace package ${current}`);
    if (found.includes(pkg)) return;
    found.push(pkg);
    for (const [dependency, version] of Object.entries(pkg.manifest.dependencies ?? {})) if (version.startsWith("workspace:")) visit(dependency);
  };
  visit(name);
  return found;
}

/** The pnpm that runs this script (`pnpm image:files`, `pnpm test`), else pnpm 10 through npx (as the README runs it). */
function pnpmCommand(): [string, string[]] {
  const execPath = process.env.npm_execpath;
  return execPath && /pnpm/.test(path.basename(execPath)) ? [process.execPath, [execPath]] : ["npx", ["--yes", "pnpm@10"]];
}

/** The workspace's files pnpm reads to install from the lockfile (the hook changes what the lockfile holds). */
const INSTALL_ONLY = ["pnpm-lock.yaml", "pnpm-workspace.yaml", ".pnpmfile.cjs", ".npmrc", "patches"];

export interface ImageFiles {
  /** The workspace packages in the image, relative to the repository root. */
  packages: string[];
}

export function writeImageFiles(name: string, out: string, extra: readonly string[] = [], root: string = REPO_ROOT): ImageFiles {
  const packages = workspacePackages(root);
  const closure = workspaceClosure(name, packages);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // pnpm checks the lockfile against every project of the workspace: each one's package.json, for the install only.
  for (const file of ["package.json", ...INSTALL_ONLY])
    if (existsSync(path.join(root, file))) cpSync(path.join(root, file), path.join(out, file), { recursive: true });
  for (const pkg of packages.values()) {
    mkdirSync(path.join(out, pkg.dir), { recursive: true });
    cpSync(path.join(root, pkg.dir, "package.json"), path.join(out, pkg.dir, "package.json"));
  }
  for (const pkg of closure) {
    const dist = path.join(root, pkg.dir, "dist");
    if (!existsSync(dist)) throw new Error(`image-files: ${pkg.dir}/dist is missing: run pnpm build:services first`);
    cpSync(dist, path.join(out, pkg.dir, "dist"), { recursive: true });
  }
  for (const file of extra) {
    if (!existsSync(path.join(root, file))) throw new Error(`image-files: ${file} does not exist`);
    cpSync(path.join(root, file), path.join(out, file), { recursive: true });
  }

  const [command, prefix] = pnpmCommand();
  const install = spawnSync(
    command,
    [...prefix, "install", "--prod", "--frozen-lockfile", "--offline", "--config.confirmModulesPurge=false", "--filter", `${name}...`],
    {
      cwd: out,
      encoding: "utf8",
      env: { ...process.env, CI: "true" },
    },
  );
  if (install.status !== 0)
    throw new Error(`image-files: pnpm install failed (${install.error?.message ?? `exit ${install.status}`})\n${install.stdout}\n${install.stderr}`);

  // What only the install needed goes: the other projects' manifests, the lockfile and the workspace's own files.
  const kept = new Set(closure.map((pkg) => pkg.dir));
  for (const pkg of packages.values()) if (!kept.has(pkg.dir)) rmSync(path.join(out, pkg.dir), { recursive: true, force: true });
  for (const parent of new Set([...packages.values()].map((pkg) => path.dirname(pkg.dir)).filter((dir) => dir !== ".")))
    if (existsSync(path.join(out, parent)) && readdirSync(path.join(out, parent)).length === 0) rmSync(path.join(out, parent), { recursive: true });
  for (const file of INSTALL_ONLY) rmSync(path.join(out, file), { recursive: true, force: true });
  // The root manifest stays, reduced to what Node reads of it (the module type), not the workspace's tool list.
  writeFileSync(path.join(out, "package.json"), `${JSON.stringify({ name: "clinigraph", private: true, type: "module" }, null, 2)}\n`);
  return { packages: closure.map((pkg) => pkg.dir) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const extra: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--with") extra.push(args[++i] ?? "");
    else positional.push(args[i]!);
  }
  const [name, out] = positional;
  if (!name || !out || extra.includes("")) {
    console.error("usage: pnpm image:files <package> <out> [--with <path>]…");
    process.exit(2);
  }
  const { packages } = writeImageFiles(name, path.resolve(out), extra);
  console.log(`${out}: ${packages.join(", ")}${extra.length ? `, with ${extra.join(", ")}` : ""} (production dependencies only)`);
}
