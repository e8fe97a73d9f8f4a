/**
 * The router's query-plan executor (execution/executor.ts, with its compiled response shaper, shaper.ts) against
 * stock @apollo/gateway: two routers on the same supergraph and the same subgraphs, one with `executor: "apollo"`,
 * one with `executor: "router"`, must answer every operation of the corpus with the same HTTP status and the same
 * body, byte for byte (key order included), and send the subgraphs the same requests. The router executor answers
 * each operation twice (the second time from its cache of plans and compiled shapers).
 *
 * Three subgraphs, composed in-process: `catalog` (products, books, a Node interface, a SearchResult union,
 * mutations), `reviews` (reviews of products, @provides, a @shareable field) and `people` (users, a @requires
 * field on products), plus `offline`, composed but never started. Some subgraphs are served with a schema that is not
 * the one composed (a String where the supergraph says Int or an enum, a nullable field where it says non-null, a
 * single object where it says a list, a union member it does not know): that is how a real subgraph ends up sending
 * the router data its supergraph does not allow, which the shapers must handle alike. A test plugin on the subgraphs
 * goes further where no schema can (a scalar where an object is expected, a __typename that is not a string): any
 * object holding a string field `@@parent:<json>` is answered as `<json>` instead.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { parse } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { createLogger, createSubgraphServer, forbidden, notFound, type BaseContext, type RunningServer } from "@clinigraph/platform";
import { composeSupergraph, type SubgraphSource } from "../src/compose.js";
import { PlanExecutor } from "../src/execution/executor.js";
import { createRouter, type Router, type RouterOptions } from "../src/server.js";
import { ROUTER_SECRETS } from "./support/fixture.js";
import { startJwks, type TestJwks } from "./support/jwks.js";

const FEDERATION = (...imports: string[]) => `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ${JSON.stringify(imports)})`;

/**
 * `served`: the schema the subgraph really runs; else the one composed. Where they differ, the served one lets the
 * subgraph answer what the supergraph forbids.
 */
const catalogSdl = (served: boolean) => `
  ${FEDERATION("@key", "@shareable", "@authenticated")}

  enum Category { BOOK TOOL TOY }

  interface Node { id: ID! }

  type Brand { name: String! country: String }

  type Product implements Node @key(fields: "id") {
    id: ID!
    name: String! @shareable
    price: Int
    category: Category
    weight: Float
    sku: String @shareable
    tags: [String!]
    sizes: [[Int]]
    brand: Brand
    related: [Product]
    secretNote: String @authenticated
  }

  type Book implements Node @key(fields: "id") { id: ID! title: String! pages: Int }

  ${served ? "type Ghost { id: ID! }" : ""}
  union SearchResult = Product | Book ${served ? "| Ghost" : ""}

  type Shape { label: String }

  type Oddities {
    badEnum: ${served ? "String" : "Category"}
    badEnums: ${served ? "[String]" : "[Category]"}
    badInt: ${served ? "String" : "Int"}
    fractionalInt: ${served ? "Float" : "Int"}
    numberForString: ${served ? "Int" : "String"}
    stringForBoolean: ${served ? "String" : "Boolean"}
    intForId: ${served ? "Int" : "ID"}
    missingRequired: ${served ? "String" : "String!"}
    notAList: ${served ? "String" : "[String]"}
    strictList: ${served ? "[Int]" : "[Int!]"}
    strictListRequired: ${served ? "[Int]" : "[Int!]!"}
    matrix: ${served ? "[[Int]]" : "[[Int!]]"}
    strictMatrix: ${served ? "[[Int]]" : "[[Int!]!]"}
    ghost: SearchResult
    ghosts: [SearchResult]
    numberShape: Shape
    numericTypename: Shape
    scalarTypename: Shape
    foreignTypename: Shape
    interfaceTypename: Shape
    emptyTypename: Shape
    listForObject: ${served ? "[Shape]" : "Shape"}
    requiredShape: ${served ? "Shape" : "Shape!"}
  }

  type LogState { entries: [String!]! }

  type Query {
    product(id: ID!): Product
    products(first: Int = 3): [Product!]!
    nodes: [Node]
    search(term: String!): [SearchResult]
    oddities: Oddities
    explode: Int!
    productsButObject: ${served ? "Product" : "[Product]"}
    productButList: ${served ? "[Product]" : "Product"}
  }

  type Mutation {
    rename(id: ID!, name: String!): Product
    resetLog: LogState!
    appendLog(entry: String!): LogState!
  }
`;

const reviewsSdl = (served: boolean) => `
  ${FEDERATION("@key", "@shareable", "@external", "@provides")}

  type Product @key(fields: "id") {
    id: ID!
    name: String! @external
    sku: String @shareable
    reviews: [Review!]
    reviewCount: Int!
  }

  type Review @key(fields: "id") {
    id: ID!
    body: ${served ? "String" : "String!"}
    rating: ${served ? "Float" : "Int"}
    author: User
    product: Product @provides(fields: "name")
  }

  type User @key(fields: "id", resolvable: false) { id: ID! }

  type Query { latestReviews: [Review!]! review(id: ID!): Review }
`;

