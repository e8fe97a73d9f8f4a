/**
 * The capacity model behind `pnpm capacity` and docs/capacity.md: from the CPU each operation costs each service (as
 * the benchmarks measure it) and a traffic mix per concurrent user, how many replicas of each service, how much
 * PostgreSQL (primary and read replicas) and Redis a number of concurrent users needs, and which resource reaches its
 * single-node limit first. Linear in the number of users: every figure is users × (per-user rate × per-operation
 * cost), divided by what one replica or node may carry at its target utilisation.
 */

/** Node CPU milliseconds one operation costs each service (router and subgraphs), and PostgreSQL's share. */
export interface OperationCost {
  /** Milliseconds of CPU per operation, by service name. */
  cpuMs: Record<string, number>;
  /** PostgreSQL server CPU (its backends) per operation, milliseconds. */
  postgresMs: number;
  /** Whether PostgreSQL work may go to a read replica (true only for reads that tolerate a short lag). */
  replicaReadable: boolean;
  /** Events the operation publishes (each is handled by the consumer groups, whose CPU is in `cpuMs`). */
  events: number;
  /**
   * The part of `cpuMs` spent by event consumers, by service. A subgraph's consumers run in ONE process (each group
   * keeps per-subject order only with a single consumer), so this part does not spread over replicas.
   */
  consumerCpuMs?: Record<string, number>;
  /** Where the figures come from (a bench section), or why they are assumed. */
  source: string;
}

export interface CapacityInputs {
  measured: string;
  operations: Record<string, OperationCost>;
  live: {
    /** Router CPU per delivered live event, ms (the router serialises once per selection and writes per socket). */
    routerCpuMsPerDelivery: number;
    /** Router memory per open WebSocket, KB. */
    routerKbPerConnection: number;
    /** Subscribers an event reaches on average (its doctor's feed, its patient's, the reception board). */
    deliveriesPerEvent: number;
    source: string;
  };
  /** Size of one event entry in a Redis stream, bytes (envelope + stream overhead). */
  redisBytesPerEvent: number;
  /** Consumer groups reading each event (each costs a read and an acknowledgement on Redis). */
  consumerGroupsPerEvent: number;
}

export interface TrafficMix {
  /** Operations per concurrent user per hour, by operation name (keys of `inputs.operations`). */
  perUserHour: Record<string, number>;
  /** Share of concurrent users holding a live WebSocket. */
  liveShare: number;
}

export interface Limits {
  /** CPU cores of one replica of a Node service (its Kubernetes limit). */
  coresPerReplica: number;
  /** The HPA's CPU target: replicas run at this share of their cores, leaving room for bursts and p99. */
  targetUtilisation: number;
  /** Fewest replicas of each service (two for availability). */
  minReplicas: number;
  /** Open WebSockets one router replica should hold (file descriptors, memory, drain time on a rollout). */
  connectionsPerRouter: number;
  /** CPU cores of the largest PostgreSQL node available (primary or replica). */
  postgresCoresPerNode: number;
  /** Share of a PostgreSQL node's cores it should run at. */
  postgresUtilisation: number;
  /** Redis commands per second one shard (one core) carries comfortably. */
  redisOpsPerShard: number;
  /** How long streams keep events (retention for replay and late consumers), hours. */
  streamRetentionHours: number;
  /** PostgreSQL connections one replica of a subgraph holds: its pool (DATABASE_POOL_SIZE), the relay's 2, its LISTEN. */
  connectionsPerReplica: Record<string, number>;
  /** Share of its one core a subgraph's single consumer process may use before its lag grows without bound. */
  consumerSaturation: number;
  /** Connections a PostgreSQL server takes before each needs too much memory (behind it: a pooler such as PgBouncer). */
  postgresMaxConnections: number;
}

export const DEFAULT_MIX: TrafficMix = {
  // A patient or staff member "online": browsing availability, reading their appointments and profile, now and then
  // booking or cancelling. Staff act more, patients less; this is the blend.
  // About three operations a minute: a page of the web app asks for one to three, and an active user turns a page every
  // 20–60 s. Bookings are rare beside reads, but a Monday morning has many.
  perUserHour: { search: 60, read: 120, booking: 2, cancellation: 0.5 },
  liveShare: 1,
};

