/**
 * Builds the doctors subgraph from its dependencies (never listens: see start.ts / main.ts).
 * Tests pass their own Prisma client, accounts client, clock and logger.
 */
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import { createLogger, createSubgraphServer, type Logger, type SubgraphServer } from "@clinigraph/platform";
import { createContext, type DoctorsContext } from "./context.js";
import type { AccountsClient } from "./data/accountsClient.js";
import type { PrismaClient } from "./data/prisma.js";
import { noScheduleListener, type ScheduleListener } from "./data/scheduleListener.js";
import { createRepositories } from "./data/repositories.js";
import { resolvers } from "./resolvers/index.js";

export interface DoctorsServerDeps {
  prisma: PrismaClient;
  /** CLINIGRAPH_ROUTER_SECRETS: verify the router's identity header (first one also signs calls to accounts). */
  routerSecrets: readonly string[];
  accounts: AccountsClient;
  /** Told after a doctor's bookable time changed (default: nobody). */
  schedule?: ScheduleListener;
  logger?: Logger;
  clock?: () => Date;
  exposeInternalErrors?: boolean;
}

export const typeDefs = parse(readFileSync(new URL("./schema.graphql", import.meta.url), "utf8"));

export function buildDoctorsServer(deps: DoctorsServerDeps): Promise<SubgraphServer> {
  const repositories = createRepositories(deps.prisma);
  const appDeps = { ...repositories, accounts: deps.accounts, schedule: deps.schedule ?? noScheduleListener, clock: deps.clock ?? (() => new Date()) };
  return createSubgraphServer<DoctorsContext>({
    name: "doctors",
    typeDefs,
    resolvers,
    routerSecrets: deps.routerSecrets,
    logger: deps.logger ?? createLogger("doctors"),
    createContext: (base) => createContext(base, appDeps),
    checkReady: async () => {
      await deps.prisma.$queryRaw`SELECT 1`;
    },
    exposeInternalErrors: deps.exposeInternalErrors,
  });
}
