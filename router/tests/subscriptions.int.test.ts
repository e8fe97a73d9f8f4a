/**
 * Live feeds through a real router with graphql-ws clients: a `ticks` subgraph serves a Subscription whose events
 * carry a field owned by `users`. Identical subscriptions share one feed, so each event is resolved once and
 * serialised once however many clients watch it (counted); another selection, or another authorization of the same
 * selection, is serialised once more. Queries are refused over WebSocket, and a connection ends with its token.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { parse, type FormattedExecutionResult } from "graphql";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { createLogger, createSubgraphServer, type BaseContext, type RunningServer } from "@clinigraph/platform";
import { composeSupergraph } from "../src/compose.js";
import { createRouter, type Router } from "../src/server.js";
import { payloadSerialisations } from "../src/subscriptions/protocol.js";
import { ROUTER_SECRETS } from "./support/fixture.js";
import { startJwks, type TestJwks } from "./support/jwks.js";
import { startUsersSubgraph, type TestSubgraph } from "./support/subgraphs.js";

const TICKS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@requiresScopes"])
  type Tick { n: Int! label: String! user: User secret: String @requiresScopes(scopes: [["admin"]]) }
  type User @key(fields: "id", resolvable: false) { id: ID! }
  type Query { lastTick: Int }
  type Subscription { ticks(feed: String!): Tick! }
`;

interface TickEvent {
  n: number;
  label: string;
  userId: string;
  secret: string;
}

/** In-memory topics of the ticks subgraph: every open subscription of a topic gets what is published to it. */
class Topics {
  private readonly listeners = new Map<string, Set<(event: TickEvent | null) => void>>();

  publish(topic: string, event: TickEvent) {
    for (const listener of this.listeners.get(topic) ?? []) listener(event);
  }

  /** Ends every open subscription of the topic. */
  end(topic: string) {
    for (const listener of this.listeners.get(topic) ?? []) listener(null);
  }

