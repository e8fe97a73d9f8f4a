import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { createClient } from "redis";
import { createLogger } from "@clinigraph/platform";
import { createRedisEventBus, RedisStreamLog } from "../src/redis.js";
import { busContract } from "./bus.contract.js";

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const admin = createClient({ url });
const adminLog = new RedisStreamLog(admin, createLogger("events-test"));

beforeAll(async () => {
  await admin.connect();
});
afterAll(async () => {
  await admin.close();
});

busContract("Redis Streams", {
  open: () => createRedisEventBus({ url }),
  cleanup: async (prefix) => {
    for await (const keys of admin.scanIterator({ MATCH: `${prefix}.*`, COUNT: 100 })) if (keys.length > 0) await admin.del(keys);
  },
  groupState: (stream, group) => adminLog.groupState(stream, group),
});

it("createEventBus uses Redis when REDIS_URL is set", async () => {
  const { createEventBus, createEnvelope } = await import("../src/index.js");
  const stream = `test.${Date.now().toString(36)}.factory`;
  const bus = await createEventBus({ redisUrl: url });
  await bus.publish(stream, [createEnvelope("DoctorScheduleChanged", { doctorId: "d1" })]);
  await bus.close();
  expect(await admin.xLen(stream)).toBe(1);
  await admin.del(stream);
});
