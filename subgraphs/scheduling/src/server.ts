/** Builds the scheduling subgraph from its dependencies; tests import this and listen on port 0. */
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import { createSubgraphServer, type Logger, type SubgraphServer, type Tracing, type ServiceMetrics, type StaffActionOptions } from "@clinigraph/platform";
import { createMemoryLiveFeed, type LiveFeed } from "@clinigraph/events";
import { createContext, type Context } from "./context.js";
import type { Deps } from "./domain/deps.js";
import { resolvers } from "./resolvers/index.js";

export const typeDefs = parse(readFileSync(new URL("./schema.graphql", import.meta.url), "utf8"));

export interface SchedulingServerDeps {
  /** The service's tracing (spans per request and root field when on). */
  tracing?: Tracing;
  deps: Deps;
  /** Live feeds behind the subscriptions (default: in-process). */
  live?: LiveFeed;
  routerSecrets: readonly string[];
  logger: Logger;
  exposeInternalErrors?: boolean;
  /** The service's metrics, served at /metrics (default: the server's own registry). */
  metrics?: ServiceMetrics;
  /** The staff action log's writer (the outbox): every staff mutation is recorded (platform staffActions.ts). */
  staffActions?: StaffActionOptions;
}

export function buildSchedulingServer({
  deps,
  live = createMemoryLiveFeed(),
  routerSecrets,
  logger,
  exposeInternalErrors,
  tracing,
  metrics,
  staffActions,
}: SchedulingServerDeps): Promise<SubgraphServer> {
  return createSubgraphServer<Context>({
    tracing,
    name: "scheduling",
    typeDefs,
    // The generated map types DateTime as a GraphQLScalarType, which the federation resolver map declares otherwise.
    resolvers: resolvers as Parameters<typeof createSubgraphServer<Context>>[0]["resolvers"],
    routerSecrets,
    logger,
    exposeInternalErrors,
    createContext: (base) => createContext(base, deps, live),
    subscriptions: {},
    checkReady: () => deps.ping(),
    metrics,
    staffActions,
  });
}
