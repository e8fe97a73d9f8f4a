/**
 * Boots the real scheduling subgraph (buildSchedulingServer) on port 0 against a fresh database of its own,
 * with a fake clock and in-memory doctors and accounts clients, and calls it over HTTP with a router-signed identity.
 * One harness per test file: `const h = useHarness()` starts it before the file's tests, stops it after them and
 * resets the clock before each test.
 */
import { afterAll, beforeAll, beforeEach } from "@jest/globals";
import { createLogger, createSqlPool, fieldCipherFromEnv } from "@clinigraph/platform";
import { callSubgraph, createTestDatabase, testEnv, TEST_ROUTER_SECRETS, type GraphQLResponse, type TestCaller, type TestDatabase } from "@clinigraph/testing";
import { buildSchedulingServer, createPrisma, createSchedulingDeps, type SchedulingDeps } from "../../src/index.js";
import type { PrismaClient } from "../../src/data/prisma.js";
import type { SchedulingRules } from "../../src/domain/types.js";
import { FakeClock } from "./clock.js";
import { FakeDoctorsClient } from "./fakeDoctors.js";
import { FakePatientDirectory } from "./fakePatients.js";

/** The default rules, with a short horizon so seeding a doctor stays cheap. */
export const TEST_RULES: SchedulingRules = { holdMinutes: 15, minNoticeMinutes: 60, maxPerPatientDoctorDay: 1, horizonDays: 14, alternativesLimit: 5 };

export interface Harness {
  url: string;
  db: TestDatabase;
  prisma: PrismaClient;
  deps: SchedulingDeps;
  clock: FakeClock;
  doctors: FakeDoctorsClient;
  /** Accounts' answer to "is this id a patient?" (every id is, unless a test says otherwise). */
  patients: FakePatientDirectory;
  /** A GraphQL call as the router makes it; anonymous (signed, no user) when `caller` is omitted. */
  call<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, caller?: TestCaller): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

export async function startHarness(rules: Partial<SchedulingRules> = {}): Promise<Harness> {
  const db = await createTestDatabase(["scheduling"]);
  const prisma = createPrisma(db.url);
  const pool = createSqlPool(db.url, { max: 10 });
  const clock = new FakeClock();
  const patients = new FakePatientDirectory();
  const doctors = new FakeDoctorsClient();
  const deps = createSchedulingDeps({
    pool,
    rules: { ...TEST_RULES, ...rules },
    clock: clock.now,
    cipher: fieldCipherFromEnv(testEnv(db.url), { blindIndex: false }),
    patients,
    doctors,
  });
  const server = await buildSchedulingServer({ deps, routerSecrets: TEST_ROUTER_SECRETS, logger: createLogger("scheduling-test", "silent") });
  const running = await server.listen(0);
  return {
    url: running.url,
    db,
    prisma,
    deps,
    clock,
    doctors,
    patients,
    call: (query, variables = {}, caller = { userId: null, role: null }) => callSubgraph(running.url, query, variables, caller),
    async stop() {
      await running.close();
      await prisma.$disconnect();
      await pool.end();
      await db.drop();
    },
  };
}

/**
 * The file's harness: started in `beforeAll`, stopped in `afterAll`, its clock reset (and `beforeEach`, if given,
 * run) before each test. The returned object stands for the running harness once the file's tests run.
 */
export function useHarness(rules: Partial<SchedulingRules> = {}, beforeEachTest?: (h: Harness) => void): Harness {
  let current: Harness | undefined;
  beforeAll(async () => {
    current = await startHarness(rules);
  });
  afterAll(async () => {
    await current?.stop();
  });
  beforeEach(() => {
    current!.clock.reset();
    beforeEachTest?.(current!);
  });
  return new Proxy({} as Harness, {
    get(_, key) {
      if (!current) throw new Error("the harness runs only inside the file's tests (beforeAll has not started it)");
      return Reflect.get(current, key);
    },
  });
}

/** The error code of the first GraphQL error, or "OK" when there is none. */
export const codeOf = (res: GraphQLResponse<unknown>): string => res.errors?.[0]?.extensions?.code ?? "OK";
