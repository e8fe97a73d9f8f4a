/**
 * The validation rule refusing fields under an interface no object type implements when no plan can reach them
 * (validation/emptyAbstractTypes.ts), on the federation audit's non-resolvable-interface-object schema (subgraph a
 * returns `Node` and has only `id`; b's `@interfaceObject Node` adds `field` behind a non-resolvable key) and two
 * variants, checked with graphql-js's `validate` alone and compared with what the query planner does.
 */
import { describe, expect, it } from "@jest/globals";
import { Supergraph, operationFromDocument } from "@apollo/federation-internals";
import { QueryPlanner } from "@apollo/query-planner";
import { parse, validate, type GraphQLSchema } from "graphql";
import { composeSupergraph } from "../src/compose.js";
import {
  EmptyAbstractTypeSelections,
  analyseEmptyAbstractTypes,
  emptyAbstractTypeNames,
  emptyAbstractTypesRule,
} from "../src/validation/emptyAbstractTypes.js";

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])`;
const A = `
  ${LINK}
  interface Node @key(fields: "id") { id: ID! }
  type Product @key(fields: "id", resolvable: false) @interfaceObject { id: ID! }
  type Query { a: Node product: Product! }
`;
const B = (resolvable: boolean) => `
  ${LINK}
  type Node @key(fields: "id", resolvable: ${resolvable}) @interfaceObject { id: ID! field: String }
  interface Product @key(fields: "id") { id: ID! }
  type Bread implements Product @key(fields: "id") { id: ID! name: String! }
  type Query { b: Node }
`;

function load(subgraphs: Array<[string, string]>): { sdl: string; api: GraphQLSchema; supergraph: Supergraph } {
  const outcome = composeSupergraph(subgraphs.map(([name, sdl]) => ({ name, url: `http://${name}.invalid/graphql`, sdl, file: `${name}.graphql` })));
  if (!outcome.ok) throw new Error(outcome.errors.join("; "));
  const supergraph = Supergraph.build(outcome.supergraphSdl);
  return { sdl: outcome.supergraphSdl, api: supergraph.apiSchema().toGraphQLJSSchema(), supergraph };
}

const audit = load([
  ["a", A],
  ["b", B(false)],
]);
const info = analyseEmptyAbstractTypes(audit.api, audit.sdl);
const rule = emptyAbstractTypesRule(() => info);
const errorsOf = (query: string, schema = audit.api, rules = [rule]) => validate(schema, parse(query), rules).map((e) => e.message);
const refusal = (field: string, enclosing: string) =>
  `Cannot query field "${field}" on type "Node" here: no object type implements "Node", and no subgraph that resolves "${enclosing}" can resolve "Node.${field}".`;

describe("what the rule learns from the supergraph", () => {
  it("finds the abstract types without object types, and where their fields and the fields returning them live", () => {
    expect(emptyAbstractTypeNames(audit.api)).toEqual(["Node"]);
    expect(info?.types).toEqual(
      new Map([
        [
          "Node",
          new Map([
            ["id", new Set(["a", "b"])],
            ["field", new Set(["b"])],
          ]),
        ],
      ]),
    );
    expect(info?.resolvedIn).toEqual(
      new Map([
        ["Query.a", new Set(["a"])],
        ["Query.b", new Set(["b"])],
      ]),
    );
  });

  it("reads nothing when every abstract type has an implementation", () => {
    const { sdl, api } = load([["s", `type Query { n: N } interface N { id: ID! } type Impl implements N { id: ID! }`]]);
    expect(emptyAbstractTypeNames(api)).toEqual([]);
    expect(analyseEmptyAbstractTypes(api, sdl)).toBeUndefined();
  });
});

describe("the validation rule", () => {
  it("refuses a field the enclosing field's subgraph does not define on the type (audit _1)", () => {
    expect(errorsOf("{ a { field } }")).toEqual([refusal("field", "Query.a")]);
  });

  it("follows inline fragments and named fragments, each field reported once", () => {
    expect(errorsOf("{ a { ... on Node { field } ... { field: id } } }")).toEqual([refusal("field", "Query.a")]);
    expect(errorsOf("query Q { a { ...F } b { ...F } x: a { ...F } } fragment F on Node { id field }")).toEqual([refusal("field", "Query.a")]);
    // A cycle (refused by graphql-js's own rules, not run here) must not loop.
    expect(errorsOf("{ a { ...F } } fragment F on Node { ...G } fragment G on Node { ...F field }")).toEqual([refusal("field", "Query.a")]);
  });

  it("accepts __typename, fields of the enclosing field's subgraph, and types with implementations (audit _0, _3–_6)", () => {
    for (const query of [
      "{ a { __typename } }",
      "{ a { ... on Node { __typename } } }",
      "{ a { id } }",
      "{ b { id field } }",
      "{ b { ...F } } fragment F on Node { field }",
      "{ product { id ... on Bread { name } } }",
      "{ __typename }",
    ]) {
      expect(errorsOf(query)).toEqual([]);
    }
  });

  it("refuses it too when a resolvable key leads to the subgraph that has it: the planner drops it or fails all the same", () => {
    const plan = (s: Supergraph) => new QueryPlanner(s).buildQueryPlan(operationFromDocument(s.schema, parse("{ a { field } }"))).node;
    // b's key resolvable: from a, where Node is an interface, the planner only looks at Node's object types (none).
    const fromInterface = load([
      ["a", A],
      ["b", B(true)],
    ]);
    expect(plan(fromInterface.supergraph)).toBeUndefined();
    expect(
      errorsOf("{ a { field } }", fromInterface.api, [emptyAbstractTypesRule(() => analyseEmptyAbstractTypes(fromInterface.api, fromInterface.sdl))]),
    ).toEqual([refusal("field", "Query.a")]);
    // Node an @interfaceObject in a: the planner takes the key to c and cannot build that entity fetch.
    const fromInterfaceObject = load([
      ["a", `${LINK} type Node @key(fields: "id") @interfaceObject { id: ID! } type Query { a: Node }`],
      ["c", `${LINK} interface Node @key(fields: "id") { id: ID! field: String } type Other @key(fields: "id") { id: ID! }`],
    ]);
    expect(() => plan(fromInterfaceObject.supergraph)).toThrow(/Cannot add fragment of condition "Node" \(runtimes: \[\]\)/);
    const rule = emptyAbstractTypesRule(() => analyseEmptyAbstractTypes(fromInterfaceObject.api, fromInterfaceObject.sdl));
    expect(errorsOf("{ a { field } }", fromInterfaceObject.api, [rule])).toEqual([refusal("field", "Query.a")]);
    expect(errorsOf("{ a { id } }", fromInterfaceObject.api, [rule])).toEqual([]);
  });

  it("checks only schemas it was told about (EmptyAbstractTypeSelections, fed by the gateway's schema updates)", () => {
    const selections = new EmptyAbstractTypeSelections();
    expect(errorsOf("{ a { field } }", audit.api, [selections.rule])).toEqual([]);
    selections.update({ apiSchema: audit.api, coreSupergraphSdl: audit.sdl });
    expect(errorsOf("{ a { field } }", audit.api, [selections.rule])).toEqual([refusal("field", "Query.a")]);
    const other = load([
      ["a", A],
      ["b", B(false)],
    ]).api;
    expect(errorsOf("{ a { field } }", other, [selections.rule])).toEqual([]);
  });
});