const peopleSdl = () => `
  ${FEDERATION("@key", "@external", "@requires")}

  type User @key(fields: "id") { id: ID! name: String! handle: String favorite: Product }

  type Product @key(fields: "id") {
    id: ID!
    weight: Float @external
    shippingEstimate: Int @requires(fields: "weight")
  }

  type Query { users: [User] }
`;

const OFFLINE_SDL = `${FEDERATION("@key")} type Query { offline: String } type Product @key(fields: "id") { id: ID! stock: Int }`;

// ---------------------------------------------------------------------------------------------------------------
// Data

interface ProductRow {
  id: string;
  name: string;
  price: number | null;
  category: string | null;
  weight: number | null;
  sku: string | null;
  tags: string[] | null;
  sizes: (number | null)[][] | null;
  brand: { name: string; country: string | null } | null;
  related: string[];
  secretNote: string;
}

const product = (row: Omit<ProductRow, "secretNote">): ProductRow => ({ ...row, secretNote: `note on ${row.id}` });
const PRODUCTS: Record<string, ProductRow> = {
  p1: product({
    id: "p1",
    name: "Anvil",
    price: 100,
    category: "TOOL",
    weight: 12.5,
    sku: "AN-1",
    tags: ["heavy", "iron"],
    sizes: [[1, 2], [3]],
    brand: { name: "Acme", country: "US" },
    related: ["p2", "p3"],
  }),
  p2: product({
    id: "p2",
    name: "Kite",
    price: 20,
    category: "TOY",
    weight: null,
    sku: "KT-2",
    tags: [],
    sizes: [[], [4, null]],
    brand: { name: "Skyward", country: null },
    related: [],
  }),
  p3: product({ id: "p3", name: "Ball", price: 5, category: "TOY", weight: 0.5, sku: null, tags: null, sizes: null, brand: null, related: ["p1"] }),
  p4: product({ id: "p4", name: "Saw", price: null, category: null, weight: 3, sku: "SW-4", tags: ["sharp"], sizes: [[7]], brand: null, related: ["p4"] }),
  p9: product({ id: "p9", name: "Spare", price: 1, category: "BOOK", weight: 1, sku: "SP-9", tags: [], sizes: [], brand: null, related: [] }),
};
const PRODUCT_ORDER = ["p1", "p2", "p3", "p4"];
const BOOKS: Record<string, { id: string; title: string; pages: number | null }> = {
  b1: { id: "b1", title: "Dune", pages: 412 },
  b2: { id: "b2", title: "Emma", pages: null },
};

interface ReviewRow {
  id: string;
  productId: string;
  body: string | null;
  rating: number | null;
  authorId: string | null;
}
const REVIEWS: Record<string, ReviewRow> = {
  r1: { id: "r1", productId: "p1", body: "Great", rating: 5, authorId: "u1" },
  r2: { id: "r2", productId: "p1", body: "Heavy", rating: 3.5, authorId: "u2" }, // 3.5: not an Int
  r3: { id: "r3", productId: "p2", body: null, rating: 4, authorId: "u1" }, // body: null for a String!
  r4: { id: "r4", productId: "p4", body: "Meh", rating: 2, authorId: "u-ghost" }, // a user people does not know
  r5: { id: "r5", productId: "p4", body: "Sharp", rating: null, authorId: "u3" }, // a user people refuses
  r6: { id: "r6", productId: "p9", body: "Odd", rating: 1, authorId: "u4" }, // a user that fails people's whole batch
};
const reviewsOf = (productId: string) => Object.values(REVIEWS).filter((r) => r.productId === productId);

const USERS: Record<string, { id: string; name: string; handle: string | null; favoriteId: string | null }> = {
  u1: { id: "u1", name: "Ada", handle: "ada", favoriteId: "p2" },
  u2: { id: "u2", name: "Grace", handle: null, favoriteId: null },
};

const isBook = (value: object) => "title" in value;
const typeOfResult = (value: object) => ("ghost" in value ? "Ghost" : isBook(value) ? "Book" : "Product");

let log: string[] = [];

