/** What a launcher (scripts/start.ts, e2e tests) needs from the doctors subgraph. */
export { loadDoctorsConfig, type DoctorsConfig } from "./config.js";
export { startDoctors, type StartDoctorsOptions } from "./start.js";
export { buildDoctorsServer, typeDefs, type DoctorsServerDeps } from "./server.js";
export { createPrismaClient } from "./data/prisma.js";
export {
  createHttpAccountsClient,
  AccountsUnavailable,
  type AccountsClient,
  type AccountsUser,
  type NewStaffUser,
  type HttpAccountsClientOptions,
} from "./data/accountsClient.js";
