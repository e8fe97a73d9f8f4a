/** Builds the analytics subgraph from its dependencies; tests listen on port 0. */
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import { createMemoryLiveFeed, type LiveFeed } from "@clinigraph/events";
import { createSubgraphServer, type Logger, type SubgraphServer, type Tracing, type ServiceMetrics, type StaffActionOptions } from "@clinigraph/platform";
import { createContext, type Context } from "./context.js";
import type { Deps } from "./domain/deps.js";
import { resolvers } from "./resolvers/index.js";

export const typeDefs = parse(readFileSync(new URL("./schema.graphql", import.meta.url), "utf8"));

export interface AnalyticsServerOptions {
  /** The service's tracing (spans per request and root field when on). */
  tracing?: Tracing;
  deps: Deps;
  routerSecrets: readonly string[];
  logger: Logger;
  exposeInternalErrors?: boolean;
  /** Live feeds behind the subscriptions (default: in-process). */
  live?: LiveFeed;
  /** The service's metrics, served at /metrics (default: the server's own registry). */
  metrics?: ServiceMetrics;
  /** The staff action log's writer (the outbox): every staff mutation is recorded (platform staffActions.ts). */
  staffActions?: StaffActionOptions;
}

export function buildAnalyticsServer({
  deps,
  routerSecrets,
  logger,
  exposeInternalErrors,
  live = createMemoryLiveFeed(),
  tracing,
  metrics,
  staffActions,
}: AnalyticsServerOptions): Promise<SubgraphServer> {
  return createSubgraphServer<Context>({
    tracing,
    name: "analytics",
    typeDefs,
    resolvers,
    routerSecrets,
    logger,
    exposeInternalErrors,
    createContext: (base) => createContext(base, deps, live),
    subscriptions: {},
    checkReady: async () => void (await deps.status.databaseTime()),
    metrics,
    staffActions,
  });
}
