/**
 * A terminating Apollo link for subscriptions over graphql-ws that never misses a live event:
 * - each result's `cursor` (every Clinigraph feed event has one) is written into the operation's `since` variable, and
 *   graphql-ws sends that same payload again when it reconnects after a lost socket, so the feed resumes after the
 *   last event shown (the router replays what was missed);
 * - when the router closes the socket because the access token expired (4401), the token is refreshed and the
 *   subscription started again, resuming the same way; 4403 (the session ended) signs the user out.
 */
import { Observable } from "rxjs";
import { ApolloLink } from "@apollo/client/link";
import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { print } from "@apollo/client/utilities";
import { createClient, type Client } from "graphql-ws";
import type { OperationDefinitionNode } from "graphql";

export const UNAUTHORIZED = 4401;
export const SESSION_ENDED = 4403;

type Payload = { query: string; operationName?: string; variables: Record<string, unknown>; extensions?: Record<string, unknown> };

function closeCode(err: unknown): number | undefined {
  return typeof err === "object" && err !== null && "code" in err && typeof (err as { code: unknown }).code === "number"
    ? (err as { code: number }).code
    : undefined;
}

/** The cursor of a feed event: the root field's `cursor`. */
export function cursorOf(data: unknown): string | undefined {
  if (!data || typeof data !== "object") return undefined;
  for (const value of Object.values(data)) {
    if (value && typeof value === "object" && typeof (value as { cursor?: unknown }).cursor === "string") return (value as { cursor: string }).cursor;
  }
  return undefined;
}

export interface ResumableWsOptions {
  url: string;
  /** The current access token (refreshed first when it is about to expire), or null when signed out. */
  token(): Promise<string | null>;
  /** Called on 4401: a fresh token, or null (signed out). */
  renew(): Promise<string | null>;
  /** Called on 4403: the session has ended. */
  ended(): void;
  /** The WebSocket class (the browser's by default; tests on Node pass `ws`). */
  webSocketImpl?: unknown;
}

export type LiveState = "idle" | "connected" | "reconnecting";

export class ResumableWsLink extends ApolloLink {
  readonly client: Client;
  private state: LiveState = "idle";
  private readonly listeners = new Set<() => void>();
  /** The socket's state, for a "live" indicator; `connected` also fires again after every reconnection. */
  readonly live = {
    get: (): LiveState => this.state,
    subscribe: (listener: () => void): (() => void) => {
      this.listeners.add(listener);
      return () => this.listeners.delete(listener);
    },
  };
  private setState(state: LiveState) {
    this.state = state;
    for (const listener of this.listeners) listener();
  }

  constructor(private readonly options: ResumableWsOptions) {
    super();
    this.client = createClient({
      webSocketImpl: options.webSocketImpl,
      on: {
        connected: () => this.setState("connected"),
        closed: () => this.setState(this.state === "idle" ? "idle" : "reconnecting"),
      },
      url: options.url,
      lazy: true,
      retryAttempts: Infinity,
      shouldRetry: (event) => closeCode(event) !== SESSION_ENDED,
      connectionParams: async () => {
        const token = await options.token();
        return token ? { authorization: `Bearer ${token}` } : {};
      },
    });
  }

  /** Closes the socket now (the client opens a new one for the next subscription). */
  restart(): void {
    this.client.terminate();
    this.setState("idle");
  }

  override request(operation: ApolloLink.Operation): Observable<ApolloLink.Result> {
    const definition = operation.query.definitions.find((d): d is OperationDefinitionNode => d.kind === "OperationDefinition");
    const resumes = Boolean(definition?.variableDefinitions?.some((v) => v.variable.name.value === "since"));
    const payload: Payload = {
      query: print(operation.query),
      operationName: operation.operationName,
      variables: { ...(operation.variables ?? {}) },
      extensions: operation.extensions,
    };
    return new Observable<ApolloLink.Result>((observer) => {
      let dispose: () => void = () => undefined;
      let closed = false;
      const start = () => {
        dispose = this.client.subscribe(payload, {
          next: (result) => {
            if (resumes) {
              const cursor = cursorOf(result.data);
              if (cursor) payload.variables.since = cursor;
            }
            observer.next(result as ApolloLink.Result);
          },
          complete: () => observer.complete(),
          error: (err) => {
            const code = closeCode(err);
            if (code === UNAUTHORIZED && !closed) {
              void this.options.renew().then((token) => {
                if (closed) return;
                if (token) start();
                else observer.error(new Error("Signed out"));
              });
              return;
            }
            if (code === SESSION_ENDED) this.options.ended();
            if (err instanceof Error) observer.error(err);
            else if (Array.isArray(err)) observer.error(new CombinedGraphQLErrors({ errors: err }));
            else observer.error(new Error(code ? `The live connection closed (${code})` : "The live connection failed"));
          },
        });
      };
      start();
      return () => {
        closed = true;
        dispose();
      };
    });
  }
}
