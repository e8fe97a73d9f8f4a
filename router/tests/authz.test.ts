/**
 * Router-level authorization on one operation: which fields are removed for which caller, the filtered
 * document, and how the answer is patched (nulls at the removed places, propagated through non-null
 * types, one error per removed field). The schema here is small and hand-written; the supergraph's
 * rules are exercised end to end in tests/e2e/authorization.e2e.test.ts.
 */
import { describe, expect, it } from "@jest/globals";
import { buildSchema, parse, print } from "graphql";
import { authorizeOperation } from "../src/authz/operation.js";
import { createPolicies } from "../src/authz/policies.js";
import { AuthorizationRules, decide, type Principal } from "../src/authz/rules.js";

const SDL = `
  directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
  directive @requiresScopes(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
  directive @policy(policies: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM
  type Query {
    public: String
    me: User @authenticated
    users: [User!]! @requiresScopes(scopes: [["admin"]])
    doctors: [Doctor!]!
    audit: [Audit] @requiresScopes(scopes: [["admin"]]) @policy(policies: [["recent_login"]])
    result: Result!
  }
  type Mutation {
    wipe: Boolean! @requiresScopes(scopes: [["admin", "staff"]])
    note(text: String!): String @requiresScopes(scopes: [["doctor"], ["admin"]])
  }
  type User { id: ID! name: String! email: String @requiresScopes(scopes: [["admin"]]) }
  type Doctor { id: ID! name: String! secret: Secret! user: User }
  type Secret @requiresScopes(scopes: [["admin"]]) { code: String! }
  type Audit @requiresScopes(scopes: [["admin"]]) { id: ID! }
  type Appointment { id: ID! flag: Boolean @requiresScopes(scopes: [["staff"]]) }
  type Unavailable { reason: String! }
  union Result = Appointment | Unavailable
`;
const schema = buildSchema(SDL);
const rules = AuthorizationRules.fromSupergraph(SDL);
const policies = createPolicies({ recentLoginSeconds: 3_600 });
const NOW = new Date("2026-11-26T10:00:00Z");
const nowSeconds = NOW.getTime() / 1000;

const anonymous: Principal = { authenticated: false, scopes: new Set() };
const patient: Principal = { authenticated: true, scopes: new Set(["patient"]), authTime: nowSeconds - 60 };
const admin: Principal = { authenticated: true, scopes: new Set(["staff", "admin"]), authTime: nowSeconds - 60 };
const staleAdmin: Principal = { ...admin, authTime: nowSeconds - 7_200 };

const run = (query: string, principal: Principal) => authorizeOperation({ schema, document: parse(query), rules, principal, policies, now: NOW });
const codes = (auth: ReturnType<typeof run>) => auth.errors.map((e) => [e.path?.join("."), e.extensions.code]);

describe("decide", () => {
  it("needs a signed-in caller for any requirement, then every scope application and policy", () => {
    const req = rules.requirementOf("Query", "audit", "Audit");
    expect(decide(req, anonymous, policies, NOW)).toBe("UNAUTHENTICATED");
    expect(decide(req, patient, policies, NOW)).toBe("FORBIDDEN");
    expect(decide(req, admin, policies, NOW)).toBeNull();
    expect(decide(req, staleAdmin, policies, NOW)).toBe("FORBIDDEN"); // recent_login: signed in two hours ago
    expect(decide(rules.requirementOf("Query", "public", "String"), anonymous, policies, NOW)).toBeNull();
  });

  it("reads scopes as OR of AND-groups", () => {
    const wipe = rules.requirementOf("Mutation", "wipe", "Boolean");
    expect(decide(wipe, { authenticated: true, scopes: new Set(["admin"]) }, policies, NOW)).toBe("FORBIDDEN");
    expect(decide(wipe, { authenticated: true, scopes: new Set(["admin", "staff"]) }, policies, NOW)).toBeNull();
    const note = rules.requirementOf("Mutation", "note", "String");
    expect(decide(note, { authenticated: true, scopes: new Set(["doctor"]) }, policies, NOW)).toBeNull();
  });

  it("denies a policy the router does not know (fail closed)", () => {
    const sdl = `${SDL} extend type Query { odd: String @policy(policies: [["no_such_policy"]]) }`;
    const r = AuthorizationRules.fromSupergraph(sdl);
    expect(r.policyNames()).toEqual(new Set(["recent_login", "no_such_policy"]));
    expect(decide(r.requirementOf("Query", "odd", "String"), admin, policies, NOW)).toBe("FORBIDDEN");
  });
});

