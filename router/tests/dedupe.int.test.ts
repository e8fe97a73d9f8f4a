/**
 * Identical subgraph queries in flight at the same time for the same caller share one subgraph request
 * (inflight.ts, dataSource.ts), through a real router: the `stock` subgraph holds every answer until the test
 * releases it, and the test releases it only once the router has made all its subgraph calls (its own metrics count
 * them: sent plus shared) and the subgraph has seen what it was going to see. No timer stands in for an event.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { parse } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { createLogger, createSubgraphServer, type BaseContext, type RunningServer } from "@clinigraph/platform";
import { composeSupergraph } from "../src/compose.js";
import { createRouter, type Router, type RouterOptions } from "../src/server.js";
import { ROUTER_SECRETS } from "./support/fixture.js";
import { startJwks, type TestJwks } from "./support/jwks.js";

const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
  type Stock { sku: String! count: Int! }
  type Caller { userId: ID role: String }
  type Query { stock(sku: String!): Stock whoami: Caller! }
  type Mutation { reserve(sku: String!): Stock! }
`;
const SUBGRAPH = "stock";
const CONCURRENCY = 20;

/** The subgraph's answers wait for `gate`; `open` lets everything through (no test holding it). */
let gate: { promise: Promise<void>; release: () => void };
const open = () => {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  release();
  return { promise, release };
};
const closed = () => {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
};
gate = open();

interface Received {
  userId: string | null;
  role: string | null;
  operation: "query" | "mutation";
}
const received: Received[] = [];
let reserved = 0;

const recorder: ApolloServerPlugin<BaseContext> = {
  async requestDidStart({ request, contextValue }) {
    const operation = request.query?.trimStart().startsWith("mutation") ? "mutation" : "query";
    received.push({ userId: contextValue.identity.userId, role: contextValue.identity.role, operation });
  },
};

const silent = createLogger("dedupe-test", "silent");

let jwks: TestJwks;
let subgraph: RunningServer;
let supergraphSdl: string;
const routers: Router[] = [];

async function startRouter(options: Partial<RouterOptions> = {}): Promise<{ url: string; origin: string }> {
  const router = await createRouter({ supergraph: { supergraphSdl }, jwksUrl: jwks.url, routerSecrets: ROUTER_SECRETS, logger: silent, ...options });
  routers.push(router);
  const { url } = await router.listen(0);
  return { url, origin: new URL(url).origin };
}

beforeAll(async () => {
  jwks = await startJwks();
  const server = await createSubgraphServer<BaseContext>({
    name: SUBGRAPH,
    typeDefs: parse(SDL),
    routerSecrets: ROUTER_SECRETS,
    logger: silent,
    createContext: (base) => base,
    plugins: [recorder],
    resolvers: {
      Query: {
        stock: async (_: unknown, { sku }: { sku: string }) => {
          await gate.promise;
          return { sku, count: 7 };
        },
        whoami: (_: unknown, __: unknown, ctx: BaseContext) => ({ userId: ctx.identity.userId, role: ctx.identity.role }),
      },
      Mutation: {
        reserve: async (_: unknown, { sku }: { sku: string }) => {
          await gate.promise;
          reserved += 1;
          return { sku, count: reserved };
        },
      },
    },
  });
  subgraph = await server.listen(0);
  const outcome = composeSupergraph([{ name: SUBGRAPH, url: subgraph.url, file: "stock.graphql", sdl: SDL }]);
  if (!outcome.ok) throw new Error(outcome.errors.join("; "));
  supergraphSdl = outcome.supergraphSdl;
});

afterAll(async () => {
  gate.release();
  await Promise.all(routers.map((r) => r.stop()));
  await Promise.all([subgraph?.close(), jwks?.close()]);
});

