/** The billing subgraph's configuration: every variable it reads, validated once at boot. */
import { configCheck, readEnv, readSubgraphBase, serviceUrl, v, type Env, type SubgraphBaseConfig } from "@clinigraph/platform";

export interface BillingConfig extends SubgraphBaseConfig {
  /** CLINIC_CURRENCY (ISO 4217, default EUR): the one currency of prices, invoices and payments. */
  currency: string;
  /** CLINIC_TIMEZONE (default Europe/Berlin): visit days, effective dates, invoice years. */
  timezone: string;
  /** doctors' GraphQL endpoint (DOCTORS_URL): medical services and doctors' consultation services. */
  doctorsUrl: string;
}

export function loadBillingConfig(env: Env): BillingConfig {
  const vars = readEnv({ CLINIC_CURRENCY: v.string("EUR"), CLINIC_TIMEZONE: v.timeZone("Europe/Berlin") }, env);
  configCheck(/^[A-Z]{3}$/.test(vars.CLINIC_CURRENCY), "CLINIC_CURRENCY must be an ISO 4217 code such as EUR");
  return { ...readSubgraphBase("billing", env), currency: vars.CLINIC_CURRENCY, timezone: vars.CLINIC_TIMEZONE, doctorsUrl: serviceUrl("doctors", env) };
}
