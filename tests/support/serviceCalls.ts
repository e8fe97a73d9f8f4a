/**
 * Who calls whom, read from the sources: each subgraph's configuration names the subgraphs it reads from as
 * `serviceUrl("doctors", …)` or `optionalServiceUrl("doctors", …)` (subgraphs/<name>/src/config.ts). The deployment
 * tests check the Kubernetes NetworkPolicies and docker-compose against it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "@clinigraph/platform";

/** The subgraphs `name`'s configuration reads from. */
export function subgraphsReadBy(name: string): string[] {
  const config = readFileSync(path.join(REPO_ROOT, "subgraphs", name, "src", "config.ts"), "utf8");
  return [...new Set([...config.matchAll(/[sS]erviceUrl\("([a-z]+)"/g)].map((m) => m[1]!))];
}
