/** The notifications subgraph's configuration: every variable it reads, validated once at boot. */
import { readSubgraphBase, serviceUrl, type Env, type SubgraphBaseConfig } from "@clinigraph/platform";

export interface NotificationsConfig extends SubgraphBaseConfig {
  /** accounts' GraphQL endpoint (ACCOUNTS_URL): users' contact details. */
  accountsUrl: string;
}

export function loadNotificationsConfig(env: Env): NotificationsConfig {
  return { ...readSubgraphBase("notifications", env), accountsUrl: serviceUrl("accounts", env) };
}
