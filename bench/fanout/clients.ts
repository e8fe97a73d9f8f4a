/**
 * The subscriber side of the fan-out benchmark: a pool of graphql-ws clients, one WebSocket each, each subscribed
 * to a feed through the router (each client through the router process it is given): all to the same doctor feed
 * (`--feeds shared`), or each identity to its own (`--feeds own`). Clients are grouped by feed: a feed is an index into
 * the request's `feeds`, and what a subscriber awaits and is expected to receive is given per feed. Every client
 * records, per event, the time it received it (wall clock with sub-millisecond resolution, comparable across
 * processes on one machine), its cursors (duplicates, order) and any error or early close. Given refresh tokens
 * (`OpenRequest.renew`), a subscriber whose token expired refreshes its session and resumes its feed from its last
 * cursor (bench:soak). The pool runs in the benchmark's process (`--client-procs 0`) or in child processes
 * (`worker.ts`, `pool.ts`), which answer the same calls over IPC.
 */
import { performance } from "node:perf_hooks";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

/** Wall-clock milliseconds with sub-millisecond resolution (same origin in every process of the machine). */
export const wallNow = () => performance.timeOrigin + performance.now();

/** A subscription operation: one feed. */
export interface FeedOperation {
  query: string;
  variables: Record<string, unknown>;
}

/** Event keys per feed: `keysByFeed[f]` are the keys a subscriber of feed f awaits or expects (none if absent). */
export type KeysByFeed = readonly (readonly string[] | undefined)[];

export interface OpenRequest {
  /** The distinct operations; `feedOf` says which one each subscriber runs. */
  feeds: readonly FeedOperation[];
  /** One feed index per subscriber, as `tokens`. */
  feedOf: readonly number[];
  /** One token per subscriber (the identity its connection authenticates as). */
  tokens: readonly string[];
  /** One WebSocket URL per subscriber, as `tokens` (the router process it connects to). */
  wsUrls: readonly string[];
  /** Connections opened at once; the next batch starts when this one is acknowledged. */
  batchSize: number;
  /** Give up on a connection that is not acknowledged within this time. */
  connectTimeoutMs: number;
  /**
   * Sessions that outlive their access tokens: subscriber i's refresh token (as `tokens`) and the router's HTTP
   * endpoint. When the router closes a connection because its token expired (4401), the subscriber exchanges the
   * refresh token for a new access token (`refreshSession`) and subscribes again with `since` set to the last cursor
   * it received, as the web app does, so the feed replays what happened meanwhile. The operations must then declare
   * `$since: String` and pass it to the feed. Without `renew`, a closed connection ends the subscriber (`endedEarly`).
   */
  renew?: { httpUrl: string; refreshTokens: readonly string[] };
}

export interface OpenResult {
  requested: number;
  connected: number;
  failed: number;
  failureSamples: string[];
  ms: number;
}

export interface WaitResult {
  /** Subscribers that received every awaited event. */
  complete: number;
  subscribers: number;
  /** Gave up: no subscriber received anything for `idleMs`, or `maxMs` passed. */
  timedOut: boolean;
  ms: number;
  /** Wall-clock time of the last receipt of an awaited event (NaN if none). */
  lastReceipt: number;
  /** Feeds with at least one subscriber that did not receive what it awaited. */
  incompleteFeeds: number[];
}

export interface ReportRequest {
  /** Commit time (wall clock: the mutation's HTTP response arrived) per event key `TYPE:appointmentId`. */
  commits: Record<string, number>;
  /** When the mutation was sent (wall clock), per event key. */
  sent: Record<string, number>;
  /** The keys each feed's subscribers expect (each a subset of `commits`' keys). */
  keysByFeed: KeysByFeed;
  /** Keys that are neither expected nor unexpected (warm-up events). */
  ignore: readonly string[];
}

export interface PoolReport {
  subscribers: number;
  /** Delivery latency (receipt − commit) of every expected event to every subscriber that received it, milliseconds. */
  latencies: Float64Array;
  /** The same deliveries measured from the moment the mutation was sent (receipt − sent). */
  latenciesFromSend: Float64Array;
  /** Expected deliveries (each subscriber's feed's keys), summed over subscribers. */
  expected: number;
  /** Expected deliveries missing, summed over subscribers. */
  lost: number;
  /** Subscribers missing at least one expected event. */
  subscribersWithLoss: number;
  /** Events received again (a cursor already seen, or the same type and appointment under a new cursor), summed over subscribers. */
  duplicates: number;
  /** Events whose cursor was not after the previous one's. */
  outOfOrder: number;
  /** Events that were neither expected (for the subscriber's feed) nor ignored. */
  unexpected: number;
  /** Results that carried GraphQL errors (e.g. the patient's name could not be resolved). */
  resultsWithErrors: number;
  /** Subscriptions that errored or completed, or connections that closed, before the pool closed them. */
  endedEarly: number;
  /** Connections closed at token expiry and resumed with a refreshed token and `since` (OpenRequest `renew`). */
  resumes: number;
  errorSamples: string[];
}

