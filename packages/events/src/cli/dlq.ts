/**
 * Dead-letter inspection and replay (against REDIS_URL):
 *   pnpm events:dlq list <stream> <group>
 *   pnpm events:dlq replay <stream> <group> [dead-letter ids...]   (all when no id is given)
 * Listing prints one JSON object per dead letter; patient data stays out of the terminal unless --data.
 */
import { readEnv, v } from "@clinigraph/platform";
import { createRedisEventBus } from "../redis.js";

const args = process.argv.slice(2).filter((arg) => arg !== "--");
const showData = args.includes("--data");
const [command, stream, group, ...ids] = args.filter((arg) => arg !== "--data");

if ((command !== "list" && command !== "replay") || !stream || !group) {
  console.error("usage: pnpm events:dlq list <stream> <group> [--data]\n       pnpm events:dlq replay <stream> <group> [ids...]");
  process.exit(2);
}

const { REDIS_URL: url } = readEnv({ REDIS_URL: v.optionalUrl(["redis:", "rediss:"]) }, process.env);
if (!url) {
  console.error("REDIS_URL is not set: dead letters exist only on the Redis bus");
  process.exit(2);
}
const bus = await createRedisEventBus({ url });
try {
  if (command === "list") {
    const letters = await bus.deadLetters(stream, group);
    for (const { envelope, raw, ...letter } of letters) {
      const event = envelope ? { eventId: envelope.id, type: envelope.type, subject: envelope.subject, time: envelope.time } : { undecodable: true };
      console.log(JSON.stringify({ ...letter, ...event, ...(showData ? { envelope: envelope ?? raw } : {}) }));
    }
    console.error(`${letters.length} dead letter(s) in ${stream} for group ${group}`);
  } else {
    const count = await bus.replayDeadLetters(stream, group, ids.length > 0 ? ids : undefined);
    console.log(`replayed ${count} dead letter(s) to ${stream} for group ${group}`);
  }
} finally {
  await bus.close();
}
