/**
 * A running federation for router tests: the two test subgraphs, a JWKS server and the router on
 * port 0, over a supergraph composed in-process. `doctors` is composed with an unreachable URL and
 * reached through a subgraph URL override, so overrides are exercised by every test.
 */
import { createLogger } from "@clinigraph/platform";
import { composeSupergraph } from "../../src/compose.js";
import { createRouter, type Router, type RouterOptions } from "../../src/server.js";
import { startJwks, type TestJwks } from "./jwks.js";
import { startDoctorsSubgraph, startUsersSubgraph, type TestSubgraph } from "./subgraphs.js";

export const ROUTER_SECRETS = ["router-test-secret-0123456789abcdef0123456789"];

export interface Federation {
  /** Router GraphQL endpoint. */
  url: string;
  /** Router origin, for /health, /ready, /metrics. */
  origin: string;
  jwks: TestJwks;
  users: TestSubgraph;
  doctors: TestSubgraph;
  router: Router;
  supergraphSdl: string;
  close(): Promise<void>;
}

export function composeTestSupergraph(users: TestSubgraph, doctors: TestSubgraph): string {
  const outcome = composeSupergraph([users.source(), doctors.source("http://127.0.0.1:1/graphql")]);
  if (!outcome.ok) throw new Error(`composition failed: ${outcome.errors.join("; ")}`);
  return outcome.supergraphSdl;
}

export async function startFederation(routerOptions: Partial<RouterOptions> = {}): Promise<Federation> {
  const jwks = await startJwks();
  const users = await startUsersSubgraph(ROUTER_SECRETS);
  const doctors = await startDoctorsSubgraph(ROUTER_SECRETS);
  const supergraphSdl = composeTestSupergraph(users, doctors);
  const router = await createRouter({
    supergraph: { supergraphSdl },
    jwksUrl: jwks.url,
    routerSecrets: ROUTER_SECRETS,
    subgraphUrls: { doctors: doctors.running.url },
    logger: createLogger("test-router"),
    ...routerOptions,
  });
  const running = await router.listen(0);
  return {
    url: running.url,
    origin: new URL(running.url).origin,
    jwks,
    users,
    doctors,
    router,
    supergraphSdl,
    async close() {
      await router.stop();
      await Promise.all([users.running.close(), doctors.running.close(), jwks.close()]);
    },
  };
}
