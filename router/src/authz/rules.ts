/**
 * The authorization requirements declared in the supergraph: federation's `@authenticated`,
 * `@requiresScopes(scopes: [[...]])` and `@policy(policies: [[...]])` on fields, object types,
 * interfaces, scalars and enums. Composition keeps them (they are `for: SECURITY` links); the router
 * reads them from the supergraph SDL it serves and enforces them before any subgraph is called.
 *
 * Semantics (Apollo's): a field is reachable when the field's own requirements and those of the type it
 * returns all hold. In `scopes`/`policies` the outer list is OR, the inner list AND; several applications
 * (field + type) must all hold.
 */
import { Kind, parse, valueFromASTUntyped, type DefinitionNode, type DirectiveNode } from "graphql";
import { ERROR_CODES } from "@clinigraph/platform";

export interface Requirement {
  authenticated: boolean;
  /** Each entry is one `@requiresScopes` application: OR of AND-groups. */
  scopes: readonly (readonly (readonly string[])[])[];
  /** Each entry is one `@policy` application: OR of AND-groups. */
  policies: readonly (readonly (readonly string[])[])[];
}

/** What the router knows about the caller when it decides. */
export interface Principal {
  authenticated: boolean;
  scopes: ReadonlySet<string>;
  /** Sign-in time, seconds since the epoch (the access token's `auth_time`). */
  authTime?: number;
}

export type Policy = (principal: Principal, now: Date) => boolean;

export type Denial = typeof ERROR_CODES.UNAUTHENTICATED | typeof ERROR_CODES.FORBIDDEN;

const NONE: Requirement = { authenticated: false, scopes: [], policies: [] };

export class AuthorizationRules {
  private constructor(
    private readonly byType: ReadonlyMap<string, Requirement>,
    private readonly byField: ReadonlyMap<string, Requirement>,
  ) {}

  static readonly empty = new AuthorizationRules(new Map(), new Map());

  static fromSupergraph(sdl: string): AuthorizationRules {
    const byType = new Map<string, Requirement>();
    const byField = new Map<string, Requirement>();
    for (const def of parse(sdl).definitions) {
      const name = nameOf(def);
      if (!name) continue;
      const own = requirementOf("directives" in def ? def.directives : undefined);
      if (own) byType.set(name, merge(byType.get(name) ?? NONE, own));
      if (
        def.kind === Kind.OBJECT_TYPE_DEFINITION ||
        def.kind === Kind.OBJECT_TYPE_EXTENSION ||
        def.kind === Kind.INTERFACE_TYPE_DEFINITION ||
        def.kind === Kind.INTERFACE_TYPE_EXTENSION
      ) {
        for (const field of def.fields ?? []) {
          const req = requirementOf(field.directives);
          if (req) byField.set(`${name}.${field.name.value}`, merge(byField.get(`${name}.${field.name.value}`) ?? NONE, req));
        }
      }
    }
    return new AuthorizationRules(byType, byField);
  }

  /** True when the supergraph declares no requirement at all (nothing to check). */
  get isEmpty(): boolean {
    return this.byType.size === 0 && this.byField.size === 0;
  }

  /** Every policy name the supergraph uses (checked against the router's registry at load). */
  policyNames(): Set<string> {
    const names = new Set<string>();
    for (const req of [...this.byType.values(), ...this.byField.values()])
      for (const app of req.policies) for (const group of app) for (const p of group) names.add(p);
    return names;
  }

  /** Requirements of selecting `parentType.field`, which returns (named) `returnType`. */
  requirementOf(parentType: string, field: string, returnType: string): Requirement | undefined {
    const f = this.byField.get(`${parentType}.${field}`);
    const t = this.byType.get(returnType);
    if (!f) return t;
    return t ? merge(f, t) : f;
  }
}

/** Null when `principal` meets `req`, else why not. */
export function decide(req: Requirement | undefined, principal: Principal, policies: Readonly<Record<string, Policy>>, now: Date): Denial | null {
  if (!req) return null;
  const needsAuth = req.authenticated || req.scopes.length > 0 || req.policies.length > 0;
  if (!needsAuth) return null;
  if (!principal.authenticated) return ERROR_CODES.UNAUTHENTICATED;
  for (const app of req.scopes) if (!app.some((group) => group.every((s) => principal.scopes.has(s)))) return ERROR_CODES.FORBIDDEN;
  for (const app of req.policies) if (!app.some((group) => group.every((p) => policies[p]?.(principal, now) === true))) return ERROR_CODES.FORBIDDEN;
  return null;
}

function nameOf(def: DefinitionNode): string | undefined {
  switch (def.kind) {
    case Kind.OBJECT_TYPE_DEFINITION:
    case Kind.OBJECT_TYPE_EXTENSION:
    case Kind.INTERFACE_TYPE_DEFINITION:
    case Kind.INTERFACE_TYPE_EXTENSION:
    case Kind.SCALAR_TYPE_DEFINITION:
    case Kind.SCALAR_TYPE_EXTENSION:
    case Kind.ENUM_TYPE_DEFINITION:
    case Kind.ENUM_TYPE_EXTENSION:
      return def.name.value;
    default:
      return undefined;
  }
}

function requirementOf(directives: readonly DirectiveNode[] | undefined): Requirement | undefined {
  let req: Requirement | undefined;
  for (const d of directives ?? []) {
    const name = d.name.value;
    if (name === "authenticated") req = merge(req ?? NONE, { ...NONE, authenticated: true });
    else if (name === "requiresScopes" || name === "policy") {
      const arg = d.arguments?.find((a) => a.name.value === (name === "policy" ? "policies" : "scopes"));
      const value = arg ? valueFromASTUntyped(arg.value) : undefined;
      if (!isGroups(value)) throw new Error(`@${name} needs a list of lists of strings`);
      req = merge(req ?? NONE, name === "policy" ? { ...NONE, policies: [value] } : { ...NONE, scopes: [value] });
    }
  }
  return req;
}

const isGroups = (value: unknown): value is string[][] =>
  Array.isArray(value) && value.every((group) => Array.isArray(group) && group.every((s) => typeof s === "string"));

const merge = (a: Requirement, b: Requirement): Requirement => ({
  authenticated: a.authenticated || b.authenticated,
  scopes: [...a.scopes, ...b.scopes],
  policies: [...a.policies, ...b.policies],
});

const ENFORCED_BY_THE_ROUTER = /(@link\(url: "https:\/\/specs\.apollo\.dev\/(?:authenticated|requiresScopes|policy)\/v\d+\.\d+"), for: SECURITY\)/g;

/**
 * The supergraph as the gateway and query planner get it. `for: SECURITY` marks a feature every reader
 * must enforce, so @apollo/gateway refuses supergraphs using the three authorization specs (it does not
 * enforce them). The router does — from the original SDL, before the gateway runs — so it hands the
 * gateway the same supergraph with those three links as plain features.
 */
export const supergraphForGateway = (sdl: string): string => sdl.replace(ENFORCED_BY_THE_ROUTER, "$1)");
