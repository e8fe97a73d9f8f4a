/**
 * Hostile-input limits at the edge (GraphQL Armor): query depth, aliases, cost and directives,
 * no batched HTTP requests, no field suggestions (they leak the schema). Applied to HTTP operations and
 * to subscriptions over WebSocket alike. A rejected operation is a GraphQL validation error (HTTP 400,
 * `GRAPHQL_VALIDATION_FAILED`) that says which limit it hit; a document of too many tokens is a parse error
 * (`GRAPHQL_PARSE_FAILED`).
 */
import { ApolloArmor } from "@escape.tech/graphql-armor";

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxDirectives: number;
  maxTokens: number;
}

export const DEFAULT_LIMITS: QueryLimits = { maxDepth: 12, maxAliases: 15, maxCost: 5_000, maxDirectives: 50, maxTokens: 2_000 };

export function createArmor(limits: Partial<QueryLimits> = {}) {
  const l = { ...DEFAULT_LIMITS, ...limits };
  const armor = new ApolloArmor({
    maxDepth: { n: l.maxDepth, flattenFragments: true },
    maxAliases: { n: l.maxAliases },
    costLimit: { maxCost: l.maxCost },
    maxDirectives: { n: l.maxDirectives },
    // Armor's token limit re-parses the document in a plugin and turns syntax errors into HTTP 500s:
    // graphql-js's own parser limit does it instead (`parseOptions`, GRAPHQL_PARSE_FAILED).
    maxTokens: { enabled: false, n: l.maxTokens },
    blockFieldSuggestion: { enabled: true },
  });
  return {
    ...armor.protect(),
    /**
     * For Apollo Server and the WebSocket server's `parse`: a document of more tokens is refused while it is
     * read, before the parser recurses into it (20 000 nested braces would exhaust the call stack).
     */
    parseOptions: { maxTokens: l.maxTokens },
  };
}
