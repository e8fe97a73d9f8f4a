/**
 * The server side of the `graphql-transport-ws` protocol (the one graphql-ws speaks) over `ws`, written for
 * live feeds with many clients:
 *
 * - a result shared by several subscriptions (the same object, see execute.ts) is serialised to JSON once;
 *   each client's `next` message is its subscription id around those cached bytes (`payloadBytes`);
 * - one sweep timer for every socket (connection_init timeout, keep-alive pings, a connection's deadline such as
 *   its token's expiry) instead of timers per socket, and the sockets' events handled without listeners: an idle
 *   connection holds its `ws` objects, one small `Connection` and its subscriptions — not the upgrade request.
 *
 * Protocol (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md), close codes as graphql-ws uses them:
 * 4406 subprotocol other than `graphql-transport-ws`; 4408 no `connection_init` within `connectionInitWaitMs`;
 * 4429 a second `connection_init`; 4403 `onConnect` refused; 4401 `subscribe` before `connection_ack`; 4409 a
 * `subscribe` with an id already running; 4400 a message that is not JSON, fails the protocol's shape checks or is
 * of a type a client never sends (graphql-ws closes 4500 for the last); 4500 a hook failed. `ping` is answered with
 * `pong` (its payload echoed); the server's keep-alive is WebSocket ping frames every `keepAliveMs`, and a socket
 * that has not answered the previous one by the next is terminated.
 */
import type { IncomingMessage } from "node:http";
import { WebSocket, WebSocketServer, type RawData } from "ws";
import { GraphQLError, type ExecutionResult } from "graphql";
import { ERROR_CODES, type Logger } from "@clinigraph/platform";

export const GRAPHQL_TRANSPORT_WS_PROTOCOL = "graphql-transport-ws";

export const CloseCode = {
  BadRequest: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  SubprotocolNotAcceptable: 4406,
  ConnectionInitialisationTimeout: 4408,
  SubscriberAlreadyExists: 4409,
  TooManyInitialisationRequests: 4429,
  InternalServerError: 4500,
} as const;

export interface SubscribePayload {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  extensions?: Record<string, unknown> | null;
}

/** Where a live subscription's results go: each `next` becomes a `next` message, `complete` ends the subscription. */
export interface ResultSink {
  next(result: ExecutionResult): void;
  complete(): void;
}

/** A live subscription: starts delivering to `sink`, and answers the function that stops it. */
export type LiveResults = (sink: ResultSink) => () => void;

/**
 * What `onSubscribe` answers: errors (sent in one `error` message), one result (`next`, then `complete`) or live
 * results (`next` each, `complete` at the end; stopped when the client completes the subscription or goes away).
 */
export type SubscribeOutcome = readonly GraphQLError[] | ExecutionResult | LiveResults;

export interface ProtocolHooks<C> {
  /**
   * `connection_init`, with its payload when that is an object: the connection's context, or `false` to refuse it
   * (closed 4403, unless the hook closed the connection itself).
   */
  onConnect(connection: Connection<C>, params: Readonly<Record<string, unknown>> | undefined): Promise<C | false> | C | false;
  /** Acknowledged: the context is set and `connection_ack` sent. */
  onAcknowledged?(connection: Connection<C>): void;
  onSubscribe(connection: Connection<C>, id: string, payload: SubscribePayload): Promise<SubscribeOutcome> | SubscribeOutcome;
  /** An acknowledged connection closed (after its subscriptions were ended). */
  onDisconnect?(connection: Connection<C>, code: number, reason: string): void;
}

export interface ProtocolServerOptions<C> extends ProtocolHooks<C> {
  /** The HTTP server whose upgrade requests on `path` become connections. */
  httpServer: import("node:http").Server;
  path: string;
  logger: Logger;
  /** WebSocket pings every this many ms; a socket that has not answered the previous one is terminated. 0: none. */
  keepAliveMs?: number;
  /** A connection without `connection_init` this long is closed 4408 (graphql-ws's default: 3 s). */
  connectionInitWaitMs?: number;
  /** How often the sweep runs (timeouts, pings, deadlines are as late as this at most). Default ≤ 1 s. */
  sweepMs?: number;
  /** Largest message accepted (bytes); a larger one closes the socket with 1009. */
  maxPayload?: number;
}

