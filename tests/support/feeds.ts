/**
 * A live feed through the router for end-to-end tests: a graphql-ws client subscribed to one operation,
 * collecting its events. `take(n)` waits for the next n; `until(match)` for the first event that matches.
 * Waits are woken by each event (not polled) and bounded by a timer that is always cleared, so no
 * rejection outlives the wait. Dispose the returned clients with `closeFeeds` after the test file.
 *
 * The operation is a typed document (tests/support/operations/feeds.graphql → generated/operations.ts, `pnpm
 * generate`), whose event type and variables the compiler then knows, or a query string with the event type given.
 */
import { print, type TypedQueryDocumentNode } from "graphql";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import {
  DoctorAppointmentFeedDocument,
  PatientAppointmentFeedDocument,
  type DoctorAppointmentFeedSubscription,
  type PatientAppointmentFeedSubscription,
} from "./generated/operations.js";

export interface Feed<T> {
  received: T[];
  take(n: number, timeoutMs?: number): Promise<T[]>;
  until(match: (event: T) => boolean, timeoutMs?: number): Promise<T>;
}

const clients: Client[] = [];

/** The event of a subscription: the value of its one root field. */
type EventOf<R> = R[keyof R];

export function watchFeed<R, V>(routerUrl: string, token: string, document: TypedQueryDocumentNode<R, V>, variables: V): Feed<EventOf<R>>;
export function watchFeed<T>(routerUrl: string, token: string, query: string, variables?: Record<string, unknown>): Feed<T>;
export function watchFeed<T>(routerUrl: string, token: string, operation: string | TypedQueryDocumentNode, variables: Record<string, unknown> = {}): Feed<T> {
  const query = typeof operation === "string" ? operation : print(operation);
  const client = createClient({
    url: routerUrl.replace("http", "ws"),
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  clients.push(client);
  const received: T[] = [];
  const errors: unknown[] = [];
  let wake: () => void = () => undefined;
  client.subscribe<Record<string, T>>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) errors.push(...result.errors);
        if (result.data) received.push(Object.values(result.data)[0] as T);
        wake();
      },
      error: (err) => {
        errors.push(err);
        wake();
      },
      complete: () => wake(),
    },
  );

  async function waitFor<R>(found: () => R | undefined, describe: () => string, timeoutMs: number): Promise<R> {
    let handle: NodeJS.Timeout | undefined;
    const timer = new Promise<never>((_, reject) => {
      handle = setTimeout(() => reject(new Error(`timed out waiting for ${describe()}`)), timeoutMs);
    });
    try {
      for (;;) {
        if (errors.length) throw new Error(`subscription failed: ${JSON.stringify(errors)}`);
        const result = found();
        if (result !== undefined) return result;
        await Promise.race([new Promise<void>((resolve) => (wake = resolve)), timer]);
      }
    } finally {
      clearTimeout(handle);
    }
  }

  let consumed = 0;
  return {
    received,
    async take(n, timeoutMs = 15_000) {
      const batch = await waitFor(
        () => (received.length >= consumed + n ? received.slice(consumed, consumed + n) : undefined),
        () => `${n} event(s), got ${received.length - consumed}`,
        timeoutMs,
      );
      consumed += n;
      return batch;
    },
    until: (match, timeoutMs = 15_000) =>
      waitFor(
        () => received.find(match),
        () => `a matching event among ${JSON.stringify(received)}`,
        timeoutMs,
      ),
  };
}

/** A doctor's appointment feed (`appointmentRequests`), from the feed's start unless `since`. */
export const watchDoctorFeed = (routerUrl: string, token: string, doctorId: string, since = "0") =>
  watchFeed(routerUrl, token, DoctorAppointmentFeedDocument, { doctorId, since });
export type DoctorFeedEvent = DoctorAppointmentFeedSubscription["appointmentRequests"];

/** The signed-in patient's appointment feed (`myAppointmentUpdates`), from the feed's start unless `since`. */
export const watchPatientFeed = (routerUrl: string, token: string, since = "0") => watchFeed(routerUrl, token, PatientAppointmentFeedDocument, { since });
export type PatientFeedEvent = PatientAppointmentFeedSubscription["myAppointmentUpdates"];

/** Closes every feed's client (afterAll). */
/** A connection the router ends: when it is acknowledged, and the close code and reason it ends with. */
export interface ClosingSocket {
  connected: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
}

/**
 * A graphql-ws connection through the router holding one live subscription (what an app keeps open), for tests of the
 * router closing it (a revoked session, a deactivated user, an expired token). `closeFeeds` disposes it.
 */
export function openSocket(routerUrl: string, token: string, query: string): ClosingSocket {
  let onConnected!: () => void;
  let onClosed!: (close: { code: number; reason: string }) => void;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: routerUrl.replace("http", "ws"),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined, // the close is what the test awaits (`closed`), not an error to print
    connectionParams: { authorization: `Bearer ${token}` },
    on: {
      connected: () => onConnected(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        onClosed({ code, reason: String(reason) });
      },
    },
  });
  clients.push(client);
  client.subscribe({ query }, { next: () => undefined, error: () => undefined, complete: () => undefined });
  return { connected, closed };
}

export async function closeFeeds(): Promise<void> {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
}
