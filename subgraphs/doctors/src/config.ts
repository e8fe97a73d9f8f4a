/** The doctors subgraph's configuration, read and validated once at boot. */
import { DEFAULT_PORTS, envInt, envList, envString, isDevelopment } from "@clinigraph/platform";

export interface DoctorsConfig {
  databaseUrl: string;
  /** Shared with the router; the first signs, all verify. */
  routerSecrets: string[];
  port: number;
  host: string;
  /** accounts' GraphQL endpoint, called directly by createDoctor. */
  accountsUrl: string;
  /** scheduling's GraphQL endpoint, told when a doctor's bookable time changes (empty: nobody is told). */
  schedulingUrl: string | null;
  exposeInternalErrors: boolean;
}

type Env = Record<string, string | undefined>;

export function loadDoctorsConfig(env: Env = process.env): DoctorsConfig {
  return {
    databaseUrl: envString("DATABASE_URL", undefined, env),
    routerSecrets: envList("CLINIGRAPH_ROUTER_SECRETS", undefined, env),
    port: envInt("DOCTORS_PORT", DEFAULT_PORTS.doctors, env),
    host: envString("DOCTORS_HOST", envString("HOST", "127.0.0.1", env), env),
    accountsUrl: envString("ACCOUNTS_URL", `http://127.0.0.1:${DEFAULT_PORTS.accounts}/graphql`, env),
    schedulingUrl: env.SCHEDULING_URL === "" ? null : envString("SCHEDULING_URL", `http://127.0.0.1:${DEFAULT_PORTS.scheduling}/graphql`, env),
    exposeInternalErrors: isDevelopment(env),
  };
}