const enum State {
  /** Waiting for `connection_init`. */
  Opened,
  /** `connection_init` received, `onConnect` running. */
  Initialising,
  Acknowledged,
  Closed,
}

const OPEN = 1;

/** One client connection; a deliberately small object (thousands of them stay open for hours). */
export class Connection<C> {
  /** The context `onConnect` answered, once acknowledged. */
  context: C | undefined = undefined;
  /** @internal */ state: State = State.Opened;
  /** @internal When the next keep-alive ping is due (ms since the epoch); until `connection_init`, the time it is awaited from. */
  due: number;
  /** @internal */ awaitingPong = false;
  /** @internal The running subscriptions: most connections have one, kept without a Map. */
  subscriptions: Subscription | Map<string, Subscription> | undefined = undefined;
  /** @internal */ deadline: { at: number; code: number; reason: string } | undefined = undefined;

  constructor(
    readonly socket: WebSocket,
    now: number,
  ) {
    this.due = now;
  }

  get acknowledged(): boolean {
    return this.state === State.Acknowledged;
  }

  /** Number of subscriptions running now. */
  get subscriptionCount(): number {
    const running = this.subscriptions;
    return running === undefined ? 0 : running instanceof Map ? running.size : 1;
  }

  /** @internal */
  subscription(id: string): Subscription | undefined {
    const running = this.subscriptions;
    return running instanceof Map ? running.get(id) : running?.id === id ? running : undefined;
  }

  /** @internal */
  addSubscription(subscription: Subscription): void {
    const running = this.subscriptions;
    if (running === undefined) this.subscriptions = subscription;
    else if (running instanceof Map) running.set(subscription.id, subscription);
    else
      this.subscriptions = new Map([
        [running.id, running],
        [subscription.id, subscription],
      ]);
  }

  /** @internal */
  removeSubscription(subscription: Subscription): void {
    const running = this.subscriptions;
    if (running === subscription) this.subscriptions = undefined;
    else if (running instanceof Map && running.get(subscription.id) === subscription) running.delete(subscription.id);
  }

  /** @internal Ends every subscription (the connection closed). */
  takeSubscriptions(): Subscription[] {
    const running = this.subscriptions;
    this.subscriptions = undefined;
    return running === undefined ? [] : running instanceof Map ? [...running.values()] : [running];
  }

  /** Closes the connection at `at` (ms since the epoch, checked by the sweep) with this code and reason. */
  closeAt(at: number, code: number, reason: string): void {
    this.deadline = { at, code, reason };
  }

  close(code: number, reason: string): void {
    if (this.state !== State.Closed) this.socket.close(code, reason);
  }

  /** @internal */
  send(message: string | Buffer): void {
    if (this.socket.readyState === OPEN) this.socket.send(message, TEXT);
  }
}

const TEXT = { binary: false } as const;
const CLOSING_BRACE = 0x7d;

/** One subscription of a connection, from its `subscribe` message on; the sink of its live results. */
class Subscription implements ResultSink {
  /** The subscription's `next` messages up to the payload: `{"id":<id>,"type":"next","payload":`, and its length in bytes. */
  private readonly head: string;
  private readonly headBytes: number;
  /** Ended: completed by either side, or the connection closed. */
  done = false;
  stop: (() => void) | undefined = undefined;

  constructor(
    private readonly connection: Connection<unknown>,
    readonly id: string,
  ) {
    this.head = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
    this.headBytes = Buffer.byteLength(this.head);
  }

  next(result: ExecutionResult): void {
    if (this.done) return;
    // The payload's bytes are shared by every subscription given this result: only the id around them is copied.
    const payload = payloadBytes(result);
    const message = Buffer.allocUnsafe(this.headBytes + payload.length + 1);
    message.write(this.head, 0, this.headBytes, "utf8");
    payload.copy(message, this.headBytes);
    message[message.length - 1] = CLOSING_BRACE;
    this.connection.send(message);
  }

