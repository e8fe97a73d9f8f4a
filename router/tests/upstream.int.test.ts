/**
 * The router's upstream subscriptions (subscriptions/upstream.ts) against a graphql-ws server standing in for a
 * subgraph: every caller's operations share one connection opened as the router, each operation carries its caller's
 * token in `extensions.identity`, and that token is signed again when graphql-ws re-sends the operation after a
 * reconnect (a token lives 60 s; a feed much longer).
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { WebSocketServer } from "ws";
import { useServer } from "graphql-ws/use/ws";
import { buildSchema, type ExecutionResult } from "graphql";
import { createLogger } from "@clinigraph/platform";
import { UpstreamSubscriptions } from "../src/subscriptions/upstream.js";

const schema = buildSchema(`type Query { ok: Boolean } type Subscription { ticks: Int }`);

interface Seen {
  connections: string[];
  subscribes: { identity: unknown }[];
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** A graphql-ws server whose `ticks` yields 1, 2, 3 … every 20 ms; records connection params and subscribe payloads. */
async function fakeSubgraph(): Promise<{ url: string; seen: Seen; dropConnections(): void; server: Server }> {
  const seen: Seen = { connections: [], subscribes: [] };
  const server = createServer();
  const wss = new WebSocketServer({ server, path: "/graphql" });
  const disposable = useServer(
    {
      schema,
      roots: {
        subscription: {
          ticks: async function* () {
            for (let i = 1; ; i++) {
              await new Promise((resolve) => setTimeout(resolve, 20));
              yield { ticks: i };
            }
          },
        },
      },
      onConnect: (ctx) => {
        seen.connections.push(String(ctx.connectionParams?.identity));
        return true;
      },
      onSubscribe: (_ctx, _id, payload) => {
        seen.subscribes.push({ identity: payload.extensions?.identity });
      },
    },
    wss,
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(async () => {
    await disposable.dispose();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    seen,
    // A restarting subgraph (1012, service restart): graphql-ws's client reconnects and re-sends its operations.
    dropConnections: () => wss.clients.forEach((socket) => socket.close(1012, "restarting")),
    server,
  };
}

function listener() {
  const results: ExecutionResult[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  return {
    results,
    next(result: ExecutionResult) {
      results.push(result);
      for (const w of waiters.filter((w) => results.length >= w.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    },
    error: () => undefined,
    complete: () => undefined,
    atLeast: (count: number) => new Promise<void>((resolve) => (results.length >= count ? resolve() : waiters.push({ count, resolve }))),
  };
}

describe("upstream subscriptions", () => {
  it("share one connection opened as the router, carry each caller's identity, and sign it again after a reconnect", async () => {
    const subgraph = await fakeSubgraph();
    let routerTokens = 0;
    const upstreams = new UpstreamSubscriptions(createLogger("test", "silent"), () => `router-${++routerTokens}`, 12_000);
    cleanup.push(() => upstreams.close());
    const signed: Record<string, number> = { alice: 0, bob: 0 };
    const request = (who: "alice" | "bob") => ({
      url: subgraph.url,
      query: "subscription { ticks }",
      variables: {},
      identityKey: who,
      identityToken: () => `${who}-${++signed[who]!}`,
    });
    const alice = listener();
    const bob = listener();
    const stopAlice = upstreams.subscribe(request("alice"), alice);
    const stopBob = upstreams.subscribe(request("bob"), bob);
    await Promise.all([alice.atLeast(2), bob.atLeast(2)]);
    expect(upstreams.size).toBe(2);
    expect(upstreams.connections).toBe(1);
    expect(subgraph.seen.connections).toEqual(["router-1"]);
    expect(subgraph.seen.subscribes.map((s) => s.identity).sort()).toEqual(["alice-1", "bob-1"]);

    subgraph.dropConnections();
    await Promise.all([alice.atLeast(alice.results.length + 2), bob.atLeast(bob.results.length + 2)]);
    // Reconnected once, as the router with a fresh token; each operation re-sent with its caller's fresh token.
    expect(subgraph.seen.connections).toEqual(["router-1", "router-2"]);
    expect(subgraph.seen.subscribes.map((s) => s.identity).sort()).toEqual(["alice-1", "alice-2", "bob-1", "bob-2"]);

    stopAlice();
    stopBob();
    expect(upstreams.size).toBe(0);
  }, 20_000);
});
