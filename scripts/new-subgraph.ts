/**
 * pnpm new:subgraph <name> — a new subgraph in the shape every subgraph has (docs/architecture.md), wired in:
 *  - subgraphs/<name>/: schema, config, context, server, index/main, typed resolvers, domain (deps, ports, one use
 *    case), data (Prisma client, a repository, the unit of work), events (outbox; consumers/ to fill), tests;
 *  - prisma/<name>/: its PostgreSQL schema with the outbox table and the first migration;
 *  - the registries: DATABASE_SUBGRAPHS and DEFAULT_PORTS (packages/platform), the root package.json, pnpm start
 *    (scripts/lib/subgraphs.ts), docker-compose.yml, Prometheus's scrape targets (deploy/observability) and the
 *    end-to-end stack (tests/support/stack.ts).
 * Then: `pnpm install && pnpm generate && pnpm compose` and the example query `<name>Status` answers through the
 * router. The example (a status with the database's clock) is there to be replaced by the subgraph's own types.
 *
 * `--root <dir>` writes into another checkout (the scaffold's own test uses a scratch copy).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as prettier from "prettier";

export const NAME_PATTERN = /^[a-z][a-z0-9]{1,30}$/;

const pascal = (name: string) => name[0]!.toUpperCase() + name.slice(1);

/** Files of the new subgraph, keyed by path relative to the repository root. */
export function subgraphFiles(name: string, migrationStamp: string, port: number): Record<string, string> {
  const P = pascal(name);
  const dir = `subgraphs/${name}`;
  return {
    [`${dir}/package.json`]: `${JSON.stringify(
      {
        name: `@clinigraph/${name}`,
        version: "0.1.0",
        private: true,
        type: "module",
        exports: { ".": { "clinigraph-dist": "./dist/index.js", default: "./src/index.ts" } },
        scripts: { start: "tsx src/main.ts" },
        dependencies: {
          "@clinigraph/events": "workspace:*",
          "@clinigraph/platform": "workspace:*",
          "@prisma/adapter-pg": "7.9.1",
          "@prisma/client": "7.9.1",
          graphql: "^16.11.0",
        },
        devDependencies: { "@clinigraph/testing": "workspace:*" },
      },
      null,
      2,
    )}\n`,

    [`${dir}/src/schema.graphql`]: `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@authenticated", "@requiresScopes", "@policy"])

scalar DateTime

"""The ${name} service as it sees itself (the scaffold's example: replace it with the subgraph's own types)."""
type ${P}Status {
  service: String!
  """The database's clock: the service reaches its own schema."""
  databaseTime: DateTime!
}

type Query {
  """Whether the ${name} service answers and reaches its database (signed-in users)."""
  ${name}Status: ${P}Status! @authenticated
}
`,

    [`${dir}/src/config.ts`]: `/** The ${name} subgraph's configuration: every variable it reads, validated once at boot. */
import { readSubgraphBase, type Env, type SubgraphBaseConfig } from "@clinigraph/platform";

export type ${P}Config = SubgraphBaseConfig;

export function load${P}Config(env: Env): ${P}Config {
  return { ...readSubgraphBase("${name}", env) };
}
`,

    [`${dir}/src/context.ts`]: `/** Per-request context: the verified caller and the wired dependencies. */
import { actorAccessors, type BaseContext } from "@clinigraph/platform";
import type { Deps } from "./domain/deps.js";
import type { Actor } from "./domain/types.js";

export interface Context extends BaseContext {
  deps: Deps;
  /** The signed-in caller; throws UNAUTHENTICATED for anonymous callers. */
  actor(): Promise<Actor>;
  actorOrNull(): Promise<Actor | null>;
}

export function createContext(base: BaseContext, deps: Deps): Context {
  return { ...base, deps, ...actorAccessors<Actor>(base.identity, ({ userId, role }) => ({ userId, role })) };
}
`,

    [`${dir}/src/server.ts`]: `/** Builds the ${name} subgraph from its dependencies; tests listen on port 0. */
import { readFileSync } from "node:fs";
import { parse } from "graphql";
import { createSubgraphServer, type Logger, type ServiceMetrics, type SubgraphServer, type Tracing } from "@clinigraph/platform";
import { createContext, type Context } from "./context.js";
import type { Deps } from "./domain/deps.js";
import { resolvers } from "./resolvers/index.js";

export const typeDefs = parse(readFileSync(new URL("./schema.graphql", import.meta.url), "utf8"));

export interface ${P}ServerOptions {
  /** The service's tracing (spans per request and root field when on). */
  tracing?: Tracing;
  deps: Deps;
  routerSecrets: readonly string[];
  logger: Logger;
  exposeInternalErrors?: boolean;
  /** The service's metrics, served at /metrics (default: the server's own registry). */
  metrics?: ServiceMetrics;
}

export function build${P}Server({ tracing, deps, routerSecrets, logger, exposeInternalErrors, metrics }: ${P}ServerOptions): Promise<SubgraphServer> {
  return createSubgraphServer<Context>({
    tracing,
    name: "${name}",
    typeDefs,
    resolvers,
    routerSecrets,
    logger,
    exposeInternalErrors,
    createContext: (base) => createContext(base, deps),
    checkReady: async () => void (await deps.status.databaseTime()),
    metrics,
  });
}
`,

    [`${dir}/src/index.ts`]: `/** Starts the ${name} subgraph: config → dependencies → outbox relay → server. */
import { createLogger, createServiceMetrics, createSqlPool, createTracing, once, type Env, type RunningSubgraph } from "@clinigraph/platform";
import { startSubgraphEvents, type EventBus } from "@clinigraph/events";
import { load${P}Config, type ${P}Config } from "./config.js";
import { createPrisma } from "./data/prisma.js";
import { createStatusRepository } from "./data/statusRepository.js";
import { createUnitOfWork } from "./data/unitOfWork.js";
import type { Deps } from "./domain/deps.js";
import { build${P}Server } from "./server.js";

export { build${P}Server, typeDefs } from "./server.js";
export { load${P}Config, type ${P}Config } from "./config.js";
export type { Deps } from "./domain/deps.js";

export interface Start${P}Options {
  config?: ${P}Config;
  clock?: () => Date;
  /** Share the process's event bus (else one from the config: Redis with REDIS_URL). */
  bus?: EventBus;
}

export async function start${P}(env: Env, options: Start${P}Options = {}): Promise<RunningSubgraph & { deps: Deps }> {
  const config = options.config ?? load${P}Config(env);
  const logger = createLogger("${name}", config.logLevel);
  // Spans exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise off.
  const tracing = createTracing("${name}", env);
  // Metrics (served at /metrics): requests, the pool (Prisma runs over it), the outbox, every consumer group (ADR 24).
  const metrics = createServiceMetrics("${name}");
  const pool = createSqlPool(config.databaseUrl, { tracing, max: config.databasePoolSize ?? 10 });
  metrics.observePool("main", pool);
  const prisma = createPrisma(pool);
  const deps: Deps = {
    status: createStatusRepository(prisma),
    unitOfWork: createUnitOfWork(prisma),
    clock: options.clock ?? (() => new Date()),
    logger,
  };
  // The bus, the outbox relay and housekeeping (consumers in events/consumers/ start on events.bus).
  const events = await startSubgraphEvents({ service: "${name}", settings: config, logger, metrics, tracing, shared: options.bus, pool });
  const { relay } = events;
  const server = await build${P}Server({
    tracing,
    deps,
    routerSecrets: config.routerSecrets,
    logger,
    exposeInternalErrors: config.exposeInternalErrors,
    metrics,
  });
  const running = await server.listen(config.port, config.host);
  logger.info({ url: running.url }, "listening");
  const stopWorkers = once(() => events.stopWorkers());
  return {
    ...running,
    deps,
    workers: { relays: [relay], consumers: [] },
    stopWorkers,
    async close() {
      await stopWorkers();
      await running.close();
      await events.release();
      await tracing.shutdown();
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
`,

    [`${dir}/src/main.ts`]: `import "@clinigraph/platform/graphql-production"; // first: graphql-js in production mode (see the module)
import { runMain } from "@clinigraph/platform";
import { start${P} } from "./index.js";

await runMain("${name}", (env) => start${P}(env));
`,

    [`${dir}/src/resolvers/index.ts`]: `/** The resolver map: one entry per schema type, each in the file named after it. */
import { DateTimeScalar } from "@clinigraph/platform";
import type { Resolvers } from "../generated/graphql.js";
import { Query } from "./Query.js";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
};
`,

    [`${dir}/src/resolvers/Query.ts`]: `import type { QueryResolvers } from "../generated/graphql.js";
import { serviceStatus } from "../domain/status.js";

export const Query: QueryResolvers = {
  ${name}Status: async (_parent, _args, ctx) => serviceStatus(ctx.deps, await ctx.actor()),
};
`,

    [`${dir}/src/resolvers/mappers.ts`]: `/** What resolvers receive as the parent of each schema type (scripts/codegen.ts reads the \`<Type>Model\` names). */
export type { ServiceStatus as ${P}StatusModel } from "../domain/types.js";
`,

    [`${dir}/src/domain/types.ts`]: `/** Domain records of the ${name} subgraph (plain data). */
import type { Role } from "@clinigraph/platform";

/** The signed-in caller. */
export interface Actor {
  userId: string;
  role: Role;
}

export interface ServiceStatus {
  service: string;
  databaseTime: Date;
}
`,

    [`${dir}/src/domain/ports.ts`]: `/** What the domain needs from the world, implemented in data/ and events/. */

export interface StatusRepository {
  /** The database's clock. */
  databaseTime(): Promise<Date>;
}

/**
 * Events written in the same transaction as the change they describe (the relay publishes them). \`type\` is an event
 * type of the catalogue (packages/events/src/catalogue.ts); \`payload.id\` names the aggregate the event is about.
 */
export interface Outbox {
  append(type: string, payload: { id: string } & Record<string, unknown>, occurredAt: Date): Promise<void>;
}

/** Repositories bound to one transaction. */
export interface TransactionRepositories {
  outbox: Outbox;
}

/** One transaction, retried on deadlocks and serialization failures. */
export interface UnitOfWork {
  run<T>(work: (tx: TransactionRepositories) => Promise<T>): Promise<T>;
}
`,

    [`${dir}/src/domain/deps.ts`]: `import type { Logger } from "@clinigraph/platform";
import type { StatusRepository, UnitOfWork } from "./ports.js";

/** Everything the ${name} use cases need, wired in index.ts (tests pass fakes). */
export interface Deps {
  status: StatusRepository;
  unitOfWork: UnitOfWork;
  clock: () => Date;
  logger: Logger;
}
`,

    [`${dir}/src/domain/status.ts`]: `import type { Deps } from "./deps.js";
import type { Actor, ServiceStatus } from "./types.js";

/** The scaffold's example use case: (deps, actor, input) like every use case. */
export async function serviceStatus(deps: Pick<Deps, "status">, _actor: Actor, _input: Record<string, never> = {}): Promise<ServiceStatus> {
  return { service: "${name}", databaseTime: await deps.status.databaseTime() };
}
`,

    [`${dir}/src/data/prisma.ts`]: `/** The ${name} subgraph's Prisma client (over \`pg\` through @prisma/adapter-pg). */
import { PrismaPg } from "@prisma/adapter-pg";
import { PRISMA_TRANSACTION_OPTIONS, type SqlPool } from "@clinigraph/platform";
import { PrismaClient, type Prisma } from "../generated/prisma/client.js";

export type { PrismaClient, Prisma };
/** An interactive transaction. */
export type Tx = Prisma.TransactionClient;

/** Over a connection string (a pool of \`poolSize\` of its own), or over a pool the caller owns and ends. */
export function createPrisma(source: string | SqlPool, poolSize = 10): PrismaClient {
  const adapter = typeof source === "string" ? new PrismaPg({ connectionString: source, max: poolSize }) : new PrismaPg(source);
  return new PrismaClient({ adapter, transactionOptions: PRISMA_TRANSACTION_OPTIONS });
}
`,

    [`${dir}/src/data/statusRepository.ts`]: `import type { StatusRepository } from "../domain/ports.js";
import type { PrismaClient } from "./prisma.js";

export function createStatusRepository(prisma: PrismaClient): StatusRepository {
  return {
    async databaseTime() {
      const rows = await prisma.$queryRaw<{ now: Date }[]>\`SELECT now() AS now\`;
      return rows[0]!.now;
    },
  };
}
`,

    [`${dir}/src/data/unitOfWork.ts`]: `import { inTransaction } from "@clinigraph/platform";
import type { UnitOfWork } from "../domain/ports.js";
import { createOutbox } from "../events/outbox.js";
import type { PrismaClient } from "./prisma.js";

export function createUnitOfWork(prisma: PrismaClient): UnitOfWork {
  return { run: (work) => inTransaction(prisma, (tx) => work({ outbox: createOutbox(tx) })) };
}
`,

    [`${dir}/src/events/outbox.ts`]: `/**
 * The ${name} subgraph's transactional outbox: an event row written in the transaction of its change; the relay
 * (index.ts) moves the rows to the bus, woken by the NOTIFY sent at commit. Event types come from the catalogue
 * (packages/events/src/catalogue.ts); payloads carry ids and statuses, never personal data.
 */
import { writePrismaOutboxEvent } from "@clinigraph/events";
import type { Outbox } from "../domain/ports.js";
import type { Tx } from "../data/prisma.js";

export function createOutbox(tx: Tx): Outbox {
  return {
    async append(type, payload, occurredAt) {
      await writePrismaOutboxEvent(tx, "${name}", { type, aggregateId: payload.id, payload, occurredAt });
    },
  };
}
`,

    [`${dir}/src/events/consumers/README.md`]: `Inbound events: one file per consumer group, \`start<Name>Consumer(options: ConsumerOptions<Deps>)\` built on
\`subscribe({ group, streams, types, handler })\` from @clinigraph/events, calling a domain use case. Add each consumer
to the \`workers\` that \`start${P}\` returns.
`,

    [`${dir}/tests/support/harness.ts`]: `/** Boots the real ${name} subgraph on port 0 against a fresh test database and calls it as the router would. */
import { randomUUID } from "node:crypto";
import { IDENTITY_HEADER, type Role } from "@clinigraph/platform";
import { createTestDatabase, signIdentity, TEST_ROUTER_SECRETS, type TestDatabase } from "@clinigraph/testing";
import { start${P} } from "../../src/index.js";

export interface Harness {
  url: string;
  db: TestDatabase;
  call(query: string, caller?: { userId: string; role: Role }): Promise<{ data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] }>;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const db = await createTestDatabase(["${name}"]);
  const running = await start${P}({ DATABASE_URL: db.url, CLINIGRAPH_ROUTER_SECRETS: TEST_ROUTER_SECRETS.join(","), ${name.toUpperCase()}_PORT: "0", LOG_LEVEL: "silent" });
  return {
    url: running.url,
    db,
    async call(query, caller) {
      const identity = await signIdentity({ userId: caller?.userId ?? null, role: caller?.role ?? null, requestId: randomUUID() }, TEST_ROUTER_SECRETS);
      const response = await fetch(running.url, {
        method: "POST",
        headers: { "content-type": "application/json", [IDENTITY_HEADER]: identity },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as Awaited<ReturnType<Harness["call"]>>;
    },
    async stop() {
      await running.close();
      await db.drop();
    },
  };
}
`,

    [`${dir}/tests/config.test.ts`]: `import { describe, expect, it } from "@jest/globals";
import { ConfigError } from "@clinigraph/platform";
import { load${P}Config } from "../src/config.js";

const valid = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres", CLINIGRAPH_ROUTER_SECRETS: "a-secret-of-at-least-thirty-two-chars" };

describe("load${P}Config", () => {
  it("derives the port from CLINIGRAPH_PORT_BASE", () => {
    expect(load${P}Config({ ...valid, CLINIGRAPH_PORT_BASE: "5000" }).port).toBe(${1000 + port});
  });

  it.each([
    ["DATABASE_URL", { ...valid, DATABASE_URL: undefined }],
    ["${name.toUpperCase()}_PORT", { ...valid, ${name.toUpperCase()}_PORT: "abc" }],
    ["REDIS_URL", { ...valid, REDIS_URL: "http://redis" }],
  ])("refuses a bad %s at boot, naming it", (name, env) => {
    expect(() => load${P}Config(env)).toThrow(ConfigError);
    expect(() => load${P}Config(env)).toThrow(name);
  });
});
`,

    [`${dir}/tests/status.int.test.ts`]: `import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startHarness, type Harness } from "./support/harness.js";

describe("${name}Status", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.stop());

  it("answers a signed-in caller with the database's clock", async () => {
    const result = await harness.call("{ ${name}Status { service databaseTime } }", { userId: randomUUID(), role: "PATIENT" });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ ${name}Status: { service: "${name}", databaseTime: expect.any(String) } });
  });

  it("refuses an anonymous caller", async () => {
    const result = await harness.call("{ ${name}Status { service } }");
    expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
`,

    [`prisma/${name}/schema.prisma`]: `// ${name} subgraph: its own PostgreSQL schema "${name}".

generator client {
  provider            = "prisma-client"
  output              = "../../subgraphs/${name}/src/generated/prisma"
  moduleFormat        = "esm"
  importFileExtension = "js"
}

datasource db {
  provider = "postgresql"
  schemas  = ["${name}"]
}

/// Events written in the transaction of their change; the relay publishes them (published_at).
model OutboxEvent {
  id          String    @id @db.Uuid
  sequence    BigInt    @default(autoincrement())
  aggregateId String    @map("aggregate_id") @db.Uuid
  type        String
  payload     Json
  occurredAt  DateTime  @map("occurred_at") @db.Timestamptz(3)
  publishedAt DateTime? @map("published_at") @db.Timestamptz(3)
  /// W3C trace context of the transaction that wrote the event (the CloudEvents \`traceparent\` extension).
  traceparent String?

  @@unique([sequence])
  @@index([publishedAt, sequence])
  @@map("outbox")
  @@schema("${name}")
}
`,

    [`prisma/${name}/migrations/migration_lock.toml`]: `# Please do not edit this file manually
# It should be added in your version-control system (e.g., Git)
provider = "postgresql"
`,

    [`prisma/${name}/migrations/${migrationStamp}_init/migration.sql`]: `-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "${name}";

-- CreateTable
CREATE TABLE "${name}"."outbox" (
    "id" UUID NOT NULL,
    "sequence" BIGSERIAL NOT NULL,
    "aggregate_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "published_at" TIMESTAMPTZ(3),
    "traceparent" TEXT,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "outbox_published_at_sequence_idx" ON "${name}"."outbox"("published_at", "sequence");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_sequence_key" ON "${name}"."outbox"("sequence");
`,
  };
}

