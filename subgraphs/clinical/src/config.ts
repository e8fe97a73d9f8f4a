/** Every variable the clinical process reads, validated at boot (a bad value names its variable). */
import { readCipherKeys, readEnv, readSubgraphBase, serviceUrl, v, type CipherKeys, type Env, type SubgraphBaseConfig } from "@clinigraph/platform";

export interface ClinicalConfig extends SubgraphBaseConfig {
  /** The data keys sealing clinical text (no blind index: clinical text is never looked up). */
  cipherKeys: CipherKeys;
  doctorsUrl: string;
  accountsUrl: string;
  /** The clinic's time zone: "today" of worklists and the clinic board (CLINIC_TIMEZONE). */
  clinicTimezone: string;
}

export function loadClinicalConfig(env: Env): ClinicalConfig {
  const base = readSubgraphBase("clinical", env);
  const { CLINIC_TIMEZONE } = readEnv({ CLINIC_TIMEZONE: v.timeZone("Europe/Berlin") }, env);
  return {
    ...base,
    cipherKeys: readCipherKeys(env, { blindIndex: false }),
    doctorsUrl: serviceUrl("doctors", env),
    accountsUrl: serviceUrl("accounts", env),
    clinicTimezone: CLINIC_TIMEZONE,
  };
}
