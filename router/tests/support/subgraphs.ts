/**
 * Two tiny subgraphs for supergraph tests, built with the platform's real subgraph server:
 * `users` owns User; `doctors` owns Doctor and references User. Each records the identities it saw.
 */
import { parse } from "graphql";
import { createLogger, createSubgraphServer, forbidden, type BaseContext, type Identity, type RunningServer } from "@clinigraph/platform";
import type { SubgraphSource } from "../../src/compose.js";

export const USERS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type User @key(fields: "id") { id: ID! name: String! }
  type Whoami { userId: ID role: String requestId: String! }
  type Query {
    user(id: ID!): User
    whoami: Whoami!
    boom: String
    denied: String
  }
`;

export const DOCTORS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Doctor @key(fields: "id") { id: ID! user: User }
  type User @key(fields: "id", resolvable: false) { id: ID! }
  type Query { doctor(id: ID!): Doctor }
`;

const USERS: Record<string, { id: string; name: string }> = { u1: { id: "u1", name: "Ada Lovelace" }, u2: { id: "u2", name: "Grace Hopper" } };
const DOCTORS: Record<string, { id: string; userId: string }> = { d1: { id: "d1", userId: "u1" } };

export interface TestSubgraph {
  name: string;
  sdl: string;
  running: RunningServer;
  /** Identities the subgraph received, in order. */
  seen: Identity[];
  source(url?: string): SubgraphSource;
}

const routerLogger = createLogger("test-subgraph");

/** A test subgraph that records every identity it was called with. */
async function startSubgraph(name: string, sdl: string, routerSecrets: readonly string[], resolvers: object): Promise<TestSubgraph> {
  const seen: Identity[] = [];
  const server = await createSubgraphServer<BaseContext>({
    name,
    typeDefs: parse(sdl),
    routerSecrets,
    logger: routerLogger,
    createContext: (base) => {
      seen.push(base.identity);
      return base;
    },
    resolvers,
  });
  return started(name, sdl, await server.listen(0), seen);
}

export const startUsersSubgraph = (routerSecrets: readonly string[]) =>
  startSubgraph("users", USERS_SDL, routerSecrets, {
    Query: {
      user: (_: unknown, { id }: { id: string }) => USERS[id] ?? null,
      whoami: (_: unknown, __: unknown, ctx: BaseContext) => ctx.identity,
      boom: () => {
        throw new Error("connection to db-secret-host:5432 refused");
      },
      denied: () => {
        throw forbidden("Only the patient may see this");
      },
    },
    User: { __resolveReference: (ref: { id: string }) => USERS[ref.id] ?? null },
  });

export const startDoctorsSubgraph = (routerSecrets: readonly string[]) =>
  startSubgraph("doctors", DOCTORS_SDL, routerSecrets, {
    Query: { doctor: (_: unknown, { id }: { id: string }) => DOCTORS[id] ?? null },
    Doctor: {
      __resolveReference: (ref: { id: string }) => DOCTORS[ref.id] ?? null,
      user: (doctor: { userId: string }) => ({ __typename: "User", id: doctor.userId }),
    },
  });

function started(name: string, sdl: string, running: RunningServer, seen: Identity[]): TestSubgraph {
  return {
    name,
    sdl,
    running,
    seen,
    source: (url = running.url) => ({ name, url, file: `subgraphs/${name}/src/schema.graphql`, sdl }),
  };
}
