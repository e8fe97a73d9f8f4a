/** The billing subgraph's configuration: every variable it reads, validated once at boot. */
import { configCheck, readEnv, readSubgraphBase, serviceUrl, v, type Env, type SubgraphBaseConfig } from "@clinigraph/platform";

export interface BillingConfig extends SubgraphBaseConfig {
  /** CLINIC_CURRENCY (ISO 4217, default EUR): the one currency of prices, invoices and payments. */
  currency: string;
  /** CLINIC_TIMEZONE (default Europe/Berlin): visit days, effective dates, invoice years. */
  timezone: string;
  /** doctors' GraphQL endpoint (DOCTORS_URL): medical services and doctors' consultation services. */
  doctorsUrl: string;
  /** CLINIC_NAME: printed on invoices. */
  clinicName: string;
  /** STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (both or neither); null: the local test provider. */
  stripe: { secretKey: string; webhookSecret: string } | null;
  /** BILLING_PUBLIC_URL: where payers reach billing's own pages (the test provider's checkout); default its address. */
  publicUrl: string;
  /** LATE_CANCELLATION_FEE_MINOR, LATE_CANCELLATION_HOURS (24), NO_SHOW_FEE_MINOR: fees, 0 (off) by default. */
  fees: { lateCancellationMinor: number; lateCancellationHours: number; noShowMinor: number };
}

export function loadBillingConfig(env: Env): BillingConfig {
  const vars = readEnv(
    {
      CLINIC_CURRENCY: v.string("EUR"),
      CLINIC_TIMEZONE: v.timeZone("Europe/Berlin"),
      CLINIC_NAME: v.string("Clinigraph Clinic"),
      STRIPE_SECRET_KEY: v.optional(),
      STRIPE_WEBHOOK_SECRET: v.optional(),
      BILLING_PUBLIC_URL: v.optionalUrl(["http:", "https:"]),
      LATE_CANCELLATION_FEE_MINOR: v.int(0, { min: 0, max: 1_000_000_000 }),
      LATE_CANCELLATION_HOURS: v.int(24, { min: 0, max: 24 * 14 }),
      NO_SHOW_FEE_MINOR: v.int(0, { min: 0, max: 1_000_000_000 }),
    },
    env,
  );
  configCheck(/^[A-Z]{3}$/.test(vars.CLINIC_CURRENCY), "CLINIC_CURRENCY must be an ISO 4217 code such as EUR");
  configCheck(
    (vars.STRIPE_SECRET_KEY === undefined) === (vars.STRIPE_WEBHOOK_SECRET === undefined),
    "set both STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET, or neither (the local test provider)",
  );
  const base = readSubgraphBase("billing", env);
  return {
    ...base,
    currency: vars.CLINIC_CURRENCY,
    timezone: vars.CLINIC_TIMEZONE,
    doctorsUrl: serviceUrl("doctors", env),
    clinicName: vars.CLINIC_NAME,
    stripe: vars.STRIPE_SECRET_KEY ? { secretKey: vars.STRIPE_SECRET_KEY, webhookSecret: vars.STRIPE_WEBHOOK_SECRET! } : null,
    fees: { lateCancellationMinor: vars.LATE_CANCELLATION_FEE_MINOR, lateCancellationHours: vars.LATE_CANCELLATION_HOURS, noShowMinor: vars.NO_SHOW_FEE_MINOR },
    publicUrl: vars.BILLING_PUBLIC_URL ?? `http://${base.host === "0.0.0.0" ? "127.0.0.1" : base.host}:${base.port}`,
  };
}
