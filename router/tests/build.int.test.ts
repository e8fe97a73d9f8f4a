/**
 * The router as production runs it (scripts/build-router.ts): `pnpm build:router` writes one `.js` and one source map
 * per TypeScript source of router/src and packages/platform/src into their dist/, Node's `clinigraph-dist` condition
 * resolves the packages' exports to those files (without it, the sources: tsx, tsc and Jest), and
 * `node --conditions=clinigraph-dist router/dist/main.js` — plain Node, which cannot load a `.ts` file — starts, finds
 * the repository's supergraph from dist/, answers GraphQL and stops on SIGTERM. Docker runs that same command.
 * The build writes the real dist/ directories (git-ignored), exactly as `pnpm build:router` does.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "@clinigraph/platform";
import { parse } from "yaml";
import { buildRouter, type BuiltPackage } from "../../scripts/build-router.js";
import { startRouterProcess, stopAll } from "./support/routerProcess.js";

const START = (JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts["start:router"]!;

let built: BuiltPackage[];

beforeAll(async () => {
  built = await buildRouter();
});
afterAll(stopAll);

const packageOf = (dir: string) => built.find((p) => p.packageDir === path.join(REPO_ROOT, dir))!;

/** What Node resolves `specifier` to from `cwd`, with or without the condition. */
function resolveWithNode(specifier: string, cwd: string, conditions: string[]): string {
  const script = `process.stdout.write(import.meta.resolve(${JSON.stringify(specifier)}))`;
  const result = spawnSync(process.execPath, [...conditions, "--input-type=module", "-e", script], { cwd, encoding: "utf8" });
  expect(result.stderr).toBe("");
  return new URL(result.stdout).pathname;
}

describe("pnpm build:router", () => {
  it.each(["router", "packages/platform"])("transpiles every source of %s/src into dist/, same layout, with a linked source map", (dir) => {
    const { sources, outDir } = packageOf(dir);
    const srcDir = path.join(REPO_ROOT, dir, "src");
    const tsFiles = readdirSync(srcDir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
    expect(sources.length).toBeGreaterThan(10);
    expect([...sources].sort()).toEqual(tsFiles.sort());
    const written = readdirSync(outDir, { recursive: true, encoding: "utf8" });
    const js = written.filter((f) => f.endsWith(".js"));
    expect(js.sort()).toEqual(sources.map((f) => f.replace(/\.ts$/, ".js")).sort());
    for (const file of js) {
      expect(written).toContain(`${file}.map`);
      expect(readFileSync(path.join(outDir, file), "utf8").trimEnd()).toMatch(new RegExp(`//# sourceMappingURL=${path.basename(file)}\\.map$`));
    }
  });

  it("maps every export of the two packages to its compiled file under the condition, and to the source without it", () => {
    const platform = packageOf("packages/platform");
    expect(Object.keys(platform.exports).sort()).toEqual([".", "./graphql-production", "./migrate", "./migrate-cli", "./rotate", "./slots"]);
    for (const [subpath, file] of Object.entries({ ...platform.exports })) {
      const specifier = `@clinigraph/platform${subpath.slice(1)}`;
      expect(file.startsWith(platform.outDir + path.sep)).toBe(true);
      expect(existsSync(file)).toBe(true);
      expect(resolveWithNode(specifier, path.join(REPO_ROOT, "router"), ["--conditions=clinigraph-dist"])).toBe(file);
      expect(resolveWithNode(specifier, path.join(REPO_ROOT, "router"), [])).toBe(
        file.replace(`${path.sep}dist${path.sep}`, `${path.sep}src${path.sep}`).replace(/\.js$/, ".ts"),
      );
    }
    expect(resolveWithNode("@clinigraph/router", REPO_ROOT, ["--conditions=clinigraph-dist"])).toBe(path.join(REPO_ROOT, "router", "dist", "index.js"));
  });

  it("starts with plain Node from router/dist (pnpm start:router), answers GraphQL and stops on SIGTERM", async () => {
    expect(START).toBe("node --conditions=clinigraph-dist router/dist/main.js");
    const [, ...args] = START.split(" ");
    // No supergraph flag: the compiled platform must find <repo>/schema/supergraph.graphql from dist/ (REPO_ROOT).
    const router = startRouterProcess([...args, "--port", "0"], {
      NODE_ENV: "production",
      LOG_LEVEL: "info",
      CLINIGRAPH_ROUTER_SECRETS: "build-test-secret-0123456789abcdef012345",
      RATE_LIMIT_PER_MINUTE: "0",
    });
    const ready = (await router.logged("router ready for requests", 1, 20_000))[0] as { url: string; supergraph: string };
    expect(ready.supergraph).toBe(path.join(REPO_ROOT, "schema", "supergraph.graphql"));

    const response = await fetch(ready.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: "Query" } });

    router.child.kill("SIGTERM");
    expect(await router.exited).toBe(0);
    expect(router.output()).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION|"level":[56]0/);
  }, 30_000);

  it("is what the router's Docker image runs (its builder runs pnpm build:services, which builds the router the same way)", () => {
    const dockerfile = readFileSync(path.join(REPO_ROOT, "Dockerfile"), "utf8");
    const stage = (name: string) => dockerfile.split(/^(?=FROM )/m).find((text) => new RegExp(`^FROM \\S+ AS ${name}$`, "m").test(text))!;
    expect(stage("builder")).toMatch(/^RUN .*pnpm build:services/m);
    expect(stage("node-runtime")).toMatch(/^WORKDIR \/app$/m);
    expect(/^CMD (.+)$/m.exec(stage("router"))![1]).toBe(JSON.stringify(START.split(" ")).replace(/","/g, '", "'));
    const compose = parse(readFileSync(path.join(REPO_ROOT, "docker-compose.yml"), "utf8"), { merge: true }) as {
      services: Record<string, { build?: unknown; command?: string[] }>;
    };
    expect(compose.services.router?.build).toEqual({ context: ".", target: "router" });
    expect(compose.services.router?.command).toBeUndefined();
  });
});
