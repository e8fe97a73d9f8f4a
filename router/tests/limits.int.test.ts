/**
 * Edge limits through a real router: deep, alias-heavy, token-heavy and batched operations, and operations
 * the gateway cannot pick, are refused with a GraphQL error and a code before any subgraph is called;
 * ordinary operations pass.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startFederation, type Federation } from "./support/fixture.js";

let fixture: Federation;
beforeAll(async () => {
  fixture = await startFederation({ corsOrigins: ["https://app.clinigraph.example"] });
});
afterAll(async () => {
  await fixture?.close();
});

async function post(body: unknown) {
  const res = await fetch(fixture.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[]; data?: unknown } };
}

describe("edge limits", () => {
  it("lets an ordinary query through", async () => {
    const res = await post({ query: "{ __typename }" });
    expect(res.status).toBe(200);
  });

  it.each([
    ["too deep", `{ doctor(id: "d1") { ${"user { ".repeat(20)}id${" }".repeat(20)} } }`, /depth/i],
    ["too many aliases", `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: doctor(id: "d1") { id }`).join(" ")} }`, /alias/i],
  ])("refuses an operation that is %s", async (_name, query, message) => {
    const res = await post({ query });
    expect(res.status).toBe(400);
    expect(res.body.errors?.every((e) => e.extensions?.code === "GRAPHQL_VALIDATION_FAILED")).toBe(true);
    expect(res.body.errors?.some((e) => message.test(e.message))).toBe(true);
  });

  it("refuses a document of too many tokens while reading it (GRAPHQL_PARSE_FAILED), before the parser recurses into it", async () => {
    for (const query of [`{ ${"__typename ".repeat(3_000)}}`, `{ doctor(id: "d1") ${"{ id ".repeat(20_000)}${"}".repeat(20_000)} }`]) {
      const res = await post({ query });
      expect(res.status).toBe(400);
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(["GRAPHQL_PARSE_FAILED"]);
      expect(res.body.errors?.[0]?.message).toMatch(/tokens/);
    }
  });

  it("answers list literals nested too deep for the parser (or the token limit, whichever comes first) with a plain syntax error", async () => {
    for (const depth of [1_900, 5_000]) {
      const res = await post({ query: `{ doctor(id: ${"[".repeat(depth)}"d1"${"]".repeat(depth)}) { id } }` });
      expect(res.status).toBe(400);
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(["GRAPHQL_PARSE_FAILED"]);
      expect(res.body.errors?.[0]?.message).toMatch(/^Syntax Error: /);
    }
  });

  it("answers an operation name that names nothing, or none among several operations, with 400 (not the gateway's 500)", async () => {
    for (const body of [{ query: "query A { __typename }", operationName: "B" }, { query: "query A { __typename } query B { __typename }" }]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(["OPERATION_RESOLUTION_FAILURE"]);
    }
  });

  it("refuses batched requests", async () => {
    const res = await post([{ query: "{ __typename }" }, { query: "{ __typename }" }]);
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBeDefined();
  });
});

describe("browser requests", () => {
  it("answers CORS preflights for allowed origins only", async () => {
    const preflight = (origin: string) =>
      fetch(fixture.url, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type,authorization" },
      });
    const allowed = await preflight("https://app.clinigraph.example");
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.clinigraph.example");
    const other = await preflight("https://evil.example");
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses simple (CSRF-able) requests that a browser would send without a preflight", async () => {
    const res = await fetch(`${fixture.url}?query=${encodeURIComponent("{ __typename }")}`, { method: "GET" });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF|preflight/i);
  });
});
