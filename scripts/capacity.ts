/**
 * `pnpm capacity`: the capacity plan (docs/capacity.md) recomputed from measured costs. Prints, for each number of
 * concurrent users, the replicas of every service, PostgreSQL and Redis, and where the first bottleneck appears.
 *
 *   pnpm capacity                                     # 10,000, 100,000 and 1,000,000 users, costs of docs/capacity-inputs.json
 *   pnpm capacity --users 5000,50000                  # other sizes
 *   pnpm capacity --booking-results bench/results/booking-<stamp>.json   # booking and search costs from a fresh bench run
 *   pnpm capacity --json                              # the plans as JSON
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "@clinigraph/platform";
import { DEFAULT_LIMITS, DEFAULT_MIX, bottlenecks, plan, type CapacityInputs } from "./lib/capacity.js";
import { costsFromBookingResults } from "./lib/capacityResults.js";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "10000,100000,1000000" },
    inputs: { type: "string", default: path.join(REPO_ROOT, "docs", "capacity-inputs.json") },
    "booking-results": { type: "string" },
    json: { type: "boolean", default: false },
  },
});

let inputs = JSON.parse(readFileSync(values.inputs, "utf8")) as CapacityInputs;
if (values["booking-results"]) inputs = costsFromBookingResults(inputs, JSON.parse(readFileSync(values["booking-results"], "utf8")), values["booking-results"]);
const sizes = values.users.split(",").map((s) => Number(s.replaceAll("_", "").trim()));
if (sizes.some((n) => !Number.isFinite(n) || n <= 0)) {
  console.error(`--users takes a comma-separated list of positive numbers (got "${values.users}")`);
  process.exit(2);
}
const plans = sizes.map((users) => plan(users, inputs));
const limits = bottlenecks(inputs);
if (values.json) {
  console.log(JSON.stringify({ inputs: inputs.measured, mix: DEFAULT_MIX, limits: DEFAULT_LIMITS, plans, bottlenecks: limits }, null, 2));
  process.exit(0);
}

const n = (value: number, digits = 0) => value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
console.log(`Costs: ${inputs.measured}`);
console.log(
  `Mix per concurrent user and hour: ${Object.entries(DEFAULT_MIX.perUserHour)
    .map(([op, count]) => `${count} ${op}`)
    .join(", ")}; ${DEFAULT_MIX.liveShare * 100} % hold a live WebSocket.`,
);
console.log(
  `Replicas of ${DEFAULT_LIMITS.coresPerReplica} core at ${DEFAULT_LIMITS.targetUtilisation * 100} % CPU (the HPA target), at least ${DEFAULT_LIMITS.minReplicas}; ` +
    `${n(DEFAULT_LIMITS.connectionsPerRouter)} WebSockets per router; PostgreSQL nodes of ${DEFAULT_LIMITS.postgresCoresPerNode} cores at ${DEFAULT_LIMITS.postgresUtilisation * 100} %; ` +
    `Redis shards of ${n(DEFAULT_LIMITS.redisOpsPerShard)} commands/s; streams kept ${DEFAULT_LIMITS.streamRetentionHours} hours.\n`,
);
const services = plans[0]!.services.map((s) => s.service);
console.log(row(["", ...plans.map((p) => `${n(p.users)} users`)]));
console.log(row(["---", ...plans.map(() => "---:")]));
console.log(row(["requests/s (events/s)", ...plans.map((p) => `${n(p.requestsPerSecond)} (${n(p.eventsPerSecond, 1)})`)]));
for (const service of services)
  console.log(
    row([
      `${service}: replicas (cores busy)`,
      ...plans.map((p) => {
        const s = p.services.find((x) => x.service === service)!;
        return `${s.replicas}${s.boundBy === "connections" ? " (sockets)" : ""} (${n(s.cores, 1)})`;
      }),
    ]),
  );
for (const service of services.filter((name) => plans.some((p) => p.services.find((x) => x.service === name)!.consumerCores > 0)))
  console.log(
    row([
      `${service}: event consumers, cores busy (one process)`,
      ...plans.map((p) => {
        const cores = p.services.find((x) => x.service === service)!.consumerCores;
        return `${n(cores, 2)}${cores > DEFAULT_LIMITS.consumerSaturation * DEFAULT_LIMITS.coresPerReplica ? " (saturated)" : ""}`;
      }),
    ]),
  );
console.log(row(["PostgreSQL primary: nodes (cores busy)", ...plans.map((p) => `${p.postgres.primaryNodes} (${n(p.postgres.primaryCores, 1)})`)]));
console.log(row(["PostgreSQL read replicas (cores busy)", ...plans.map((p) => `${p.postgres.readReplicas} (${n(p.postgres.replicaCores, 1)})`)]));
console.log(row(["PostgreSQL connections (all replicas' pools)", ...plans.map((p) => n(p.postgres.connections))]));
console.log(row(["Redis: commands/s, shards", ...plans.map((p) => `${n(p.redis.opsPerSecond)}, ${p.redis.shards}`)]));
console.log(row(["Redis: stream memory (MB)", ...plans.map((p) => n(p.redis.streamMemoryMb))]));
console.log(row(["live: deliveries/s, router memory for sockets (MB)", ...plans.map((p) => `${n(p.live.deliveriesPerSecond)}, ${n(p.live.routerMemoryMb)}`)]));
console.log("\nFirst limits reached (single node or shard; adding replicas does not move them):");
for (const b of limits) console.log(`  ~${n(Math.round(b.users / 1000) * 1000)} users: ${b.resource} — ${b.remedy}`);
