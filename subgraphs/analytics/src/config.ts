/** The analytics subgraph's configuration: every variable it reads, validated once at boot. */
import { createHmac } from "node:crypto";
import { configCheck, readEnv, readRuntime, readSubgraphBase, serviceUrl, v, type Env, type SubgraphBaseConfig } from "@clinigraph/platform";

export interface AnalyticsConfig extends SubgraphBaseConfig {
  /** CLINIC_TIMEZONE (default Europe/Berlin): every figure is counted on the visit's day in it. */
  timezone: string;
  /** CLINIC_CURRENCY (default EUR): revenue figures. */
  currency: string;
  /** ANALYTICS_MIN_CELL (default 5): a figure drawn from fewer patients is suppressed. */
  minCell: number;
  /**
   * ANALYTICS_PSEUDONYM_KEY (at least 32 characters; required in production): the key of the keyed hash that
   * replaces patient and appointment ids. Elsewhere derived from the router secret (a rotation of that secret then
   * changes the pseudonyms: counts of distinct patients restart).
   */
  pseudonymKey: string;
  /** ANALYTICS_ROLLUP_MINUTES (default 15): how often the rollup job rolls up the periods whose facts changed. */
  rollupMinutes: number;
  /** doctors' GraphQL endpoint (DOCTORS_URL): each doctor's specialty and location, each service's code. */
  doctorsUrl: string;
}

export function loadAnalyticsConfig(env: Env): AnalyticsConfig {
  const vars = readEnv(
    {
      CLINIC_TIMEZONE: v.timeZone("Europe/Berlin"),
      CLINIC_CURRENCY: v.string("EUR"),
      ANALYTICS_MIN_CELL: v.int(5, { min: 1, max: 1_000 }),
      ANALYTICS_PSEUDONYM_KEY: v.optional(),
      ANALYTICS_ROLLUP_MINUTES: v.int(15, { min: 1, max: 1_440 }),
    },
    env,
  );
  const base = readSubgraphBase("analytics", env);
  const { nodeEnv } = readRuntime(env);
  configCheck(vars.ANALYTICS_PSEUDONYM_KEY !== undefined || nodeEnv !== "production", "ANALYTICS_PSEUDONYM_KEY is required in production");
  configCheck(
    vars.ANALYTICS_PSEUDONYM_KEY === undefined || vars.ANALYTICS_PSEUDONYM_KEY.length >= 32,
    "ANALYTICS_PSEUDONYM_KEY must be at least 32 characters",
  );
  configCheck(/^[A-Z]{3}$/.test(vars.CLINIC_CURRENCY), "CLINIC_CURRENCY must be an ISO 4217 code such as EUR");
  return {
    ...base,
    timezone: vars.CLINIC_TIMEZONE,
    currency: vars.CLINIC_CURRENCY,
    minCell: vars.ANALYTICS_MIN_CELL,
    rollupMinutes: vars.ANALYTICS_ROLLUP_MINUTES,
    pseudonymKey: vars.ANALYTICS_PSEUDONYM_KEY ?? createHmac("sha256", base.routerSecrets[0]!).update("clinigraph analytics pseudonyms").digest("base64"),
    doctorsUrl: serviceUrl("doctors", env),
  };
}