const catalogResolvers = {
  Query: {
    product: (_: unknown, { id }: { id: string }) => PRODUCTS[id] ?? null,
    products: (_: unknown, { first }: { first: number | null }) => PRODUCT_ORDER.slice(0, first ?? PRODUCT_ORDER.length).map((id) => PRODUCTS[id]),
    nodes: () => [PRODUCTS.p1, BOOKS.b1, PRODUCTS.p2, null, BOOKS.b2],
    search: (_: unknown, { term }: { term: string }) => (term === "none" ? [] : [PRODUCTS.p1, BOOKS.b1, PRODUCTS.p3]),
    oddities: () => ({}),
    explode: () => {
      throw notFound("Nothing to explode");
    },
    productsButObject: () => PRODUCTS.p1,
    productButList: () => [PRODUCTS.p1, PRODUCTS.p2],
  },
  Mutation: {
    rename: (_: unknown, { id, name }: { id: string; name: string }) => {
      const row = PRODUCTS[id];
      if (!row) return null;
      row.name = name;
      return row;
    },
    resetLog: () => {
      log = [];
      return { entries: [...log] };
    },
    appendLog: (_: unknown, { entry }: { entry: string }) => {
      log.push(entry);
      return { entries: [...log] };
    },
  },
  Node: { __resolveType: typeOfResult },
  SearchResult: { __resolveType: typeOfResult },
  Product: {
    __resolveReference: (ref: { id: string }) => PRODUCTS[ref.id] ?? null,
    related: (row: ProductRow) => row.related.map((id) => PRODUCTS[id]),
  },
  Book: { __resolveReference: (ref: { id: string }) => BOOKS[ref.id] ?? null },
  Oddities: {
    badEnum: () => "BOGUS",
    badEnums: () => ["TOY", "NOPE", null, "BOOK"],
    badInt: () => "seven",
    fractionalInt: () => 2.5,
    numberForString: () => 5,
    stringForBoolean: () => "true",
    intForId: () => 7,
    missingRequired: () => null,
    notAList: () => "x",
    strictList: () => [1, null, 3],
    strictListRequired: () => [1, null],
    matrix: () => [[1, 2], [3, null], [5], null],
    strictMatrix: () => [[1], [null]],
    ghost: () => ({ ghost: true, id: "g1" }),
    ghosts: () => [PRODUCTS.p1, { ghost: true, id: "g2" }, BOOKS.b2],
    numberShape: () => ({ label: "@@parent:42" }),
    numericTypename: () => ({ label: '@@parent:{"__typename":5,"label":"five"}' }),
    scalarTypename: () => ({ label: '@@parent:{"__typename":"String","label":"str"}' }),
    foreignTypename: () => ({ label: '@@parent:{"__typename":"Book","label":"booked","title":"Dune"}' }),
    interfaceTypename: () => ({ label: '@@parent:{"__typename":"Node","label":"abstract"}' }),
    emptyTypename: () => ({ label: '@@parent:{"__typename":"","label":"blank"}' }),
    listForObject: () => [{ label: "a" }, { label: "b" }],
    requiredShape: () => null,
  },
};

const reviewsResolvers = {
  Query: {
    latestReviews: () => [REVIEWS.r1, REVIEWS.r4],
    review: (_: unknown, { id }: { id: string }) => REVIEWS[id] ?? null,
  },
  Product: {
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    reviews: ({ id }: { id: string }) => {
      if (id === "p3") throw notFound("Reviews of p3 are unavailable");
      return reviewsOf(id);
    },
    reviewCount: ({ id }: { id: string }) => (id === "p3" ? 0 : reviewsOf(id).length),
    sku: ({ id }: { id: string }) => PRODUCTS[id]?.sku ?? null,
  },
  Review: {
    __resolveReference: (ref: { id: string }) => REVIEWS[ref.id] ?? null,
    author: (row: ReviewRow) => (row.authorId ? { id: row.authorId } : null),
    product: (row: ReviewRow) => ({ id: row.productId, name: PRODUCTS[row.productId]?.name }),
  },
};

const peopleResolvers = {
  Query: { users: () => [USERS.u1, USERS.u2] },
  User: {
    __resolveReference: (ref: { id: string }) => {
      // u3: this entity fails (a rejected promise); u4: the whole batch fails (a throw while reading the batch).
      if (ref.id === "u3") return Promise.reject(forbidden("User u3 is hidden"));
      if (ref.id === "u4") throw forbidden("User u4 breaks the batch");
      return USERS[ref.id] ?? null;
    },
    favorite: (row: { favoriteId: string | null }) => (row.favoriteId ? { id: row.favoriteId } : null),
  },
  Product: {
    __resolveReference: (ref: { id: string; weight?: number | null }) => ref,
    shippingEstimate: (ref: { weight?: number | null }) => (ref.weight === null || ref.weight === undefined ? null : Math.round(ref.weight * 2)),
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Subgraphs

interface SubgraphCall {
  subgraph: string;
  query: string;
  variables: unknown;
}
const calls: SubgraphCall[] = [];

const PARENT = "@@parent:";
/** Answers an object holding a `@@parent:<json>` string field as that JSON (see the file's comment). */
function tamper(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tamper);
  if (value === null || typeof value !== "object") return value;
  const object = value as Record<string, unknown>;
  for (const field of Object.values(object)) if (typeof field === "string" && field.startsWith(PARENT)) return JSON.parse(field.slice(PARENT.length));
  for (const [key, field] of Object.entries(object)) object[key] = tamper(field);
  return object;
}

/** Records every operation the subgraph is sent; rewrites its answers with `tamper`. */
const recorder = (subgraph: string): ApolloServerPlugin<BaseContext> => ({
  async requestDidStart({ request }) {
    calls.push({ subgraph, query: request.query ?? "", variables: request.variables ?? {} });
    return {
      async willSendResponse({ response }) {
        if (response.body.kind === "single" && response.body.singleResult.data) {
          response.body.singleResult.data = tamper(response.body.singleResult.data) as Record<string, unknown>;
        }
      },
    };
  },
});

const silent = createLogger("executor-test", "silent");

async function startSubgraph(name: string, served: string, resolvers: object): Promise<RunningServer> {
  const server = await createSubgraphServer<BaseContext>({
    name,
    typeDefs: parse(served),
    resolvers,
    routerSecrets: ROUTER_SECRETS,
    logger: silent,
    createContext: (base) => base,
    plugins: [recorder(name)],
  });
  return server.listen(0);
}

// ---------------------------------------------------------------------------------------------------------------
// The corpus

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] } & {
  extensions?: { valueCompletion?: { message: string; path?: (string | number)[] }[] };
};

