/** accounts on its own fresh database, listening on a free port, as the integration tests use it. */
import { createLogger, fieldCipherFromEnv } from "@clinigraph/platform";
import { createTestDatabase, testEnv } from "@clinigraph/testing";
import { buildAccountsServer, createPrisma, type AccountsServerDeps } from "../../src/index.js";

export async function startTestAccounts(config: Partial<AccountsServerDeps["config"]> = {}) {
  const db = await createTestDatabase(["accounts"]);
  const env = testEnv(db.url);
  const prisma = createPrisma(db.url);
  const server = await buildAccountsServer({
    config: {
      routerSecrets: env.CLINIGRAPH_ROUTER_SECRETS.split(","),
      accessTokenTtlSeconds: 600,
      refreshTokenTtlDays: 30,
      admin: null,
      exposeInternalErrors: false,
      ...config,
    },
    prisma,
    cipher: fieldCipherFromEnv(env),
    logger: createLogger("accounts-test", "silent"),
  });
  const running = await server.listen(0);
  return {
    url: running.url,
    db,
    async close() {
      await running.close();
      await prisma.$disconnect();
      await db.drop();
    },
  };
}