  complete(): void {
    if (this.done) return;
    this.end();
    this.connection.send(`{"id":${JSON.stringify(this.id)},"type":"complete"}`);
  }

  error(errors: readonly GraphQLError[]): void {
    if (this.done) return;
    this.end();
    this.connection.send(`{"id":${JSON.stringify(this.id)},"type":"error","payload":${JSON.stringify(errors)}}`);
  }

  /** Ends it without a message (the client completed it, or the connection closed): stops its results. */
  end(): void {
    this.done = true;
    this.connection.removeSubscription(this);
    const stop = this.stop;
    this.stop = undefined;
    stop?.();
  }
}

/**
 * Payloads already serialised, per result object. A result is never changed once it has been delivered
 * (authorization patches a copy), so every client of a shared result sends the same bytes.
 */
const payloads = new WeakMap<ExecutionResult, Buffer>();
let serialisations = 0;

/** The `next` payload of a result as UTF-8 JSON, serialised once per result object. */
export function payloadBytes(result: ExecutionResult): Buffer {
  let bytes = payloads.get(result);
  if (bytes === undefined) {
    serialisations++;
    bytes = Buffer.from(serialise(result), "utf8");
    payloads.set(result, bytes);
  }
  return bytes;
}

const UNSERIALISABLE = JSON.stringify({ errors: [{ message: "Unexpected error", extensions: { code: ERROR_CODES.INTERNAL } }] });

function serialise(result: ExecutionResult): string {
  try {
    // GraphQLError's toJSON gives { message, locations?, path?, extensions? }, as graphql-ws sends them.
    return JSON.stringify(result);
  } catch {
    // A value JSON cannot carry (a BigInt, a cycle): the error is cached like a payload, so it is met once.
    return UNSERIALISABLE;
  }
}

/** How many payloads this process has serialised (tests and benches: one per shared result, not one per client). */
export const payloadSerialisations = (): number => serialisations;

export interface ProtocolServer<C> {
  /** Open connections, acknowledged or not. */
  readonly connections: ReadonlySet<Connection<C>>;
  /** Closes every connection (1001), waits until they are closed and stops accepting new ones. */
  close(): Promise<void>;
}