/** The router's subgraph calls so far: sent, and answered by an identical request in flight (`shared`). */
async function subgraphCalls(origin: string): Promise<{ sent: number; shared: number }> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name}\\{subgraph="${SUBGRAPH}"\\} (\\d+)$`, "m").exec(text)?.[1] ?? 0);
  return { sent: read("clinigraph_router_subgraph_requests_total"), shared: read("clinigraph_router_subgraph_requests_shared_total") };
}

/** Polls `probe` (a counter) until `done` holds; fails with what it last saw after `timeoutMs`. */
async function until<T>(probe: () => Promise<T> | T, done: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen ${JSON.stringify(value)}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const post = (url: string, query: string, token?: string) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  }).then(async (res) => ({ status: res.status, text: await res.text() }));

/**
 * Sends every request at once with the subgraph's answers held; once the router has made `CONCURRENCY` subgraph
 * calls and the subgraph has seen `expectedAtSubgraph` requests, releases the answers and returns the responses
 * with the router's and the subgraph's counts for this burst.
 */
async function burst(origin: string, url: string, requests: { query: string; token?: string }[], expectedAtSubgraph: number) {
  const before = await subgraphCalls(origin);
  const receivedBefore = received.length;
  gate = closed();
  const responses = Promise.all(requests.map((r) => post(url, r.query, r.token)));
  await until(
    () => subgraphCalls(origin),
    (now) => now.sent + now.shared - before.sent - before.shared >= requests.length,
    `${requests.length} subgraph calls at the router`,
  );
  await until(
    () => received.length - receivedBefore,
    (n) => n >= expectedAtSubgraph,
    `${expectedAtSubgraph} requests at the subgraph`,
  );
  gate.release();
  const answers = await responses;
  const after = await subgraphCalls(origin);
  return {
    answers,
    atSubgraph: received.slice(receivedBefore),
    sent: after.sent - before.sent,
    shared: after.shared - before.shared,
  };
}

const STOCK = '{ stock(sku: "anvil") { sku count } whoami { userId role } }';

describe("identical concurrent subgraph queries (dedupeSubgraphRequests, the default)", () => {
  let router: { url: string; origin: string };
  let ada: string;
  let grace: string;
  beforeAll(async () => {
    router = await startRouter();
    ada = await jwks.sign({ sub: "u-ada", role: "PATIENT" });
    grace = await jwks.sign({ sub: "u-grace", role: "PATIENT" });
  });

  it("from one caller: one subgraph request answers all of them", async () => {
    const { answers, atSubgraph, sent, shared } = await burst(
      router.origin,
      router.url,
      Array.from({ length: CONCURRENCY }, () => ({ query: STOCK, token: ada })),
      1,
    );
    expect(atSubgraph).toEqual([{ userId: "u-ada", role: "PATIENT", operation: "query" }]);
    expect({ sent, shared }).toEqual({ sent: 1, shared: CONCURRENCY - 1 });
    const expected = JSON.stringify({ data: { stock: { sku: "anvil", count: 7 }, whoami: { userId: "u-ada", role: "PATIENT" } } });
    expect(answers.map((a) => a.status)).toEqual(Array(CONCURRENCY).fill(200));
    expect(answers.map((a) => a.text.trimEnd())).toEqual(Array(CONCURRENCY).fill(expected));
  });

  it("from one anonymous client address: shared as well", async () => {
    const { answers, atSubgraph, sent, shared } = await burst(
      router.origin,
      router.url,
      Array.from({ length: CONCURRENCY }, () => ({ query: STOCK })),
      1,
    );
    expect(atSubgraph).toEqual([{ userId: null, role: null, operation: "query" }]);
    expect({ sent, shared }).toEqual({ sent: 1, shared: CONCURRENCY - 1 });
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
  });

  it("from two signed-in users: one request per user, and each gets their own answer", async () => {
    const requests = Array.from({ length: CONCURRENCY }, (_, i) => ({ query: STOCK, token: i % 2 === 0 ? ada : grace }));
    const { answers, atSubgraph, sent, shared } = await burst(router.origin, router.url, requests, 2);
    expect(atSubgraph.map((r) => r.userId).sort()).toEqual(["u-ada", "u-grace"]);
    expect({ sent, shared }).toEqual({ sent: 2, shared: CONCURRENCY - 2 });
    answers.forEach((answer, i) => {
      const userId = i % 2 === 0 ? "u-ada" : "u-grace";
      expect(JSON.parse(answer.text)).toEqual({ data: { stock: { sku: "anvil", count: 7 }, whoami: { userId, role: "PATIENT" } } });
    });
  });

  it("from one user under two roles: not shared across roles", async () => {
    const doctor = await jwks.sign({ sub: "u-ada", role: "DOCTOR" });
    const requests = Array.from({ length: CONCURRENCY }, (_, i) => ({ query: STOCK, token: i % 2 === 0 ? ada : doctor }));
    const { answers, atSubgraph, sent } = await burst(router.origin, router.url, requests, 2);
    expect(atSubgraph.map((r) => r.role).sort()).toEqual(["DOCTOR", "PATIENT"]);
    expect(sent).toBe(2);
    answers.forEach((answer, i) => {
      expect((JSON.parse(answer.text) as { data: { whoami: unknown } }).data.whoami).toEqual({ userId: "u-ada", role: i % 2 === 0 ? "PATIENT" : "DOCTOR" });
    });
  });

  it("never shares a mutation: identical concurrent mutations are one request each", async () => {
    const reservedBefore = reserved;
    const mutation = 'mutation { reserve(sku: "anvil") { sku count } }';
    const { answers, atSubgraph, sent, shared } = await burst(
      router.origin,
      router.url,
      Array.from({ length: CONCURRENCY }, () => ({ query: mutation, token: ada })),
      CONCURRENCY,
    );
    expect(atSubgraph).toEqual(Array(CONCURRENCY).fill({ userId: "u-ada", role: "PATIENT", operation: "mutation" }));
    expect({ sent, shared }).toEqual({ sent: CONCURRENCY, shared: 0 });
    expect(reserved - reservedBefore).toBe(CONCURRENCY);
    const counts = answers.map((a) => (JSON.parse(a.text) as { data: { reserve: { count: number } } }).data.reserve.count).sort((a, b) => a - b);
    expect(counts).toEqual(Array.from({ length: CONCURRENCY }, (_, i) => reservedBefore + i + 1));
  });

  it("sends again once the shared request is answered (nothing is cached)", async () => {
    const first = await burst(router.origin, router.url, [{ query: STOCK, token: ada }], 1);
    const second = await burst(router.origin, router.url, [{ query: STOCK, token: ada }], 1);
    expect([first.sent, second.sent, first.shared + second.shared]).toEqual([1, 1, 0]);
  });

  it("a read sent after a write does not join a read sent before it (it may not see the write)", async () => {
    const before = await subgraphCalls(router.origin);
    const receivedBefore = received.length;
    const seen = (n: number) =>
      until(
        () => received.length - receivedBefore,
        (count) => count >= n,
        `${n} requests at the subgraph`,
      );
    gate = closed();
    const early = post(router.url, STOCK, ada);
    await seen(1);
    const write = post(router.url, 'mutation { reserve(sku: "anvil") { sku } }', ada);
    await seen(2);
    const late = post(router.url, STOCK, ada);
    await seen(3);
    gate.release();
    await Promise.all([early, write, late]);
    expect(received.slice(receivedBefore).map((r) => r.operation)).toEqual(["query", "mutation", "query"]);
    const after = await subgraphCalls(router.origin);
    expect({ sent: after.sent - before.sent, shared: after.shared - before.shared }).toEqual({ sent: 3, shared: 0 });
  });

  it("the same with the stock @apollo/gateway executor (sharing is the data sources')", async () => {
    const stock = await startRouter({ executor: "apollo" });
    const { atSubgraph, sent, shared, answers } = await burst(
      stock.origin,
      stock.url,
      Array.from({ length: CONCURRENCY }, () => ({ query: STOCK, token: ada })),
      1,
    );
    expect(atSubgraph).toHaveLength(1);
    expect({ sent, shared }).toEqual({ sent: 1, shared: CONCURRENCY - 1 });
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
  });
});

describe("with dedupeSubgraphRequests: false", () => {
  it("every caller's query is its own subgraph request", async () => {
    const router = await startRouter({ dedupeSubgraphRequests: false });
    const ada = await jwks.sign({ sub: "u-ada", role: "PATIENT" });
    const { answers, atSubgraph, sent, shared } = await burst(
      router.origin,
      router.url,
      Array.from({ length: CONCURRENCY }, () => ({ query: STOCK, token: ada })),
      CONCURRENCY,
    );
    expect(atSubgraph).toHaveLength(CONCURRENCY);
    expect({ sent, shared }).toEqual({ sent: CONCURRENCY, shared: 0 });
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
  });
});
