import { Channel, LIVE_RETENTION, type LiveEntry, type LiveFeed, type LiveMessage } from "./feed.js";

interface Topic {
  seq: number;
  history: LiveEntry[];
  listeners: Set<Channel<LiveEntry>>;
}

/** In-process live feed: cursors are per-topic sequence numbers. */
export function createMemoryLiveFeed(retention = LIVE_RETENTION): LiveFeed {
  const topics = new Map<string, Topic>();
  const topicOf = (name: string) => {
    let topic = topics.get(name);
    if (!topic) topics.set(name, (topic = { seq: 0, history: [], listeners: new Set() }));
    return topic;
  };
  return {
    async publish<M extends LiveMessage>(name: string, message: M) {
      const topic = topicOf(name);
      const seen = topic.history.find((e) => e.message.eventId === message.eventId);
      if (seen) return seen.cursor;
      const entry = { cursor: String(++topic.seq), message };
      topic.history.push(entry);
      if (topic.history.length > retention) topic.history.splice(0, topic.history.length - retention);
      for (const listener of topic.listeners) listener.push(entry);
      return entry.cursor;
    },
    subscribe<M extends LiveMessage = LiveMessage>(name: string, since: string | null) {
      const topic = topicOf(name);
      const channel: Channel<LiveEntry> = new Channel(() => topic.listeners.delete(channel));
      const after = since !== null && /^\d+$/.test(since) ? Number(since) : null;
      if (after !== null) for (const entry of topic.history) if (Number(entry.cursor) > after) channel.push(entry);
      topic.listeners.add(channel);
      return channel as unknown as AsyncIterableIterator<LiveEntry<M>>; // the topic fixes the message type
    },
    async close() {
      for (const topic of topics.values()) for (const listener of topic.listeners) listener.end();
      topics.clear();
    },
  };
}
