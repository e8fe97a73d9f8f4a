/**
 * Live feeds for subscriptions: per-topic (e.g. `doctor:<id>`, `patient:<id>`) messages with a cursor,
 * a bounded history so a client that reconnects with `since: <cursor>` gets what it missed, then live
 * messages — in order, without duplicates. Two implementations: in-process (one process, `pnpm start`
 * without Redis) and Redis (a stream per topic for history + pub/sub for live fan-out, so every replica
 * sees every message).
 */
export interface LiveMessage {
  /** The bus event it came from: a redelivered event is not published twice. */
  eventId: string;
  type: string;
  appointmentId: string;
  at: string;
}

export interface LiveEntry {
  cursor: string;
  message: LiveMessage;
}

export interface LiveFeed {
  /** Appends to the topic's history and delivers to current subscribers; returns the cursor. */
  publish(topic: string, message: LiveMessage): Promise<string>;
  /** Messages after `since` still in the history (all retained ones for an unknown/too old cursor… see retention), then live ones. */
  subscribe(topic: string, since: string | null): AsyncIterableIterator<LiveEntry>;
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