describe("authorizeOperation", () => {
  it("leaves an allowed operation untouched (same document object)", () => {
    const document = parse("{ public me { id name email } users { id } }");
    const auth = authorizeOperation({ schema, document, rules, principal: admin, policies, now: NOW });
    expect(auth.unchanged).toBe(true);
    expect(auth.document).toBe(document);
  });

  it("removes denied fields, keeps the rest, and patches nulls with errors at their paths", () => {
    const auth = run("{ public me { id email } audit { id } }", patient);
    expect(codes(auth)).toEqual([
      ["me.email", "FORBIDDEN"],
      ["audit", "FORBIDDEN"],
    ]);
    expect(print(auth.document)).not.toMatch(/email|audit/);
    const answer = auth.patchResult({ data: { public: "x", me: { id: "1", cgAuthzTypename__: "User" } } });
    expect(answer.data).toEqual({ public: "x", me: { id: "1", email: null }, audit: null });
    expect(answer.errors).toHaveLength(2);
  });

  it("propagates null through non-null types like GraphQL execution would", () => {
    // users: [User!]! → a removed non-null root field nulls the whole answer.
    expect(run("{ public users { id } }", patient).patchResult({ data: { public: "x" } }).data).toBeNull();
    // Doctor.secret is Secret! (type-level rule) → the doctor object becomes null → [Doctor!]! → data null.
    const auth = run("{ doctors { id secret { code } } }", patient);
    expect(codes(auth)).toEqual([["doctors.secret", "FORBIDDEN"]]);
    const answer = auth.patchResult({ data: { doctors: [{ id: "d1" }, { id: "d2" }] } });
    expect(answer.data).toBeNull();
  });

  it("answers without executing when every root field is removed, mutations included", () => {
    const auth = run("mutation { wipe }", patient);
    expect(auth.empty).toBe(true);
    expect(codes(auth)).toEqual([["wipe", "FORBIDDEN"]]);
    expect(auth.patchResult({ data: null }).data).toBeNull(); // wipe is Boolean! → data null
    const nullable = run('mutation { note(text: "x") }', anonymous);
    expect(nullable.patchResult({ data: null })).toMatchObject({ data: { note: null }, errors: [{ extensions: { code: "UNAUTHENTICATED" } }] });
  });

  it("removes a field whose whole selection was removed, and fragments that became empty", () => {
    const auth = run("query Q { doctors { id user { ...Contact } } } fragment Contact on User { email }", patient);
    expect(codes(auth)).toEqual([["doctors.user.email", "FORBIDDEN"]]);
    expect(print(auth.document)).not.toMatch(/fragment|email|user/);
    const answer = auth.patchResult({ data: { doctors: [{ id: "d1", cgAuthzTypename__: "Doctor" }] } });
    expect(answer.data).toEqual({ doctors: [{ id: "d1", user: null }] });
  });

  it("applies removals under a type condition only to objects of that type", () => {
    const auth = run("{ result { ... on Appointment { id flag } ... on Unavailable { reason } } }", patient);
    expect(codes(auth)).toEqual([["result.flag", "FORBIDDEN"]]);
    expect(print(auth.document)).toContain("cgAuthzTypename__: __typename");
    const appointment = auth.patchResult({ data: { result: { id: "a1", cgAuthzTypename__: "Appointment" } } });
    expect(appointment.data).toEqual({ result: { id: "a1", flag: null } });
    const unavailable = auth.patchResult({ data: { result: { reason: "taken", cgAuthzTypename__: "Unavailable" } } });
    expect(unavailable.data).toEqual({ result: { reason: "taken" } });
  });

  it("says UNAUTHENTICATED to anonymous callers and FORBIDDEN to signed-in ones", () => {
    expect(codes(run("{ me { id } }", anonymous))).toEqual([["me", "UNAUTHENTICATED"]]);
    expect(codes(run("{ audit { id } }", patient))).toEqual([["audit", "FORBIDDEN"]]);
    expect(codes(run("{ audit { id } }", staleAdmin))).toEqual([["audit", "FORBIDDEN"]]);
    expect(run("{ audit { id } }", admin).unchanged).toBe(true);
  });

  it("reports each removed field once per path, with aliases as response keys", () => {
    const auth = run("{ a: users { id } b: users { id } me { e1: email e2: email } }", patient);
    expect(codes(auth)).toEqual([
      ["a", "FORBIDDEN"],
      ["b", "FORBIDDEN"],
      ["me.e1", "FORBIDDEN"],
      ["me.e2", "FORBIDDEN"],
    ]);
  });
});