/** An edit of a registry file: inserts `line` before the marker comment, unless the file already holds `unless`. */
interface RegistryEdit {
  file: string;
  marker: string;
  line: string;
  unless: string;
}

export function registryEdits(name: string, port: number): RegistryEdit[] {
  const P = pascal(name);
  return [
    { file: "packages/platform/src/ports.ts", marker: "// new:subgraph ports", line: `  ${name}: ${port},`, unless: `\n  ${name}:` },
    { file: "packages/platform/src/database.ts", marker: "  // new:subgraph databases", line: `  "${name}",`, unless: `"${name}"` },
    {
      file: "package.json",
      marker: '"@clinigraph/testing": "workspace:*",',
      line: `"@clinigraph/${name}": "workspace:*",\n    `,
      unless: `"@clinigraph/${name}"`,
    },
    {
      file: "scripts/lib/subgraphs.ts",
      marker: "// new:subgraph imports",
      line: `import { start${P} } from "@clinigraph/${name}";`,
      unless: `@clinigraph/${name}"`,
    },
    { file: "scripts/lib/subgraphs.ts", marker: "  // new:subgraph starts", line: `  { name: "${name}", start: start${P} },`, unless: `name: "${name}"` },
    {
      file: "tests/support/stack.ts",
      marker: "// new:subgraph imports",
      line: `import { start${P} } from "@clinigraph/${name}";`,
      unless: `@clinigraph/${name}"`,
    },
    {
      file: "tests/support/stack.ts",
      marker: "  // new:subgraph starts",
      line: `  ${name}: start${P},`,
      unless: `${name}: start${P},`,
    },
    { file: "docker-compose.yml", marker: "  # new:subgraph services", line: composeService(name, port), unless: `\n  ${name}:` },
    {
      file: "docker-compose.yml",
      marker: "      # new:subgraph router urls",
      line: `      ${name.toUpperCase()}_URL: http://${name}:${port}/graphql`,
      unless: `${name.toUpperCase()}_URL:`,
    },
    {
      file: "docker-compose.yml",
      marker: "      # new:subgraph router depends",
      line: `      ${name}:\n        condition: service_healthy`,
      unless: `\n      ${name}:\n        condition: service_healthy`,
    },
    {
      file: "deploy/observability/prometheus/prometheus.yml",
      marker: "      # new:subgraph targets",
      line: `      - targets: ["${name}:${port}"]\n        labels: { service: ${name} }`,
      unless: `"${name}:${port}"`,
    },
  ];
}

