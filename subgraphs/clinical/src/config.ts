import { ConfigError, DEFAULT_PORTS, envString, envInt, envList, isDevelopment } from "@clinigraph/platform";
import { IANAZone } from "luxon";

type Env = Record<string, string | undefined>;

export interface ClinicalConfig {
  databaseUrl: string;
  host: string;
  port: number;
  routerSecrets: string[];
  doctorsUrl: string;
  accountsUrl: string;
  /** The clinic's time zone: "today" of worklists and the clinic board (CLINIC_TIMEZONE). */
  clinicTimezone: string;
  exposeInternalErrors: boolean;
}

export function loadClinicalConfig(env: Env = process.env): ClinicalConfig {
  const clinicTimezone = envString("CLINIC_TIMEZONE", "Europe/Berlin", env);
  if (!IANAZone.isValidZone(clinicTimezone)) throw new ConfigError(`CLINIC_TIMEZONE must be an IANA time zone, got "${clinicTimezone}"`);
  return {
    databaseUrl: envString("DATABASE_URL", undefined, env),
    host: envString("CLINICAL_HOST", envString("HOST", "127.0.0.1", env), env),
    port: envInt("CLINICAL_PORT", DEFAULT_PORTS.clinical, env),
    routerSecrets: envList("CLINIGRAPH_ROUTER_SECRETS", undefined, env),
    doctorsUrl: envString("DOCTORS_URL", `http://127.0.0.1:${DEFAULT_PORTS.doctors}/graphql`, env),
    accountsUrl: envString("ACCOUNTS_URL", `http://127.0.0.1:${DEFAULT_PORTS.accounts}/graphql`, env),
    clinicTimezone,
    exposeInternalErrors: isDevelopment(env),
  };
}
