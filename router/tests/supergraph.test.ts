import { composeSupergraph } from "../src/compose.js";
import { healthUrlOf, resolveSubgraphUrl, subgraphsOf } from "../src/supergraph.js";
import { DOCTORS_SDL, USERS_SDL } from "./support/subgraphs.js";

const source = (name: string, sdl: string, url: string) => ({ name, sdl, url, file: `subgraphs/${name}/src/schema.graphql` });

it("reads subgraph names and URLs from a composed supergraph", () => {
  const outcome = composeSupergraph([
    source("users", USERS_SDL, "http://127.0.0.1:4101/graphql"),
    source("doctors", DOCTORS_SDL, "http://127.0.0.1:4102/graphql"),
  ]);
  if (!outcome.ok) throw new Error(outcome.errors.join());
  expect(subgraphsOf(outcome.supergraphSdl)).toEqual([
    { name: "doctors", url: "http://127.0.0.1:4102/graphql" },
    { name: "users", url: "http://127.0.0.1:4101/graphql" },
  ]);
});

it("resolves URL overrides by subgraph name, in any case or env style", () => {
  expect(resolveSubgraphUrl("accounts", "http://a/graphql", { accounts: "http://b/graphql" })).toBe("http://b/graphql");
  expect(resolveSubgraphUrl("lab-results", "http://a/graphql", { lab_results: "http://c/graphql" })).toBe("http://c/graphql");
  expect(resolveSubgraphUrl("doctors", "http://a/graphql", { accounts: "http://b/graphql" })).toBe("http://a/graphql");
});

it("derives a subgraph's health URL from its GraphQL URL", () => {
  expect(healthUrlOf("http://127.0.0.1:4002/graphql")).toBe("http://127.0.0.1:4002/health");
});
