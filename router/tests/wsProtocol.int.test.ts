/**
 * The router's `graphql-transport-ws` server (src/subscriptions/protocol.ts) on its own, with hooks written here:
 * graphql-ws clients work against it unchanged; a result handed to many subscriptions is serialised once (counted);
 * and the protocol's edge cases close with graphql-ws's codes (raw `ws` clients).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { GraphQLError, type ExecutionResult } from "graphql";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { createLogger } from "@clinigraph/platform";
import {
  CloseCode,
  payloadSerialisations,
  startProtocolServer,
  type Connection,
  type LiveResults,
  type ProtocolServer,
  type ResultSink,
  type SubscribePayload,
  type SubscribeOutcome,
} from "../src/subscriptions/protocol.js";

interface Context {
  user: string;
}

/** What the hooks do, set per test. */
const hooks = {
  onConnect: async (_connection: Connection<Context>, params: Readonly<Record<string, unknown>> | undefined): Promise<Context | false> =>
    params?.token === "good" ? { user: "ada" } : false,
  onSubscribe: async (_connection: Connection<Context>, _id: string, _payload: SubscribePayload): Promise<SubscribeOutcome> => feed.live,
};
const events = { acknowledged: 0, disconnected: [] as number[] };

/** A feed the tests push results into: every sink gets the very same result object. */
const feed = {
  sinks: new Set<ResultSink>(),
  started: 0,
  stopped: 0,
  live: ((sink: ResultSink) => {
    feed.started++;
    feed.sinks.add(sink);
    return () => {
      feed.stopped++;
      feed.sinks.delete(sink);
    };
  }) as LiveResults,
  push(result: ExecutionResult) {
    for (const sink of feed.sinks) sink.next(result);
  },
};

let httpServer: http.Server;
let server: ProtocolServer<Context>;
let url: string;
const clients: Client[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  httpServer = http.createServer();
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  url = `ws://127.0.0.1:${(httpServer.address() as AddressInfo).port}/graphql`;
  server = startProtocolServer<Context>({
    httpServer,
    path: "/graphql",
    logger: createLogger("ws-protocol-test"),
    keepAliveMs: 200,
    connectionInitWaitMs: 300,
    sweepMs: 20,
    maxPayload: 64 * 1024,
    onConnect: (connection, params) => hooks.onConnect(connection, params),
    onAcknowledged: () => void events.acknowledged++,
    onSubscribe: (connection, id, payload) => hooks.onSubscribe(connection, id, payload),
    onDisconnect: (_connection, code) => void events.disconnected.push(code),
  });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  for (const socket of sockets.splice(0)) socket.terminate();
  hooks.onConnect = async (_c, params) => (params?.token === "good" ? { user: "ada" } : false);
  hooks.onSubscribe = async () => feed.live;
  await until(() => server.connections.size === 0);
  feed.sinks.clear();
});

afterAll(async () => {
  await server.close();
  await new Promise<void>((resolve) => httpServer.close(() => resolve()));
});

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !condition();) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function graphqlWsClient(token = "good"): Client {
  const client = createClient({ url, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams: { token } });
  clients.push(client);
  return client;
}

/** Subscribes and collects what arrives. */
function collect(client: Client, query = "subscription { ticks }") {
  const results: ExecutionResult[] = [];
  const state = { completed: false, error: undefined as unknown };
  const dispose = client.subscribe(
    { query },
    {
      next: (result) => void results.push(result as ExecutionResult),
      error: (err) => void (state.error = err),
      complete: () => void (state.completed = true),
    },
  );
  return { results, state, dispose };
}

