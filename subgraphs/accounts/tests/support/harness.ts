/** accounts on its own fresh database, listening on a free port, as the integration tests use it. */
import { createLogger, fieldCipherFromEnv } from "@clinigraph/platform";
import { createTestDatabase, testEnv } from "@clinigraph/testing";
import { buildAccountsServer, createPrisma, type AccountsServerDeps } from "../../src/index.js";

/**
 * `scheduling`: answers care-relationship questions the projection cannot (default: nobody, the projection alone);
 * `clock`: the accounts' clock (default: real time); `mailer`: sends registration codes; `emailChangeMessages`: the
 * e-mail change's messages (notifications).
 */
export async function startTestAccounts(
  config: Partial<AccountsServerDeps["config"]> = {},
  options: Pick<AccountsServerDeps, "scheduling" | "clock" | "mailer" | "emailChangeMessages"> = {},
) {
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
    scheduling: options.scheduling,
    clock: options.clock,
    mailer: options.mailer,
    emailChangeMessages: options.emailChangeMessages,
  });
  const running = await server.listen(0);
  return {
    url: running.url,
    db,
    prisma,
    /** The care-relationship projection (record relationships a test needs). */
    careRelationships: server.careRelationships,
    /** The audit log (feed it reads other subgraphs report). */
    audit: server.audit,
    /** The user repository (what the use cases store users with). */
    users: server.users,
    async close() {
      await running.close();
      await prisma.$disconnect();
      await db.drop();
    },
  };
}
