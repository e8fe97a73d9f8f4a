/**
 * Live feeds for subscriptions (ADR 7), shared by the subgraphs that serve them (scheduling's appointment
 * feeds, clinical's board and doctors' encounter updates): per-topic (e.g. `doctor:<id>`, `board:<day>`) messages with a cursor,
 * a bounded history so a client that reconnects with `since: <cursor>` gets what it missed, then live
 * messages — in order, without duplicates. Two implementations: in-process (one process, `pnpm start`
 * without Redis) and Redis (a stream per topic for history + pub/sub for live fan-out, so every replica
 * sees every message).
 */
/** A message of a feed: any JSON object with the id of the bus event it came from. */
export interface LiveMessage {
  /** The bus event it came from: a redelivered event is not published twice (per topic). */
  eventId: string;
}

export interface LiveEntry<M extends LiveMessage = LiveMessage> {
  cursor: string;
  message: M;
}

/** One feed carries several topics; a topic's message type is the publisher's and subscriber's contract. */
export interface LiveFeed {
  /** Appends to the topic's history and delivers to current subscribers; returns the cursor ("" when already published). */
  publish<M extends LiveMessage>(topic: string, message: M): Promise<string>;
  /** Messages after `since` still in the history (all retained ones for an unknown/too old cursor… see retention), then live ones. */
  subscribe<M extends LiveMessage = LiveMessage>(topic: string, since: string | null): AsyncIterableIterator<LiveEntry<M>>;
  close(): Promise<void>;
}

/** How many messages per topic are kept for resumption. */
export const LIVE_RETENTION = 1_000;

/** A push-to-pull adapter: producers `push`, the consumer iterates; `end` finishes it. */
export class Channel<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private readonly waiting: ((r: IteratorResult<T>) => void)[] = [];
  private ended = false;

  constructor(private readonly onReturn: () => void = () => undefined) {}

  push(value: T) {
    if (this.ended) return;
    const resolve = this.waiting.shift();
    if (resolve) resolve({ value, done: false });
    else this.queue.push(value);
  }

  end() {
    if (this.ended) return;
    this.ended = true;
    this.onReturn();
    while (this.waiting.length) this.waiting.shift()!({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
