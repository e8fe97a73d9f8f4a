/** Builds the notifications subgraph from its dependencies; tests listen on port 0. */
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import { createSubgraphServer, type Logger, type SubgraphServer, type Tracing } from "@clinigraph/platform";
import { createContext, type Context } from "./context.js";
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
}

export function buildNotificationsServer({
  deps,
  routerSecrets,
  logger,
  exposeInternalErrors,
  checkReady,
  tracing,
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
  });
}
