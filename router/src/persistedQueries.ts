/**
 * Persisted operations. Three modes (PERSISTED_QUERIES):
 * - `off`: clients send full queries; the persisted-query extension is refused (PERSISTED_QUERY_NOT_SUPPORTED);
 * - `apq`: Apollo's automatic persisted queries (Apollo Server's own protocol, cache in Redis or memory);
 * - `safelist`: only the operations of an Apollo persisted query manifest run, asked for by id
 *   (`extensions.persistedQuery.sha256Hash`) or by a body equal to a listed one (ignoring whitespace
 *   and comments); anything else is refused with PERSISTED_QUERY_NOT_IN_SAFELIST before it is parsed
 *   by Apollo or planned, so no subgraph ever sees it.
 * The manifest is the format of `@apollo/generate-persisted-query-manifest`; `pnpm persisted:manifest`
 * writes one from `.graphql` operation files.
 */
import { createHash } from "node:crypto";
import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { Kind, parse, print, visit, type DefinitionNode, type FragmentDefinitionNode, type GraphQLError, type OperationDefinitionNode } from "graphql";
import type { HTTPGraphQLRequest } from "@apollo/server";
import { hashMismatch, notInSafelist, unsupportedPersistedQueryVersion } from "./edgeErrors.js";

export const PERSISTED_QUERY_MODES = ["off", "apq", "safelist"] as const;
export type PersistedQueryMode = (typeof PERSISTED_QUERY_MODES)[number];

export interface ManifestOperation {
  id: string;
  name: string;
  type: "query" | "mutation" | "subscription";
  body: string;
}

export interface PersistedQueryManifest {
  format: "apollo-persisted-query-manifest";
  version: 1;
  operations: ManifestOperation[];
}

export const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Whitespace, commas and comments removed: two bodies that print alike are the same operation. */
const normalize = (body: string) => print(parse(body, { noLocation: true }));