export function startProtocolServer<C>(options: ProtocolServerOptions<C>): ProtocolServer<C> {
  const { logger } = options;
  const keepAliveMs = options.keepAliveMs !== undefined && options.keepAliveMs > 0 && Number.isFinite(options.keepAliveMs) ? options.keepAliveMs : 0;
  const initWaitMs = options.connectionInitWaitMs ?? 3_000;
  const sweepMs = options.sweepMs ?? Math.max(20, Math.min(1_000, ...(keepAliveMs ? [keepAliveMs / 4] : []), ...(initWaitMs > 0 ? [initWaitMs / 4] : [])));
  const connections = new Set<Connection<C>>();
  let closing: Promise<void> | undefined;

  /**
   * The sockets of this server: ws's own, whose events go straight to the protocol (no listeners per socket).
   * Events the protocol does not handle (and `close`, after it) reach listeners as usual.
   */
  class ProtocolSocket extends WebSocket {
    connection: Connection<C> | undefined = undefined;

    override emit(event: string | symbol, ...args: unknown[]): boolean {
      const connection = this.connection;
      if (event === "error") {
        // ws has already failed the connection (bad frame, message too large) and closes it: nothing else to do.
        logger.debug({ err: { message: (args[0] as Error | undefined)?.message } }, "WebSocket error");
        return true;
      }
      if (connection) {
        if (event === "message") {
          onMessage(connection, args[0] as RawData);
          return true;
        }
        if (event === "pong") {
          connection.awaitingPong = false;
          return true;
        }
        if (event === "close") onClose(connection, args[0] as number, args[1] as Buffer);
      }
      return super.emit(event, ...args);
    }
  }

  const wss = new WebSocketServer({
    WebSocket: ProtocolSocket,
    server: options.httpServer,
    path: options.path,
    // Connections are tracked here (one Set), not by ws (a Set and a close listener per socket).
    clientTracking: false,
    perMessageDeflate: false,
    ...(options.maxPayload !== undefined ? { maxPayload: options.maxPayload } : {}),
    handleProtocols: (protocols: Set<string>) => (protocols.has(GRAPHQL_TRANSPORT_WS_PROTOCOL) ? GRAPHQL_TRANSPORT_WS_PROTOCOL : false),
  });
  wss.on("error", (err) => {
    logger.error({ err }, "WebSocket server error");
    for (const connection of connections) connection.close(CloseCode.InternalServerError, "Internal server error");
  });
  // The upgrade request is not kept: nothing after the handshake needs it.
  wss.on("connection", (socket: ProtocolSocket, _request: IncomingMessage) => {
    if (closing) return socket.close(1001, "Going away");
    const connection = new Connection<C>(socket, Date.now());
    socket.connection = connection;
    connections.add(connection);
    if (socket.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) socket.close(CloseCode.SubprotocolNotAcceptable, "Subprotocol not acceptable");
  });

  function onMessage(connection: Connection<C>, data: RawData) {
    let message: Message;
    try {
      message = parseMessage(String(data));
    } catch {
      return connection.close(CloseCode.BadRequest, "Invalid message received");
    }
    handle(connection, message).catch((err: unknown) => {
      logger.error({ err }, "could not handle a graphql-transport-ws message");
      connection.close(CloseCode.InternalServerError, "Internal server error");
    });
  }

  function onClose(connection: Connection<C>, code: number, reason: Buffer) {
    const wasAcknowledged = connection.state === State.Acknowledged;
    connection.state = State.Closed;
    connections.delete(connection);
    for (const subscription of connection.takeSubscriptions()) stopQuietly(subscription);
    if (wasAcknowledged) {
      try {
        options.onDisconnect?.(connection, code, String(reason));
      } catch (err) {
        logger.error({ err }, "onDisconnect failed");
      }
    }
  }

  async function handle(connection: Connection<C>, message: Message): Promise<void> {
    switch (message.type) {
      case "connection_init": {
        if (connection.state !== State.Opened) return connection.close(CloseCode.TooManyInitialisationRequests, "Too many initialisation requests");
        connection.state = State.Initialising;
        connection.due = Date.now() + keepAliveMs;
        const context = await options.onConnect(connection, message.payload ?? undefined);
        if ((connection.state as State) === State.Closed) return; // gone while authenticating
        if (context === false) return connection.close(CloseCode.Forbidden, "Forbidden");
        connection.context = context;
        connection.state = State.Acknowledged;
        connection.send(CONNECTION_ACK);
        options.onAcknowledged?.(connection);
        return;
      }
      case "ping":
        return connection.send(message.payload ? JSON.stringify({ type: "pong", payload: message.payload }) : PONG);
      case "pong":
        return;
      case "subscribe":
        return subscribe(connection, message.id, message.payload);
      case "complete": {
        const subscription = connection.subscription(message.id);
        if (subscription) stopQuietly(subscription);
        return;
      }
      default:
        // connection_ack, next and error are the server's messages.
        return connection.close(CloseCode.BadRequest, "Invalid message received");
    }
  }

  async function subscribe(connection: Connection<C>, id: string, payload: SubscribePayload): Promise<void> {
    if (connection.state !== State.Acknowledged) return connection.close(CloseCode.Unauthorized, "Unauthorized");
    if (connection.subscription(id))
      return connection.close(CloseCode.SubscriberAlreadyExists, closeReason(`Subscriber for ${id} already exists`, "Subscriber already exists"));
    const subscription = new Subscription(connection as Connection<unknown>, id);
    connection.addSubscription(subscription);
    let outcome: SubscribeOutcome;
    try {
      outcome = await options.onSubscribe(connection, id, payload);
    } catch (err) {
      subscription.end();
      throw err;
    }
    if (subscription.done) return; // completed by the client, or the connection closed, meanwhile
    if (typeof outcome === "function") {
      try {
        const stop = outcome(subscription);
        if (subscription.done) stop();
        else subscription.stop = stop;
      } catch (err) {
        logger.error({ err }, "could not start a subscription");
        subscription.error([new GraphQLError("Unexpected error", { extensions: { code: ERROR_CODES.INTERNAL } })]);
      }
      return;
    }
    if (Array.isArray(outcome)) return subscription.error(outcome);
    subscription.next(outcome as ExecutionResult);
    subscription.complete();
  }

  function stopQuietly(subscription: Subscription) {
    try {
      subscription.end();
    } catch (err) {
      logger.error({ err }, "could not stop a subscription");
    }
  }

  /** One timer for every connection: connection_init timeouts, deadlines and keep-alive pings. */
  function sweep() {
    const now = Date.now();
    for (const connection of connections) {
      if (connection.state === State.Closed) continue;
      if (connection.state === State.Opened && initWaitMs > 0 && now - connection.due >= initWaitMs) {
        connection.close(CloseCode.ConnectionInitialisationTimeout, "Connection initialisation timeout");
        continue;
      }
      const deadline = connection.deadline;
      if (deadline && now >= deadline.at) {
        connection.deadline = undefined;
        connection.close(deadline.code, deadline.reason);
        continue;
      }
      if (keepAliveMs && connection.state !== State.Opened && now >= connection.due) {
        if (connection.awaitingPong) {
          connection.socket.terminate();
          continue;
        }
        if (connection.socket.readyState !== OPEN) continue;
        connection.awaitingPong = true;
        connection.due = now + keepAliveMs;
        connection.socket.ping();
      }
    }
  }
  const sweeper = setInterval(sweep, sweepMs);
  sweeper.unref();

  return {
    connections,
    close() {
      return (closing ??= (async () => {
        clearInterval(sweeper);
        const closed = [...connections].map((connection) => new Promise<void>((resolve) => connection.socket.once("close", () => resolve())));
        for (const connection of connections) connection.close(1001, "Going away");
        await Promise.all(closed);
        wss.removeAllListeners();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
      })());
    },
  };
}

