/** Builds the clinical subgraph from its dependencies; tests import this and listen on port 0. */
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/index.js";
import {
  createSubgraphServer,
  DateScalar,
  DateTimeScalar,
  type Logger,
  type SubgraphServer,
  type Tracing,
  type ServiceMetrics,
  type StaffActionOptions,
} from "@clinigraph/platform";
import { createMemoryLiveFeed, type LiveFeed } from "@clinigraph/events";
import { createContext, type Context } from "./context.js";
import type { Deps } from "./domain/deps.js";
import { resolvers } from "./resolvers/index.js";

export const typeDefs = parse(readFileSync(new URL("./schema.graphql", import.meta.url), "utf8"));

export interface ClinicalServerDeps {
  /** The service's tracing (spans per request and root field when on). */
  tracing?: Tracing;
  deps: Deps;
  routerSecrets: readonly string[];
  logger: Logger;
  exposeInternalErrors?: boolean;
  /** Live feeds behind the subscriptions (default: in-process). */
  live?: LiveFeed;
  /** Throws when a dependency (the database) does not answer. */
  checkReady?: () => Promise<void>;
  /** The service's metrics, served at /metrics (default: the server's own registry). */
  metrics?: ServiceMetrics;
  /** The staff action log's writer (the outbox): every staff mutation is recorded (platform staffActions.ts). */
  staffActions?: StaffActionOptions;
}

export function buildClinicalServer({
  deps,
  routerSecrets,
  logger,
  exposeInternalErrors,
  live = createMemoryLiveFeed(),
  checkReady,
  tracing,
  metrics,
  staffActions,
}: ClinicalServerDeps): Promise<SubgraphServer> {
  return createSubgraphServer<Context>({
    tracing,
    name: "clinical",
    typeDefs,
    resolvers: { ...resolvers, DateTime: DateTimeScalar, Date: DateScalar } as GraphQLResolverMap<Context>,
    routerSecrets,
    logger,
    exposeInternalErrors,
    createContext: (base) => createContext(base, deps, live),
    subscriptions: {},
    checkReady,
    metrics,
    staffActions,
  });
}