interface Case {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  /** Signed in (a token of the test JWKS) rather than anonymous. */
  signedIn?: boolean;
  /** false: the router executor hands it to the stock executor (introspection) or refuses it before planning. */
  fast?: boolean;
  /** What the (stock) answer must show, so the case really exercises what it is named after. */
  check?: (body: Body) => void;
}

const dataOf = (body: Body) => (body.data ?? {}) as Record<string, unknown>;
const messages = (body: Body) => (body.errors ?? []).map((e) => e.message);
const completion = (body: Body) => (body.extensions?.valueCompletion ?? []).map((e) => e.message);

const CASES: Case[] = [
  // __typename and aliases
  { name: "root __typename", query: "{ __typename }", check: (b) => expect(b).toEqual({ data: { __typename: "Query" } }) },
  {
    name: "aliased root __typename",
    query: "{ a: __typename b: __typename __typename }",
    check: (b) => expect(b.data).toEqual({ a: "Query", b: "Query", __typename: "Query" }),
  },
  {
    name: "an inline fragment on the root type",
    query: '{ ... on Query { t: __typename product(id: "p1") { id } } __typename }',
    check: (b) => expect(b.data).toEqual({ t: "Query", product: { id: "p1" }, __typename: "Query" }),
  },
  {
    name: "aliases on fields, and the same field under two aliases",
    query: '{ first: product(id: "p1") { label: name cost: price name } second: product(id: "p2") { label: name kind: __typename } }',
    check: (b) => expect(b.data).toEqual({ first: { label: "Anvil", cost: 100, name: "Anvil" }, second: { label: "Kite", kind: "Product" } }),
  },
  {
    name: "nested __typename, aliased and not, before and after fields",
    query: '{ product(id: "p1") { t: __typename id __typename brand { __typename name bt: __typename } } }',
    check: (b) =>
      expect(dataOf(b).product).toEqual({ t: "Product", id: "p1", __typename: "Product", brand: { __typename: "Brand", name: "Acme", bt: "Brand" } }),
  },
  {
    name: "scalars, enums, lists and lists of lists of one subgraph",
    query: '{ product(id: "p1") { id name price category weight tags sizes brand { name country } } }',
    check: (b) => expect(dataOf(b).product).toMatchObject({ category: "TOOL", sizes: [[1, 2], [3]] }),
  },
  {
    name: "lists of lists with empty and null members, over a list of products",
    query: "{ products(first: 4) { id sizes tags } }",
    check: (b) => expect((dataOf(b).products as { sizes: unknown }[]).map((p) => p.sizes)).toEqual([[[1, 2], [3]], [[], [4, null]], null, [[7]]]),
  },
  {
    name: "aliases sent to other subgraphs",
    query: '{ product(id: "p1") { r: reviews { b: body who: author { n: name } } n: reviewCount reviewCount s: shippingEstimate } }',
    check: (b) => expect(dataOf(b).product).toMatchObject({ n: 2, reviewCount: 2, s: 25 }),
  },
  {
    name: "one field under two aliases with different arguments and sub-selections",
    query: "{ a: products(first: 1) { id } b: products(first: 2) { id reviewCount } }",
    check: (b) =>
      expect(b.data).toEqual({
        a: [{ id: "p1" }],
        b: [
          { id: "p1", reviewCount: 2 },
          { id: "p2", reviewCount: 1 },
        ],
      }),
  },
  // fragments
  {
    name: "the same field through two fragments with different sub-selections, across subgraphs",
    query: `
      query { product(id: "p1") { ...A ...B brand { name } } }
      fragment A on Product { brand { country } reviews { body } }
      fragment B on Product { brand { name } reviews { id author { name } } }`,
    check: (b) =>
      expect(dataOf(b).product).toEqual({
        brand: { country: "US", name: "Acme" },
        reviews: [
          { body: "Great", id: "r1", author: { name: "Ada" } },
          { body: "Heavy", id: "r2", author: { name: "Grace" } },
        ],
      }),
  },
  {
    name: "named and inline fragments on an interface",
    query: `
      { nodes { __typename id ... on Product { name } ...BookBits ... on Node { nodeId: id } } }
      fragment BookBits on Book { title pages }`,
    check: (b) => expect((dataOf(b).nodes as unknown[])[3]).toBeNull(),
  },
  {
    name: "entity fetch through an interface: only the matching members are sent",
    query: "{ nodes { id ... on Product { reviewCount reviews { body } } ... on Book { title } } }",
    check: (b) => expect((dataOf(b).nodes as Record<string, unknown>[])[0]).toMatchObject({ id: "p1", reviewCount: 2 }),
  },
  {
    name: "union members with fragments",
    query: '{ search(term: "a") { __typename ... on Product { name price } ... on Book { title } } }',
    check: (b) =>
      expect(dataOf(b).search).toEqual([
        { __typename: "Product", name: "Anvil", price: 100 },
        { __typename: "Book", title: "Dune" },
        { __typename: "Product", name: "Ball", price: 5 },
      ]),
  },
  {
    name: "interface fragment inside a union, named fragment on a member",
    query: `
      { search(term: "a") { ... on Node { id } ...Pages kind: __typename } }
      fragment Pages on Book { pages }`,
  },
  {
    name: "fragments whose type condition matches nothing",
    query: '{ product(id: "p1") { id ... on Product { name } } search(term: "a") { ... on Book { title } } none: search(term: "none") { __typename } }',
    check: (b) => expect(dataOf(b).search).toEqual([{}, { title: "Dune" }, {}]),
  },
  {
    name: "nested named fragments, fragments on the same type merged",
    query: `
      { nodes { ...N ... on Product { id } ... on Product { name related { id } } } }
      fragment N on Node { id ... on Product { ...G } }
      fragment G on Product { brand { name } }`,
  },
  // @skip / @include
  {
    name: "@skip and @include with literals, on fields and fragments",
    query:
      '{ product(id: "p1") { id name @skip(if: true) price @include(if: false) category @include(if: true) ... on Product @skip(if: true) { weight } ... @include(if: true) { sku } } }',
    check: (b) => expect(dataOf(b).product).toEqual({ id: "p1", category: "TOOL", sku: "AN-1" }),
  },
  {
    name: "@skip and @include with variables (skip, no include)",
    query:
      'query Q($s: Boolean!, $i: Boolean!) { product(id: "p1") { id name @skip(if: $s) reviews @include(if: $i) { body } ...F @include(if: $i) } } fragment F on Product { shippingEstimate }',
    variables: { s: true, i: false },
    check: (b) => expect(dataOf(b).product).toEqual({ id: "p1" }),
  },
  {
    name: "@skip and @include with variables (no skip, include)",
    query:
      'query Q($s: Boolean!, $i: Boolean!) { product(id: "p1") { id name @skip(if: $s) reviews @include(if: $i) { body } ...F @include(if: $i) } } fragment F on Product { shippingEstimate }',
    variables: { s: false, i: true },
    check: (b) => expect(dataOf(b).product).toMatchObject({ id: "p1", name: "Anvil", shippingEstimate: 25 }),
  },
  {
    name: "a condition on a whole subgraph fetch, true",
    query: 'query ($withReviews: Boolean!) { product(id: "p1") { name reviews @include(if: $withReviews) { body author { name } } } }',
    variables: { withReviews: true },
    check: (b) => expect(dataOf(b).product).toHaveProperty("reviews"),
  },
  {
    name: "a condition on a whole subgraph fetch, false",
    query: 'query ($withReviews: Boolean!) { product(id: "p1") { name reviews @include(if: $withReviews) { body author { name } } } }',
    variables: { withReviews: false },
    check: (b) => expect(dataOf(b).product).toEqual({ name: "Anvil" }),
  },
  {
    name: "a condition on a root fetch, beside another root fetch",
    query: 'query ($x: Boolean!) { product(id: "p1") @include(if: $x) { name } latestReviews { id } }',
    variables: { x: false },
    check: (b) => expect(b.data).toEqual({ latestReviews: [{ id: "r1" }, { id: "r4" }] }),
  },
  {
    name: "a condition whose variable is not sent but has a default",
    query: 'query ($w: Boolean = false) { product(id: "p1") { name reviews @include(if: $w) { body } } }',
    check: (b) => expect(b.data).toEqual({ product: { name: "Anvil" } }),
  },
  {
    name: "a skip variable with a default, not sent",
    query: 'query ($s: Boolean = true) { product(id: "p1") { id name @skip(if: $s) } }',
    check: (b) => expect(dataOf(b).product).toEqual({ id: "p1" }),
  },
  {
    name: "a skip variable with a default, sent",
    query: 'query ($s: Boolean = true) { product(id: "p1") { id name @skip(if: $s) } }',
    variables: { s: false },
    check: (b) => expect(dataOf(b).product).toEqual({ id: "p1", name: "Anvil" }),
  },
  {
    name: "a skip variable with a default, sent as null",
    query: "query ($s: Boolean = true) { __typename @skip(if: $s) }",
    variables: { s: null },
  },
  {
    name: "everything skipped",
    query: '{ product(id: "p1") @skip(if: true) { id } }',
    check: (b) => expect(b.data).toEqual({}),
  },
  {
    name: "a skipped fragment spread",
    query: '{ product(id: "p1") { ...F @skip(if: true) id } } fragment F on Product { name }',
    check: (b) => expect(dataOf(b).product).toEqual({ id: "p1" }),
  },
  // values a subgraph should not have sent
  {
    name: "invalid enum value",
    query: "{ oddities { badEnum } }",
    check: (b) => expect(completion(b)).toEqual(["Invalid value found for field Oddities.badEnum."]),
  },
  {
    name: "invalid enum values in a list",
    query: "{ oddities { badEnums } }",
    check: (b) => expect(dataOf(b).oddities).toEqual({ badEnums: ["TOY", null, null, "BOOK"] }),
  },
  { name: "a string for an Int", query: "{ oddities { badInt } }", check: (b) => expect(completion(b)).toHaveLength(1) },
  { name: "a fraction for an Int", query: "{ oddities { fractionalInt } }", check: (b) => expect(completion(b)).toHaveLength(1) },
  { name: "a number for a String", query: "{ oddities { numberForString } }" },
  { name: "a string for a Boolean", query: "{ oddities { stringForBoolean } }" },
  { name: "an integer for an ID", query: "{ oddities { intForId } }", check: (b) => expect(dataOf(b).oddities).toEqual({ intForId: 7 }) },
  {
    name: "null for a non-null field bubbles to the nearest nullable parent",
    query: "{ oddities { badEnum missingRequired } products(first: 1) { id } }",
    check: (b) => expect(b.data).toEqual({ oddities: null, products: [{ id: "p1" }] }),
  },
  {
    name: "null in a list of non-null: the list is null",
    query: "{ oddities { strictList } }",
    check: (b) => expect(dataOf(b).oddities).toEqual({ strictList: null }),
  },
  {
    name: "null in a non-null list of non-null: bubbles past the list",
    query: "{ oddities { strictListRequired } }",
    check: (b) => expect(dataOf(b).oddities).toBeNull(),
  },
  {
    name: "null inside a list of lists",
    query: "{ oddities { matrix strictMatrix } }",
    check: (b) => expect(dataOf(b).oddities).toEqual({ matrix: [[1, 2], null, [5], null], strictMatrix: null }),
  },
  { name: "a scalar where a list is expected", query: "{ oddities { notAList } }" },
  {
    name: "an unknown __typename on a union",
    query: "{ oddities { ghost { __typename ... on Product { name } } } }",
    check: (b) => expect(completion(b)).toEqual(["Invalid __typename found for object at field Oddities.ghost."]),
  },
  {
    name: "an unknown __typename inside a list",
    query: "{ oddities { ghosts { __typename ... on Book { title } ... on Product { id } } } }",
    check: (b) => expect(dataOf(b).oddities).toEqual({ ghosts: [{ __typename: "Product", id: "p1" }, null, { __typename: "Book", title: "Emma" }] }),
  },
  { name: "a number where an object is expected", query: "{ oddities { numberShape { label } } }" },
  { name: "a __typename that is not a string", query: "{ oddities { numericTypename { label } } }" },
  { name: "a __typename naming a scalar", query: "{ oddities { scalarTypename { label __typename } } }" },
  { name: "a __typename naming another object type", query: "{ oddities { foreignTypename { __typename label ... on Shape { again: label } } } }" },
  {
    name: "a __typename naming an interface nulls the object, without an error",
    query: "{ oddities { interfaceTypename { label __typename } } }",
    check: (b) => expect(b).toEqual({ data: { oddities: { interfaceTypename: null } } }),
  },
  {
    name: "an empty __typename counts as none",
    // The fragment applies (to the field's type): `again` is read, and missing, since the subgraph's answer was replaced.
    query: "{ oddities { emptyTypename { __typename label ... on Shape { again: label } } } }",
    check: (b) => expect(b).toEqual({ data: { oddities: { emptyTypename: { __typename: "Shape", label: "blank", again: null } } } }),
  },
  { name: "a list where an object is expected", query: "{ oddities { listForObject { label } } }" },
  { name: "null for a non-null object", query: "{ oddities { badInt requiredShape { label } } }", check: (b) => expect(dataOf(b).oddities).toBeNull() },
  { name: "an object where a list of entities is expected", query: "{ productsButObject { id reviewCount } }" },
  { name: "a list where an entity is expected", query: "{ productButList { id name reviewCount } }" },
  // entity fetches: errors, nulls, non-null violations
  {
    name: "a non-null violation inside an entity list, no other error",
    query: "{ products(first: 2) { id reviews { id body } } }",
    check: (b) => {
      expect(b.errors).toBeUndefined();
      expect((dataOf(b).products as { reviews: unknown }[])[1]!.reviews).toBeNull();
    },
  },
  {
    name: "a subgraph error on some entities of a list, with a non-null violation",
    query: "{ products(first: 3) { id reviews { body } } }",
    check: (b) => expect(b.errors?.[0]).toMatchObject({ message: "Reviews of p3 are unavailable", path: ["products", 2, "reviews"] }),
  },
  {
    name: "errors and unresolvable entities two hops down a list",
    query: "{ products(first: 4) { id reviews { id rating author { id name handle } } } }",
    check: (b) => expect(b.errors?.map((e) => e.path)).toEqual(expect.arrayContaining([["products", 3, "reviews", 1, "author"]])),
  },
  {
    name: "an entity its subgraph cannot resolve",
    query: '{ review(id: "r4") { id author { id name } } }',
    check: (b) => expect(dataOf(b).review).toEqual({ id: "r4", author: null }),
  },
  {
    name: "a subgraph failing a whole entity batch",
    query: '{ review(id: "r6") { id author { id name } } latestReviews { id } }',
  },
  {
    name: "a subgraph answering data: null with an error",
    query: '{ product(id: "p1") { name } explode }',
    check: (b) => expect(b.data).toBeNull(),
  },
  {
    name: "an entity subgraph that is down",
    query: '{ product(id: "p1") { name stock reviewCount } }',
    check: (b) => expect(messages(b)).toEqual(['Service "offline" is unavailable']),
  },
  {
    name: "a null root field stops the plan",
    query: '{ product(id: "nope") { id reviews { body } shippingEstimate } }',
    check: (b) => expect(b).toEqual({ data: { product: null } }),
  },
  // @requires, @provides, @shareable, hops
  {
    name: "@requires over a list",
    query: "{ products(first: 4) { id shippingEstimate } }",
    check: (b) => expect((dataOf(b).products as { shippingEstimate: unknown }[]).map((p) => p.shippingEstimate)).toEqual([25, null, 1, 6]),
  },
  {
    name: "@requires in parallel with another subgraph",
    query: '{ product(id: "p1") { name shippingEstimate reviews { body } reviewCount } }',
    check: (b) => expect(dataOf(b).product).toMatchObject({ shippingEstimate: 25, reviewCount: 2 }),
  },
  {
    name: "@provides: the providing subgraph answers alone",
    query: "{ latestReviews { body product { name } } }",
    check: (b) =>
      expect(dataOf(b).latestReviews).toEqual([
        { body: "Great", product: { name: "Anvil" } },
        { body: "Meh", product: { name: "Saw" } },
      ]),
  },
  { name: "@provides with a field it does not provide", query: "{ latestReviews { product { name price category } } }" },
  { name: "a @shareable field beside another subgraph's", query: '{ product(id: "p1") { sku reviews { id } } latestReviews { product { sku } } }' },
  {
    name: "A → B → C → A: catalog, reviews, people, catalog again",
    query: '{ product(id: "p1") { name reviews { rating author { name favorite { name category shippingEstimate reviews { id } } } } } }',
  },
  { name: "people first, then catalog and reviews", query: "{ users { name handle favorite { name category reviewCount } } }" },
  {
    name: "lists in lists of entities",
    query: '{ product(id: "p1") { related { name reviews { rating } related { id name } } } }',
  },
  // variables, operation names
  { name: "a variable with a default, not sent", query: "query P($first: Int = 2) { products(first: $first) { id } }" },
  { name: "a variable with a default, sent", query: "query P($first: Int = 2) { products(first: $first) { id } }", variables: { first: 1 } },
  { name: "a variable with a default, sent as null", query: "query P($first: Int = 2) { products(first: $first) { id } }", variables: { first: null } },
  { name: "a variable of the wrong type", query: "query ($id: ID!) { product(id: $id) { name } }", variables: { id: { nested: true } }, fast: false },
  { name: "a missing required variable", query: "query ($id: ID!) { product(id: $id) { name } }", fast: false },
  {
    name: "an operation selected by operationName (the second)",
    query: 'query A { product(id: "p1") { name } } query B { search(term: "a") { __typename ... on Book { title } } } mutation C { resetLog { entries } }',
    operationName: "B",
    check: (b) => expect(b.data).toHaveProperty("search"),
  },
  {
    name: "an operation selected by operationName (the first)",
    query: 'query A { product(id: "p1") { name } } query B { search(term: "a") { __typename ... on Book { title } } } mutation C { resetLog { entries } }',
    operationName: "A",
    check: (b) => expect(b.data).toEqual({ product: { name: "Anvil" } }),
  },
  // mutations
  {
    name: "a mutation, then an entity fetch",
    query: 'mutation { rename(id: "p9", name: "Renamed") { id name reviews { body } } }',
    check: (b) => expect(dataOf(b).rename).toEqual({ id: "p9", name: "Renamed", reviews: [{ body: "Odd" }] }),
  },
  {
    name: "mutation fields run in order",
    query: 'mutation { resetLog { entries } a: appendLog(entry: "a") { entries } b: appendLog(entry: "b") { entries } }',
    check: (b) => expect(b.data).toEqual({ resetLog: { entries: [] }, a: { entries: ["a"] }, b: { entries: ["a", "b"] } }),
  },
  {
    name: "__typename of the mutation root",
    query: 'mutation M { __typename t: __typename rename(id: "p9", name: "Renamed") { __typename } }',
    check: (b) => expect(b.data).toEqual({ __typename: "Mutation", t: "Mutation", rename: { __typename: "Product" } }),
  },
  // introspection (the stock executor answers for both)
  {
    name: "schema introspection",
    query: "{ __schema { queryType { name } mutationType { name } subscriptionType { name } } }",
    fast: false,
    check: (b) => expect(b.data).toEqual({ __schema: { queryType: { name: "Query" }, mutationType: { name: "Mutation" }, subscriptionType: null } }),
  },
  { name: "__type", query: '{ __type(name: "Product") { name kind fields { name type { name kind ofType { name } } } } }', fast: false },
  {
    name: "__type with a variable, beside data",
    query: 'query ($n: String!) { __typename product(id: "p1") { name } __type(name: $n) { possibleTypes { name } } }',
    variables: { n: "SearchResult" },
    fast: false,
  },
  // other subgraph failures, authorization
  {
    name: "a subgraph that is down",
    query: '{ offline product(id: "p1") { name } }',
    check: (b) => expect(messages(b)).toEqual(['Service "offline" is unavailable']),
  },
  {
    name: "@authenticated field, anonymous",
    query: '{ product(id: "p1") { name secretNote } }',
    check: (b) => expect(b.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED"),
  },
  {
    name: "@authenticated field, signed in",
    query: '{ product(id: "p1") { name secretNote } }',
    signedIn: true,
    check: (b) => expect(b).toEqual({ data: { product: { name: "Anvil", secretNote: "note on p1" } } }),
  },
];

// ---------------------------------------------------------------------------------------------------------------
// The two routers

let jwks: TestJwks;
let token: string;
let subgraphs: RunningServer[] = [];
let apollo: Router;
let fast: Router;
let apolloUrl: string;
let fastUrl: string;

const runSpy = jest.spyOn(PlanExecutor.prototype as unknown as { run: (...args: unknown[]) => Promise<unknown> }, "run");
const executeSpy = jest.spyOn(PlanExecutor.prototype, "execute");

beforeAll(async () => {
  jwks = await startJwks();
  token = await jwks.sign({ sub: "u1", role: "PATIENT" });
  const catalog = await startSubgraph("catalog", catalogSdl(true), catalogResolvers);
  const reviews = await startSubgraph("reviews", reviewsSdl(true), reviewsResolvers);
  const people = await startSubgraph("people", peopleSdl(), peopleResolvers);
  subgraphs = [catalog, reviews, people];
  const source = (name: string, url: string, sdl: string): SubgraphSource => ({ name, url, sdl, file: `${name}.graphql` });
  const outcome = composeSupergraph([
    source("catalog", catalog.url, catalogSdl(false)),
    source("reviews", reviews.url, reviewsSdl(false)),
    source("people", people.url, peopleSdl()),
    source("offline", "http://127.0.0.1:1/graphql", OFFLINE_SDL),
  ]);
  if (!outcome.ok) throw new Error(`composition failed: ${outcome.errors.join("; ")}`);
  const options: RouterOptions = {
    supergraph: { supergraphSdl: outcome.supergraphSdl },
    jwksUrl: jwks.url,
    routerSecrets: ROUTER_SECRETS,
    logger: silent,
    introspection: true,
    // Internal messages shown: the two executors' own errors (not only "Unexpected error") are compared too.
    exposeInternalErrors: true,
    dedupeSubgraphRequests: false,
    limits: { maxDepth: 20, maxAliases: 30 },
  };
  apollo = await createRouter({ ...options, executor: "apollo" });
  fast = await createRouter({ ...options, executor: "router" });
  apolloUrl = (await apollo.listen(0)).url;
  fastUrl = (await fast.listen(0)).url;
});

afterAll(async () => {
  await Promise.all([apollo?.stop(), fast?.stop()]);
  await Promise.all([...subgraphs.map((s) => s.close()), jwks?.close()]);
  runSpy.mockRestore();
  executeSpy.mockRestore();
});

interface Answer {
  status: number;
  text: string;
  /** What the subgraphs were sent meanwhile, in a stable order. */
  calls: string[];
  /** How many times the router executor ran a plan itself. */
  fastRuns: number;
}

async function send(url: string, c: Case): Promise<Answer> {
  const firstCall = calls.length;
  const runsBefore = runSpy.mock.calls.length;
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(c.signedIn ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: c.query, variables: c.variables, operationName: c.operationName }),
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    calls: calls
      .slice(firstCall)
      .map((call) => JSON.stringify(call))
      .sort(),
    fastRuns: runSpy.mock.calls.length - runsBefore,
  };
}

