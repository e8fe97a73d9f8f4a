/**
 * docker-compose.yml cannot run on the development machines (no Docker engine), so this keeps it honest:
 * every subgraph that has an SDL has a service with a health check, and so do postgres, redis and the router;
 * the services that send e-mail reach an SMTP server that the file runs (unless SMTP_URL says otherwise).
 */
import { describe, expect, it } from "@jest/globals";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "@clinigraph/platform";

interface Service {
  image?: string;
  healthcheck?: { test?: unknown };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(path.join(REPO_ROOT, "docker-compose.yml"), "utf8"), { merge: true }) as { services: Record<string, Service> };
/**
 * A value as compose reads it with none of the variables set: `${NAME:-default}` and `${NAME-default}` give the
 * default, `${NAME}` nothing; `${NAME:?message}` (required) gives undefined.
 */
function withVariablesUnset(value: string | undefined): string | undefined {
  if (value === undefined || /\$\{[A-Z0-9_]+:?\?/.test(value)) return undefined;
  return value.replace(/\$\{[A-Z0-9_]+(?::?-([^}]*))?\}/g, (_all, fallback: string | undefined) => fallback ?? "");
}
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

  it("runs a mail catcher (MailDev: SMTP 1025, web 1080)", () => {
    const maildev = compose.services.maildev;
    expect(maildev?.image).toBe("maildev/maildev:2.2.1");
    expect(maildev?.environment).toMatchObject({ MAILDEV_SMTP_PORT: "1025", MAILDEV_WEB_PORT: "1080" });
  });

  it.each(["notifications", "accounts"])("gives %s an SMTP_URL on a service of this file that it depends on, and MAIL_FROM", (name) => {
    const environment = compose.services[name]?.environment ?? {};
    const smtpUrl = withVariablesUnset(environment.SMTP_URL);
    expect(smtpUrl).toMatch(/^smtps?:\/\//);
    const { hostname, port } = new URL(smtpUrl!);
    const target = compose.services[hostname];
    expect(target).toBeDefined();
    // The port the URL names is the one the catcher listens on.
    if (target?.image?.startsWith("maildev/")) expect(port).toBe(target.environment?.MAILDEV_SMTP_PORT);
    expect(compose.services[name]?.depends_on?.[hostname]).toBeDefined();
    expect(withVariablesUnset(environment.MAIL_FROM)).toMatch(/<[^@\s]+@[^>\s]+>$/);
  });

  it("gives notifications the web app's URL for the links in its messages", () => {
    expect(withVariablesUnset(compose.services.notifications?.environment?.WEB_APP_URL)).toBe("http://localhost:5173");
  });
});
