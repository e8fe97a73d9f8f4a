/**
 * Upstream subscriptions: the router subscribes to the owning subgraph over graphql-ws (same path as
 * its HTTP endpoint). ONE connection per subgraph carries every caller's operations: the connection is
 * opened with the router's own signed (anonymous) identity, and each operation names its caller in
 * `extensions.identity`, a router-signed token the subgraph checks and applies its own rules to. That token
 * is signed afresh whenever the operation is (re)sent — graphql-ws re-sends its payload after a reconnect,
 * and the token lives 60 s — so a long feed survives reconnects. Identical upstream subscriptions (same
 * subgraph, operation, variables and identity) share one upstream operation: events fan out to every
 * listener, and the upstream ends when the last listener leaves. A thousand callers watching their own
 * feeds are a thousand operations on one socket, not a thousand sockets.
 */
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import type { ExecutionResult } from "graphql";
import type { Logger } from "@clinigraph/platform";

export interface UpstreamListener {
  next(result: ExecutionResult): void;
  error(err: unknown): void;
  complete(): void;
}

interface Shared {
  listeners: Set<UpstreamListener>;
  dispose: () => void;
}

interface ClientEntry {
  client: Client;
  /** Upstream operations open on this client; at zero the client is disposed. */
  operations: number;
}

export interface UpstreamRequest {
  url: string;
  query: string;
  variables: Record<string, unknown>;
  /** Who the subscription is for: upstreams are only shared within one identity. */
  identityKey: string;
  /** The caller's router-signed identity, signed when called (at every (re)send of the operation). */
  identityToken: () => string;
}

export class UpstreamSubscriptions {
  private readonly shared = new Map<string, Shared>();
  private readonly clients = new Map<string, ClientEntry>();

  constructor(
    private readonly logger: Logger,
    /** The router's own signed identity, for opening a connection (signed at each connect). */
    private readonly connectionToken: () => string,
    private readonly keepAliveMs = 12_000,
    /** Called for every event an upstream delivers (the router's shared subgraph calls must not predate it). */
    private readonly onEvent?: () => void,
  ) {}

  /** Number of distinct upstream operations open now (metrics, tests). */
  get size(): number {
    return this.shared.size;
  }

  /** Number of upstream connections (one per subgraph with open operations). */
  get connections(): number {
    return this.clients.size;
  }

  subscribe(request: UpstreamRequest, listener: UpstreamListener): () => void {
    const key = JSON.stringify([request.url, request.identityKey, request.query, request.variables]);
    let entry = this.shared.get(key);
    if (!entry) {
      const listeners = new Set<UpstreamListener>();
      const { client, release } = this.clientFor(request);
      // A getter: graphql-ws stringifies the payload at each send, so every (re)subscribe carries a fresh token.
      const extensions = {
        get identity() {
          return request.identityToken();
        },
      };
      const unsubscribe = client.subscribe<Record<string, unknown>>(
        { query: request.query, variables: request.variables, extensions },
        {
          next: (result) => {
            this.onEvent?.();
            listeners.forEach((l) => l.next(result as ExecutionResult));
          },
          error: (err) => {
            this.end(key);
            listeners.forEach((l) => l.error(err));
          },
          complete: () => {
            this.end(key);
            listeners.forEach((l) => l.complete());
          },
        },
      );
      let released = false;
      const dispose = () => {
        unsubscribe();
        if (!released) {
          released = true;
          release();
        }
      };
      entry = { listeners, dispose };
      this.shared.set(key, entry);
    }
    entry.listeners.add(listener);
    const shared = entry;
    return () => {
      shared.listeners.delete(listener);
      if (shared.listeners.size === 0 && this.shared.get(key) === shared) {
        this.shared.delete(key);
        shared.dispose();
      }
    };
  }

  async close(): Promise<void> {
    for (const entry of this.shared.values()) entry.dispose();
    this.shared.clear();
    await Promise.all([...this.clients.values()].map((entry) => entry.client.dispose()));
    this.clients.clear();
  }

  private end(key: string) {
    const entry = this.shared.get(key);
    if (!entry) return;
    this.shared.delete(key);
    entry.dispose();
  }

  /** One graphql-ws connection per subgraph, opened as the router; closed when its last operation ends. */
  private clientFor(request: UpstreamRequest): { client: Client; release: () => void } {
    const key = request.url;
    let entry = this.clients.get(key);
    if (!entry) {
      const client = createClient({
        url: request.url.replace(/^http/, "ws"),
        webSocketImpl: WebSocket,
        lazy: true,
        lazyCloseTimeout: 1_000,
        keepAlive: this.keepAliveMs,
        retryAttempts: 5,
        connectionParams: () => ({ identity: this.connectionToken() }),
        on: {
          closed: (event) => {
            const code = (event as { code?: number }).code;
            if (code !== 1000) this.logger.warn({ url: request.url, code }, "upstream subscription connection closed");
          },
        },
      });
      entry = { client, operations: 0 };
      this.clients.set(key, entry);
    }
    const held = entry;
    held.operations++;
    return {
      client: held.client,
      release: () => {
        held.operations--;
        if (held.operations === 0 && this.clients.get(key) === held) {
          this.clients.delete(key);
          void held.client.dispose();
        }
      },
    };
  }
}