describe("the router executor answers as @apollo/gateway's", () => {
  it("has a corpus of distinct operations", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const stock = await send(apolloUrl, c);
    expect(stock.fastRuns).toBe(0);
    c.check?.(JSON.parse(stock.text) as Body);

    const first = await send(fastUrl, c);
    const second = await send(fastUrl, c); // planned and compiled already
    for (const answer of [first, second]) {
      expect({ status: answer.status, body: answer.text }).toEqual({ status: stock.status, body: stock.text });
      expect(answer.calls).toEqual(stock.calls);
      expect(answer.fastRuns).toBe(c.fast === false ? 0 : 1);
    }
  });

  it("kept one prepared operation per distinct document and operation name, reused on the second run", () => {
    const executors = new Set(executeSpy.mock.contexts as PlanExecutor[]);
    expect(executors.size).toBe(1);
    const [executor] = [...executors];
    // Refused variables never reach planning; every other case is prepared once (introspection too, as unsupported),
    // and the anonymous @authenticated case once more: authorization rewrote its document.
    const prepared = new Set(
      CASES.filter((c) => !/variable of the wrong type|missing required variable/.test(c.name)).map((c) => `${c.query}\u0000${c.operationName ?? ""}`),
    );
    expect(executor!.size).toBe(prepared.size + 1);
  });
});
