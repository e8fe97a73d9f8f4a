import { describe, expect, it } from "@jest/globals";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { HeaderMap, type HTTPGraphQLRequest } from "@apollo/server";
import {
  Safelist,
  manifestFromDocuments,
  parseManifest,
  persistedQueryRefusal,
  readOperationFiles,
  resolveSafelisted,
  sha256,
} from "../src/persistedQueries.js";

const DOCS = [
  {
    file: "doctor.graphql",
    text: `# a doctor and their account
      query Doctor($id: ID!) { doctor(id: $id) { ...DoctorFields } }
      fragment DoctorFields on Doctor { id user { ...UserFields } }`,
  },
  { file: "user.graphql", text: `fragment UserFields on User { id name }  query Whoami { whoami { userId role } }` },
];

const manifest = manifestFromDocuments(DOCS);
const safelist = new Safelist(manifest);
const doctorOp = manifest.operations.find((op) => op.name === "Doctor")!;

const post = (body: unknown): HTTPGraphQLRequest => ({ method: "POST", headers: new HeaderMap(), search: "", body });
const get = (params: Record<string, string>): HTTPGraphQLRequest => ({
  method: "GET",
  headers: new HeaderMap(),
  search: `?${new URLSearchParams(params)}`,
  body: undefined,
});

describe("manifestFromDocuments", () => {
  it("writes Apollo's manifest: one entry per named operation with the fragments it uses, id = sha256(body)", () => {
    expect(manifest.format).toBe("apollo-persisted-query-manifest");
    expect(manifest.version).toBe(1);
    expect(manifest.operations.map((op) => [op.name, op.type])).toEqual([
      ["Doctor", "query"],
      ["Whoami", "query"],
    ]);
    expect(doctorOp.body).toContain("fragment DoctorFields on Doctor");
    expect(doctorOp.body).toContain("fragment UserFields on User"); // used transitively, from another file
    expect(doctorOp.id).toBe(sha256(doctorOp.body));
    expect(manifest.operations.find((op) => op.name === "Whoami")!.body).not.toContain("fragment");
  });

  it("refuses anonymous or duplicated operations and unknown fragments", () => {
    expect(() => manifestFromDocuments([{ file: "a.graphql", text: "{ whoami { userId } }" }])).toThrow(/needs a name/);
    expect(() => manifestFromDocuments([{ file: "a.graphql", text: "query A { a } query A { b }" }])).toThrow(/twice/);
    expect(() => manifestFromDocuments([{ file: "a.graphql", text: "query A { ...Missing }" }])).toThrow(/Missing/);
  });
});

