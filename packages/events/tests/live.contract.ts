/** The contract both live feeds (memory, Redis) keep: cursors, `since` replay, no duplicates, topics apart. */
import { afterEach, describe, expect, it } from "@jest/globals";
import { liveEvents, type LiveEntry, type LiveFeed, type LiveMessage } from "../src/live/index.js";

interface Note extends LiveMessage {
  n: number;
}

async function take<M extends LiveMessage>(feed: AsyncIterableIterator<LiveEntry<M>>, n: number): Promise<LiveEntry<M>[]> {
  const out: LiveEntry<M>[] = [];
  while (out.length < n) {
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([feed.next(), new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 5_000)))]);
    clearTimeout(timer);
    if (next === null || next.done) throw new Error(`got ${out.length} of ${n}`);
    out.push(next.value);
  }
  return out;
}

/** Namespaces of test feeds start with this (the Redis test removes their keys). */
export const LIVE_TEST_PREFIX = "test.live.";

export function liveFeedContract(name: string, open: (namespace: string) => Promise<LiveFeed>) {
  describe(`live feed contract: ${name}`, () => {
    let feed: LiveFeed;
    afterEach(async () => {
      await feed.close();
    });
    const ns = () => `${LIVE_TEST_PREFIX}${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 8)}.`;

    it("delivers live messages in order, each event once per topic, and keeps topics apart", async () => {
      feed = await open(ns());
      const sub = feed.subscribe<Note>("board:2027-03-22", null);
      await new Promise((r) => setTimeout(r, 50)); // Redis: the subscriber registers before the first publish
      await feed.publish<Note>("board:2027-03-22", { eventId: "e1", n: 1 });
      await feed.publish<Note>("board:2027-03-22", { eventId: "e1", n: 1 }); // redelivered: not again
      await feed.publish<Note>("board:2027-03-23", { eventId: "e2", n: 99 });
      await feed.publish<Note>("board:2027-03-22", { eventId: "e3", n: 3 });
      const got = await take(sub, 2);
      expect(got.map((e) => e.message.n)).toEqual([1, 3]);
      await sub.return?.();
    });

    it("replays what came after a cursor, then goes on live, without gaps or duplicates", async () => {
      feed = await open(ns());
      const cursors: string[] = [];
      for (let n = 1; n <= 3; n++) cursors.push(await feed.publish<Note>("doctor-user:u1", { eventId: `e${n}`, n }));
      const events = liveEvents(feed.subscribe<Note>("doctor-user:u1", cursors[0]!));
      const first = await events.next();
      const second = await events.next();
      expect([first.value?.n, second.value?.n]).toEqual([2, 3]);
      expect(second.value?.cursor).toBe(cursors[2]);
      await feed.publish<Note>("doctor-user:u1", { eventId: "e4", n: 4 });
      expect((await events.next()).value).toMatchObject({ eventId: "e4", n: 4 });
      await events.return(undefined);
    });

    it('replays everything it keeps for since "0", whatever the backend', async () => {
      feed = await open(ns());
      for (let n = 1; n <= 2; n++) await feed.publish<Note>("board:2027-03-24", { eventId: `z${n}`, n });
      const events = liveEvents(feed.subscribe<Note>("board:2027-03-24", "0"));
      expect([(await events.next()).value?.n, (await events.next()).value?.n]).toEqual([1, 2]);
      await events.return(undefined);
    });
  });
}
