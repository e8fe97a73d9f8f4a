/**
 * The ApolloGateway: supergraph from a static SDL or a hot-reloaded file, subgraph URLs overridable
 * by name, and every subgraph called through `SubgraphDataSource` (signed identity, keep-alive fetcher).
 */
import { ApolloGateway } from "@apollo/gateway";
import type { Logger } from "@clinigraph/platform";
import { SubgraphDataSource } from "./dataSource.js";
import type { Fetcher } from "./fetcher.js";
import { resolveSubgraphUrl, subgraphsOf, type SubgraphEndpoint } from "./supergraph.js";
import { supergraphHook, type SupergraphSource } from "./supergraphSource.js";
import { authorizingGateway, type AuthorizationState } from "./authz/gateway.js";

export interface GatewayOptions {
  source: SupergraphSource;
  routerSecrets: readonly string[];
  subgraphUrls: Readonly<Record<string, string>>;
  fetcher: Fetcher;
  logger: Logger;
  onSubgraphRequest?: (subgraph: string) => void;
  /** Called with every supergraph SDL the gateway loads (the subscription planner follows it). */
  onSupergraph?: (sdl: string) => void;
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
}: GatewayOptions): RouterGateway {
  let current: SubgraphEndpoint[] = [];
  const dataSources: Record<string, SubgraphDataSource> = {};
  const onLoad = (sdl: string) => {
    authorization.update(sdl); // throws: the supergraph is refused
    try {
      onSupergraph?.(sdl);
    } catch (err) {
      logger.error({ err }, "could not plan subscriptions for the new supergraph");
    }
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
      })),
  });
  return { authorized: authorizingGateway(gateway, authorization), subgraphs: () => current, dataSources: () => dataSources };
}
