/** What a client sees through the router: federated queries, identity forwarding, errors. */
import { startFederation, type Federation } from "./support/fixture.js";
import { gql } from "./support/http.js";

let fed: Federation;
beforeAll(async () => {
  fed = await startFederation();
});
afterAll(async () => {
  await fed?.close();
});

const WHOAMI = "{ whoami { userId role requestId } }";

describe("federated queries", () => {
  it("resolves a query spanning both subgraphs", async () => {
    const res = await gql(fed.url, '{ doctor(id: "d1") { id user { id name } } }');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { doctor: { id: "d1", user: { id: "u1", name: "Ada Lovelace" } } } });
  });

  it("forwards the verified identity to every subgraph, including entity fetches", async () => {
    const token = await fed.jwks.sign({ sub: "u2", role: "DOCTOR" });
    fed.users.seen.length = 0;
    fed.doctors.seen.length = 0;
    const res = await gql(fed.url, '{ doctor(id: "d1") { user { name } } whoami { userId role } }', { token });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.whoami).toEqual({ userId: "u2", role: "DOCTOR" });
    expect(fed.doctors.seen).toEqual([expect.objectContaining({ userId: "u2", role: "DOCTOR" })]);
    expect(fed.users.seen.every((id) => id.userId === "u2" && id.role === "DOCTOR")).toBe(true);
    expect(fed.users.seen.length).toBeGreaterThanOrEqual(1);
  });

  it("treats a request without Authorization as anonymous", async () => {
    const res = await gql(fed.url, WHOAMI);
    expect(res.status).toBe(200);
    expect(res.body.data?.whoami).toMatchObject({ userId: null, role: null });
  });

  it("keeps a safe incoming request id, echoes it and forwards it", async () => {
    const res = await gql(fed.url, WHOAMI, { headers: { "x-request-id": "req-abc.123" } });
    expect(res.headers.get("x-request-id")).toBe("req-abc.123");
    expect(res.body.data?.whoami).toMatchObject({ requestId: "req-abc.123" });
  });

  it("replaces an unsafe request id with a fresh uuid", async () => {
    const res = await gql(fed.url, WHOAMI, { headers: { "x-request-id": "bad id\twith spaces" } });
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.data?.whoami).toMatchObject({ requestId: id });
  });
});

describe("authentication", () => {
  const expectUnauthenticated = (res: Awaited<ReturnType<typeof gql>>) => {
    expect(res.status).toBe(401);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: "UNAUTHENTICATED" });
  };

  it("rejects an expired token", async () => {
    expectUnauthenticated(await gql(fed.url, WHOAMI, { token: await fed.jwks.sign({ sub: "u1", role: "PATIENT", expiresIn: -120 }) }));
  });

  it("rejects a token signed by a key not in the JWKS", async () => {
    expectUnauthenticated(await gql(fed.url, WHOAMI, { token: await fed.jwks.sign({ sub: "u1", role: "ADMIN" }, fed.jwks.otherPrivateKey) }));
  });

  it('rejects an unsigned token (alg "none")', async () => {
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: "u1", role: "ADMIN", iss: "clinigraph-accounts", aud: "clinigraph", exp: now + 300 })}.`;
    expectUnauthenticated(await gql(fed.url, WHOAMI, { token }));
  });

  it("rejects a tampered token", async () => {
    const [header, payload, signature] = (await fed.jwks.sign({ sub: "u1", role: "PATIENT" })).split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, role: "ADMIN" })).toString("base64url");
    expectUnauthenticated(await gql(fed.url, WHOAMI, { token: `${header}.${forged}.${signature}` }));
  });

  it("rejects a token for another audience or issuer, or without a known role", async () => {
    expectUnauthenticated(await gql(fed.url, WHOAMI, { token: await fed.jwks.sign({ sub: "u1", role: "PATIENT", audience: "someone-else" }) }));
    expectUnauthenticated(await gql(fed.url, WHOAMI, { token: await fed.jwks.sign({ sub: "u1", role: "PATIENT", issuer: "evil" }) }));
    expectUnauthenticated(await gql(fed.url, WHOAMI, { token: await fed.jwks.sign({ sub: "u1", role: "GOD" }) }));
    expectUnauthenticated(await gql(fed.url, WHOAMI, { token: await fed.jwks.sign({ role: "ADMIN" }) }));
  });

  it("rejects garbage and non-Bearer credentials", async () => {
    expectUnauthenticated(await gql(fed.url, WHOAMI, { token: "not-a-jwt" }));
    expectUnauthenticated(await gql(fed.url, WHOAMI, { headers: { authorization: "Basic dXNlcjpwYXNz" } }));
  });
});

describe("errors", () => {
  it("masks an unexpected subgraph error as INTERNAL without details or stack", async () => {
    const res = await gql(fed.url, "{ boom }");
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ boom: null });
    expect(res.body.errors).toEqual([{ message: "Unexpected error", path: ["boom"], extensions: { code: "INTERNAL", serviceName: "users" } }]);
    expect(JSON.stringify(res.body)).not.toMatch(/db-secret-host|stacktrace|at /);
  });

  it("passes a DomainError code and message through", async () => {
    const res = await gql(fed.url, "{ denied }");
    expect(res.body.errors).toEqual([{ message: "Only the patient may see this", path: ["denied"], extensions: { code: "FORBIDDEN", serviceName: "users" } }]);
  });

  it("answers malformed GraphQL with GRAPHQL_PARSE_FAILED and HTTP 400", async () => {
    const res = await gql(fed.url, "{ doctor(id: ");
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    expect(JSON.stringify(res.body)).not.toContain("stacktrace");
  });

  it("answers an unknown field with GRAPHQL_VALIDATION_FAILED and HTTP 400", async () => {
    const res = await gql(fed.url, "{ nope }");
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("answers a body that is not JSON with a JSON 400, not an HTML page", async () => {
    const res = await fetch(fed.url, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe("BAD_REQUEST");
  });
});
