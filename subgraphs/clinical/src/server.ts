/** Builds the clinical subgraph from its dependencies; tests import this and listen on port 0. */
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import { createSubgraphServer, type Logger, type SubgraphServer } from "@clinigraph/platform";
import { createMemoryLiveFeed, type LiveFeed } from "@clinigraph/events";
import { createClinicalContext, type ClinicalContext } from "./context.js";
import type { ClinicalDeps } from "./domain/deps.js";
import { resolvers } from "./resolvers/index.js";

export const typeDefs = parse(readFileSync(new URL("./schema.graphql", import.meta.url), "utf8"));

export interface ClinicalServerDeps {
  deps: ClinicalDeps;
  routerSecrets: readonly string[];
  logger: Logger;
  exposeInternalErrors?: boolean;
  /** Live feeds behind the subscriptions (default: in-process). */
  live?: LiveFeed;
}

export function buildClinicalServer({
  deps,
  routerSecrets,
  logger,
  exposeInternalErrors,
  live = createMemoryLiveFeed(),
}: ClinicalServerDeps): Promise<SubgraphServer> {
  return createSubgraphServer<ClinicalContext>({
    name: "clinical",
    typeDefs,
    resolvers,
    routerSecrets,
    logger,
    exposeInternalErrors,
    createContext: (base) => createClinicalContext(base, deps, live),
    subscriptions: {},
    checkReady: async () => {
      await deps.prisma.$queryRaw`SELECT 1`;
    },
  });
}
