import { afterAll } from "@jest/globals";
import { createClient } from "redis";
import { createRedisLiveFeed } from "../src/live/index.js";
import { LIVE_TEST_PREFIX, liveFeedContract } from "./live.contract.js";

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

liveFeedContract("Redis", (namespace) => createRedisLiveFeed(url, namespace));

afterAll(async () => {
  const admin = createClient({ url });
  await admin.connect();
  for await (const keys of admin.scanIterator({ MATCH: `${LIVE_TEST_PREFIX}*`, COUNT: 100 })) if (keys.length > 0) await admin.del(keys);
  await admin.close();
});
