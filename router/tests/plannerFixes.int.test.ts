/**
 * Two cases of the public federation gateway audit the stock query planner gets wrong (ADR 0020), each on its
 * suite's own subgraphs (schemas, resolvers and data copied from the audit), composed in-process and served by the
 * router:
 * - keys-mashup: a type with several `@key`s per subgraph, some `resolvable: false`. The planner used to send a
 *   non-resolvable key in the representations of an entity fetch (fixed by the `@apollo/query-graphs` patch in
 *   patches/, which makes `getLocallySatisfiableKey` prefer a resolvable key, and fall back to a `resolvable: false`
 *   one only when the type has no other, as before: the @interfaceObject down-cast of audit _6 below needs that);
 * - non-resolvable-interface-object: an interface no object type implements, whose field lives only in an
 *   `@interfaceObject` with a non-resolvable key. Selecting it from the other subgraph used to answer `{ a: null }`
 *   with no error; the router's validation rule (validation/emptyAbstractTypes.ts) refuses it.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { parse } from "graphql";
import { createLogger, createSubgraphServer, type BaseContext, type RunningServer } from "@clinigraph/platform";
import { composeSupergraph, type SubgraphSource } from "../src/compose.js";
import { createRouter, type Router } from "../src/server.js";
import { ROUTER_SECRETS } from "./support/fixture.js";
import { startJwks, type TestJwks } from "./support/jwks.js";

const silent = createLogger("planner-fixes-test", "silent");

interface Suite {
  subgraphs: RunningServer[];
  router: Router;
  url: string;
}

async function startSuite(jwksUrl: string, definitions: Array<{ name: string; sdl: string; resolvers: object }>): Promise<Suite> {
  const subgraphs: RunningServer[] = [];
  const sources: SubgraphSource[] = [];
  for (const { name, sdl, resolvers } of definitions) {
    const server = await createSubgraphServer<BaseContext>({
      name,
      typeDefs: parse(sdl),
      resolvers,
      routerSecrets: ROUTER_SECRETS,
      logger: silent,
      createContext: (base) => base,
    });
    const running = await server.listen(0);
    subgraphs.push(running);
    sources.push({ name, url: running.url, sdl, file: `${name}.graphql` });
  }
  const outcome = composeSupergraph(sources);
  if (!outcome.ok) throw new Error(`composition failed: ${outcome.errors.join("; ")}`);
  const router = await createRouter({ supergraph: { supergraphSdl: outcome.supergraphSdl }, jwksUrl, routerSecrets: ROUTER_SECRETS, logger: silent });
  const { url } = await router.listen(0);
  return { subgraphs, router, url };
}

async function stopSuite(suite: Suite | undefined): Promise<void> {
  if (!suite) return;
  await suite.router.stop();
  await Promise.all(suite.subgraphs.map((s) => s.close()));
}

interface Answer {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

async function ask(url: string, query: string): Promise<Answer> {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  return { status: res.status, body: (await res.json()) as Answer["body"] };
}

// ---------------------------------------------------------------------------------------------------------------
// keys-mashup (the audit's test-suites/keys-mashup)

const keysMashupData = {
  a: {
    "1": { id: "1", pId: "a.1.pId", name: "a.1", compositeId: { one: "a.1.compositeId.one", two: "a.1.compositeId.two", three: "a.1.compositeId.three" } },
    "2": { id: "2", pId: "a.2.pId", name: "a.2", compositeId: { one: "a.2.compositeId.one", two: "a.2.compositeId.two", three: "a.2.compositeId.three" } },
  } as Record<string, { id: string; pId: string; name: string; compositeId: { one: string; two: string; three: string } }>,
  b: { "100": { id: "100", a: ["1"] }, "200": { id: "200", a: ["1", "2"] } } as Record<string, { id: string; a: string[] }>,
};

const keysMashupA = {
  name: "a",
  sdl: `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])

    type A
      @key(fields: "id", resolvable: true)
      @key(fields: "pId", resolvable: false)
      @key(fields: "compositeId { one two }", resolvable: false)
      @key(fields: "id compositeId { two three }", resolvable: false) {
      id: ID!
      pId: ID!
      compositeId: CompositeID!
      name: String!
    }

    type CompositeID {
      one: ID!
      two: ID!
      three: ID!
    }
  `,
  resolvers: {
    A: {
      // The only resolvable key is "id".
      __resolveReference: (reference: { id: string }) => {
        const obj = keysMashupData.a[reference.id];
        return obj ? { __typename: "A", ...obj } : null;
      },
    },
  },
};

const keysMashupB = {
  name: "b",
  sdl: `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@requires", "@external"])

    type Query {
      b: B
    }

    type B @key(fields: "id") {
      id: ID!
      a: [A!]!
    }

    type A
      @key(fields: "compositeId { one two }", resolvable: false)
      @key(fields: "id compositeId { two three }", resolvable: true)
      @key(fields: "pId", resolvable: false)
      @key(fields: "id", resolvable: false) {
      id: ID!
      pId: ID!
      compositeId: CompositeID!
      name: String! @external
      nameInB: String! @requires(fields: "name")
    }

    type CompositeID {
      one: ID!
      two: ID!
      three: ID!
    }
  `,
  resolvers: {
    Query: {
      b: () => ({ __typename: "B", id: keysMashupData.b["100"]!.id, a: keysMashupData.b["100"]!.a }),
    },
    B: {
      __resolveReference: (reference: { id: string }) => {
        const obj = keysMashupData.b[reference.id];
        return obj ? { __typename: "B", id: obj.id, a: obj.a } : null;
      },
      a: ({ a }: { a: string[] }) =>
        a.map((id) => {
          const obj = keysMashupData.a[id];
          return obj ? { __typename: "A", id: obj.id, pId: obj.pId, compositeId: obj.compositeId } : null;
        }),
    },
    A: {
      __resolveReference: (reference: { id: string; compositeId: { two: string; three: string }; name?: string }) => {
        const obj = keysMashupData.a[reference.id];
        if (!obj) return null;
        const found = { __typename: "A", id: obj.id, pId: obj.pId, compositeId: obj.compositeId };
        return reference.name ? { ...found, name: reference.name } : found;
      },
      nameInB: ({ name }: { name?: string }) => {
        if (!name) throw new Error("A.name was not provided");
        return `b.a.nameInB ${name}`;
      },
    },
  },
};

// ---------------------------------------------------------------------------------------------------------------
// non-resolvable-interface-object (the audit's test-suites/non-resolvable-interface-object)

const products = [{ __typename: "Bread", id: "p1", name: "Bread" }];

const interfaceObjectA = {
  name: "a",
  sdl: `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])

    interface Node @key(fields: "id") {
      id: ID!
    }

    type Product @key(fields: "id", resolvable: false) @interfaceObject {
      id: ID!
    }

    type Query {
      a: Node
      product: Product!
    }
  `,
  resolvers: {
    Query: {
      a: () => ({ __typename: "Node", id: "n1" }),
      product: () => ({ __typename: "Product", id: products[0]!.id }),
    },
    Node: {
      __resolveReference: () => {
        throw new Error("Not resolvable as it is an interface object");
      },
    },
  },
};

const interfaceObjectB = {
  name: "b",
  sdl: `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])

    type Node @key(fields: "id", resolvable: false) @interfaceObject {
      id: ID!
      field: String
    }

    interface Product @key(fields: "id") {
      id: ID!
    }

    type Bread implements Product @key(fields: "id") {
      id: ID!
      name: String!
    }

    type Query {
      b: Node
    }
  `,
  resolvers: {
    Query: {
      b: () => ({ __typename: "Node", id: "n1" }),
    },
    Node: {
      __resolveReference: () => {
        throw new Error("Not resolvable");
      },
      field: () => "foo",
    },
    Product: {
      __resolveReference: (key: { id: string }) => products.find((p) => p.id === key.id),
    },
    Bread: {
      __resolveReference: (key: { id: string }) => products.find((p) => p.id === key.id),
    },
  },
};

// ---------------------------------------------------------------------------------------------------------------

let jwks: TestJwks;
let keysMashup: Suite | undefined;
let interfaceObject: Suite | undefined;

beforeAll(async () => {
  jwks = await startJwks();
  keysMashup = await startSuite(jwks.url, [keysMashupA, keysMashupB]);
  interfaceObject = await startSuite(jwks.url, [interfaceObjectA, interfaceObjectB]);
});

afterAll(async () => {
  await Promise.all([stopSuite(keysMashup), stopSuite(interfaceObject)]);
  await jwks?.close();
});

describe("keys-mashup: resolvable: false keys are never sent in representations", () => {
  it("re-enters subgraph b through its resolvable key to resolve the @requires field (audit keys-mashup_0)", async () => {
    const answer = await ask(keysMashup!.url, "query { b { id a { id name nameInB } } }");
    expect(answer.body).toEqual({ data: { b: { id: "100", a: [{ id: "1", name: "a.1", nameInB: "b.a.nameInB a.1" }] } } });
  });
});

describe("non-resolvable-interface-object: fields under an interface no object type implements", () => {
  it("refuses, before planning, a field that no subgraph resolving the enclosing field defines (audit _1)", async () => {
    const answer = await ask(interfaceObject!.url, "query { a { field } }");
    expect(answer.status).toBe(400);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors).toEqual([
      {
        message:
          'Cannot query field "field" on type "Node" here: no object type implements "Node", and no subgraph that resolves "Query.a" can resolve "Node.field".',
        locations: [{ line: 1, column: 13 }],
        extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
      },
    ]);
  });

  it("refuses it through fragments too", async () => {
    const answer = await ask(interfaceObject!.url, "query { a { ... on Node { ...F } } } fragment F on Node { id field }");
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((e) => e.message)).toEqual([
      'Cannot query field "field" on type "Node" here: no object type implements "Node", and no subgraph that resolves "Query.a" can resolve "Node.field".',
    ]);
  });

  it("still serves the field from the subgraph whose @interfaceObject defines it (audit _0)", async () => {
    const answer = await ask(interfaceObject!.url, "query { b { id field } }");
    expect(answer.body).toEqual({ data: { b: { id: "n1", field: "foo" } } });
  });

  it("leaves a field the enclosing field's subgraph defines to the plan: null with an error at run time (audit _3)", async () => {
    const answer = await ask(interfaceObject!.url, "query { a { id } }");
    expect(answer.body.data).toEqual({ a: null });
    expect(answer.body.errors?.length).toBeGreaterThan(0);
  });

  // _6 also guards the patch's fallback: `Product`'s only key in a is `resolvable: false`, and the down-cast still plans.
  it("leaves types with implementations alone (audit _4, _6)", async () => {
    expect((await ask(interfaceObject!.url, "query { product { id } }")).body).toEqual({ data: { product: { id: "p1" } } });
    expect((await ask(interfaceObject!.url, "query { product { ... on Bread { id } } }")).body).toEqual({ data: { product: { id: "p1" } } });
  });
});
