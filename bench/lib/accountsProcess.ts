/**
 * A child process of a benchmark: the real accounts subgraph (`buildAccountsServer`, as accounts' integration tests
 * start it, with the test keys) on the benchmark's database, listening on a free port. It answers notifications'
 * `POST /internal/contacts` as in production: contact details sealed at rest, opened per request.
 *
 * Methods (see `children.ts`):
 * - `start(databaseUrl)` → `{ url }` (accounts' GraphQL endpoint; /internal/contacts is beside it);
 * - `createUsers({ count, emailPrefix, parallelism })`: PATIENT users created through accounts' own UserRepository, so
 *   e-mail addresses are sealed and blind-indexed as registration stores them. User i is "Patient i" with the address
 *   `<emailPrefix>.<i>@bench.example`. The password hash is one real Argon2id hash, computed once and shared: nobody
 *   signs in here, and hashing 10,000 passwords would only time Argon2id. Answers the ids (in order) and timings;
 * - `contactsServed()`: the /internal/contacts requests answered since the last call and their server-side latency.
 */
import { performance } from "node:perf_hooks";
import { buildAccountsServer, createPrisma, type AccountsServer } from "@clinigraph/accounts";
import { createLogger, fieldCipherFromEnv, type RunningServer } from "@clinigraph/platform";
import { TEST_ROUTER_SECRETS, testEnv } from "@clinigraph/testing";
import { serveParent } from "./children.js";
import { latencyStats, mapLimit, type LatencyStats } from "./report.js";

export interface CreatedUsers {
  ids: string[];
  ms: number;
  perUserMs: LatencyStats;
  hashMs: number;
}

export interface ContactsServed {
  requests: number;
  latencyMs: LatencyStats;
}

let prisma: ReturnType<typeof createPrisma> | undefined;
let server: AccountsServer | undefined;
let running: RunningServer | undefined;
let contactTimes: number[] = [];

serveParent({
  async start(databaseUrl: string) {
    const env = testEnv(databaseUrl);
    prisma = createPrisma(databaseUrl);
    server = await buildAccountsServer({
      config: { routerSecrets: TEST_ROUTER_SECRETS, accessTokenTtlSeconds: 600, refreshTokenTtlDays: 30, admin: null, exposeInternalErrors: false },
      prisma,
      cipher: fieldCipherFromEnv(env),
      logger: createLogger("accounts", process.env.LOG_LEVEL ?? "error"),
    });
    running = await server.listen(0);
    running.httpServer.on("request", (req, res) => {
      if (req.method !== "POST" || req.url !== "/internal/contacts") return;
      const started = performance.now();
      res.once("finish", () => contactTimes.push(performance.now() - started));
    });
    return { url: running.url };
  },

  async createUsers(request: { count: number; emailPrefix: string; parallelism: number }): Promise<CreatedUsers> {
    if (!server) throw new Error("accounts not started");
    const users = server.users;
    const hashStarted = performance.now();
    const passwordHash = await server.deps.passwords.hash("bench-password-nobody-signs-in-with");
    const hashMs = performance.now() - hashStarted;
    const times: number[] = [];
    const started = performance.now();
    const indexes = Array.from({ length: request.count }, (_, i) => i);
    const ids = await mapLimit(indexes, request.parallelism, async (i) => {
      const t = performance.now();
      const user = await users.create({
        role: "PATIENT",
        name: `Patient ${i}`,
        email: `${request.emailPrefix}.${i}@bench.example`,
        phone: null,
        passwordHash,
        patient: { dateOfBirth: new Date(Date.UTC(1950 + (i % 60), i % 12, 1 + (i % 28))), gender: null },
      });
      times.push(performance.now() - t);
      return user.id;
    });
    return { ids, ms: performance.now() - started, perUserMs: latencyStats(times), hashMs };
  },

  contactsServed(): ContactsServed {
    const served = { requests: contactTimes.length, latencyMs: latencyStats(contactTimes) };
    contactTimes = [];
    return served;
  },

  async stop() {
    await running?.close();
    await prisma?.$disconnect();
  },
});
