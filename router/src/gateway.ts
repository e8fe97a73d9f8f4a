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

export interface GatewayOptions {
  source: SupergraphSource;
  routerSecrets: readonly string[];
  subgraphUrls: Readonly<Record<string, string>>;
  fetcher: Fetcher;
  logger: Logger;
  onSubgraphRequest?: (subgraph: string) => void;
}

export interface RouterGateway {
  gateway: ApolloGateway;
  /** Subgraphs of the supergraph being served, with the URLs the router calls. */
  subgraphs(): SubgraphEndpoint[];
}

export function createGateway({ source, routerSecrets, subgraphUrls, fetcher, logger, onSubgraphRequest }: GatewayOptions): RouterGateway {
  let current: SubgraphEndpoint[] = [];
  const onLoad = (sdl: string) => {
    try {
      current = subgraphsOf(sdl).map(({ name, url }) => ({ name, url: resolveSubgraphUrl(name, url, subgraphUrls) }));
    } catch (err) {
      logger.error({ err }, "could not read the subgraph list from the supergraph");
    }
  };
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphHook(source, logger, onLoad),
    logger: logger.child({ component: "gateway" }),
    buildService: ({ name, url }) =>
      new SubgraphDataSource({ name, url: resolveSubgraphUrl(name, url ?? "", subgraphUrls), fetcher, routerSecrets, logger, onRequest: onSubgraphRequest }),
  });
  return { gateway, subgraphs: () => current };
}
