/**
 * Reads the subgraph list (name and URL) out of a supergraph SDL: the `join__Graph` enum, whose
 * values carry `@join__graph(name:, url:)`. Used for readiness checks and URL overrides.
 */
import { Kind, parse, type ConstValueNode } from "graphql";

export interface SubgraphEndpoint {
  name: string;
  url: string;
}

export function subgraphsOf(supergraphSdl: string): SubgraphEndpoint[] {
  const document = parse(supergraphSdl, { noLocation: true });
  const subgraphs: SubgraphEndpoint[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== "join__Graph") continue;
    for (const value of definition.values ?? []) {
      const directive = value.directives?.find((d) => d.name.value === "join__graph");
      const arg = (name: string) => stringValue(directive?.arguments?.find((a) => a.name.value === name)?.value);
      const name = arg("name");
      const url = arg("url");
      if (name && url) subgraphs.push({ name, url });
    }
  }
  return subgraphs;
}

const stringValue = (node: ConstValueNode | undefined) => (node?.kind === Kind.STRING ? node.value : undefined);

/** Env-style key of a subgraph name: "accounts" → "ACCOUNTS", "lab-results" → "LAB_RESULTS". */
export const envKeyOf = (name: string) => name.toUpperCase().replace(/[^A-Z0-9]/g, "_");

/**
 * The URL the router calls for a subgraph: an override by subgraph name (keys compared in env style,
 * so `accounts`, `ACCOUNTS` and `ACCOUNTS_URL`-derived keys all match), else the supergraph's URL.
 */
export function resolveSubgraphUrl(name: string, supergraphUrl: string, overrides: Readonly<Record<string, string>> = {}): string {
  const key = envKeyOf(name);
  for (const [overrideName, url] of Object.entries(overrides)) if (envKeyOf(overrideName) === key) return url;
  return supergraphUrl;
}

/** `http://host:port/graphql` → `http://host:port/health`. */
export const healthUrlOf = (graphqlUrl: string) => new URL("/health", graphqlUrl).toString();