export const DEFAULT_LIMITS: Limits = {
  coresPerReplica: 1,
  targetUtilisation: 0.6,
  minReplicas: 2,
  connectionsPerRouter: 20_000,
  postgresCoresPerNode: 64,
  postgresUtilisation: 0.6,
  redisOpsPerShard: 80_000,
  streamRetentionHours: 24,
  connectionsPerReplica: { default: 13, scheduling: 23, router: 0 },
  postgresMaxConnections: 500,
  consumerSaturation: 0.8,
};

export interface ServicePlan {
  service: string;
  cores: number;
  /** Of `cores`, what its single event-consumer process is busy with (at most one core). */
  consumerCores: number;
  replicas: number;
  /** What set the replica count: CPU, connections (router) or the minimum. */
  boundBy: "cpu" | "connections" | "minimum";
}

export interface Plan {
  users: number;
  requestsPerSecond: number;
  eventsPerSecond: number;
  services: ServicePlan[];
  postgres: { primaryCores: number; replicaCores: number; primaryNodes: number; readReplicas: number; connections: number };
  redis: { opsPerSecond: number; shards: number; streamMemoryMb: number };
  live: { connections: number; deliveriesPerSecond: number; routerMemoryMb: number };
}

/** Operations per second of each kind for `users` concurrent users. */
export function operationRates(users: number, mix: TrafficMix): Record<string, number> {
  return Object.fromEntries(Object.entries(mix.perUserHour).map(([name, perHour]) => [name, (users * perHour) / 3600]));
}

export function plan(users: number, inputs: CapacityInputs, mix: TrafficMix = DEFAULT_MIX, limits: Limits = DEFAULT_LIMITS): Plan {
  const rates = operationRates(users, mix);
  const costOf = (name: string) => {
    const cost = inputs.operations[name];
    if (!cost) throw new Error(`the mix names "${name}", which the inputs do not cost`);
    return cost;
  };
  const coresByService = new Map<string, number>();
  const consumerCoresByService = new Map<string, number>();
  let primaryMs = 0;
  let replicaMs = 0;
  let eventsPerSecond = 0;
  for (const [name, rate] of Object.entries(rates)) {
    const cost = costOf(name);
    for (const [service, ms] of Object.entries(cost.cpuMs)) coresByService.set(service, (coresByService.get(service) ?? 0) + (rate * ms) / 1000);
    for (const [service, ms] of Object.entries(cost.consumerCpuMs ?? {}))
      consumerCoresByService.set(service, (consumerCoresByService.get(service) ?? 0) + (rate * ms) / 1000);
    if (cost.replicaReadable) replicaMs += rate * cost.postgresMs;
    else primaryMs += rate * cost.postgresMs;
    eventsPerSecond += rate * cost.events;
  }
  const connections = Math.round(users * mix.liveShare);
  const deliveriesPerSecond = eventsPerSecond * inputs.live.deliveriesPerEvent;
  coresByService.set("router", (coresByService.get("router") ?? 0) + (deliveriesPerSecond * inputs.live.routerCpuMsPerDelivery) / 1000);

  const perReplica = limits.coresPerReplica * limits.targetUtilisation;
  const services: ServicePlan[] = [...coresByService].map(([service, cores]) => {
    const byCpu = Math.ceil(cores / perReplica);
    const byConnections = service === "router" ? Math.ceil(connections / limits.connectionsPerRouter) : 0;
    const replicas = Math.max(limits.minReplicas, byCpu, byConnections);
    const boundBy =
      replicas === limits.minReplicas && byCpu < limits.minReplicas && byConnections < limits.minReplicas
        ? "minimum"
        : byConnections > byCpu
          ? "connections"
          : "cpu";
    return { service, cores, consumerCores: consumerCoresByService.get(service) ?? 0, replicas, boundBy };
  });
  services.sort((a, b) => (a.service === "router" ? -1 : b.service === "router" ? 1 : a.service.localeCompare(b.service)));

  const nodeCores = limits.postgresCoresPerNode * limits.postgresUtilisation;
  const primaryCores = primaryMs / 1000;
  const replicaCores = replicaMs / 1000;
  // Reads that tolerate lag go to replicas; with none needed the primary serves them (one node, no replica).
  const readReplicas = replicaCores + primaryCores <= nodeCores ? 0 : Math.ceil(replicaCores / nodeCores);
  const primaryNodes = Math.ceil(primaryCores / nodeCores) || 1;

  // Each event: one XADD, then per consumer group a read and an acknowledgement; the live bridge publishes per feed.
  const redisOps = eventsPerSecond * (1 + 2 * inputs.consumerGroupsPerEvent + inputs.live.deliveriesPerEvent);
  return {
    users,
    requestsPerSecond: Object.values(rates).reduce((a, b) => a + b, 0),
    eventsPerSecond,
    services,
    postgres: {
      primaryCores,
      replicaCores,
      primaryNodes,
      readReplicas,
      connections: services.reduce((sum, s) => sum + s.replicas * (limits.connectionsPerReplica[s.service] ?? limits.connectionsPerReplica.default ?? 0), 0),
    },
    redis: {
      opsPerSecond: redisOps,
      shards: Math.max(1, Math.ceil(redisOps / limits.redisOpsPerShard)),
      streamMemoryMb: (eventsPerSecond * limits.streamRetentionHours * 3600 * inputs.redisBytesPerEvent) / 1024 / 1024,
    },
    live: { connections, deliveriesPerSecond, routerMemoryMb: (connections * inputs.live.routerKbPerConnection) / 1024 },
  };
}