export interface UsageSample {
  cpuMs: number;
  eventLoopUtilization: number;
  rssBytes: number;
  heapUsedBytes: number;
}

export interface FeedEvent {
  cursor: string;
  type: string;
  appointment: { id: string; status: string; patient: { name: string } | null } | null;
}

export const eventKey = (type: string, appointmentId: string) => `${type}:${appointmentId}`;

/** Redis stream ids "ms-seq" compared numerically; anything else compared as text. */
function cursorAfter(a: string, b: string): boolean {
  const [am, as] = a.split("-").map(Number);
  const [bm, bs] = b.split("-").map(Number);
  if ([am, as, bm, bs].some((n) => n === undefined || Number.isNaN(n))) return a > b;
  return am! > bm! || (am === bm && as! > bs!);
}

class Subscriber {
  constructor(
    readonly feed: number,
    readonly wsUrl: string,
    /** The session's current refresh token (OpenRequest `renew`), null without one. */
    public refreshToken: string | null,
  ) {}
  client: Client | undefined;
  /** Which connection is current: handlers of an earlier one (closed for a resume) are ignored. */
  generation = 0;
  resumes = 0;
  /** Event key → first receipt time. */
  readonly received = new Map<string, number>();
  readonly cursors = new Set<string>();
  lastCursor: string | null = null;
  duplicates = 0;
  outOfOrder = 0;
  resultsWithErrors = 0;
  endedEarly = false;
  closing = false;
  error: string | null = null;
}

/** The router's close code for a connection whose access token expired (router/src/subscriptions/wsServer.ts). */
const TOKEN_EXPIRED = 4401;
const REFRESH = `mutation ($r: String!) { refreshSession(refreshToken: $r) { accessToken refreshToken } }`;

/** The counter of one event among one feed's subscribers. */
const feedKey = (feed: number, key: string) => `${feed} ${key}`;

export class ClientPool {
  private subscribers: Subscriber[] = [];
  /** Subscribers per feed. */
  private readonly perFeed = new Map<number, number>();
  /** Feed and event key (`feedKey`) → subscribers of that feed that have received it. */
  private readonly counts = new Map<string, number>();
  /** Events received by any subscriber so far (progress while waiting). */
  private receipts = 0;
  private cpuMark = process.cpuUsage();
  private eluMark = performance.eventLoopUtilization();

  constructor(private readonly onProgress: (opened: number) => void = () => undefined) {}

  async open(request: OpenRequest): Promise<OpenResult> {
    const started = performance.now();
    const failureSamples: string[] = [];
    let connected = 0;
    let failed = 0;
    for (let from = 0; from < request.tokens.length; from += request.batchSize) {
      const batch = request.tokens.slice(from, from + request.batchSize);
      const outcomes = await Promise.all(
        batch.map((token, i) =>
          this.openOne(request, request.feedOf[from + i]!, token, request.wsUrls[from + i]!, request.renew?.refreshTokens[from + i] ?? null),
        ),
      );
      for (const outcome of outcomes) {
        if (outcome === null) connected++;
        else {
          failed++;
          if (failureSamples.length < 5) failureSamples.push(outcome);
        }
      }
      this.onProgress(connected);
    }
    return { requested: request.tokens.length, connected, failed, failureSamples, ms: performance.now() - started };
  }

  /** Resolves with null once the connection is acknowledged and the subscribe message sent, else with the reason. */
  private openOne(request: OpenRequest, feed: number, token: string, wsUrl: string, refreshToken: string | null): Promise<string | null> {
    if (!request.feeds[feed]) return Promise.resolve(`no feed ${feed}`);
    const sub = new Subscriber(feed, wsUrl, refreshToken);
    this.subscribers.push(sub);
    this.perFeed.set(feed, (this.perFeed.get(feed) ?? 0) + 1);
    return this.connect(request, sub, token, null);
  }

