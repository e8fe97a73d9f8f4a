/** The notifications subgraph's configuration: every variable it reads, validated once at boot. */
import { configCheck, readEnv, readSubgraphBase, serviceUrl, v, type Env, type SubgraphBaseConfig } from "@clinigraph/platform";

export interface NotificationsConfig extends SubgraphBaseConfig {
  /** accounts' GraphQL endpoint (ACCOUNTS_URL): users' contact details (its /internal/contacts beside it). */
  accountsUrl: string;
  /** doctors' GraphQL endpoint (DOCTORS_URL): doctors' names, time zones, locations; services' names. */
  doctorsUrl: string;
  /** scheduling's GraphQL endpoint (SCHEDULING_URL): free times offered after a rejection. */
  schedulingUrl: string;
  /** SMTP_URL (smtp:// or smtps://) and MAIL_FROM; null: e-mail is not configured (deliveries end FAILED saying so). */
  smtp: { url: string; from: string } | null;
  /** TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM (and TWILIO_API_URL); null: SMS is not configured. */
  twilio: { accountSid: string; authToken: string; from: string; baseUrl: string } | null;
  /** VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT (mailto: or https:); null: push is not configured. */
  vapid: { publicKey: string; privateKey: string; subject: string } | null;
  /** WEB_APP_URL: links in messages point into the web app. */
  webAppUrl: string;
  /** NOTIFICATIONS_SCHEDULER (on/off): whether this process sends due deliveries (every instance may). */
  schedulerEnabled: boolean;
  /** NOTIFICATIONS_POLL_MS, NOTIFICATIONS_BATCH_SIZE, NOTIFICATIONS_CONCURRENCY, NOTIFICATIONS_LEASE_MS. */
  scheduler: { pollMs: number; batchSize: number; concurrency: number; leaseMs: number };
}

const allOrNone = (names: string[], values: (string | undefined)[]) => {
  const set = values.filter((value) => value !== undefined).length;
  configCheck(set === 0 || set === values.length, `set all of ${names.join(", ")} or none`);
  return set === values.length;
};

export function loadNotificationsConfig(env: Env): NotificationsConfig {
  const vars = readEnv(
    {
      SMTP_URL: v.optionalUrl(["smtp:", "smtps:"]),
      MAIL_FROM: v.string("Clinigraph <no-reply@clinigraph.local>"),
      TWILIO_ACCOUNT_SID: v.optional(),
      TWILIO_AUTH_TOKEN: v.optional(),
      TWILIO_FROM: v.optional(),
      TWILIO_API_URL: v.url(["https:", "http:"], "https://api.twilio.com"),
      VAPID_PUBLIC_KEY: v.optional(),
      VAPID_PRIVATE_KEY: v.optional(),
      VAPID_SUBJECT: v.optional(),
      WEB_APP_URL: v.url(["https:", "http:"], "http://127.0.0.1:3000"), // the web app of pnpm start
      NOTIFICATIONS_SCHEDULER: v.oneOf(["on", "off"], "on"),
      NOTIFICATIONS_POLL_MS: v.int(1_000, { min: 10, max: 60_000 }),
      NOTIFICATIONS_BATCH_SIZE: v.int(200, { min: 1, max: 5_000 }),
      NOTIFICATIONS_CONCURRENCY: v.int(32, { min: 1, max: 500 }),
      NOTIFICATIONS_LEASE_MS: v.int(120_000, { min: 1_000, max: 3_600_000 }),
    },
    env,
  );
  const twilio = [vars.TWILIO_ACCOUNT_SID, vars.TWILIO_AUTH_TOKEN, vars.TWILIO_FROM];
  const vapid = [vars.VAPID_PUBLIC_KEY, vars.VAPID_PRIVATE_KEY, vars.VAPID_SUBJECT];
  const hasTwilio = allOrNone(["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"], twilio);
  const hasVapid = allOrNone(["VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY", "VAPID_SUBJECT"], vapid);
  if (hasVapid) configCheck(/^(mailto:|https:)/.test(vars.VAPID_SUBJECT!), "VAPID_SUBJECT must be a mailto: or https: URL");
  return {
    ...readSubgraphBase("notifications", env),
    accountsUrl: serviceUrl("accounts", env),
    doctorsUrl: serviceUrl("doctors", env),
    schedulingUrl: serviceUrl("scheduling", env),
    smtp: vars.SMTP_URL ? { url: vars.SMTP_URL, from: vars.MAIL_FROM } : null,
    twilio: hasTwilio
      ? { accountSid: vars.TWILIO_ACCOUNT_SID!, authToken: vars.TWILIO_AUTH_TOKEN!, from: vars.TWILIO_FROM!, baseUrl: vars.TWILIO_API_URL }
      : null,
    vapid: hasVapid ? { publicKey: vars.VAPID_PUBLIC_KEY!, privateKey: vars.VAPID_PRIVATE_KEY!, subject: vars.VAPID_SUBJECT! } : null,
    webAppUrl: vars.WEB_APP_URL,
    schedulerEnabled: vars.NOTIFICATIONS_SCHEDULER === "on",
    scheduler: {
      pollMs: vars.NOTIFICATIONS_POLL_MS,
      batchSize: vars.NOTIFICATIONS_BATCH_SIZE,
      concurrency: vars.NOTIFICATIONS_CONCURRENCY,
      leaseMs: vars.NOTIFICATIONS_LEASE_MS,
    },
  };
}
