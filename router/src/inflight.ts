/**
 * Identical subgraph requests in flight at the same time share one request (as @graphql-hive/gateway's
 * deduplication does): the first caller sends it, callers that ask for the same thing before its answer arrives
 * wait for that answer. Each gets the raw answer and reads it itself, so nothing one caller does to its data is
 * seen by another. The data sources decide what may be shared: queries only (never a mutation), and only between
 * calls made for the same caller identity (user, role, client address), so one caller's authorization never
 * answers another's request.
 *
 * A shared answer must not be older than what its caller has already seen: a client that writes, or hears of a
 * write on a live feed, and then reads again must read the write. So the data sources report every write they send
 * (a mutation's fetches, as they go out and as they are answered) and the subscription server every event it receives
 * (`changed`), and a call joins a request in flight only if nothing changed since that request was sent; otherwise it
 * sends its own.
 */
import type { RawResponse } from "./fetcher.js";

export interface InflightAnswer {
  response: Promise<RawResponse>;
  /** true: another identical request was already in flight and this call waits for its answer. */
  shared: boolean;
}

interface Entry {
  response: Promise<RawResponse>;
  /** The value of `generation` when the request was sent. */
  generation: number;
}

export class InflightRequests {
  private readonly inflight = new Map<string, Entry>();
  private generation = 0;

  /**
   * `send` runs unless an identical request (same key) is in flight and nothing changed since it was sent; the key is
   * forgotten once it is answered.
   */
  run(key: string, send: () => Promise<RawResponse>): InflightAnswer {
    const pending = this.inflight.get(key);
    if (pending && pending.generation === this.generation) return { response: pending.response, shared: true };
    const entry: Entry = { generation: this.generation, response: undefined as unknown as Promise<RawResponse> };
    entry.response = send().finally(() => {
      if (this.inflight.get(key) === entry) this.inflight.delete(key);
    });
    this.inflight.set(key, entry);
    return { response: entry.response, shared: false };
  }

  /** Data may have changed (a write passed through the router, or a live event arrived): requests in flight are not joined any more. */
  changed(): void {
    this.generation++;
  }

  /** Requests in flight now. */
  get size(): number {
    return this.inflight.size;
  }
}
