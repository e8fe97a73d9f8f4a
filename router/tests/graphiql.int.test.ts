/**
 * GraphiQL on GET /graphql (router/src/graphiql.ts): a browser gets the offline GraphiQL build outside production,
 * its assets under /graphiql/, a page saying how to build it when there is no build, and in production no
 * GraphiQL at all. GraphQL requests on the same URL (GET with an operation, POST, non-browser GET) are untouched.
 * The build here is a fake one in a temporary directory: these tests need no `pnpm web:build`.
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createLogger } from "@clinigraph/platform";
import { loadRouterConfig } from "../src/config.js";
import { createRouter, type Router, type RouterOptions } from "../src/server.js";
import { ROUTER_SECRETS, startFederation, type Federation } from "./support/fixture.js";
import { gql } from "./support/http.js";

/** What a browser sends when navigating to a URL. */
const BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const ASSET = "assets/index-Dx4f2Kq9.js";
const ASSET_BODY = 'console.log("graphiql bundle");\n';

let fed: Federation;
let tmp: string;
const routers: Router[] = [];

beforeAll(async () => {
  fed = await startFederation();
  tmp = await mkdtemp(path.join(os.tmpdir(), "clinigraph-graphiql-"));
});
afterAll(async () => {
  for (const router of routers) await router.stop();
  await fed?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** A fake GraphiQL build (Vite's layout: index.html + hashed assets/) in its own directory; its page carries `marker`. */
async function fakeBuild(name: string, marker: string): Promise<string> {
  const dir = path.join(tmp, name);
  await mkdir(path.join(dir, "assets"), { recursive: true });
  await writeFile(path.join(dir, ASSET), ASSET_BODY);
  await writeFile(path.join(dir, "index.html"), indexHtml(marker));
  return dir;
}

const indexHtml = (marker: string) =>
  `<!doctype html><html><head><title>${marker}</title><script type="module" crossorigin src="/graphiql/${ASSET}"></script></head>` +
  `<body><div id="graphiql-root"></div></body></html>`;

/** The router as a process started with `env` builds it (loadRouterConfig, main.ts), over the test federation. */
async function routerWith(env: Record<string, string>, extra: Partial<RouterOptions> = {}) {
  const { graphiql, graphiqlDir, introspection } = loadRouterConfig({ CLINIGRAPH_ROUTER_SECRETS: ROUTER_SECRETS[0]!, ...env });
  return routerWithOptions({ graphiql, graphiqlDir, introspection, ...extra });
}

async function routerWithOptions(options: Partial<RouterOptions>) {
  const router = await createRouter({
    supergraph: { supergraphSdl: fed.supergraphSdl },
    jwksUrl: fed.jwks.url,
    routerSecrets: ROUTER_SECRETS,
    subgraphUrls: { doctors: fed.doctors.running.url },
    logger: createLogger("test-router", "silent"),
    ...options,
  });
  routers.push(router);
  const running = await router.listen(0);
  return { url: running.url, origin: new URL(running.url).origin };
}

const browserGet = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers: { accept: BROWSER_ACCEPT, ...headers }, redirect: "manual" });

describe("GraphiQL outside production", () => {
  it("answers a browser's GET /graphql with the built page: no CDN, a same-origin CSP, never cached", async () => {
    const dir = await fakeBuild("served", "graphiql-served");
    const { url } = await routerWith({ GRAPHIQL_DIR: dir });

    const res = await browserGet(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toBe(indexHtml("graphiql-served"));
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toContain("apollographql");

    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:/);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("vary")).toMatch(/accept/i);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("serves the build's assets under /graphiql/, hashed ones as immutable; nothing else there", async () => {
    const dir = await fakeBuild("assets", "graphiql-assets");
    const { origin } = await routerWith({ GRAPHIQL_DIR: dir });

    const asset = await fetch(`${origin}/graphiql/${ASSET}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await asset.text()).toBe(ASSET_BODY);

    expect((await fetch(`${origin}/graphiql/assets/index-missing.js`)).status).toBe(404);
    expect((await fetch(`${origin}/graphiql/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
    // The page lives on /graphql.
    for (const page of ["/graphiql", "/graphiql/", "/graphiql/index.html"]) {
      const res = await browserGet(`${origin}${page}`);
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/graphql");
    }
  });

  it("leaves GraphQL requests alone: GET with an operation, POST, and GETs that do not prefer HTML", async () => {
    const dir = await fakeBuild("graphql", "graphiql-graphql");
    const { url } = await routerWith({ GRAPHIQL_DIR: dir });

    // A browser-like Accept with a query runs it (Apollo's landing page no longer intercepts it).
    const get = await browserGet(`${url}?query=${encodeURIComponent("{ __typename }")}`, { "apollo-require-preflight": "true" });
    expect(get.status).toBe(200);
    expect(get.headers.get("content-type")).toMatch(/json/);
    expect(await get.json()).toEqual({ data: { __typename: "Query" } });

    // CSRF prevention is as before: a simple GET with an operation and no preflight header is refused.
    const simple = await browserGet(`${url}?query=${encodeURIComponent("{ __typename }")}`);
    expect(simple.status).toBe(400);
    expect(await simple.text()).not.toContain("graphiql-graphql");

    expect((await gql(url, "{ whoami { role } }")).body).toEqual({ data: { whoami: { role: null } } });

    for (const accept of ["application/json", "*/*", "application/graphql-response+json, text/html;q=0.5"]) {
      const res = await fetch(url, { headers: { accept } });
      expect(await res.text()).not.toContain("graphiql-graphql");
      expect(res.headers.get("content-type")).not.toMatch(/^text\/html/);
    }
  });

  it("without a build, says how to make one (a self-contained page), and serves a build made after the start", async () => {
    const dir = path.join(tmp, "not-built-yet");
    const { url } = await routerWith({ GRAPHIQL_DIR: dir });

    const res = await browserGet(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toMatch(/^default-src 'none'/);
    const html = await res.text();
    expect(html).toContain("pnpm web:build");
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<(script|link|img)\b/);

    await fakeBuild("not-built-yet", "graphiql-built-later");
    expect(await (await browserGet(url)).text()).toContain("graphiql-built-later");
  });
});

describe("GraphiQL in production", () => {
  const productionPage = async (url: string, origin: string) => {
    const res = await browserGet(url);
    const html = await res.text();
    expect(html).not.toContain("graphiql-root");
    expect(html).not.toContain("graphiql-prod");
    expect((await fetch(`${origin}/graphiql/${ASSET}`)).status).toBe(404);
    return html;
  };

  it("is not served with NODE_ENV=production (the configuration) nor by the router's own default", async () => {
    const dir = await fakeBuild("prod", "graphiql-prod");
    const config = loadRouterConfig({ CLINIGRAPH_ROUTER_SECRETS: ROUTER_SECRETS[0]!, NODE_ENV: "production", GRAPHIQL_DIR: dir });
    expect(config.graphiql).toBe(false);

    const configured = await routerWith({ NODE_ENV: "production", GRAPHIQL_DIR: dir });
    const byDefault = await routerWithOptions({ graphiqlDir: dir });
    for (const { url, origin } of [configured, byDefault]) {
      // As before: Apollo Server's production landing page, and GraphQL itself unchanged.
      expect(await productionPage(url, origin)).toContain("Welcome to Apollo Server");
      expect((await gql(url, "{ whoami { role } }")).body).toEqual({ data: { whoami: { role: null } } });
    }
  });
});
