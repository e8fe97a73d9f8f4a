/**
 * Builds the doctors subgraph's server from its dependencies (never listens: see index.ts).
 * Tests pass their own dependencies (fakes, or real ones on a test database).
 */
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/index.js";
import {
  createLogger,
  createSubgraphServer,
  DateScalar,
  DateTimeScalar,
  type Logger,
  type SubgraphServer,
  type Tracing,
  type ServiceMetrics,
  type StaffActionOptions,
} from "@clinigraph/platform";
import { createContext, type Context } from "./context.js";
import type { Deps } from "./domain/deps.js";
import { resolvers } from "./resolvers/index.js";

export interface DoctorsServerOptions {
  /** The service's tracing (spans per request and root field when on). */
  tracing?: Tracing;
  deps: Deps;
  /** CLINIGRAPH_ROUTER_SECRETS: verify the router's identity header. */
  routerSecrets: readonly string[];
  logger?: Logger;
  /** Throws when a dependency (the database) does not answer: /ready. */
  checkReady?: () => Promise<void>;
  exposeInternalErrors?: boolean;
  /** The service's metrics, served at /metrics (default: the server's own registry). */
  metrics?: ServiceMetrics;
  /** The staff action log's writer (the outbox): every staff mutation is recorded (platform staffActions.ts). */
  staffActions?: StaffActionOptions;
}

export const typeDefs = parse(readFileSync(new URL("./schema.graphql", import.meta.url), "utf8"));

export function buildDoctorsServer(options: DoctorsServerOptions): Promise<SubgraphServer> {
  const { deps } = options;
  return createSubgraphServer<Context>({
    tracing: options.tracing,
    name: "doctors",
    typeDefs,
    resolvers: { ...resolvers, DateTime: DateTimeScalar, Date: DateScalar } as GraphQLResolverMap<Context>,
    routerSecrets: options.routerSecrets,
    logger: options.logger ?? createLogger("doctors"),
    createContext: (base) => createContext(base, deps),
    checkReady: options.checkReady,
    exposeInternalErrors: options.exposeInternalErrors,
    metrics: options.metrics,
    staffActions: options.staffActions,
  });
}
