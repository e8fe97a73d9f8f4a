/**
 * Redis live feed: history in a capped stream per topic (`clinigraph:live:<topic>`, cursor = stream
 * entry id), live delivery through one pub/sub channel pattern that every replica listens to. A new
 * subscriber registers for live messages first, then reads the history after its cursor, then passes
 * on buffered live messages newer than the last one it replayed — no gap, no duplicate.
 */
import { createClient } from "redis";
import { Channel, LIVE_RETENTION, type LiveEntry, type LiveFeed, type LiveMessage } from "./feed.js";

/**
 * How long a publish is remembered: the per-event duplicate marker, and the topic's history after its last message (a
 * feed idle this long — yesterday's clinic board, a doctor who left — is dropped, so topics do not pile up in Redis).
 */
const SEEN_TTL_SECONDS = 7 * 24 * 3600;

/**
 * A publish in one round trip: remember the event id for the topic (a redelivered event is not published twice),
 * append to the topic's capped history (kept for the TTL after its last message), and announce the entry on the
 * topic's channel — what were several commands with a reply awaited between each. KEYS: the seen-marker, the history
 * stream; ARGV: the TTL, the history's length, the message (JSON), the channel. Answers the cursor, or "" when the event was published before. Both keys
 * are the topic's: on a Redis Cluster they need a common hash tag.
 */
const PUBLISH_SCRIPT = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return '' end
local cursor = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'm', ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[1])
redis.call('PUBLISH', ARGV[4], '{"cursor":"' .. cursor .. '","message":' .. ARGV[3] .. '}')
return cursor`;

/** Stream ids "ms-seq" compared numerically. */
export function cursorAfter(a: string, b: string): boolean {
  const [am = 0n, as = 0n] = a.split("-").map((p) => BigInt(p));
  const [bm = 0n, bs = 0n] = b.split("-").map((p) => BigInt(p));
  return am > bm || (am === bm && as > bs);
}

const VALID_CURSOR = /^\d+-\d+$/;

/** `namespace` separates deployments (or test runs) sharing one Redis. */
export async function createRedisLiveFeed(url: string, namespace = "", retention = LIVE_RETENTION): Promise<LiveFeed> {
  const KEY = (topic: string) => `${namespace}clinigraph:live:${topic}`;
  const SEEN = (topic: string, eventId: string) => `${namespace}clinigraph:live-seen:${topic}:${eventId}`;
  const CHANNEL_PREFIX = `${namespace}clinigraph:live-pub:`;
  const client = createClient({ url });
  const subscriber = client.duplicate();
  await client.connect();
  await subscriber.connect();
  const listeners = new Map<string, Set<(entry: LiveEntry) => void>>();
  await subscriber.pSubscribe(`${CHANNEL_PREFIX}*`, (raw, channel) => {
    const topic = channel.slice(CHANNEL_PREFIX.length);
    const entry = JSON.parse(raw) as LiveEntry;
    for (const listener of listeners.get(topic) ?? []) listener(entry);
  });

  return {
    async publish<M extends LiveMessage>(topic: string, message: M) {
      const cursor = await client.eval(PUBLISH_SCRIPT, {
        keys: [SEEN(topic, message.eventId), KEY(topic)],
        arguments: [String(SEEN_TTL_SECONDS), String(retention), JSON.stringify(message), CHANNEL_PREFIX + topic],
      });
      return String(cursor);
    },
    subscribe<M extends LiveMessage = LiveMessage>(topic: string, since: string | null) {
      let set = listeners.get(topic);
      if (!set) listeners.set(topic, (set = new Set()));
      const topicListeners = set;
      let replaying = true;
      // "0" asks for everything the feed keeps, as in the in-process feed (whose cursors are plain sequence numbers).
      const from = since === "0" ? "0-0" : since;
      let last: string | null = from !== null && VALID_CURSOR.test(from) ? from : null;
      const buffered: LiveEntry[] = [];
      const channel: Channel<LiveEntry> = new Channel(() => {
        topicListeners.delete(listener);
        if (topicListeners.size === 0) listeners.delete(topic);
      });
      const deliver = (entry: LiveEntry) => {
        if (last !== null && !cursorAfter(entry.cursor, last)) return;
        last = entry.cursor;
        channel.push(entry);
      };
      const listener = (entry: LiveEntry) => (replaying ? buffered.push(entry) : deliver(entry));
      topicListeners.add(listener);
      void (async () => {
        try {
          if (last !== null) {
            const history = await client.xRange(KEY(topic), `(${last}`, "+");
            for (const item of history) deliver({ cursor: item.id, message: JSON.parse(String(item.message.m)) as LiveMessage });
          }
        } catch {
          /* history unavailable: go on with live messages */
        }
        replaying = false;
        for (const entry of buffered.splice(0)) deliver(entry);
      })();
      return channel as unknown as AsyncIterableIterator<LiveEntry<M>>; // the topic fixes the message type
    },
    async close() {
      listeners.clear();
      await subscriber.quit().catch(() => undefined);
      await client.quit().catch(() => undefined);
    },
  };
}
