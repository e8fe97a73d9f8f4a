import { afterAll, describe, expect, it } from "@jest/globals";
import { createClient } from "redis";
import { createRedisLiveFeed } from "../src/live/index.js";
import { LIVE_TEST_PREFIX, liveFeedContract } from "./live.contract.js";

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

liveFeedContract("Redis", (namespace) => createRedisLiveFeed(url, namespace));

describe("Redis live feed: one round trip per publish", () => {
  it("answers the cursor, or an empty one for an event already published, and passes any JSON text through unchanged", async () => {
    const namespace = `${LIVE_TEST_PREFIX}${Date.now().toString(36)}.raw.`;
    const feed = await createRedisLiveFeed(url, namespace);
    try {
      const message = { eventId: "q1", note: `quotes " and \\ backslashes, ünïcødé, '..' and \u2028 a line separator`, nested: { list: [1, null, true] } };
      const sub = feed.subscribe<typeof message>("board:raw", null);
      await new Promise((r) => setTimeout(r, 50)); // the subscriber registers before the first publish
      const cursor = await feed.publish("board:raw", message);
      expect(cursor).toMatch(/^\d+-\d+$/);
      expect(await feed.publish("board:raw", message)).toBe("");
      const first = await sub.next();
      expect(first.value).toEqual({ cursor, message });
      await sub.return?.();
      // The history holds the same message (a client resuming with `since` gets it as it was).
      const replay = feed.subscribe<typeof message>("board:raw", "0");
      expect((await replay.next()).value).toEqual({ cursor, message });
      await replay.return?.();
      // An idle topic's history does not stay for ever: it expires a week after its last message.
      const admin = createClient({ url });
      await admin.connect();
      try {
        const ttl = await admin.ttl(`${namespace}clinigraph:live:board:raw`);
        expect(ttl).toBeGreaterThan(7 * 24 * 3600 - 60);
        expect(ttl).toBeLessThanOrEqual(7 * 24 * 3600);
      } finally {
        await admin.close();
      }
    } finally {
      await feed.close();
    }
  });
});

afterAll(async () => {
  const admin = createClient({ url });
  await admin.connect();
  for await (const keys of admin.scanIterator({ MATCH: `${LIVE_TEST_PREFIX}*`, COUNT: 100 })) if (keys.length > 0) await admin.del(keys);
  await admin.close();
});