describe("readOperationFiles", () => {
  it("reads .graphql and .gql files under directories, recursively, skipping node_modules", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "clinigraph-ops-"));
    try {
      await mkdir(path.join(dir, "nested"));
      await mkdir(path.join(dir, "node_modules"));
      await writeFile(path.join(dir, "a.graphql"), DOCS[0]!.text);
      await writeFile(path.join(dir, "nested", "b.gql"), DOCS[1]!.text);
      await writeFile(path.join(dir, "node_modules", "c.graphql"), "query Skipped { a }");
      await writeFile(path.join(dir, "notes.md"), "not GraphQL");
      const files = await readOperationFiles([dir]);
      expect(files.map((f) => path.relative(dir, f.file))).toEqual(["a.graphql", path.join("nested", "b.gql")]);
      expect(manifestFromDocuments(files)).toEqual(manifest);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("parseManifest", () => {
  it("accepts a generated manifest and refuses anything else", () => {
    expect(parseManifest(JSON.parse(JSON.stringify(manifest)))).toEqual(manifest);
    expect(() => parseManifest({ format: "other", version: 1, operations: [] })).toThrow(/format/);
    expect(() => parseManifest({ ...manifest, version: 2 })).toThrow(/version/);
    expect(() => parseManifest({ ...manifest, operations: [{ id: "x", name: "X", type: "query", body: "query {" }] })).toThrow(/does not parse/);
    expect(() => parseManifest({ ...manifest, operations: [doctorOp, doctorOp] })).toThrow(/twice/);
  });
});

describe("Safelist", () => {
  it("finds an operation by id, by body, and by a body that differs only in whitespace and comments", () => {
    expect(safelist.byId(doctorOp.id)).toBe(doctorOp);
    expect(safelist.byBody(doctorOp.body)).toBe(doctorOp);
    expect(safelist.byBody(`# from the app\n${doctorOp.body.replace(/\n/g, "\n\n   ")}`)).toBe(doctorOp);
    expect(safelist.byBody(doctorOp.body.replace(/\bname\b/, "email"))).toBeUndefined();
    expect(safelist.byBody("query {")).toBeUndefined();
    expect(safelist.byBody(`${" ".repeat(100_000)}${doctorOp.body}`)).toBeUndefined(); // too long to be worth parsing
  });

  it("manifest ids need not be hashes: APQ clients may still send the body's sha256", () => {
    const custom = new Safelist({ ...manifest, operations: [{ ...doctorOp, id: "doctor-v1" }] });
    expect(custom.byId("doctor-v1")?.name).toBe("Doctor");
    expect(custom.byId(sha256(doctorOp.body))?.name).toBe("Doctor");
  });
});

describe("resolveSafelisted", () => {
  const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

  it("rewrites a POST by id to the listed body, keeping variables and other extensions", () => {
    const resolved = resolveSafelisted(safelist, post({ variables: { id: "d1" }, extensions: { ...persisted(doctorOp.id), trace: true } }));
    expect("request" in resolved && resolved.request.body).toEqual({ variables: { id: "d1" }, query: doctorOp.body, extensions: { trace: true } });
  });

  it("rewrites a GET by id", () => {
    const resolved = resolveSafelisted(safelist, get({ extensions: JSON.stringify(persisted(doctorOp.id)), variables: '{"id":"d1"}' }));
    const params = new URLSearchParams("request" in resolved ? resolved.request.search : "");
    expect(params.get("query")).toBe(doctorOp.body);
    expect(params.get("extensions")).toBeNull();
    expect(params.get("variables")).toBe('{"id":"d1"}');
  });

  it("refuses unlisted operations, unknown ids, ids sent with another body, and malformed requests", () => {
    const code = (r: ReturnType<typeof resolveSafelisted>) => ("error" in r ? r.error.extensions.code : "resolved");
    expect(code(resolveSafelisted(safelist, post({ query: "{ whoami { userId } }" })))).toBe("PERSISTED_QUERY_NOT_IN_SAFELIST");
    expect(code(resolveSafelisted(safelist, post({ extensions: persisted("0".repeat(64)) })))).toBe("PERSISTED_QUERY_NOT_IN_SAFELIST");
    expect(code(resolveSafelisted(safelist, post({ query: "{ whoami { userId } }", extensions: persisted(doctorOp.id) })))).toBe(
      "PERSISTED_QUERY_HASH_MISMATCH",
    );
    expect(code(resolveSafelisted(safelist, post([{ query: doctorOp.body }])))).toBe("PERSISTED_QUERY_NOT_IN_SAFELIST");
    expect(code(resolveSafelisted(safelist, post({})))).toBe("PERSISTED_QUERY_NOT_IN_SAFELIST");
    expect(code(resolveSafelisted(safelist, get({ extensions: "{not json" })))).toBe("PERSISTED_QUERY_NOT_IN_SAFELIST");
    expect(code(resolveSafelisted(safelist, post({ query: doctorOp.body })))).toBe("resolved");
  });
});

describe("persistedQueryRefusal (APQ mode, before Apollo reads the request)", () => {
  const query = `{ whoami { userId } }`;
  const code = (request: HTTPGraphQLRequest) => persistedQueryRefusal(request)?.extensions.code;

  it("refuses a hash that is not the SHA-256 of the query sent with it (POST and GET), and another protocol version", () => {
    expect(code(post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(`${query} `) } } }))).toBe("PERSISTED_QUERY_HASH_MISMATCH");
    expect(code(get({ query, extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } }) }))).toBe(
      "PERSISTED_QUERY_HASH_MISMATCH",
    );
    expect(code(post({ query, extensions: { persistedQuery: { version: 2, sha256Hash: sha256(query) } } }))).toBe("BAD_REQUEST");
    expect(persistedQueryRefusal(post({ query, extensions: { persistedQuery: { version: 2 } } }))?.extensions.http).toEqual({ status: 400 });
  });

  it("lets through a matching pair, a hash alone, plain queries and requests Apollo answers itself", () => {
    expect(code(post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }))).toBeUndefined();
    expect(code(post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } }))).toBeUndefined();
    expect(code(post({ query }))).toBeUndefined();
    expect(code(get({ query, extensions: "{not json" }))).toBeUndefined();
    expect(code(post([{ query }]))).toBeUndefined();
  });
});
