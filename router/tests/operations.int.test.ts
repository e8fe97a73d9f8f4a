/** Router operations: health, readiness, metrics, and behaviour when a subgraph is down. */
import { startFederation, type Federation } from "./support/fixture.js";
import { gql } from "./support/http.js";

let fed: Federation;
beforeAll(async () => {
  fed = await startFederation();
});
afterAll(async () => {
  await fed?.close();
});

const getJson = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

it("/health answers 200 while the process is up", async () => {
  expect(await getJson(`${fed.origin}/health`)).toEqual({ status: 200, body: { status: "ok", service: "router" } });
});

it("/ready answers 200 when every subgraph is healthy", async () => {
  expect(await getJson(`${fed.origin}/ready`)).toEqual({ status: 200, body: { status: "ready", service: "router" } });
});

it("/metrics exposes process metrics and request counters", async () => {
  await gql(fed.url, '{ user(id: "u1") { name } }');
  await gql(fed.url, "{ boom }");
  await gql(fed.url, "{ whoami { role } }", { token: "bad" });
  const res = await fetch(`${fed.origin}/metrics`);
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(text).toContain("process_cpu_user_seconds_total");
  expect(text).toMatch(/clinigraph_router_requests_total\{operation_type="query",status="success"\} [1-9]/);
  expect(text).toMatch(/clinigraph_router_requests_total\{operation_type="query",status="partial"\} [1-9]/);
  expect(text).toMatch(/clinigraph_router_requests_total\{operation_type="unknown",status="error"\} [1-9]/);
  expect(text).toMatch(/clinigraph_router_request_duration_seconds_count\{operation_type="query"\} [1-9]/);
});

it("/metrics counts query plans made and reused", async () => {
  const read = async () => {
    const text = await (await fetch(`${fed.origin}/metrics`)).text();
    const count = (result: string) => Number(new RegExp(`clinigraph_router_query_plans_total\\{result="${result}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    return { hit: count("hit"), miss: count("miss") };
  };
  const before = await read();
  const query = `query PlanCount${Date.now()} { user(id: "u2") { name } }`;
  for (let i = 0; i < 3; i++) await gql(fed.url, query);
  const after = await read();
  expect({ hit: after.hit - before.hit, miss: after.miss - before.miss }).toEqual({ hit: 2, miss: 1 });
});

describe("with the doctors subgraph stopped", () => {
  beforeAll(async () => {
    await fed.doctors.running.close();
  });

  it("returns partial data and an error for that subgraph, HTTP 200", async () => {
    const res = await gql(fed.url, '{ user(id: "u1") { name } doctor(id: "d1") { id } }');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ user: { name: "Ada Lovelace" }, doctor: null });
    expect(res.body.errors).toEqual([{ message: 'Service "doctors" is unavailable', extensions: { code: "SERVICE_UNAVAILABLE", serviceName: "doctors" } }]);
  });

  it("/ready answers 503 naming the subgraph that is down", async () => {
    expect(await getJson(`${fed.origin}/ready`)).toEqual({ status: 503, body: { status: "unavailable", service: "router", down: ["doctors"] } });
  });

  it("/health still answers 200", async () => {
    expect((await getJson(`${fed.origin}/health`)).status).toBe(200);
  });
});
