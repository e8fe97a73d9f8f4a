/**
 * Upstream subscriptions: the router subscribes to the owning subgraph over graphql-ws (same path as
 * its HTTP endpoint). The connection carries the router-signed identity in `connectionParams`, so a
 * subgraph applies its own rules to the real caller. Identical upstream subscriptions (same subgraph,
 * operation, variables and identity) share one upstream operation: events fan out to every listener, and
 * the upstream ends when the last listener leaves.
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
  identityToken: () => Promise<string>;
}

export class UpstreamSubscriptions {
  private readonly shared = new Map<string, Shared>();
  private readonly clients = new Map<string, ClientEntry>();

  constructor(
    private readonly logger: Logger,
    private readonly keepAliveMs = 12_000,
    /** Called for every event an upstream delivers (the router's shared subgraph calls must not predate it). */
    private readonly onEvent?: () => void,
  ) {}

  /** Number of distinct upstream operations open now (metrics, tests). */
  get size(): number {
    return this.shared.size;
  }

  subscribe(request: UpstreamRequest, listener: UpstreamListener): () => void {
    const key = JSON.stringify([request.url, request.identityKey, request.query, request.variables]);
    let entry = this.shared.get(key);
    if (!entry) {
      const listeners = new Set<UpstreamListener>();
      const { client, release } = this.clientFor(request);
      const unsubscribe = client.subscribe<Record<string, unknown>>(
        { query: request.query, variables: request.variables },
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

  /** One graphql-ws connection per subgraph and identity (connectionParams carry the identity). */
  private clientFor(request: UpstreamRequest): { client: Client; release: () => void } {
    const key = `${request.url}\n${request.identityKey}`;
    let entry = this.clients.get(key);
    if (!entry) {
      const client = createClient({
        url: request.url.replace(/^http/, "ws"),
        webSocketImpl: WebSocket,
        lazy: true,
        lazyCloseTimeout: 1_000,
        keepAlive: this.keepAliveMs,
        retryAttempts: 5,
        connectionParams: async () => ({ identity: await request.identityToken() }),
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
