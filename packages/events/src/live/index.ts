/** Live feeds behind GraphQL subscriptions (ADR 7): Redis when `REDIS_URL` is set, else in process. */
import type { LiveEntry, LiveFeed, LiveMessage } from "./feed.js";
import { createMemoryLiveFeed } from "./memoryFeed.js";
import { createRedisLiveFeed } from "./redisFeed.js";

export * from "./feed.js";
export { createMemoryLiveFeed } from "./memoryFeed.js";
export { createRedisLiveFeed, cursorAfter } from "./redisFeed.js";

/** Redis when `redisUrl` (REDIS_URL) is set, else in process; `namespace` (EVENTS_NAMESPACE) separates deployments or test runs sharing one Redis. */
export async function createLiveFeed(options: { redisUrl?: string | undefined; namespace?: string } = {}): Promise<LiveFeed> {
  return options.redisUrl ? createRedisLiveFeed(options.redisUrl, options.namespace ?? "") : createMemoryLiveFeed();
}

/** Yields `{ cursor, ...message }` per entry (the shape of subscription payloads); closes the feed's iterator when the client leaves. */
export async function* liveEvents<M extends LiveMessage>(feed: AsyncIterableIterator<LiveEntry<M>>): AsyncGenerator<M & { cursor: string }> {
  try {
    for await (const entry of feed) yield { cursor: entry.cursor, ...entry.message };
  } finally {
    await feed.return?.();
  }
}

/**
 * The read policy at delivery time: for each message, `admit` reads what the message is about as it is now
 * and returns what to deliver, or null when the subscriber may not read it now (or it is gone) — that
 * message is skipped and the feed goes on. Runs on replayed (`since`) and live messages alike, one message
 * at a time; closing the result closes the feed.
 */
export async function* admitted<M, R>(feed: AsyncIterable<M>, admit: (message: M) => Promise<R | null>): AsyncGenerator<R> {
  for await (const message of feed) {
    const delivered = await admit(message);
    if (delivered !== null) yield delivered;
  }
}
