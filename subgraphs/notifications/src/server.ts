/** Builds the notifications subgraph from its dependencies; tests listen on port 0. */
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import { createSubgraphServer, type Logger, type SubgraphServer, type Tracing, type ServiceMetrics, type StaffActionOptions } from "@clinigraph/platform";
import { createContext, type Context } from "./context.js";
import { sendAccountMessage } from "./domain/accountMessages.js";
import type { Deps } from "./domain/deps.js";
import { resolvers } from "./resolvers/index.js";

export const typeDefs = parse(readFileSync(new URL("./schema.graphql", import.meta.url), "utf8"));

export interface NotificationsServerOptions {
  /** The service's tracing (spans per request and root field when on). */
  tracing?: Tracing;
  deps: Deps;
  routerSecrets: readonly string[];
  logger: Logger;
  exposeInternalErrors?: boolean;
  /** Readiness: the database answers. */
  checkReady: () => Promise<void>;
  /** The service's metrics, served at /metrics (default: the server's own registry). */
  metrics?: ServiceMetrics;
  /** The staff action log's writer (the outbox): every staff mutation is recorded (platform staffActions.ts). */
  staffActions?: StaffActionOptions;
}

export function buildNotificationsServer({
  deps,
  routerSecrets,
  logger,
  exposeInternalErrors,
  checkReady,
  tracing,
  metrics,
  staffActions,
}: NotificationsServerOptions): Promise<SubgraphServer> {
  return createSubgraphServer<Context>({
    tracing,
    name: "notifications",
    typeDefs,
    resolvers,
    routerSecrets,
    logger,
    exposeInternalErrors,
    createContext: (base) => createContext(base, deps),
    checkReady,
    metrics,
    staffActions,
    internal: {
      // Another service (accounts: e-mail change) sending a message about a user's account at once, by e-mail.
      messages: (body, caller) => sendAccountMessage(deps, caller, body),
    },
  });
}