/** A raw `ws` client: every message it receives, and how it closed. */
function rawClient(protocol: string | null = "graphql-transport-ws", options: WebSocket.ClientOptions = {}) {
  const socket = new WebSocket(url, protocol === null ? [] : [protocol], options);
  sockets.push(socket);
  const messages: Record<string, unknown>[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on("close", (code, reason) => resolve({ code, reason: String(reason) })));
  socket.on("message", (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
  socket.on("error", () => undefined);
  const opened = new Promise<void>((resolve) => socket.once("open", () => resolve()));
  return {
    socket,
    messages,
    closed,
    async send(message: unknown) {
      await opened;
      socket.send(typeof message === "string" ? message : JSON.stringify(message));
    },
    async message(type: string): Promise<Record<string, unknown>> {
      await until(() => messages.some((m) => m.type === type));
      return messages.find((m) => m.type === type)!;
    },
    async acknowledged() {
      await this.send({ type: "connection_init", payload: { token: "good" } });
      await this.message("connection_ack");
    },
  };
}

describe("graphql-ws clients", () => {
  it("subscribe, receive results, and stop the results when they leave", async () => {
    const client = graphqlWsClient();
    const sub = collect(client);
    await until(() => feed.sinks.size === 1);
    feed.push({ data: { ticks: 1 } });
    feed.push({ data: { ticks: 2 }, errors: [new GraphQLError("partly", { path: ["ticks"], extensions: { code: "X" } })] });
    await until(() => sub.results.length === 2);
    expect(sub.results[0]).toEqual({ data: { ticks: 1 } });
    expect(sub.results[1]).toEqual({ data: { ticks: 2 }, errors: [{ message: "partly", path: ["ticks"], extensions: { code: "X" } }] });
    const stopped = feed.stopped;
    sub.dispose();
    await until(() => feed.stopped === stopped + 1);
    expect(feed.sinks.size).toBe(0);
  });

  it("get `complete` when the results end, and one result then `complete` for a single answer", async () => {
    const client = graphqlWsClient();
    const live = collect(client);
    await until(() => feed.sinks.size === 1);
    for (const sink of [...feed.sinks]) sink.complete();
    await until(() => live.state.completed);

    hooks.onSubscribe = async () => ({ errors: [new GraphQLError("Send queries and mutations over HTTP", { extensions: { code: "BAD_USER_INPUT" } })] });
    const single = collect(client, "{ now }");
    await until(() => single.state.completed);
    expect(single.results).toEqual([{ errors: [{ message: "Send queries and mutations over HTTP", extensions: { code: "BAD_USER_INPUT" } }] }]);
  });

  it("get errors as an `error` message", async () => {
    hooks.onSubscribe = async () => [new GraphQLError("Cannot query field", { extensions: { code: "GRAPHQL_VALIDATION_FAILED" } })];
    const sub = collect(graphqlWsClient());
    await until(() => sub.state.error !== undefined);
    expect(sub.state.error).toEqual([{ message: "Cannot query field", extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }]);
    expect(sub.state.completed).toBe(false);
  });

  it("results of every frame size arrive whole (7-bit, 16-bit and 64-bit payload lengths), in order", async () => {
    const sub = collect(graphqlWsClient());
    await until(() => feed.sinks.size === 1);
    // Message lengths around the frame header's boundaries: < 126, 126 … 65,535, and ≥ 65,536 bytes.
    const sizes = [0, 50, 70, 200, 65_400, 65_600, 300_000];
    for (const size of sizes) feed.push({ data: { text: "x".repeat(size) } });
    await until(() => sub.results.length === sizes.length);
    expect(sub.results.map((r) => (r.data as { text: string }).text.length)).toEqual(sizes);
  });

  it("a result handed to many subscriptions is serialised once; another result object once more", async () => {
    const subs = Array.from({ length: 25 }, () => collect(graphqlWsClient()));
    await until(() => feed.sinks.size === 25);
    const before = payloadSerialisations();
    const shared = { data: { ticks: 42 } };
    feed.push(shared);
    await until(() => subs.every((s) => s.results.length === 1));
    expect(payloadSerialisations() - before).toBe(1);
    feed.push(shared); // the same object again: nothing to serialise
    feed.push({ data: { ticks: 43 } }); // another result (e.g. another selection): serialised once more
    await until(() => subs.every((s) => s.results.length === 3));
    expect(payloadSerialisations() - before).toBe(2);
    for (const sub of subs) expect(sub.results).toEqual([{ data: { ticks: 42 } }, { data: { ticks: 42 } }, { data: { ticks: 43 } }]);
  });

  it("connect and disconnect through the hooks; a refused connection is closed 4403", async () => {
    const acknowledged = events.acknowledged;
    const disconnected = events.disconnected.length;
    const sub = collect(graphqlWsClient());
    await until(() => feed.sinks.size === 1);
    expect(events.acknowledged).toBe(acknowledged + 1);
    sub.dispose();
    await until(() => events.disconnected.length === disconnected + 1);

    const closed = new Promise<number>((resolve) => {
      const refused = createClient({
        url,
        webSocketImpl: WebSocket,
        lazy: true,
        retryAttempts: 0,
        connectionParams: { token: "bad" },
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
      clients.push(refused);
      refused.subscribe({ query: "subscription { ticks }" }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    });
    expect(await closed).toBe(CloseCode.Forbidden);
    expect(events.disconnected.length).toBe(disconnected + 1); // never acknowledged: no onDisconnect
  });
});

describe("protocol edge cases (raw WebSocket)", () => {
  it("4406 without the graphql-transport-ws subprotocol", async () => {
    const client = rawClient(null);
    expect((await client.closed).code).toBe(CloseCode.SubprotocolNotAcceptable);
  });

  it("4408 without connection_init in time", async () => {
    const client = rawClient();
    const started = Date.now();
    expect(await client.closed).toEqual({ code: CloseCode.ConnectionInitialisationTimeout, reason: "Connection initialisation timeout" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it("4429 for a second connection_init", async () => {
    const client = rawClient();
    await client.acknowledged();
    await client.send({ type: "connection_init" });
    expect((await client.closed).code).toBe(CloseCode.TooManyInitialisationRequests);
  });

  it("4401 for subscribe before connection_ack", async () => {
    const client = rawClient();
    await client.send({ id: "1", type: "subscribe", payload: { query: "subscription { ticks }" } });
    expect(await client.closed).toEqual({ code: CloseCode.Unauthorized, reason: "Unauthorized" });
  });

  it("4409 for a second subscribe with a running id", async () => {
    const client = rawClient();
    await client.acknowledged();
    await client.send({ id: "a", type: "subscribe", payload: { query: "subscription { ticks }" } });
    await client.send({ id: "a", type: "subscribe", payload: { query: "subscription { ticks }" } });
    expect(await client.closed).toEqual({ code: CloseCode.SubscriberAlreadyExists, reason: "Subscriber for a already exists" });
  });

  it("4409 with a shorter reason when the id is too long to repeat", async () => {
    const id = "i".repeat(200);
    const client = rawClient();
    await client.acknowledged();
    await client.send({ id, type: "subscribe", payload: { query: "subscription { ticks }" } });
    await client.send({ id, type: "subscribe", payload: { query: "subscription { ticks }" } });
    expect(await client.closed).toEqual({ code: CloseCode.SubscriberAlreadyExists, reason: "Subscriber already exists" });
  });

  it.each([
    ["not JSON", "{"],
    ["not an object", "[]"],
    ["an unknown type", { type: "hello" }],
    ["a subscribe without a query", { id: "1", type: "subscribe", payload: {} }],
    ["a subscribe without an id", { type: "subscribe", payload: { query: "subscription { ticks }" } }],
    ["variables that are not an object", { id: "1", type: "subscribe", payload: { query: "subscription { ticks }", variables: [1] } }],
    ["a message only the server sends", { id: "1", type: "next", payload: { data: {} } }],
  ])("4400 for %s", async (_name, message) => {
    const client = rawClient();
    await client.acknowledged();
    await client.send(message);
    expect(await client.closed).toEqual({ code: CloseCode.BadRequest, reason: "Invalid message received" });
  });

  it("1009 for a message over maxPayload", async () => {
    const client = rawClient();
    await client.acknowledged();
    await client.send({ id: "1", type: "subscribe", payload: { query: `subscription { ticks } #${"x".repeat(70_000)}` } });
    expect((await client.closed).code).toBe(1009);
  });

  it("4500 when a hook fails", async () => {
    hooks.onSubscribe = async () => {
      throw new Error("db-secret-host refused");
    };
    const client = rawClient();
    await client.acknowledged();
    await client.send({ id: "1", type: "subscribe", payload: { query: "subscription { ticks }" } });
    expect(await client.closed).toEqual({ code: CloseCode.InternalServerError, reason: "Internal server error" });
  });

  it("answers ping with pong, echoing its payload", async () => {
    const client = rawClient();
    await client.acknowledged();
    await client.send({ type: "ping", payload: { at: 1 } });
    expect(await client.message("pong")).toEqual({ type: "pong", payload: { at: 1 } });
  });

  it("a subscription completed while it is being set up never starts", async () => {
    let release!: () => void;
    hooks.onSubscribe = () => new Promise<SubscribeOutcome>((resolve) => (release = () => resolve(feed.live)));
    const started = feed.started;
    const client = rawClient();
    await client.acknowledged();
    await client.send({ id: "1", type: "subscribe", payload: { query: "subscription { ticks }" } });
    await until(() => release !== undefined);
    await client.send({ id: "1", type: "complete" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(feed.started).toBe(started);
    expect(client.messages.filter((m) => m.type !== "connection_ack")).toEqual([]);
  });

  it("a client's complete stops the results, and nothing more is sent for that id", async () => {
    const client = rawClient();
    await client.acknowledged();
    await client.send({ id: "x", type: "subscribe", payload: { query: "subscription { ticks }" } });
    await until(() => feed.sinks.size === 1);
    feed.push({ data: { ticks: 1 } });
    await client.message("next");
    const stopped = feed.stopped;
    await client.send({ id: "x", type: "complete" });
    await until(() => feed.stopped === stopped + 1);
    expect(client.messages).toEqual([{ type: "connection_ack" }, { id: "x", type: "next", payload: { data: { ticks: 1 } } }]);
  });

  it("terminates a connection that does not answer keep-alive pings; keeps one that does", async () => {
    const silent = rawClient("graphql-transport-ws", { autoPong: false });
    const answering = rawClient();
    await silent.acknowledged();
    await answering.acknowledged();
    expect((await silent.closed).code).toBe(1006); // terminated: no close frame
    await new Promise((resolve) => setTimeout(resolve, 500)); // more than two keep-alive periods
    expect(answering.socket.readyState).toBe(WebSocket.OPEN);
  });

  it("closes a connection at its deadline with the code and reason given", async () => {
    hooks.onConnect = async (connection) => {
      connection.closeAt(Date.now() + 100, 4401, "Token expired");
      return { user: "ada" };
    };
    const client = rawClient();
    await client.acknowledged();
    expect(await client.closed).toEqual({ code: 4401, reason: "Token expired" });
  });

  it("a connection that goes away while onConnect runs is never acknowledged", async () => {
    let release!: () => void;
    hooks.onConnect = () => new Promise((resolve) => (release = () => resolve({ user: "ada" })));
    const acknowledged = events.acknowledged;
    const client = rawClient();
    await client.send({ type: "connection_init", payload: { token: "good" } });
    await until(() => release !== undefined);
    client.socket.close();
    await client.closed;
    await until(() => server.connections.size === 0);
    release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.acknowledged).toBe(acknowledged);
  });
});

describe("closing the server", () => {
  it("closes every connection with 1001 and stops the results", async () => {
    const other = http.createServer();
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const stops: number[] = [];
    const closing = startProtocolServer<Context>({
      httpServer: other,
      path: "/graphql",
      logger: createLogger("ws-protocol-test"),
      onConnect: () => ({ user: "ada" }),
      onSubscribe: () => () => () => void stops.push(1),
    });
    const socket = new WebSocket(`ws://127.0.0.1:${(other.address() as AddressInfo).port}/graphql`, ["graphql-transport-ws"]);
    const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
    await new Promise((resolve) => socket.once("open", resolve));
    const acknowledged = new Promise((resolve) => socket.once("message", resolve));
    socket.send(JSON.stringify({ type: "connection_init" }));
    await acknowledged;
    socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: "subscription { ticks }" } }));
    await until(() => closing.connections.size === 1 && [...closing.connections][0]!.subscriptionCount === 1);
    await closing.close();
    expect(await closed).toBe(1001);
    expect(stops).toEqual([1]);
    expect(closing.connections.size).toBe(0);
    await new Promise<void>((resolve) => other.close(() => resolve()));
  });
});
