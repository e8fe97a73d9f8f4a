/** Builds the scheduling subgraph from its dependencies; tests import this and listen on port 0. */
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import { createSubgraphServer, type Logger, type SubgraphServer } from "@clinigraph/platform";
import { createSchedulingContext, type SchedulingContext } from "./context.js";
import type { DoctorsClient } from "./data/doctorsClient.js";
import type { SchedulingDeps } from "./domain/deps.js";
import { resolvers } from "./resolvers/index.js";
import { createMemoryLiveFeed, type LiveFeed } from "@clinigraph/events";

export const typeDefs = parse(readFileSync(new URL("./schema.graphql", import.meta.url), "utf8"));

export interface SchedulingServerDeps {
  deps: SchedulingDeps;
  doctors: DoctorsClient;
  /** Live feeds behind the subscriptions (default: in-process). */
  live?: LiveFeed;
  routerSecrets: readonly string[];
  logger: Logger;
  exposeInternalErrors?: boolean;
}

export function buildSchedulingServer({
  deps,
  doctors,
  live = createMemoryLiveFeed(),
  routerSecrets,
  logger,
  exposeInternalErrors,
}: SchedulingServerDeps): Promise<SubgraphServer> {
  return createSubgraphServer<SchedulingContext>({
    name: "scheduling",
    typeDefs,
    resolvers,
    routerSecrets,
    logger,
    exposeInternalErrors,
    createContext: (base) => createSchedulingContext(base, deps, doctors, live),
    subscriptions: {},
    checkReady: async () => {
      await deps.prisma.$queryRaw`SELECT 1`;
    },
  });
}