function composeService(name: string, port: number): string {
  return `  ${name}:
    build:
      context: .
      target: subgraph
      args:
        SUBGRAPH: ${name}
    environment:
      <<: *service-env
      ${name.toUpperCase()}_PORT: "${port}"
      ACCOUNTS_URL: http://accounts:4001/graphql
      DOCTORS_URL: http://doctors:4002/graphql
    depends_on:
      migrate:
        condition: service_completed_successfully
    healthcheck:
      test: ["CMD", "node", "-e", "fetch('http://127.0.0.1:${port}/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
      <<: *node-healthcheck

`;
}

export interface ScaffoldResult {
  created: string[];
  edited: string[];
}

/** Writes the subgraph into `root` (formatted by the repository's Prettier settings) and wires it into the registries; refuses a name that exists. */
export async function scaffoldSubgraph(root: string, name: string, options: { now?: Date } = {}): Promise<ScaffoldResult> {
  if (!NAME_PATTERN.test(name)) throw new Error(`The subgraph name must be lower-case letters and digits, starting with a letter (got "${name}")`);
  if (existsSync(path.join(root, "subgraphs", name))) throw new Error(`subgraphs/${name} already exists`);
  const ports = readFileSync(path.join(root, "packages/platform/src/ports.ts"), "utf8");
  const known = new RegExp(`\\n\\s*${name}: (\\d+),`).exec(ports);
  const taken = [...ports.matchAll(/\n\s*\w+: (\d+),/g)].map((m) => Number(m[1]));
  const port = known ? Number(known[1]) : Math.max(...taken) + 1;
  const stamp = (options.now ?? new Date()).toISOString().replace(/[-:T]/g, "").slice(0, 14);

  const created: string[] = [];
  for (const [file, content] of Object.entries(subgraphFiles(name, stamp, port))) {
    const target = path.join(root, file);
    mkdirSync(path.dirname(target), { recursive: true });
    // Formatted as `pnpm format` would (files Prettier has no parser for, e.g. .prisma and .sql, are written as they are).
    const { inferredParser } = await prettier.getFileInfo(target);
    const settings = await prettier.resolveConfig(target);
    writeFileSync(target, inferredParser ? await prettier.format(content, { ...settings, filepath: target }) : content);
    created.push(file);
  }
  const edited = new Set<string>();
  for (const edit of registryEdits(name, port)) {
    const target = path.join(root, edit.file);
    const text = readFileSync(target, "utf8");
    if (text.includes(edit.unless)) continue;
    const at = text.indexOf(edit.marker);
    if (at < 0) throw new Error(`${edit.file} has lost its marker "${edit.marker}"`);
    const insert = edit.line.endsWith("\n") || edit.marker.startsWith('"') ? edit.line : `${edit.line}\n`;
    // A marker on its own line: the new line goes above it, indented as the marker is.
    const lineStart = edit.marker.startsWith('"') ? at : text.lastIndexOf("\n", at) + 1;
    writeFileSync(target, text.slice(0, lineStart) + insert + text.slice(lineStart));
    edited.add(edit.file);
  }
  return { created, edited: [...edited] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const rootAt = args.indexOf("--root");
  const root = rootAt >= 0 ? path.resolve(args[rootAt + 1] ?? ".") : path.resolve(import.meta.dirname, "..");
  const name = args.filter((_, i) => rootAt < 0 || (i !== rootAt && i !== rootAt + 1))[0];
  if (!name) {
    console.error("usage: pnpm new:subgraph <name> [--root <checkout>]");
    process.exit(2);
  }
  try {
    const { created, edited } = await scaffoldSubgraph(root, name);
    console.log(`created ${created.length} files under subgraphs/${name} and prisma/${name}; wired into ${edited.join(", ")}`);
    console.log("next: pnpm install && pnpm generate && pnpm compose, then pnpm test");
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