/** A close reason must fit in 123 bytes (RFC 6455); a longer one (a long id in it) gives way to a shorter text. */
const closeReason = (reason: string, whenTooLong: string) => (Buffer.byteLength(reason) <= 123 ? reason : whenTooLong);

const CONNECTION_ACK = JSON.stringify({ type: "connection_ack" });
const PONG = JSON.stringify({ type: "pong" });

type Message =
  | { type: "connection_init" | "ping" | "pong"; payload?: Record<string, unknown> | null }
  | { type: "subscribe"; id: string; payload: SubscribePayload }
  | { type: "complete"; id: string }
  | { type: "connection_ack" | "next" | "error"; id?: string; payload?: unknown };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** A client's message, checked as graphql-ws checks it; throws on anything else. */
export function parseMessage(text: string): Message {
  const message: unknown = JSON.parse(text);
  if (!isObject(message) || typeof message.type !== "string") throw new Error("not a message");
  const { type, id, payload } = message;
  const hasId = typeof id === "string" && id !== "";
  switch (type) {
    case "connection_init":
    case "connection_ack":
    case "ping":
    case "pong":
      if (payload != null && !isObject(payload)) throw new Error(`bad ${type} payload`);
      break;
    case "subscribe":
      if (!hasId || !isObject(payload) || typeof payload.query !== "string") throw new Error("bad subscribe");
      if (payload.variables != null && !isObject(payload.variables)) throw new Error("bad variables");
      if (payload.operationName != null && typeof payload.operationName !== "string") throw new Error("bad operationName");
      if (payload.extensions != null && !isObject(payload.extensions)) throw new Error("bad extensions");
      break;
    case "next":
      if (!hasId || !isObject(payload)) throw new Error("bad next");
      break;
    case "error":
      if (!hasId || !Array.isArray(payload) || payload.length === 0 || !payload.every((e) => isObject(e) && "message" in e)) throw new Error("bad error");
      break;
    case "complete":
      if (!hasId) throw new Error("bad complete");
      break;
    default:
      throw new Error("unknown type");
  }
  return message as Message;
}
