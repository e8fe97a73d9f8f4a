/**
 * The router's own TLS (TLS_CERT_FILE, TLS_KEY_FILE; config.ts, server.ts), with a certificate made here for 127.0.0.1:
 * the configuration refuses half a pair, unreadable files and a key that is not the certificate's; a router given the
 * pair answers GraphQL over HTTPS (a query that reaches a subgraph) with Strict-Transport-Security, and graphql-ws
 * clients connect over WSS (connection_ack) and receive the router's answer to a subscribe message there.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "graphql-ws";
import { generate } from "selfsigned";
import { Agent, request } from "undici";
import WebSocket from "ws";
import { ConfigError } from "@clinigraph/platform";
import { loadRouterConfig, type RouterTls } from "../src/config.js";
import { ROUTER_SECRETS, startFederation, type Federation } from "./support/fixture.js";

const dir = mkdtempSync(path.join(tmpdir(), "clinigraph-tls-"));
const file = (name: string, content: string) => {
  writeFileSync(path.join(dir, name), content);
  return path.join(dir, name);
};
const baseEnv = { CLINIGRAPH_ROUTER_SECRETS: ROUTER_SECRETS.join(","), NODE_ENV: "test" };
let certFile: string;
let keyFile: string;
let otherKeyFile: string;
let cert: string;
let federation: Federation;
let tls: RouterTls;

beforeAll(async () => {
  const altNames = { name: "subjectAltName" as const, altNames: [{ type: 7 as const, ip: "127.0.0.1" }] };
  const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], { keyType: "ec", curve: "P-256", extensions: [altNames] });
  const other = await generate([{ name: "commonName", value: "127.0.0.1" }], { keyType: "ec", curve: "P-256" });
  cert = pems.cert;
  certFile = file("cert.pem", pems.cert);
  keyFile = file("key.pem", pems.private);
  otherKeyFile = file("other-key.pem", other.private);
  tls = loadRouterConfig({ ...baseEnv, TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile }).tls!;
  federation = await startFederation({ tls });
});

afterAll(async () => {
  await federation?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("TLS_CERT_FILE and TLS_KEY_FILE", () => {
  it("are read at start: both, or neither (plain HTTP)", () => {
    expect(tls.cert.toString()).toBe(cert);
    expect(tls.hstsMaxAgeSeconds).toBe(31_536_000);
    expect(loadRouterConfig({ ...baseEnv, TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile, HSTS_MAX_AGE: "600" }).tls?.hstsMaxAgeSeconds).toBe(600);
    expect(loadRouterConfig(baseEnv).tls).toBeUndefined();
  });

  it("refuse to start with one of the two, unreadable files, or a key that is not the certificate's", () => {
    const refusal = (env: Record<string, string>) => {
      try {
        loadRouterConfig({ ...baseEnv, ...env });
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error("the configuration was accepted");
    };
    expect(refusal({ TLS_CERT_FILE: certFile })).toBe("TLS needs both TLS_CERT_FILE and TLS_KEY_FILE (only TLS_CERT_FILE is set)");
    expect(refusal({ TLS_KEY_FILE: keyFile })).toBe("TLS needs both TLS_CERT_FILE and TLS_KEY_FILE (only TLS_KEY_FILE is set)");
    expect(refusal({ TLS_CERT_FILE: path.join(dir, "missing.pem"), TLS_KEY_FILE: keyFile })).toBe(
      `TLS_CERT_FILE cannot be read: ${path.join(dir, "missing.pem")} (ENOENT)`,
    );
    expect(refusal({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: dir })).toBe(`TLS_KEY_FILE cannot be read: ${dir} (EISDIR)`);
    expect(refusal({ TLS_CERT_FILE: certFile, TLS_KEY_FILE: otherKeyFile })).toMatch(
      /^TLS_CERT_FILE and TLS_KEY_FILE are not a PEM certificate and its private key \(/,
    );
    expect(refusal({ TLS_CERT_FILE: file("garbage.pem", "not a certificate"), TLS_KEY_FILE: keyFile })).toMatch(/are not a PEM certificate/);
  });
});

describe("a router serving TLS", () => {
  it("answers GraphQL over HTTPS, with Strict-Transport-Security, and nothing over plain HTTP", async () => {
    expect(federation.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/graphql$/);
    const dispatcher = new Agent({ connect: { ca: cert } });
    try {
      const token = await federation.jwks.sign({ sub: "u-1", role: "PATIENT", scope: "patient" });
      const response = await request(federation.url, {
        dispatcher,
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers["strict-transport-security"]).toBe("max-age=31536000");
      expect(await response.body.json()).toEqual({ data: { __typename: "Query" } });
      const health = await request(`${federation.origin}/health`, { dispatcher });
      expect(health.headers["strict-transport-security"]).toBe("max-age=31536000");
      expect(await health.body.json()).toEqual({ status: "ok", service: "router" });
    } finally {
      await dispatcher.close();
    }
    await expect(fetch(federation.url.replace("https:", "http:"), { method: "POST" })).rejects.toThrow();
    // A client that does not trust the certificate is refused.
    await expect(fetch(`${federation.origin}/health`)).rejects.toThrow();
  });

  it("takes graphql-ws clients over WSS: connection_ack, then the answer to a subscribe message", async () => {
    /** ws trusting the test certificate, as graphql-ws's webSocketImpl. */
    class TrustingWebSocket extends WebSocket {
      constructor(address: string, protocols?: string | string[]) {
        super(address, protocols, { ca: cert });
      }
    }
    const token = await federation.jwks.sign({ sub: "u-1", role: "PATIENT", scope: "patient" });
    const acknowledged: unknown[] = [];
    const client = createClient({
      url: federation.url.replace("https:", "wss:"),
      webSocketImpl: TrustingWebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      on: { connected: (_socket, payload) => acknowledged.push(payload ?? null) },
    });
    try {
      // The federation's subgraphs have no Subscription type: the router answers the subscribe message itself,
      // over the encrypted socket, after acknowledging the connection.
      const answer = await new Promise<unknown>((resolve, reject) => {
        client.subscribe({ query: "subscription { nothing }" }, { next: resolve, error: resolve, complete: () => reject(new Error("completed")) });
      });
      expect(acknowledged).toHaveLength(1);
      expect(answer).toEqual({ errors: [{ message: 'The schema has no "subscription" root type defined', extensions: { code: "INVALID_GRAPHQL" } }] });
    } finally {
      await client.dispose();
    }
  });
});
