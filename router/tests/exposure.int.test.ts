/**
 * What the router shows about itself: schema introspection is off in production (NODE_ENV=production)
 * and on otherwise, as under `pnpm start`; `/metrics` needs METRICS_TOKEN as a bearer when set, and without one
 * is served only on a loopback listener to requests that did not come through a proxy.
 */
import { createLogger } from "@clinigraph/platform";
import { loadRouterConfig } from "../src/config.js";
import { createRouter, type Router, type RouterOptions } from "../src/server.js";
import { ROUTER_SECRETS, startFederation, type Federation } from "./support/fixture.js";
import { gql } from "./support/http.js";

const INTROSPECTION = "{ __schema { queryType { name } } }";
const METRICS_TOKEN = "metrics-test-token-0123456789abcdef0123";

let fed: Federation;
const extra: Router[] = [];
beforeAll(async () => {
  fed = await startFederation();
});
afterAll(async () => {
  for (const router of extra) await router.stop();
  await fed?.close();
});

/** Another router over the same federation, listening on `host`. */
async function routerOn(host: string, options: Partial<RouterOptions> = {}) {
  const router = await createRouter({
    supergraph: { supergraphSdl: fed.supergraphSdl },
    jwksUrl: fed.jwks.url,
    routerSecrets: ROUTER_SECRETS,
    subgraphUrls: { doctors: fed.doctors.running.url },
    logger: createLogger("test-router", "silent"),
    ...options,
  });
  extra.push(router);
  const running = await router.listen(0, host);
  return { url: `http://127.0.0.1:${running.port}/graphql`, origin: `http://127.0.0.1:${running.port}` };
}

const introspectionRefused = async (url: string) => {
  const res = await gql(url, INTROSPECTION);
  return res.body.errors?.[0]?.extensions?.code === "GRAPHQL_VALIDATION_FAILED" && !res.body.data;
};

/** The router as a process started with `env` builds it: loadRouterConfig, spread into createRouter (main.ts, scripts/start.ts). */
function configFor(env: Record<string, string>) {
  const { introspection, metricsToken } = loadRouterConfig({ CLINIGRAPH_ROUTER_SECRETS: ROUTER_SECRETS[0]!, ...env });
  return { introspection, metricsToken };
}

describe("introspection", () => {
  it("is refused when NODE_ENV=production: by the configuration, and by the router's own default", async () => {
    expect(configFor({ NODE_ENV: "production" }).introspection).toBe(false);
    const configured = await routerOn("127.0.0.1", configFor({ NODE_ENV: "production" }));
    expect(await introspectionRefused(configured.url)).toBe(true);

    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      const byDefault = await routerOn("127.0.0.1");
      expect(await introspectionRefused(byDefault.url)).toBe(true);
    } finally {
      process.env.NODE_ENV = saved;
    }
  });

  it("is on without NODE_ENV (as under `pnpm start`) and in development", async () => {
    for (const env of [{}, { NODE_ENV: "development" }] as Record<string, string>[]) {
      expect(configFor(env).introspection).toBe(true);
      const { url } = await routerOn("127.0.0.1", configFor(env));
      const res = await gql(url, INTROSPECTION);
      expect(res.body).toEqual({ data: { __schema: { queryType: { name: "Query" } } } });
    }
  });
});

describe("/metrics", () => {
  const scrape = (origin: string, headers: Record<string, string> = {}) => fetch(`${origin}/metrics`, { headers });

  it("on a loopback listener without METRICS_TOKEN: served, but not to requests relayed by a proxy", async () => {
    const res = await scrape(fed.origin);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("clinigraph_router_requests_total");
    expect((await scrape(fed.origin, { "x-forwarded-for": "198.51.100.7" })).status).toBe(404);
    expect((await scrape(fed.origin, { forwarded: "for=198.51.100.7" })).status).toBe(404);
  });

  it("on a listener beyond loopback without METRICS_TOKEN: not served at all (404); GraphQL still answers", async () => {
    const { url, origin } = await routerOn("0.0.0.0");
    const res = await scrape(origin);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("clinigraph_router");
    expect((await gql(url, "{ whoami { role } }")).body.data).toEqual({ whoami: { role: null } });
  });

  it("with METRICS_TOKEN: only `Authorization: Bearer <token>`, on any listener", async () => {
    for (const host of ["0.0.0.0", "127.0.0.1"]) {
      const { origin } = await routerOn(host, configFor({ METRICS_TOKEN }));
      const none = await scrape(origin);
      expect(none.status).toBe(401);
      expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect((await scrape(origin, { authorization: `Bearer ${METRICS_TOKEN}x` })).status).toBe(401);
      expect((await scrape(origin, { authorization: METRICS_TOKEN })).status).toBe(401);
      const ok = await scrape(origin, { authorization: `Bearer ${METRICS_TOKEN}` });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain("clinigraph_router_requests_total");
    }
  });

  it("METRICS_TOKEN shorter than 32 characters is a configuration error", () => {
    expect(() => configFor({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
    expect(configFor({ METRICS_TOKEN: "" }).metricsToken).toBeUndefined();
  });
});
