/** The router serves a supergraph file and picks up a new composition without a restart. */
import { mkdtemp, rm, writeFile, rename } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLogger } from "@clinigraph/platform";
import { composeSupergraph } from "../src/compose.js";
import { createRouter, type Router } from "../src/server.js";
import { ROUTER_SECRETS } from "./support/fixture.js";
import { gql } from "./support/http.js";
import { startJwks, type TestJwks } from "./support/jwks.js";
import { startDoctorsSubgraph, startUsersSubgraph, type TestSubgraph } from "./support/subgraphs.js";

let dir: string;
let jwks: TestJwks;
let users: TestSubgraph;
let doctors: TestSubgraph;
let router: Router;
let url: string;

const compose = (...subgraphs: TestSubgraph[]) => {
  const outcome = composeSupergraph(subgraphs.map((s) => s.source()));
  if (!outcome.ok) throw new Error(outcome.errors.join("; "));
  return outcome.supergraphSdl;
};

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "clinigraph-router-"));
  jwks = await startJwks();
  users = await startUsersSubgraph(ROUTER_SECRETS);
  doctors = await startDoctorsSubgraph(ROUTER_SECRETS);
  await writeFile(path.join(dir, "supergraph.graphql"), compose(users));
  router = await createRouter({
    supergraph: { supergraphPath: path.join(dir, "supergraph.graphql") },
    jwksUrl: jwks.url,
    routerSecrets: ROUTER_SECRETS,
    logger: createLogger("test-router"),
  });
  url = (await router.listen(0)).url;
});

afterAll(async () => {
  await router?.stop();
  await Promise.all([users?.running.close(), doctors?.running.close(), jwks?.close()]);
  await rm(dir, { recursive: true, force: true });
});

it("serves the supergraph from the file", async () => {
  const res = await gql(url, '{ user(id: "u1") { name } }');
  expect(res.body).toEqual({ data: { user: { name: "Ada Lovelace" } } });
  expect((await gql(url, '{ doctor(id: "d1") { id } }')).status).toBe(400);
});

it("reloads when the file is replaced (write + rename, as editors and tools do)", async () => {
  const next = path.join(dir, "supergraph.graphql.tmp");
  await writeFile(next, compose(users, doctors));
  await rename(next, path.join(dir, "supergraph.graphql"));
  const res = await eventually(
    () => gql(url, '{ doctor(id: "d1") { user { name } } }'),
    (r) => r.status === 200,
  );
  expect(res.body).toEqual({ data: { doctor: { user: { name: "Ada Lovelace" } } } });
});

it("keeps serving the current supergraph when the new file is invalid", async () => {
  await writeFile(path.join(dir, "supergraph.graphql"), "type Query { this is not a supergraph");
  await new Promise((resolve) => setTimeout(resolve, 400));
  const res = await gql(url, '{ doctor(id: "d1") { id } }');
  expect(res.body).toEqual({ data: { doctor: { id: "d1" } } });
});

it("/ready follows the subgraphs of the reloaded supergraph", async () => {
  await doctors.running.close();
  const res = await fetch(new URL("/ready", url));
  expect(res.status).toBe(503);
  expect(await res.json()).toMatchObject({ down: ["doctors"] });
});
