import { createLogger, fieldCipherFromEnv, type RunningServer } from "@clinigraph/platform";
import { loadAccountsConfig, type AccountsConfig } from "./config.js";
import { createPrisma } from "./data/prisma.js";
import { createMemoryLoginThrottle, createRedisLoginThrottle } from "./data/loginThrottle.js";
import { buildAccountsServer, type AccountsServer } from "./server.js";

export { buildAccountsServer, typeDefs, type AccountsServer, type AccountsServerDeps } from "./server.js";
export { loadAccountsConfig, type AccountsConfig } from "./config.js";
export { createPrisma } from "./data/prisma.js";
export { ensureAdmin, createStaffUser, registerPatient } from "./domain/users.js";
export { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER } from "./data/accessTokens.js";

/** Starts accounts from env (or the given config) and returns the listening server and its parts. */
export async function startAccounts(env: Record<string, string | undefined> = process.env, config: AccountsConfig = loadAccountsConfig(env)) {
  const prisma = createPrisma(config.databaseUrl);
  const throttle = config.redisUrl ? await createRedisLoginThrottle(config.redisUrl, config.redisNamespace) : createMemoryLoginThrottle();
  const server: AccountsServer = await buildAccountsServer({
    config,
    prisma,
    throttle,
    cipher: fieldCipherFromEnv(env),
    logger: createLogger("accounts", env.LOG_LEVEL),
  });
  const running: RunningServer = await server.listen(config.port, config.host);
  return {
    ...running,
    server,
    async close() {
      await running.close();
      await throttle.close();
      await prisma.$disconnect();
    },
  };
}