  /** Connects `sub` with `token` and subscribes to its feed (from after `since`, when given). */
  private connect(request: OpenRequest, sub: Subscriber, token: string, since: string | null): Promise<string | null> {
    const operation = request.feeds[sub.feed]!;
    const generation = ++sub.generation;
    const current = () => sub.generation === generation && !sub.closing;
    return new Promise<string | null>((resolve) => {
      let settled = false;
      const settle = (outcome: string | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const timer = setTimeout(() => settle(`not acknowledged within ${request.connectTimeoutMs} ms`), request.connectTimeoutMs);
      const fail = (reason: string) => {
        if (!current()) return;
        sub.endedEarly = true;
        sub.error ??= reason;
        settle(reason);
      };
      sub.client = createClient({
        url: sub.wsUrl,
        webSocketImpl: WebSocket,
        lazy: true,
        retryAttempts: 0, // a silent reconnect without `since` would hide lost events
        connectionAckWaitTimeout: request.connectTimeoutMs,
        connectionParams: { authorization: `Bearer ${token}` },
        on: {
          connected: () => settle(null),
          closed: (event) => {
            const { code, reason } = event as { code?: number; reason?: string };
            if (code === TOKEN_EXPIRED && request.renew && sub.refreshToken !== null && current()) {
              sub.generation++; // this connection's subscription error (the close) is not the subscriber's end
              void this.resume(request, sub);
              return;
            }
            fail(`connection closed: ${code ?? "?"} ${reason ?? ""}`.trim());
          },
          error: (err) => fail(`connection error: ${err instanceof Error ? err.message : String(err)}`),
        },
      });
      sub.client.subscribe<Record<string, FeedEvent>>(
        { query: operation.query, variables: since === null ? operation.variables : { ...operation.variables, since } },
        {
          next: (result) => {
            if (current()) this.receive(sub, result);
          },
          error: (err) => fail(`subscription error: ${JSON.stringify(err)?.slice(0, 200)}`),
          complete: () => fail("subscription completed by the server"),
        },
      );
    });
  }

  private receive(sub: Subscriber, result: { data?: Record<string, FeedEvent> | null; errors?: readonly { message: string }[] }) {
    const at = wallNow();
    this.receipts++;
    if (result.errors?.length) {
      sub.resultsWithErrors++;
      sub.error ??= `result error: ${result.errors[0]?.message ?? "?"}`;
    }
    const event = result.data ? Object.values(result.data)[0] : undefined;
    if (!event) return;
    if (sub.cursors.has(event.cursor)) {
      sub.duplicates++;
      return;
    }
    sub.cursors.add(event.cursor);
    if (sub.lastCursor !== null && !cursorAfter(event.cursor, sub.lastCursor)) sub.outOfOrder++;
    sub.lastCursor = event.cursor;
    const key = eventKey(event.type, event.appointment?.id ?? "?");
    if (sub.received.has(key)) {
      sub.duplicates++; // the same event again under another cursor
      return;
    }
    sub.received.set(key, at);
    const counter = feedKey(sub.feed, key);
    this.counts.set(counter, (this.counts.get(counter) ?? 0) + 1);
  }

  /** After a token expiry: a new access token for the session, then the feed again from the last cursor seen. */
  private async resume(request: OpenRequest, sub: Subscriber) {
    const previous = sub.client;
    void Promise.resolve(previous?.dispose()).catch(() => undefined);
    sub.resumes++;
    const failed = (reason: string) => {
      if (sub.closing) return;
      sub.endedEarly = true;
      sub.error ??= reason;
    };
    try {
      const res = await fetch(request.renew!.httpUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: REFRESH, variables: { r: sub.refreshToken } }),
      });
      const body = (await res.json()) as { data?: { refreshSession: { accessToken: string; refreshToken: string } }; errors?: { message: string }[] };
      const session = body.data?.refreshSession;
      if (!session) return failed(`refreshSession failed (HTTP ${res.status}): ${body.errors?.[0]?.message ?? "no data"}`);
      sub.refreshToken = session.refreshToken;
      if (sub.closing) return;
      const outcome = await this.connect(request, sub, session.accessToken, sub.lastCursor);
      if (sub.closing)
        await Promise.resolve(sub.client?.dispose()).catch(() => undefined); // the pool closed meanwhile
      else if (outcome !== null) failed(`resuming: ${outcome}`);
    } catch (err) {
      failed(`resuming: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * Waits until every subscriber has received every one of its feed's `keysByFeed` (`mode` "any": at least one of
   * them); gives up when no subscriber has received anything for `idleMs` (deliveries have stopped: what is missing is
   * lost, not late) or after `maxMs` in all.
   */
  async waitFor(keysByFeed: KeysByFeed, idleMs: number, maxMs: number, mode: "all" | "any" = "all"): Promise<WaitResult> {
    const started = performance.now();
    const total = this.subscribers.length;
    const keysOf = (feed: number) => keysByFeed[feed] ?? [];
    const has = (sub: Subscriber) =>
      mode === "all" ? keysOf(sub.feed).every((key) => sub.received.has(key)) : keysOf(sub.feed).some((key) => sub.received.has(key));
    const done = () =>
      mode === "all"
        ? [...this.perFeed].every(([feed, subscribers]) => keysOf(feed).every((key) => (this.counts.get(feedKey(feed, key)) ?? 0) >= subscribers))
        : this.subscribers.every(has);
    let seen = this.receipts;
    let progressAt = started;
    for (;;) {
      if (done()) break;
      const now = performance.now();
      if (this.receipts !== seen) [seen, progressAt] = [this.receipts, now];
      if (now - progressAt > idleMs || now - started > maxMs) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const timedOut = !done();
    const incomplete = timedOut ? this.subscribers.filter((sub) => !has(sub)) : [];
    let lastReceipt = NaN;
    for (const sub of this.subscribers)
      for (const key of keysOf(sub.feed)) {
        const at = sub.received.get(key);
        if (at !== undefined && !(at <= lastReceipt)) lastReceipt = at;
      }
    return {
      complete: total - incomplete.length,
      subscribers: total,
      timedOut,
      ms: performance.now() - started,
      lastReceipt,
      incompleteFeeds: [...new Set(incomplete.map((sub) => sub.feed))],
    };
  }

  /** Starts a new CPU / event-loop measurement window. */
  mark(): void {
    this.cpuMark = process.cpuUsage();
    this.eluMark = performance.eventLoopUtilization();
  }

  /** CPU and event-loop utilization since `mark()`, and memory now. */
  usage(): UsageSample {
    const cpu = process.cpuUsage(this.cpuMark);
    const memory = process.memoryUsage();
    return {
      cpuMs: (cpu.user + cpu.system) / 1000,
      eventLoopUtilization: performance.eventLoopUtilization(this.eluMark).utilization,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
    };
  }

  report(request: ReportRequest): PoolReport {
    const ignore = new Set(request.ignore);
    const expectedByFeed = new Map<number, Set<string>>();
    const expectedOf = (feed: number) => {
      let keys = expectedByFeed.get(feed);
      if (!keys) expectedByFeed.set(feed, (keys = new Set(request.keysByFeed[feed] ?? [])));
      return keys;
    };
    let expectedTotal = 0;
    const latencies: number[] = [];
    const latenciesFromSend: number[] = [];
    let lost = 0;
    let subscribersWithLoss = 0;
    let unexpected = 0;
    let duplicates = 0;
    let outOfOrder = 0;
    let resultsWithErrors = 0;
    let endedEarly = 0;
    let resumes = 0;
    const errorSamples: string[] = [];
    for (const sub of this.subscribers) {
      const expected = expectedOf(sub.feed);
      expectedTotal += expected.size;
      let missing = 0;
      for (const key of expected) {
        const at = sub.received.get(key);
        if (at === undefined) missing++;
        else {
          latencies.push(at - request.commits[key]!);
          latenciesFromSend.push(at - (request.sent[key] ?? NaN));
        }
      }
      for (const key of sub.received.keys()) if (!expected.has(key) && !ignore.has(key)) unexpected++;
      lost += missing;
      if (missing) subscribersWithLoss++;
      duplicates += sub.duplicates;
      outOfOrder += sub.outOfOrder;
      resultsWithErrors += sub.resultsWithErrors;
      if (sub.endedEarly) endedEarly++;
      resumes += sub.resumes;
      if (sub.error && errorSamples.length < 5) errorSamples.push(sub.error);
    }
    return {
      subscribers: this.subscribers.length,
      latencies: Float64Array.from(latencies),
      latenciesFromSend: Float64Array.from(latenciesFromSend),
      expected: expectedTotal,
      lost,
      subscribersWithLoss,
      duplicates,
      outOfOrder,
      unexpected,
      resultsWithErrors,
      endedEarly,
      resumes,
      errorSamples,
    };
  }

  /** Closes every connection (normal closure) and forgets the subscribers. */
  async close(): Promise<void> {
    const subs = this.subscribers;
    this.subscribers = [];
    this.counts.clear();
    this.perFeed.clear();
    for (const sub of subs) sub.closing = true;
    await Promise.all(subs.map((sub) => Promise.resolve(sub.client?.dispose()).catch(() => undefined)));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// IPC between the benchmark and its client processes

export type PoolMethod = "open" | "waitFor" | "mark" | "usage" | "report" | "close";
export interface PoolCall {
  id: number;
  method: PoolMethod;
  args: unknown[];
}
export type PoolReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string } | { progress: number };