export function parseManifest(json: unknown, source = "manifest"): PersistedQueryManifest {
  const fail = (why: string): never => {
    throw new Error(`${source}: not an Apollo persisted query manifest (${why})`);
  };
  const m = json as Partial<PersistedQueryManifest> | null;
  if (m?.format !== "apollo-persisted-query-manifest") fail(`format must be "apollo-persisted-query-manifest"`);
  if (m?.version !== 1) fail("version must be 1");
  if (!Array.isArray(m?.operations)) fail("operations must be an array");
  const ids = new Set<string>();
  for (const [i, op] of (m!.operations ?? []).entries()) {
    if (typeof op?.id !== "string" || op.id === "" || typeof op.body !== "string" || typeof op.name !== "string")
      fail(`operations[${i}] needs id, name and body`);
    if (!["query", "mutation", "subscription"].includes(op.type)) fail(`operations[${i}].type must be query, mutation or subscription`);
    if (ids.has(op.id)) fail(`operation id ${op.id} appears twice`);
    ids.add(op.id);
    try {
      normalize(op.body);
    } catch (err) {
      fail(`operations[${i}] (${op.name}) does not parse: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return m as PersistedQueryManifest;
}

export async function loadManifest(file: string): Promise<PersistedQueryManifest> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new Error(`PERSISTED_QUERY_MANIFEST: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`PERSISTED_QUERY_MANIFEST: ${file} is not JSON`);
  }
  return parseManifest(json, file);
}

export class Safelist {
  /** By manifest id and by the SHA-256 of the body (what APQ clients send). */
  private readonly byKey = new Map<string, ManifestOperation>();
  private readonly byNormalized = new Map<string, ManifestOperation>();
  /** Longer requests are not parsed: no listed body, however reformatted, is that long. */
  private readonly maxQueryLength: number;

  constructor(manifest: PersistedQueryManifest) {
    let longest = 0;
    for (const op of manifest.operations) {
      this.byKey.set(op.id, op);
      this.byKey.set(sha256(op.body), op);
      this.byNormalized.set(normalize(op.body), op);
      longest = Math.max(longest, op.body.length);
    }
    this.maxQueryLength = longest * 4 + 1024;
  }

  get size() {
    return this.byNormalized.size;
  }

  byId(id: string): ManifestOperation | undefined {
    return this.byKey.get(id);
  }

  byBody(query: string): ManifestOperation | undefined {
    const exact = this.byKey.get(sha256(query));
    if (exact || query.length > this.maxQueryLength) return exact;
    try {
      return this.byNormalized.get(normalize(query));
    } catch {
      return undefined; // does not parse: certainly not listed
    }
  }
}

type Resolved = { request: HTTPGraphQLRequest; operation: ManifestOperation } | { error: ReturnType<typeof notInSafelist> };

/**
 * Safelist mode, HTTP: a listed operation is rewritten to the manifest's body (without the
 * persisted-query extension, so Apollo runs it as a plain query); anything else is refused.
 */
export function resolveSafelisted(safelist: Safelist, request: HTTPGraphQLRequest): Resolved {
  const fields = requestFields(request);
  if (!fields) return { error: notInSafelist() };
  const query = fields.query || undefined;
  const extensions = fields.extensions;
  const { persistedQuery, ...otherExtensions } = extensions ?? {};
  const hash = (persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
  let operation: ManifestOperation | undefined;
  if (typeof hash === "string") {
    operation = safelist.byId(hash);
    if (!operation) return { error: notInSafelist() };
    if (query && safelist.byBody(query) !== operation) return { error: hashMismatch() };
  } else if (query) {
    operation = safelist.byBody(query);
  }
  if (!operation) return { error: notInSafelist() };
  const rest = Object.keys(otherExtensions).length ? otherExtensions : undefined;
  if (request.method === "GET") {
    const params = new URLSearchParams(request.search);
    params.set("query", operation.body);
    if (rest) params.set("extensions", JSON.stringify(rest));
    else params.delete("extensions");
    return { request: { ...request, search: `?${params.toString()}` }, operation };
  }
  const { extensions: _dropped, ...body } = request.body as Record<string, unknown>;
  return { request: { ...request, body: { ...body, query: operation.body, ...(rest ? { extensions: rest } : {}) } }, operation };
}

function requestFields(request: HTTPGraphQLRequest): { query?: string; extensions?: Record<string, unknown> } | undefined {
  let query: unknown;
  let extensions: unknown;
  if (request.method === "GET") {
    const params = new URLSearchParams(request.search);
    query = params.get("query") ?? undefined;
    const raw = params.get("extensions");
    try {
      extensions = raw ? (JSON.parse(raw) as unknown) : undefined;
    } catch {
      return undefined;
    }
  } else {
    const body = request.body;
    if (!body || typeof body !== "object" || Array.isArray(body)) return undefined; // batches are refused anyway
    ({ query, extensions } = body as Record<string, unknown>);
  }
  if (query !== undefined && typeof query !== "string") return undefined;
  if (extensions !== undefined && (!extensions || typeof extensions !== "object" || Array.isArray(extensions))) return undefined;
  return { query: query as string | undefined, extensions: extensions as Record<string, unknown> | undefined };
}

/**
 * APQ mode, HTTP: what is wrong with the persisted-query extension of a request, checked before Apollo reads it
 * (the protocol's version, and the sha256Hash against the SHA-256 of the query sent with it, so a mismatched
 * pair is never registered). Undefined when there is no extension, nothing wrong, or the request is malformed
 * in a way Apollo answers itself.
 */
export function persistedQueryRefusal(request: HTTPGraphQLRequest): GraphQLError | undefined {
  const fields = requestFields(request);
  const persistedQuery = fields?.extensions?.persistedQuery as { version?: unknown; sha256Hash?: unknown } | undefined;
  if (!fields || !persistedQuery) return undefined;
  if (persistedQuery.version !== 1) return unsupportedPersistedQueryVersion();
  if (fields.query !== undefined && persistedQuery.sha256Hash !== sha256(fields.query)) return hashMismatch();
  return undefined;
}

/** The `.graphql` / `.gql` files under `paths` (files or directories, recursively; node_modules skipped), sorted. */
export async function readOperationFiles(paths: readonly string[]): Promise<{ file: string; text: string }[]> {
  const files: string[] = [];
  const walk = async (p: string): Promise<void> => {
    if ((await stat(p)).isDirectory()) {
      for (const entry of await readdir(p)) if (entry !== "node_modules" && !entry.startsWith(".")) await walk(path.join(p, entry));
    } else if (/\.(graphql|gql)$/.test(p)) files.push(p);
  };
  for (const p of paths) await walk(p);
  files.sort();
  return Promise.all(files.map(async (file) => ({ file, text: await readFile(file, "utf8") })));
}

/**
 * A manifest from GraphQL documents (the operations a client ships): one entry per named operation,
 * its body the operation followed by the fragments it uses, its id the SHA-256 of that body.
 */
export function manifestFromDocuments(documents: readonly { file: string; text: string }[]): PersistedQueryManifest {
  const operations: OperationDefinitionNode[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const { file, text } of documents) {
    for (const def of parse(text, { noLocation: true }).definitions) {
      if (def.kind === Kind.OPERATION_DEFINITION) {
        if (!def.name) throw new Error(`${file}: every operation needs a name`);
        operations.push(def);
      } else if (def.kind === Kind.FRAGMENT_DEFINITION) {
        if (fragments.has(def.name.value)) throw new Error(`${file}: fragment ${def.name.value} is defined twice`);
        fragments.set(def.name.value, def);
      } else throw new Error(`${file}: only operations and fragments belong in operation files`);
    }
  }
  const names = new Set<string>();
  const entries = operations.map((op): ManifestOperation => {
    const name = op.name!.value;
    if (names.has(name)) throw new Error(`operation ${name} is defined twice`);
    names.add(name);
    const used = usedFragments(op, fragments);
    const body = print({ kind: Kind.DOCUMENT, definitions: [op, ...used] });
    return { id: sha256(body), name, type: op.operation, body };
  });
  return { format: "apollo-persisted-query-manifest", version: 1, operations: entries.sort((a, b) => a.name.localeCompare(b.name)) };
}

function usedFragments(root: DefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const found = new Map<string, FragmentDefinitionNode>();
  const pending: DefinitionNode[] = [root];
  while (pending.length) {
    visit(pending.pop()!, {
      FragmentSpread(node) {
        const name = node.name.value;
        if (found.has(name)) return;
        const fragment = fragments.get(name);
        if (!fragment) throw new Error(`fragment ${name} is used but not defined`);
        found.set(name, fragment);
        pending.push(fragment);
      },
    });
  }
  return [...found.values()].sort((a, b) => a.name.value.localeCompare(b.name.value));
}