  subscribe(topic: string): AsyncIterableIterator<TickEvent> {
    const queue: TickEvent[] = [];
    let wake: (() => void) | undefined;
    let done = false;
    const listener = (event: TickEvent | null) => {
      if (event) queue.push(event);
      else done = true;
      wake?.();
    };
    const set = this.listeners.get(topic) ?? new Set();
    this.listeners.set(topic, set.add(listener));
    const iterator: AsyncIterableIterator<TickEvent> = {
      async next() {
        while (!queue.length && !done) await new Promise<void>((resolve) => (wake = resolve));
        if (queue.length) return { value: queue.shift()!, done: false };
        set.delete(listener);
        return { value: undefined, done: true };
      },
      async return() {
        done = true;
        set.delete(listener);
        wake?.();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}

const topics = new Topics();
let ticks: RunningServer;
let users: TestSubgraph;
let jwks: TestJwks;
let router: Router;
let url: string;
const clients: Client[] = [];

beforeAll(async () => {
  jwks = await startJwks();
  users = await startUsersSubgraph(ROUTER_SECRETS);
  const logger = createLogger("test-ticks");
  ticks = await (
    await createSubgraphServer<BaseContext>({
      name: "ticks",
      typeDefs: parse(TICKS_SDL),
      routerSecrets: ROUTER_SECRETS,
      logger,
      createContext: (base) => base,
      subscriptions: {},
      resolvers: {
        Query: { lastTick: () => null },
        Subscription: { ticks: { subscribe: (_: unknown, { feed }: { feed: string }) => topics.subscribe(feed), resolve: (event: TickEvent) => event } },
        Tick: { user: (event: TickEvent) => ({ __typename: "User", id: event.userId }) },
      },
    })
  ).listen(0);
  const composed = composeSupergraph([users.source(), { name: "ticks", url: ticks.url, file: "subgraphs/ticks/src/schema.graphql", sdl: TICKS_SDL }]);
  if (!composed.ok) throw new Error(composed.errors.join("; "));
  router = await createRouter({
    supergraph: { supergraphSdl: composed.supergraphSdl },
    jwksUrl: jwks.url,
    routerSecrets: ROUTER_SECRETS,
    logger: createLogger("test-router"),
  });
  url = (await router.listen(0)).url;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  await until(async () => (await gauge("clinigraph_router_ws_connections")) === 0 && (await gauge("clinigraph_router_upstream_subscriptions")) === 0);
});

afterAll(async () => {
  await router?.stop();
  await Promise.all([ticks?.close(), users?.running.close(), jwks?.close()]);
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await condition());) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function gauge(name: string): Promise<number> {
  const text = await (await fetch(url.replace("/graphql", "/metrics"))).text();
  return Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1]);
}

interface Watcher {
  client: Client;
  results: FormattedExecutionResult<{ ticks: Record<string, unknown> }, unknown>[];
  ticks(): number[];
  closed: Promise<{ code: number; reason: string }>;
  errors: unknown[];
  completed: boolean;
}

/** Subscribes on a connection of its own, or on `on`'s. */
function watch(token: string, query: string, variables: Record<string, unknown> = {}, on?: Watcher): Watcher {
  let onClosed!: (close: { code: number; reason: string }) => void;
  const closed = on?.closed ?? new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  const client = on?.client ?? connect(token, (close) => onClosed(close));
  const watcher: Watcher = {
    client,
    results: [],
    errors: [],
    completed: false,
    closed,
    ticks: () => watcher.results.map((r) => Number(r.data?.ticks?.n)),
  };
  client.subscribe<{ ticks: Record<string, unknown> }>(
    { query, variables },
    {
      next: (result) => void watcher.results.push(result),
      error: (err) => void watcher.errors.push(err),
      complete: () => void (watcher.completed = true),
    },
  );
  return watcher;
}

function connect(token: string, onClosed: (close: { code: number; reason: string }) => void): Client {
  const client = createClient({
    url: url.replace("http", "ws"),
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
    on: { closed: (event) => onClosed({ code: (event as { code: number }).code, reason: String((event as { reason: string }).reason) }) },
  });
  clients.push(client);
  return client;
}

/**
 * Publishes probes (negative n) until every watcher has one, then waits until every watcher has the last probe:
 * every subscription is then live, and nothing published so far is still being resolved.
 */
async function settle(feed: string, watchers: readonly Watcher[]) {
  let probe = 0;
  const publishProbe = () => topics.publish(feed, { n: --probe, label: "probe", userId: "u1", secret: "s" });
  await until(() => {
    if (watchers.every((w) => w.ticks().some((n) => n < 0))) return true;
    publishProbe();
    return false;
  });
  const last = probe;
  await until(() => watchers.every((w) => w.ticks().includes(last)));
  for (const w of watchers) w.results.length = 0;
}

const FULL = `subscription($f: String!) { ticks(feed: $f) { n label user { name } } }`;
const SHORT = `subscription($f: String!) { ticks(feed: $f) { n } }`;
const WITH_SECRET = `subscription($f: String!) { ticks(feed: $f) { n secret } }`;

describe("live feeds through the router", () => {
  it("clients of one feed share one upstream; each event is resolved and serialised once", async () => {
    const token = await jwks.sign({ sub: "u1", role: "PATIENT" });
    const watchers = Array.from({ length: 12 }, () => watch(token, FULL, { f: "one" }));
    await settle("one", watchers);
    expect(await gauge("clinigraph_router_upstream_subscriptions")).toBe(1);
    const before = payloadSerialisations();
    for (let n = 1; n <= 3; n++) topics.publish("one", { n, label: `tick ${n}`, userId: "u1", secret: "s" });
    await until(() => watchers.every((w) => w.results.length === 3));
    expect(payloadSerialisations() - before).toBe(3);
    for (const w of watchers) {
      expect(w.results).toEqual([1, 2, 3].map((n) => ({ data: { ticks: { n, label: `tick ${n}`, user: { name: "Ada Lovelace" } } } })));
      expect(w.errors).toEqual([]);
    }
  });

  it("another selection of the same feed is serialised once more, and only once", async () => {
    const token = await jwks.sign({ sub: "u1", role: "PATIENT" });
    const full = Array.from({ length: 5 }, () => watch(token, FULL, { f: "two" }));
    const short = Array.from({ length: 5 }, () => watch(token, SHORT, { f: "two" }));
    await settle("two", [...full, ...short]);
    const before = payloadSerialisations();
    topics.publish("two", { n: 7, label: "seven", userId: "u2", secret: "s" });
    await until(() => [...full, ...short].every((w) => w.results.length === 1));
    expect(payloadSerialisations() - before).toBe(2);
    for (const w of full) expect(w.results).toEqual([{ data: { ticks: { n: 7, label: "seven", user: { name: "Grace Hopper" } } } }]);
    for (const w of short) expect(w.results).toEqual([{ data: { ticks: { n: 7 } } }]);
  });

  it("a field the caller may not read is removed and patched once per distinct authorization", async () => {
    const patient = await jwks.sign({ sub: "u1", role: "PATIENT" });
    const admin = await jwks.sign({ sub: "u2", role: "ADMIN", scope: "admin" });
    const patients = Array.from({ length: 6 }, () => watch(patient, WITH_SECRET, { f: "three" }));
    const admins = [watch(admin, WITH_SECRET, { f: "three" })];
    await settle("three", [...patients, ...admins]);
    const before = payloadSerialisations();
    topics.publish("three", { n: 9, label: "nine", userId: "u1", secret: "only for admins" });
    await until(() => [...patients, ...admins].every((w) => w.results.length === 1));
    // One patched copy for the six patients, one result for the admin.
    expect(payloadSerialisations() - before).toBe(2);
    for (const w of patients) {
      expect(w.results[0]?.data).toEqual({ ticks: { n: 9, secret: null } });
      expect(w.results[0]?.errors).toEqual([
        expect.objectContaining({ path: ["ticks", "secret"], extensions: expect.objectContaining({ code: "FORBIDDEN" }) }),
      ]);
    }
    expect(admins[0]!.results).toEqual([{ data: { ticks: { n: 9, secret: "only for admins" } } }]);
  });

  it("when the upstream subscription ends, every client's subscription completes; a new one starts afresh", async () => {
    const token = await jwks.sign({ sub: "u1", role: "PATIENT" });
    const watchers = Array.from({ length: 4 }, () => watch(token, SHORT, { f: "ending" }));
    await settle("ending", watchers);
    topics.end("ending");
    await until(() => watchers.every((w) => w.completed));
    await until(async () => (await gauge("clinigraph_router_upstream_subscriptions")) === 0);
    const again = watch(token, SHORT, { f: "ending" });
    await settle("ending", [again]);
    topics.publish("ending", { n: 5, label: "five", userId: "u1", secret: "s" });
    await until(() => again.results.length === 1);
    expect(again.results).toEqual([{ data: { ticks: { n: 5 } } }]);
  });

  it("refuses queries over WebSocket, and closes a connection when its token expires (4401)", async () => {
    const token = await jwks.sign({ sub: "u1", role: "PATIENT", expiresIn: 2 });
    const feed = watch(token, SHORT, { f: "five" }); // keeps the connection open
    const query = watch(token, "{ lastTick }", {}, feed);
    await until(() => query.results.length === 1);
    expect(query.results[0]?.errors?.[0]).toMatchObject({ message: "Send queries and mutations over HTTP", extensions: { code: "BAD_USER_INPUT" } });
    expect(await query.closed).toEqual({ code: 4401, reason: "Token expired" });
  });

  it("closes a connection without a valid token with 4401", async () => {
    const refused = watch("not-a-token", SHORT, { f: "four" });
    expect((await refused.closed).code).toBe(4401);
  });
});
