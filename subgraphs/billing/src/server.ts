/** Builds the billing subgraph from its dependencies; tests listen on port 0. */
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import type { Express } from "express";
import { createSubgraphServer, type Logger, type SubgraphServer, type Tracing, type ServiceMetrics, type StaffActionOptions } from "@clinigraph/platform";
import { createContext, type Context } from "./context.js";
import type { Deps } from "./domain/deps.js";
import { resolvers } from "./resolvers/index.js";

export const typeDefs = parse(readFileSync(new URL("./schema.graphql", import.meta.url), "utf8"));

export interface BillingServerOptions {
  /** The service's tracing (spans per request and root field when on). */
  tracing?: Tracing;
  deps: Deps;
  routerSecrets: readonly string[];
  logger: Logger;
  exposeInternalErrors?: boolean;
  /** Readiness: the database answers. */
  checkReady: () => Promise<void>;
  /** HTTP endpoints besides GraphQL (payment webhooks, the test provider's checkout page). */
  routes?: (app: Express) => void;
  /** The service's metrics, served at /metrics (default: the server's own registry). */
  metrics?: ServiceMetrics;
  /** The staff action log's writer (the outbox): every staff mutation is recorded (platform staffActions.ts). */
  staffActions?: StaffActionOptions;
}

export function buildBillingServer({
  deps,
  routerSecrets,
  logger,
  exposeInternalErrors,
  checkReady,
  routes,
  tracing,
  metrics,
  staffActions,
}: BillingServerOptions): Promise<SubgraphServer> {
  return createSubgraphServer<Context>({
    tracing,
    name: "billing",
    typeDefs,
    resolvers,
    routerSecrets,
    logger,
    exposeInternalErrors,
    createContext: (base) => createContext(base, deps),
    checkReady,
    routes,
    metrics,
    staffActions,
  });
}
