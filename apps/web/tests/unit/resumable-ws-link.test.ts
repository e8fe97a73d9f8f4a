/**
 * @jest-environment node
 *
 * The live-feed link against a real graphql-ws server: after a lost socket it subscribes again with `since` set to the
 * last event's cursor (so the server replays what was missed), and when the server closes with 4401 (token expired) it
 * renews the token and resumes the same way.
 */
import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { buildSchema, parse } from "graphql";
import { WebSocket, WebSocketServer } from "ws";
import { useServer } from "graphql-ws/use/ws";
import type { ApolloLink } from "@apollo/client/link";
import { ResumableWsLink } from "../../src/lib/resumableWsLink";

const schema = buildSchema(`
  type Event { cursor: String! n: Int! }
  type Query { ok: Boolean }
  type Subscription { feed(since: String): Event! }
`);

/** A feed of numbered events; `since` resumes after that event. Events are pushed by the test. */
function feedServer() {
  const subscribes: { since: unknown; authorization: unknown }[] = [];
  const listeners = new Set<(n: number) => void>();
  let last = 0;
  const roots = {
    feed: ({ since }: { since?: string | null }) => {
      const queue: number[] = [];
      let wake: (() => void) | null = null;
      const from = Number(since ?? last);
      for (let n = from + 1; n <= last; n++) queue.push(n); // replay what the caller missed
      const listener = (n: number) => {
        queue.push(n);
        wake?.();
      };
      listeners.add(listener);
      return (async function* () {
        try {
          for (;;) {
            while (queue.length) {
              const n = queue.shift()!;
              yield { feed: { cursor: String(n), n } };
            }
            await new Promise<void>((resolve) => (wake = resolve));
          }
        } finally {
          listeners.delete(listener);
        }
      })();
    },
  };
  const http: Server = createServer();
  const wss = new WebSocketServer({ server: http, path: "/graphql" });
  useServer(
    {
      schema,
      roots: { subscription: roots as never },
      onSubscribe: (ctx, _id, payload) => {
        subscribes.push({ since: payload.variables?.since, authorization: (ctx.connectionParams as { authorization?: string } | undefined)?.authorization });
      },
    },
    wss,
  );
  return {
    subscribes,
    publish(): void {
      last += 1;
      for (const listener of listeners) listener(last);
    },
    closeAll(code?: number): void {
      for (const socket of wss.clients) {
        if (code) socket.close(code, "test");
        else socket.terminate();
      }
    },
    async listen(): Promise<string> {
      await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
      return `ws://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`;
    },
    close: () => new Promise<void>((resolve) => wss.close(() => http.close(() => resolve()))),
  };
}

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** Resolves when `condition` holds, checked on every event the subscription delivers. */
function collector() {
  const seen: number[] = [];
  const waiters: { until: () => boolean; resolve: () => void }[] = [];
  return {
    seen,
    next(result: ApolloLink.Result) {
      seen.push((result.data as { feed: { n: number } }).feed.n);
      for (const w of waiters.splice(0))
        if (w.until()) w.resolve();
        else waiters.push(w);
    },
    until(condition: () => boolean): Promise<void> {
      return condition() ? Promise.resolve() : new Promise((resolve) => waiters.push({ until: condition, resolve }));
    },
  };
}

describe("ResumableWsLink", () => {
  it("resumes after the last event seen when the socket drops, and after renewing the token on 4401", async () => {
    const server = feedServer();
    const url = await server.listen();
    stops.push(() => server.close());
    let token = "token-1";
    const renew = jest.fn(async () => (token = "token-2"));
    const link = new ResumableWsLink({ url, token: async () => token, renew, ended: () => undefined, webSocketImpl: WebSocket });
    stops.push(() => link.client.dispose());
    const events = collector();
    const operation = {
      query: parse("subscription Feed($since: String) { feed(since: $since) { cursor n } }"),
      variables: { since: null },
      operationName: "Feed",
      extensions: {},
    };
    const subscription = link.request(operation as unknown as ApolloLink.Operation).subscribe({ next: (r) => events.next(r) });
    stops.push(() => subscription.unsubscribe());

    // Wait until the server holds the subscription, then two events.
    await new Promise<void>((resolve) => {
      const check = () => (server.subscribes.length ? resolve() : setImmediate(check));
      check();
    });
    server.publish();
    server.publish();
    await events.until(() => events.seen.length === 2);

    // The socket drops; an event happens while the client is away; it comes back asking for what followed event 2.
    server.closeAll();
    server.publish();
    await events.until(() => events.seen.length === 3);
    expect(server.subscribes.map((s) => s.since)).toEqual([null, "2"]);

    // The token expires: the server closes with 4401; the link renews and resumes after event 3, with the new token.
    server.closeAll(4401);
    server.publish();
    await events.until(() => events.seen.length === 4);
    expect(renew).toHaveBeenCalledTimes(1);
    expect(server.subscribes.at(-1)).toEqual({ since: "3", authorization: "Bearer token-2" });
    expect(events.seen).toEqual([1, 2, 3, 4]); // nothing lost, nothing twice
  });
});
