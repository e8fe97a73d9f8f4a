/** The doctors subgraph's configuration: every variable it reads, validated once at boot. */
import { readSubgraphBase, serviceUrl, type Env, type SubgraphBaseConfig } from "@clinigraph/platform";

export interface DoctorsConfig extends SubgraphBaseConfig {
  /** ACCOUNTS_URL: accounts' GraphQL endpoint, called directly by createDoctor. */
  accountsUrl: string;
  /** SCHEDULING_URL: scheduling's GraphQL endpoint, asked by previewScheduleTemplate for appointments. */
  schedulingUrl: string;
}

/** Throws ConfigError naming the variable at fault. */
export function loadDoctorsConfig(env: Env = process.env): DoctorsConfig {
  return {
    ...readSubgraphBase("doctors", env),
    accountsUrl: serviceUrl("accounts", env),
    schedulingUrl: serviceUrl("scheduling", env),
  };
}
