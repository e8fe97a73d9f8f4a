/** Supergraph composition and the staleness check, on temporary repositories. */
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { composeRepository, discoverSubgraphs } from "../src/compose.js";
import { DOCTORS_SDL, USERS_SDL } from "./support/subgraphs.js";

const PORTS = { users: 4101, doctors: 4102 };
let root: string;

async function addSubgraph(name: string, sdl: string) {
  await mkdir(path.join(root, "subgraphs", name, "src"), { recursive: true });
  await writeFile(path.join(root, "subgraphs", name, "src", "schema.graphql"), sdl);
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), "clinigraph-compose-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

it("discovers subgraphs by directory, skipping those without a schema, with default-port URLs", async () => {
  await addSubgraph("users", USERS_SDL);
  await addSubgraph("doctors", DOCTORS_SDL);
  await mkdir(path.join(root, "subgraphs", "wip", "src"), { recursive: true });
  const found = await discoverSubgraphs(root, PORTS);
  expect(found.map(({ name, url, file }) => ({ name, url, file }))).toEqual([
    { name: "doctors", url: "http://127.0.0.1:4102/graphql", file: path.join("subgraphs", "doctors", "src", "schema.graphql") },
    { name: "users", url: "http://127.0.0.1:4101/graphql", file: path.join("subgraphs", "users", "src", "schema.graphql") },
  ]);
});

it("refuses a subgraph without a default port", async () => {
  await addSubgraph("mystery", USERS_SDL);
  await expect(discoverSubgraphs(root, PORTS)).rejects.toThrow(/mystery.*DEFAULT_PORTS/);
});

it("writes the supergraph, then reports it fresh, then stale after a subgraph change", async () => {
  await addSubgraph("users", USERS_SDL);
  await addSubgraph("doctors", DOCTORS_SDL);
  const written = await composeRepository({ root, ports: PORTS });
  expect(written).toMatchObject({ status: "written", subgraphs: ["doctors", "users"], errors: [] });
  const sdl = await readFile(path.join(root, "schema", "supergraph.graphql"), "utf8");
  expect(sdl).toContain('@join__graph(name: "doctors", url: "http://127.0.0.1:4102/graphql")');
  expect(sdl).toContain("type Doctor");

  expect((await composeRepository({ root, ports: PORTS })).status).toBe("unchanged");
  expect((await composeRepository({ root, ports: PORTS, check: true })).status).toBe("fresh");

  await addSubgraph("users", USERS_SDL.replace("name: String!", "name: String!\n  email: String"));
  expect((await composeRepository({ root, ports: PORTS, check: true })).status).toBe("stale");
  expect(await readFile(path.join(root, "schema", "supergraph.graphql"), "utf8")).toBe(sdl); // --check never writes
});

it("reports a missing supergraph file as stale", async () => {
  await addSubgraph("users", USERS_SDL);
  expect((await composeRepository({ root, ports: PORTS, check: true })).status).toBe("stale");
});

it("fails with readable errors when composition breaks", async () => {
  await addSubgraph("users", USERS_SDL);
  await addSubgraph(
    "doctors",
    DOCTORS_SDL.replace('type User @key(fields: "id", resolvable: false) { id: ID! }', 'type User @key(fields: "id") { id: ID! name: Int }'),
  );
  const report = await composeRepository({ root, ports: PORTS });
  expect(report.status).toBe("failed");
  expect(report.errors.join("\n")).toMatch(/\[[A-Z_]+\].*User\.name/);
});

it("fails with the file name when an SDL does not parse", async () => {
  await addSubgraph("users", "type Query {");
  const report = await composeRepository({ root, ports: PORTS });
  expect(report).toMatchObject({ status: "failed" });
  expect(report.errors[0]).toMatch(/^subgraphs\/users\/src\/schema\.graphql: Syntax Error/);
});
