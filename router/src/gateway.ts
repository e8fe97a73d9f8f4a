/**
 * The ApolloGateway: supergraph from a static SDL or a hot-reloaded file, subgraph URLs overridable
 * by name, and every subgraph called through `SubgraphDataSource` (signed identity, keep-alive fetcher).
 */
import { ApolloGateway } from "@apollo/gateway";
import type { Logger } from "@clinigraph/platform";
import { SubgraphDataSource } from "./dataSource.js";
import type { SubgraphFetcher } from "./fetcher.js";
import { InflightRequests } from "./inflight.js";
import { PlanExecutor, loadedSupergraph, type LoadedSupergraph } from "./execution/executor.js";
import { resolveSubgraphUrl, subgraphsOf, type SubgraphEndpoint } from "./supergraph.js";
import { supergraphHook, type SupergraphSource } from "./supergraphSource.js";
import { authorizingGateway, type AuthorizationState } from "./authz/gateway.js";

export interface GatewayOptions {
  source: SupergraphSource;
  routerSecrets: readonly string[];
  subgraphUrls: Readonly<Record<string, string>>;
  fetcher: SubgraphFetcher;
  logger: Logger;
  onSubgraphRequest?: (subgraph: string, shared: boolean) => void;
  /**
   * `router` (default): the router's own plan executor (execution/executor.ts; falls back to Apollo's for what it
   * does not handle); `apollo`: @apollo/gateway's executor for everything.
   */
  executor?: "router" | "apollo";
  /** Identical concurrent subgraph queries of one caller share a request (inflight.ts); default true. */
  dedupeSubgraphRequests?: boolean;
  /** Called for every operation the router's executor runs: `hit` when its plan was cached (metrics). */
  onPlan?: (hit: boolean) => void;
  /** Called with the planner and schemas of every supergraph the gateway loads (the subscription planner follows them). */
  onSupergraph?: (supergraph: LoadedSupergraph) => void;
  /** The supergraph's authorization rules, refreshed on every load; a supergraph whose rules can't be read is refused. */
  authorization: AuthorizationState;
}

export interface RouterGateway {
  /** What Apollo Server executes: the gateway behind router-level authorization. */
  authorized: ReturnType<typeof authorizingGateway>;
  /** Subgraphs of the supergraph being served, with the URLs the router calls. */
  subgraphs(): SubgraphEndpoint[];
  /** The gateway's data sources by subgraph name (subscriptions reuse them for the rest of a plan). */
  dataSources(): Readonly<Record<string, SubgraphDataSource>>;
  /** Shared subgraph calls (undefined when switched off); told of live events by the subscription server. */
  inflight: InflightRequests | undefined;
}

export function createGateway({
  source,
  routerSecrets,
  subgraphUrls,
  fetcher,
  logger,
  onSubgraphRequest,
  onSupergraph,
  authorization,
  executor = "router",
  dedupeSubgraphRequests = true,
  onPlan,
}: GatewayOptions): RouterGateway {
  const inflight = dedupeSubgraphRequests ? new InflightRequests() : undefined;
  let current: SubgraphEndpoint[] = [];
  const dataSources: Record<string, SubgraphDataSource> = {};
  const onLoad = (sdl: string) => {
    authorization.update(sdl); // throws: the supergraph is refused
    try {
      current = subgraphsOf(sdl).map(({ name, url }) => ({ name, url: resolveSubgraphUrl(name, url, subgraphUrls) }));
    } catch (err) {
      logger.error({ err }, "could not read the subgraph list from the supergraph");
    }
  };
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphHook(source, logger, onLoad),
    logger: logger.child({ component: "gateway" }),
    __exposeQueryPlanExperimental: false, // else any caller gets query plans with the Apollo-Query-Plan-Experimental header
    buildService: ({ name, url }) =>
      (dataSources[name] = new SubgraphDataSource({
        name,
        url: resolveSubgraphUrl(name, url ?? "", subgraphUrls),
        fetcher,
        routerSecrets,
        logger,
        onRequest: onSubgraphRequest,
        inflight,
      })),
  });
  // After the gateway has built its planner for a new supergraph (the hook above runs before).
  gateway.onSchemaLoadOrUpdate(() => {
    const loaded = loadedSupergraph(gateway);
    if (!loaded) return;
    try {
      onSupergraph?.(loaded);
    } catch (err) {
      logger.error({ err }, "could not plan subscriptions for the new supergraph");
    }
  });
  const planExecutor = executor === "router" ? new PlanExecutor({ gateway, dataSources: () => dataSources, onPlan }) : undefined;
  return {
    authorized: authorizingGateway(gateway, authorization, planExecutor),
    subgraphs: () => current,
    dataSources: () => dataSources,
    inflight,
  };
}
