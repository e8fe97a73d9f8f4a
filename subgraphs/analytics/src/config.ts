/** The analytics subgraph's configuration: every variable it reads, validated once at boot. */
import { readSubgraphBase, type Env, type SubgraphBaseConfig } from "@clinigraph/platform";

export type AnalyticsConfig = SubgraphBaseConfig;

export function loadAnalyticsConfig(env: Env): AnalyticsConfig {
  return { ...readSubgraphBase("analytics", env) };
}