export interface Bottleneck {
  resource: string;
  /** Concurrent users at which it reaches its single-node (or single-shard) limit. */
  users: number;
  remedy: string;
}

/**
 * Where each resource that does not scale by adding replicas meets its limit: the PostgreSQL primary (writes), one
 * stream's Redis shard (a stream lives on one shard), and the hottest single service if it had one replica.
 */
export function bottlenecks(inputs: CapacityInputs, mix: TrafficMix = DEFAULT_MIX, limits: Limits = DEFAULT_LIMITS): Bottleneck[] {
  const unit = plan(1_000, inputs, mix, limits);
  const per = (value: number) => value / 1_000; // the model is linear: per concurrent user
  const nodeCores = limits.postgresCoresPerNode * limits.postgresUtilisation;
  // Connections grow with replicas, which are not linear in users (a floor of minReplicas): search for the point.
  let low = 1;
  let high = 1e9;
  if (plan(high, inputs, mix, limits).postgres.connections > limits.postgresMaxConnections) {
    while (high - low > Math.max(1, low / 1000)) {
      const mid = Math.floor((low + high) / 2);
      if (plan(mid, inputs, mix, limits).postgres.connections > limits.postgresMaxConnections) high = mid;
      else low = mid;
    }
  }
  const busiestConsumer = unit.services.reduce((a, b) => (b.consumerCores > a.consumerCores ? b : a));
  const found: Bottleneck[] = [
    {
      resource: `the event consumers of ${busiestConsumer.service} (one process per subgraph, for per-subject order)`,
      users: busiestConsumer.consumerCores > 0 ? (limits.consumerSaturation * limits.coresPerReplica) / per(busiestConsumer.consumerCores) : Infinity,
      remedy: "partition the stream by subject (clinic, doctor) so that each consumer owns its partitions and order holds per partition",
    },
    {
      resource: `PostgreSQL connections (${limits.postgresMaxConnections}: every subgraph replica holds its pool, its relay's and its LISTEN)`,
      users: high,
      remedy: "a transaction pooler (PgBouncer) in front of PostgreSQL, or smaller pools per replica",
    },
    {
      resource: "PostgreSQL primary (bookings, cancellations and the consumers' writes)",
      users: nodeCores / per(unit.postgres.primaryCores),
      remedy: "partition appointments and slots by month; beyond one node, shard scheduling by clinic or region",
    },
    {
      resource: "PostgreSQL on one node, reads included (before read replicas)",
      users: nodeCores / per(unit.postgres.primaryCores + unit.postgres.replicaCores),
      remedy: "send availability searches and catalogue reads to read replicas",
    },
    {
      resource: "Redis: one stream's shard (all appointment events are one stream)",
      users: limits.redisOpsPerShard / per(unit.redis.opsPerSecond),
      remedy: "split the appointments stream by clinic or region (Redis Cluster puts each stream on one slot)",
    },
  ];
  return found.sort((a, b) => a.users - b.users);
}
