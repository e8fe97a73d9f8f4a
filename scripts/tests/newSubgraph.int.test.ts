/**
 * `pnpm new:subgraph` on a scratch copy of the registries: the new subgraph follows the shape rules, is wired into
 * the registries (ports, databases, workspace, pnpm start, docker-compose, the e2e stack), composes into the
 * supergraph, type-checks, and — migrated, generated and started as its own process — answers its example query
 * to a router-signed caller, counts it in its /metrics, and stops cleanly on SIGTERM.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { once } from "node:events";
import { promisify } from "node:util";
import { parse as parseYaml } from "yaml";
import { IDENTITY_HEADER, REPO_ROOT, signIdentity } from "@clinigraph/platform";
import { applyMigrations } from "@clinigraph/platform/migrate";
import { createTestDatabase, TEST_ROUTER_SECRETS, type TestDatabase } from "@clinigraph/testing";
import { composeSupergraph, discoverSubgraphs } from "../../router/src/compose.js";
import { runCodegen } from "../codegen.js";
import { scaffoldSubgraph } from "../new-subgraph.js";
import { checkSubgraphShape } from "../lib/architecture.js";

const run = promisify(execFile);
const require = createRequire(import.meta.url);
// A subgraph the platform does not have (the next free port, 4008): scaffolded in a copy of the tree, never committed.
const NAME = "pharmacy";
const REGISTRIES = [
  "packages/platform/src/ports.ts",
  "packages/platform/src/database.ts",
  "package.json",
  "docker-compose.yml",
  "deploy/observability/prometheus/prometheus.yml",
  "scripts/lib/subgraphs.ts",
  "tests/support/stack.ts",
];

describe("pnpm new:subgraph", () => {
  const root = path.join(REPO_ROOT, ".clinigraph", `scaffold-${randomUUID().slice(0, 8)}`);
  const dir = path.join(root, "subgraphs", NAME);
  let db: TestDatabase;

  beforeAll(async () => {
    // The platform package is copied whole: the scaffold registers the new port and database in it.
    cpSync(path.join(REPO_ROOT, "packages", "platform"), path.join(root, "packages", "platform"), {
      recursive: true,
      filter: (source) => !source.split(path.sep).includes("node_modules"),
    });
    symlinkSync(path.join(REPO_ROOT, "packages", "platform", "node_modules"), path.join(root, "packages", "platform", "node_modules"), "dir");
    for (const file of REGISTRIES) cpSync(path.join(REPO_ROOT, file), path.join(root, file));
    await scaffoldSubgraph(root, NAME, { now: new Date("2026-12-06T10:00:00Z") });
    // The workspace install is not run here: the new package borrows the dependencies of an existing subgraph, except
    // the platform, which is the copy that knows the new subgraph.
    const borrowed = path.join(REPO_ROOT, "subgraphs", "scheduling", "node_modules");
    mkdirSync(path.join(dir, "node_modules", "@clinigraph"), { recursive: true });
    for (const entry of readdirSync(borrowed)) if (entry !== "@clinigraph") symlinkSync(path.join(borrowed, entry), path.join(dir, "node_modules", entry));
    for (const entry of readdirSync(path.join(borrowed, "@clinigraph")))
      symlinkSync(
        entry === "platform" ? path.join(root, "packages", "platform") : path.join(borrowed, "@clinigraph", entry),
        path.join(dir, "node_modules", "@clinigraph", entry),
      );
    await run(process.execPath, [require.resolve("prisma/build/index.js"), "generate", "--schema", path.join(root, "prisma", NAME, "schema.prisma")], {
      cwd: REPO_ROOT,
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
    });
    await runCodegen([dir]);
    db = await createTestDatabase([]);
    await applyMigrations(db.url, { dir: path.join(root, "prisma", NAME), schema: NAME });
  }, 120_000);

  afterAll(async () => {
    await db?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it("follows the subgraph shape", () => {
    expect(checkSubgraphShape(dir)).toEqual({
      layout: [],
      resolverFileNames: [],
      untypedResolverMap: [],
      upwardImports: [],
      prismaOutsideData: [],
      envReadsOutsideConfig: [],
    });
  });

  it("is wired into the registries", () => {
    const read = (file: string) => readFileSync(path.join(root, file), "utf8");
    expect(read("packages/platform/src/database.ts")).toContain(`  "${NAME}",\n  // new:subgraph databases`);
    expect(JSON.parse(read("package.json")).devDependencies[`@clinigraph/${NAME}`]).toBe("workspace:*");
    expect(read("scripts/lib/subgraphs.ts")).toContain(`name: "${NAME}"`);
    expect(read("tests/support/stack.ts")).toContain(`  ${NAME}: start${NAME[0]!.toUpperCase()}${NAME.slice(1)},\n  // new:subgraph starts`);
    const compose = parseYaml(read("docker-compose.yml")) as {
      services: Record<string, { build: object; environment: Record<string, string>; depends_on: object }>;
    };
    // The Dockerfile's subgraph image (it runs dist/main.js, which `pnpm build:services` writes from the package's export).
    expect(compose.services[NAME]!.build).toEqual({ context: ".", target: "subgraph", args: { SUBGRAPH: NAME } });
    expect(JSON.parse(read(`subgraphs/${NAME}/package.json`)).exports["."]).toEqual({ "clinigraph-dist": "./dist/index.js", default: "./src/index.ts" });
    expect(compose.services[NAME]!.environment[`${NAME.toUpperCase()}_PORT`]).toBe("4008");
    expect(compose.services.router!.environment[`${NAME.toUpperCase()}_URL`]).toBe(`http://${NAME}:4008/graphql`);
    expect(Object.keys(compose.services.router!.depends_on)).toContain(NAME);
    const prometheus = parseYaml(read("deploy/observability/prometheus/prometheus.yml")) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[]; labels: Record<string, string> }[] }[];
    };
    const subgraphTargets = prometheus.scrape_configs.find((job) => job.job_name === "subgraphs")!.static_configs;
    expect(subgraphTargets).toContainEqual({ targets: [`${NAME}:4008`], labels: { service: NAME } });
  });

  it("refuses to scaffold over an existing subgraph or under a bad name", async () => {
    await expect(scaffoldSubgraph(root, NAME)).rejects.toThrow(/already exists/);
    await expect(scaffoldSubgraph(root, "Bad-Name")).rejects.toThrow(/lower-case/);
  });

  it("composes into the supergraph with the others", async () => {
    const port = Number(new RegExp(`\\n  ${NAME}: (\\d+),`).exec(readFileSync(path.join(root, "packages/platform/src/ports.ts"), "utf8"))![1]);
    expect(port).toBe(4008);
    const subgraphs = [...(await discoverSubgraphs(REPO_ROOT)), ...(await discoverSubgraphs(root, { [NAME]: port }))];
    const outcome = composeSupergraph(subgraphs);
    expect(outcome.ok ? [] : outcome.errors).toEqual([]);
  });

  it("type-checks", async () => {
    const tsconfig = path.join(root, "tsconfig.json");
    writeFileSync(
      tsconfig,
      JSON.stringify({ extends: path.join(REPO_ROOT, "tsconfig.base.json"), include: [`subgraphs/${NAME}/src`, `subgraphs/${NAME}/tests`] }),
    );
    const tsc = require.resolve("typescript/bin/tsc");
    const outcome = await run(process.execPath, [tsc, "-p", tsconfig, "--noEmit"], { cwd: root }).then(
      () => "",
      (err: { stdout?: string }) => err.stdout ?? String(err),
    );
    expect(outcome).toBe("");
  }, 120_000);

  it("starts as its own process, answers a signed-in caller, and stops on SIGTERM", async () => {
    mkdirSync(path.join(root, "logs"), { recursive: true });
    const child = spawn(process.execPath, ["--import", "tsx", path.join(dir, "src", "main.ts")], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: db.url,
        CLINIGRAPH_ROUTER_SECRETS: TEST_ROUTER_SECRETS.join(","),
        [`${NAME.toUpperCase()}_PORT`]: "0",
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const match = /"url":"([^"]+)"/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.once("exit", (code) => reject(new Error(`exited with ${code} before listening: ${out}`)));
      });
      const identity = await signIdentity({ userId: randomUUID(), role: "PATIENT", requestId: randomUUID() }, TEST_ROUTER_SECRETS);
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", [IDENTITY_HEADER]: identity },
        body: JSON.stringify({ query: `{ ${NAME}Status { service databaseTime } }` }),
      });
      const body = (await response.json()) as { data?: Record<string, { service: string; databaseTime: string }>; errors?: unknown };
      expect(body.errors).toBeUndefined();
      const status = body.data?.[`${NAME}Status`];
      expect(status?.service).toBe(NAME);
      expect(Math.abs(Date.parse(status!.databaseTime) - Date.now())).toBeLessThan(60_000);
      // Its /metrics (no identity needed) counts that query and reports its pool and its outbox.
      const metrics = await (await fetch(url.replace(/\/graphql$/, "/metrics"))).text();
      expect(metrics).toContain(
        `clinigraph_subgraph_root_fields_total{operation_type="query",root_field="${NAME}Status",status="success",service="${NAME}"} 1`,
      );
      expect(metrics).toMatch(new RegExp(`^clinigraph_pg_pool_max_connections\\{pool="main",service="${NAME}"\\} 10$`, "m"));
      expect(metrics).toContain(`clinigraph_outbox_unpublished_events{outbox="${NAME}",service="${NAME}"} 0`);
    } finally {
      child.kill("SIGTERM");
    }
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(0);
  }, 60_000);
});
