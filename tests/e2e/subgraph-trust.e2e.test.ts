/**
 * Every subgraph refuses callers that did not come through the router: plain queries, `_entities`,
 * introspection and WebSocket subscriptions, unsigned or signed with the wrong secret.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { IDENTITY_HEADER, signIdentity } from "@clinigraph/platform";
import { TEST_ROUTER_SECRETS } from "@clinigraph/testing";
import { startStack, type Stack } from "../support/stack.js";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const OPERATIONS = {
  introspection: "{ __schema { queryType { name } } }",
  entities: `{ _entities(representations: [{ __typename: "Doctor", id: "00000000-0000-4000-8000-000000000001" }]) { __typename } }`,
  service: "{ _service { sdl } }",
  typename: "{ __typename }",
};

describe("subgraph trust", () => {
  it.each(["accounts", "doctors", "scheduling", "clinical"])("%s refuses unsigned and wrongly signed HTTP requests", async (name) => {
    const url = stack.subgraphs[name]!.url;
    const forged = await signIdentity({ userId: "00000000-0000-4000-8000-000000000001", role: "ADMIN", requestId: "x" }, [
      "not-the-router-secret-0123456789abcdef",
    ]);
    const variants: Record<string, string>[] = [{}, { [IDENTITY_HEADER]: forged }, { [IDENTITY_HEADER]: "garbage" }];
    for (const headers of variants) {
      for (const query of Object.values(OPERATIONS)) {
        const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ query }) });
        expect(res.status).toBe(401);
        const body = (await res.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
        expect(body.errors[0]!.extensions.code).toBe("UNAUTHENTICATED");
        expect(body.data).toBeUndefined();
      }
    }
  });

  it("accounts' session status endpoint (for the router) refuses unsigned and wrongly signed requests, and bad bodies", async () => {
    const url = stack.subgraphs.accounts!.url.replace("/graphql", "/internal/sessions");
    const forged = await signIdentity({ userId: null, role: null, requestId: "x" }, ["not-the-router-secret-0123456789abcdef"]);
    const body = JSON.stringify({ sessions: ["00000000-0000-4000-8000-000000000001"] });
    for (const headers of [{}, { [IDENTITY_HEADER]: forged }, { [IDENTITY_HEADER]: "garbage" }] as Record<string, string>[]) {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");
    }
    const signed = {
      "content-type": "application/json",
      [IDENTITY_HEADER]: await signIdentity({ userId: null, role: null, requestId: "x" }, TEST_ROUTER_SECRETS),
    };
    const unknown = await fetch(url, {
      method: "POST",
      headers: signed,
      body: JSON.stringify({ sessions: ["00000000-0000-4000-8000-000000000001", "not-a-uuid"] }),
    });
    expect(await unknown.json()).toEqual({ revoked: ["00000000-0000-4000-8000-000000000001", "not-a-uuid"] });
    for (const bad of ["{", JSON.stringify({ sessions: "x" }), JSON.stringify({ sessions: Array.from({ length: 1001 }, () => "x") })]) {
      const res = await fetch(url, { method: "POST", headers: signed, body: bad });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("BAD_USER_INPUT");
    }
  });

  it("scheduling closes a WebSocket without the router's identity with 4401", async () => {
    const url = stack.subgraphs.scheduling!.url.replace("http", "ws");
    const code = await new Promise<number>((resolve) => {
      const client = createClient({
        url,
        webSocketImpl: WebSocket,
        lazy: true,
        retryAttempts: 0,
        on: { closed: (e) => resolve((e as { code: number }).code) },
      });
      client.subscribe(
        { query: "subscription { myAppointmentUpdates { cursor } }" },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
    });
    expect(code).toBe(4401);
  });

  it("scheduling takes an operation's own caller from a router-signed extensions.identity, and refuses a forged one", async () => {
    const url = stack.subgraphs.scheduling!.url.replace("http", "ws");
    // The connection is opened as the router (anonymous); each operation names its caller.
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionParams: async () => ({ identity: await signIdentity({ userId: null, role: null, requestId: "conn" }, TEST_ROUTER_SECRETS) }),
    });
    const outcome = (identity: string | undefined) =>
      new Promise<{ codes: string[]; completed: boolean }>((resolve) => {
        const codes: string[] = [];
        const dispose = client.subscribe(
          { query: "subscription { myAppointmentUpdates { cursor } }", ...(identity ? { extensions: { identity } } : {}) },
          {
            next: (result) => codes.push(...(result.errors ?? []).map((e) => String(e.extensions?.code))),
            error: (errors) =>
              resolve({ codes: [...codes, ...(errors as { extensions?: { code?: string } }[]).map((e) => String(e.extensions?.code))], completed: false }),
            complete: () => resolve({ codes, completed: true }),
          },
        );
        // A subscription the subgraph accepted stays open: stop it after a moment and report what came.
        setTimeout(() => {
          dispose();
          resolve({ codes, completed: true });
        }, 500);
      });
    const patientId = "00000000-0000-4000-8000-0000000000aa";
    const forged = await signIdentity({ userId: patientId, role: "PATIENT", requestId: "x" }, ["not-the-router-secret-0123456789abcdef"]);
    expect((await outcome(forged)).codes).toEqual(["UNAUTHENTICATED"]);
    expect((await outcome("garbage")).codes).toEqual(["UNAUTHENTICATED"]);
    // Without an identity of its own the operation is the connection's (anonymous): the patients' feed refuses it.
    expect((await outcome(undefined)).codes).toEqual(["UNAUTHENTICATED"]);
    const signed = await signIdentity({ userId: patientId, role: "PATIENT", requestId: "y" }, TEST_ROUTER_SECRETS);
    expect(await outcome(signed)).toEqual({ codes: [], completed: true });
    await client.dispose();
  });
});
