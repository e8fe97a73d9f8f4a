/**
 * docker-compose.yml cannot run on the development machines (no Docker engine), so this keeps it honest:
 * every subgraph that has an SDL has a service with a health check, and so do postgres, redis and the router.
 */
import { describe, expect, it } from "@jest/globals";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "@clinigraph/platform";

interface Service {
  healthcheck?: { test?: unknown };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(path.join(REPO_ROOT, "docker-compose.yml"), "utf8"), { merge: true }) as { services: Record<string, Service> };
const subgraphs = readdirSync(path.join(REPO_ROOT, "subgraphs")).filter((name) => existsSync(path.join(REPO_ROOT, "subgraphs", name, "src", "schema.graphql")));

describe("docker-compose.yml", () => {
  it("has postgres, redis and the router, each with a health check", () => {
    for (const name of ["postgres", "redis", "router"]) expect(compose.services[name]?.healthcheck?.test).toBeDefined();
  });

  it.each(subgraphs)("runs the %s subgraph with a health check, and the router knows its URL", (name) => {
    const service = compose.services[name];
    expect(service?.healthcheck?.test).toBeDefined();
    expect(service?.command?.join(" ")).toContain(`@clinigraph/${name}`);
    expect(compose.services.router?.environment?.[`${name.toUpperCase()}_URL`]).toMatch(new RegExp(`^http://${name}:\\d+/graphql$`));
    expect(compose.services.router?.depends_on?.[name]?.condition).toBe("service_healthy");
  });

  it("names every subgraph the supergraph is composed from", () => {
    const supergraph = readFileSync(path.join(REPO_ROOT, "schema", "supergraph.graphql"), "utf8");
    const graphs = [...supergraph.matchAll(/join__graph\(name: "([^"]+)"/g)].map((m) => m[1]!);
    // Not vacuous: if the pattern stopped matching the supergraph, the loop below would check nothing.
    expect(graphs.sort()).toEqual([...subgraphs].sort());
    for (const graph of graphs) expect(compose.services[graph]).toBeDefined();
  });
});
