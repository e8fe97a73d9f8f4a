/** Builds the clinical subgraph from its dependencies; tests import this and listen on port 0. */
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import { createSubgraphServer, type Logger, type SubgraphServer } from "@clinigraph/platform";
import { createClinicalContext, type ClinicalContext } from "./context.js";
import type { ClinicalDeps } from "./domain/deps.js";
import { resolvers } from "./resolvers/index.js";

export const typeDefs = parse(readFileSync(new URL("./schema.graphql", import.meta.url), "utf8"));

export interface ClinicalServerDeps {
  deps: ClinicalDeps;
  routerSecrets: readonly string[];
  logger: Logger;
  exposeInternalErrors?: boolean;
}

export function buildClinicalServer({ deps, routerSecrets, logger, exposeInternalErrors }: ClinicalServerDeps): Promise<SubgraphServer> {
  return createSubgraphServer<ClinicalContext>({
    name: "clinical",
    typeDefs,
    resolvers,
    routerSecrets,
    logger,
    exposeInternalErrors,
    createContext: (base) => createClinicalContext(base, deps),
    checkReady: async () => {
      await deps.prisma.$queryRaw`SELECT 1`;
    },
  });
}
