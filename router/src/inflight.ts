/**
 * Identical subgraph requests in flight at the same time share one request (as @graphql-hive/gateway's
 * deduplication does): the first caller sends it, callers that ask for the same thing before its answer arrives
 * wait for that answer. Each gets the raw answer and reads it itself, so nothing one caller does to its data is
 * seen by another. The data sources decide what may be shared: queries only (never a mutation), and only between
 * calls made for the same caller identity (user, role, client address), so one caller's authorization never
 * answers another's request.
 */
import type { RawResponse } from "./fetcher.js";

export interface InflightAnswer {
  response: Promise<RawResponse>;
  /** true: another identical request was already in flight and this call waits for its answer. */
  shared: boolean;
}

export class InflightRequests {
  private readonly inflight = new Map<string, Promise<RawResponse>>();

  /** `send` runs unless an identical request (same key) is in flight; the key is forgotten once it is answered. */
  run(key: string, send: () => Promise<RawResponse>): InflightAnswer {
    const pending = this.inflight.get(key);
    if (pending) return { response: pending, shared: true };
    const response = send().finally(() => this.inflight.delete(key));
    this.inflight.set(key, response);
    return { response, shared: false };
  }

  /** Requests in flight now. */
  get size(): number {
    return this.inflight.size;
  }
}
