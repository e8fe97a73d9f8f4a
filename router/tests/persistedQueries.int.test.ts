/**
 * Persisted operations through a real router: Apollo's APQ protocol with the cache in memory and in
 * Redis (shared by router replicas), and safelist mode — only manifest operations run, by id or by body,
 * over HTTP and WebSocket; anything else is refused with a code before any subgraph is called.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createClient as createWsClient } from "graphql-ws";
import WebSocket from "ws";
import { manifestFromDocuments, sha256 } from "../src/persistedQueries.js";
import { startFederation, type Federation } from "./support/fixture.js";
import { subgraphRequests, testRedis, type TestRedis } from "./support/edge.js";

interface Body {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

async function post(fixture: Federation, body: unknown) {
  const res = await fetch(fixture.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Body };
}

async function get(fixture: Federation, params: Record<string, unknown>) {
  const search = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  // A GET needs a non-simple header to pass CSRF prevention.
  const res = await fetch(`${fixture.url}?${search}`, { headers: { "apollo-require-preflight": "true" } });
  return { status: res.status, body: (await res.json()) as Body };
}

const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });
const code = (body: Body) => body.errors?.[0]?.extensions?.code;

describe.each([
  ["in memory", false],
  ["in Redis", true],
])("automatic persisted queries, cache %s", (_name, useRedis) => {
  let fixture: Federation;
  let redis: TestRedis | undefined;
  beforeAll(async () => {
    redis = useRedis ? await testRedis() : undefined;
    fixture = await startFederation({ persistedQueries: { mode: "apq" }, ...(redis && { redisUrl: redis.url, redisNamespace: redis.namespace }) });
  });
  afterAll(async () => {
    await fixture?.close();
    await redis?.close();
  });

  it("asks for an unknown hash, registers the query, then runs it by hash alone (POST and GET)", async () => {
    const query = `query Ada { user(id: "u1") { name } }`;
    const hash = sha256(query);
    const miss = await post(fixture, { extensions: persisted(hash) });
    expect(code(miss.body)).toBe("PERSISTED_QUERY_NOT_FOUND");
    const registered = await post(fixture, { query, extensions: persisted(hash) });
    expect(registered.body).toEqual({ data: { user: { name: "Ada Lovelace" } } });
    const byHash = await post(fixture, { extensions: persisted(hash) });
    expect(byHash).toEqual({ status: 200, body: { data: { user: { name: "Ada Lovelace" } } } });
    const byGet = await get(fixture, { extensions: persisted(hash) });
    expect(byGet).toEqual({ status: 200, body: { data: { user: { name: "Ada Lovelace" } } } });
  });

  it("refuses a hash that does not match the query sent with it, and does not register it", async () => {
    const query = `query Grace { user(id: "u2") { name } }`;
    const wrong = sha256(`${query} `);
    const res = await post(fixture, { query, extensions: persisted(wrong) });
    expect(res.status).toBe(400);
    expect(code(res.body)).toBe("PERSISTED_QUERY_HASH_MISMATCH");
    expect(code((await post(fixture, { extensions: persisted(wrong) })).body)).toBe("PERSISTED_QUERY_NOT_FOUND");
  });

  it("still runs plain queries", async () => {
    expect((await post(fixture, { query: `{ user(id: "u2") { name } }` })).body).toEqual({ data: { user: { name: "Grace Hopper" } } });
  });

  if (useRedis) {
    it("keeps registered queries in Redis under the router's namespace, with a TTL, for every replica", async () => {
      const query = `query Shared { user(id: "u2") { id } }`;
      await post(fixture, { query, extensions: persisted(sha256(query)) });
      const key = (await redis!.keys()).find((k) => k.endsWith(sha256(query)));
      expect(key).toMatch(new RegExp(`^${redis!.namespace}clinigraph:router:apq:`));
      expect(await redis!.get(key!)).toBe(query);
      expect(await redis!.ttl(key!)).toBeGreaterThan(86_000); // a day by default
      const replica = await startFederation({ persistedQueries: { mode: "apq" }, redisUrl: redis!.url, redisNamespace: redis!.namespace });
      try {
        expect((await post(replica, { extensions: persisted(sha256(query)) })).body).toEqual({ data: { user: { id: "u2" } } });
      } finally {
        await replica.close();
      }
    });
  }
});

describe("persisted queries off", () => {
  let fixture: Federation;
  beforeAll(async () => {
    fixture = await startFederation({ persistedQueries: { mode: "off" } });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it("refuses the persisted-query extension and runs plain queries", async () => {
    const query = `{ user(id: "u1") { name } }`;
    expect(code((await post(fixture, { query, extensions: persisted(sha256(query)) })).body)).toBe("PERSISTED_QUERY_NOT_SUPPORTED");
    expect((await post(fixture, { query })).body.data).toEqual({ user: { name: "Ada Lovelace" } });
  });
});

describe("safelist mode", () => {
  const manifest = manifestFromDocuments([
    {
      file: "app.graphql",
      text: `query Ada { user(id: "u1") { name } }
             query DoctorUser($id: ID!) { doctor(id: $id) { id user { name } } }`,
    },
  ]);
  const op = (name: string) => manifest.operations.find((o) => o.name === name)!;
  let fixture: Federation;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "clinigraph-manifest-"));
    const manifestPath = path.join(dir, "manifest.json");
    await writeFile(manifestPath, JSON.stringify(manifest));
    fixture = await startFederation({ persistedQueries: { mode: "safelist", manifestPath } });
  });
  afterAll(async () => {
    await fixture?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs `send` and checks that no subgraph was called meanwhile. */
  async function refusedWithoutSubgraphs(send: () => Promise<{ status: number; body: Body }>) {
    const before = { metric: await subgraphRequests(fixture.origin), users: fixture.users.seen.length, doctors: fixture.doctors.seen.length };
    const res = await send();
    expect(await subgraphRequests(fixture.origin)).toBe(before.metric);
    expect([fixture.users.seen.length, fixture.doctors.seen.length]).toEqual([before.users, before.doctors]);
    expect(res.body.data).toBeUndefined();
    return res;
  }

  it("refuses an operation that is not in the manifest, before any subgraph is called", async () => {
    const res = await refusedWithoutSubgraphs(() => post(fixture, { query: `{ user(id: "u2") { name } }` }));
    expect(res.status).toBe(400);
    expect(code(res.body)).toBe("PERSISTED_QUERY_NOT_IN_SAFELIST");
    const token = await fixture.jwks.sign({ sub: "u1", role: "PATIENT" });
    const signedIn = await refusedWithoutSubgraphs(async () => {
      const r = await fetch(fixture.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: "{ whoami { userId } }" }),
      });
      return { status: r.status, body: (await r.json()) as Body };
    });
    expect(code(signedIn.body)).toBe("PERSISTED_QUERY_NOT_IN_SAFELIST");
  });

  it("refuses unknown ids, and APQ cannot register new operations", async () => {
    const query = `{ user(id: "u2") { name } }`;
    expect(code((await refusedWithoutSubgraphs(() => post(fixture, { extensions: persisted(sha256(query)) }))).body)).toBe("PERSISTED_QUERY_NOT_IN_SAFELIST");
    expect(code((await refusedWithoutSubgraphs(() => post(fixture, { query, extensions: persisted(sha256(query)) }))).body)).toBe(
      "PERSISTED_QUERY_NOT_IN_SAFELIST",
    );
    expect(code((await post(fixture, { extensions: persisted(sha256(query)) })).body)).toBe("PERSISTED_QUERY_NOT_IN_SAFELIST");
  });

  it("refuses a listed id sent with another body", async () => {
    const res = await refusedWithoutSubgraphs(() => post(fixture, { query: `{ user(id: "u2") { name } }`, extensions: persisted(op("Ada").id) }));
    expect(res.status).toBe(400);
    expect(code(res.body)).toBe("PERSISTED_QUERY_HASH_MISMATCH");
  });

  it("runs listed operations by id (POST and GET), with variables", async () => {
    const before = await subgraphRequests(fixture.origin);
    expect((await post(fixture, { extensions: persisted(op("Ada").id) })).body).toEqual({ data: { user: { name: "Ada Lovelace" } } });
    const doctor = await post(fixture, { variables: { id: "d1" }, extensions: persisted(op("DoctorUser").id) });
    expect(doctor.body).toEqual({ data: { doctor: { id: "d1", user: { name: "Ada Lovelace" } } } });
    const byGet = await get(fixture, { variables: { id: "d1" }, extensions: persisted(op("DoctorUser").id) });
    expect(byGet).toEqual({ status: 200, body: { data: { doctor: { id: "d1", user: { name: "Ada Lovelace" } } } } });
    expect(await subgraphRequests(fixture.origin)).toBeGreaterThanOrEqual(before + 5); // the counter does count
  });

  it("runs listed operations sent in full, however they are formatted", async () => {
    expect((await post(fixture, { query: op("Ada").body })).body).toEqual({ data: { user: { name: "Ada Lovelace" } } });
    const reformatted = `# the app's copy\nquery Ada {\n\n  user(id: "u1") {   name }\n}`;
    expect((await post(fixture, { query: reformatted })).body).toEqual({ data: { user: { name: "Ada Lovelace" } } });
  });

  it("applies to graphql-ws subscribe messages too", async () => {
    const token = await fixture.jwks.sign({ sub: "u1", role: "PATIENT" });
    const client = createWsClient({
      url: fixture.url.replace("http", "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    const run = (query: string) =>
      new Promise<unknown>((resolve) => {
        const results: unknown[] = [];
        client.subscribe({ query }, { next: (r) => results.push(r), error: (err) => resolve(err), complete: () => resolve(results) });
      });
    try {
      const before = await subgraphRequests(fixture.origin);
      const refused = (await run(`subscription { unlisted }`)) as { extensions?: { code?: string } }[];
      expect(refused[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_IN_SAFELIST");
      // A listed operation passes the safelist (queries then belong on HTTP, which the router says).
      const listed = (await run(op("Ada").body)) as { errors?: { message: string }[] }[];
      expect(listed[0]?.errors?.[0]?.message).toMatch(/over HTTP/);
      expect(await subgraphRequests(fixture.origin)).toBe(before);
    } finally {
      await client.dispose();
    }
  });
});
