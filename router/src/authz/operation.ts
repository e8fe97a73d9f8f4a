/**
 * Applies the supergraph's authorization requirements to one operation, before planning:
 *
 * 1. every field the caller may not select is removed from the document (a field whose whole selection
 *    was removed goes too), so no subgraph ever sees it — mutations included;
 * 2. after execution, `patchResult` puts `null` at each removed field's place (propagating through
 *    non-null types as GraphQL would) and adds one FORBIDDEN / UNAUTHENTICATED error per removed field,
 *    with its response path (list positions are not repeated: one error covers every item).
 *
 * Decisions depend only on (parent type, field, returned type, caller), never on the path, so fragments
 * are filtered once. The filtered document asks for `__typename` under a private alias so the patch
 * only touches objects of the type a removed field was selected on (`... on Appointment` in a union).
 */
import {
  GraphQLError,
  Kind,
  getNamedType,
  getOperationAST,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  type DefinitionNode,
  type ExecutionResult,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from "graphql";
import { ERROR_CODES } from "@clinigraph/platform";
import { decide, type AuthorizationRules, type Denial, type Policy, type Principal } from "./rules.js";

export const TYPENAME_ALIAS = "cgAuthzTypename__";

/** One response key of the filtered operation that the patch must visit. */
interface PatchNode {
  key: string;
  /** The type the field was selected on (object, interface or union). */
  onType: string;
  type: GraphQLOutputType;
  removed: boolean;
  children: Map<string, PatchNode[]>;
}

export interface AuthorizedOperation {
  /** The document to execute (the original when nothing was removed). */
  document: DocumentNode;
  /** Nothing was removed. */
  unchanged: boolean;
  /** Every root field was removed: do not execute, answer `patchResult({})`. */
  empty: boolean;
  errors: GraphQLError[];
  /** Puts nulls where fields were removed and prepends the authorization errors. */
  patchResult(result: ExecutionResult): ExecutionResult;
}

export interface AuthorizeArgs {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  rules: AuthorizationRules;
  principal: Principal;
  policies: Readonly<Record<string, Policy>>;
  now?: Date;
}

export function authorizeOperation({ schema, document, operationName, rules, principal, policies, now = new Date() }: AuthorizeArgs): AuthorizedOperation {
  const unchangedResult: AuthorizedOperation = { document, unchanged: true, empty: false, errors: [], patchResult: (r) => r };
  if (rules.isEmpty) return unchangedResult;
  const operation = getOperationAST(document, operationName || undefined);
  if (!operation) return unchangedResult;
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return unchangedResult;

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

  const denials = new Map<FieldNode, Denial>();
  const denialOf = (parent: GraphQLCompositeType, field: FieldNode): Denial | null => {
    if (denials.has(field)) return denials.get(field)!;
    if (field.name.value.startsWith("__") || (!isObjectType(parent) && !isInterfaceType(parent))) return null;
    const def = parent.getFields()[field.name.value];
    if (!def) return null;
    const denial = decide(rules.requirementOf(parent.name, def.name, getNamedType(def.type).name), principal, policies, now);
    if (denial) denials.set(field, denial);
    return denial;
  };
  const fieldType = (parent: GraphQLCompositeType, field: FieldNode) =>
    isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[field.name.value]?.type : undefined;
  const typeOf = (name: string | undefined, fallback: GraphQLCompositeType) => {
    const t = name ? schema.getType(name) : fallback;
    return t && isCompositeType(t) ? t : fallback;
  };

  // Pass 1: filter selection sets (memoised per node: fragments are shared).
  const pruned = new Map<SelectionSetNode, SelectionSetNode | null>();
  const prunedFragments = new Map<string, FragmentDefinitionNode | null>();
  const pruneFragment = (name: string): FragmentDefinitionNode | null => {
    if (prunedFragments.has(name)) return prunedFragments.get(name)!;
    const def = fragments.get(name);
    if (!def) return null;
    prunedFragments.set(name, def); // cycles are invalid GraphQL; guard anyway
    const set = pruneSet(def.selectionSet, typeOf(def.typeCondition.name.value, rootType));
    const result = set ? (set === def.selectionSet ? def : { ...def, selectionSet: set }) : null;
    prunedFragments.set(name, result);
    return result;
  };
  const pruneSet = (set: SelectionSetNode, parent: GraphQLCompositeType): SelectionSetNode | null => {
    if (pruned.has(set)) return pruned.get(set)!;
    let changed = false;
    const kept: SelectionNode[] = [];
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (denialOf(parent, sel)) {
          changed = true;
          continue;
        }
        const type = fieldType(parent, sel);
        if (sel.selectionSet && type) {
          const named = getNamedType(type);
          const sub = isCompositeType(named) ? pruneSet(sel.selectionSet, named) : sel.selectionSet;
          if (!sub) {
            changed = true;
            continue;
          }
          if (sub !== sel.selectionSet) {
            changed = true;
            kept.push({ ...sel, selectionSet: sub });
            continue;
          }
        }
        kept.push(sel);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const sub = pruneSet(sel.selectionSet, typeOf(sel.typeCondition?.name.value, parent));
        if (!sub) changed = true;
        else if (sub !== sel.selectionSet) {
          changed = true;
          kept.push({ ...sel, selectionSet: sub });
        } else kept.push(sel);
      } else {
        const def = pruneFragment(sel.name.value);
        if (!def) changed = true;
        else {
          if (def !== fragments.get(sel.name.value)) changed = true;
          kept.push(sel);
        }
      }
    }
    const result = kept.length === 0 ? null : changed ? { ...set, selections: kept } : set;
    pruned.set(set, result);
    return result;
  };

  const rootSet = pruneSet(operation.selectionSet, rootType);
  if (denials.size === 0) return unchangedResult;

  // Pass 2: the response shape to patch, walking the original operation with fragments inlined.
  const errors: GraphQLError[] = [];
  const seenPaths = new Set<string>();
  const walk = (set: SelectionSetNode, parent: GraphQLCompositeType, path: string[], into: Map<string, PatchNode[]>, visiting: Set<string>) => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const type = fieldType(parent, sel);
        if (!type) continue;
        const key = sel.alias?.value ?? sel.name.value;
        const denial = denialOf(parent, sel);
        const node: PatchNode = { key, onType: parent.name, type, removed: false, children: new Map() };
        if (denial) {
          node.removed = true;
          const at = [...path, key];
          const id = `${at.join(".")}@${parent.name}`;
          if (!seenPaths.has(id)) {
            seenPaths.add(id);
            errors.push(denialError(denial, `${parent.name}.${sel.name.value}`, at));
          }
        } else if (sel.selectionSet) {
          const named = getNamedType(type);
          if (!isCompositeType(named)) continue;
          if (pruned.get(sel.selectionSet) === null) node.removed = true; // everything under it was removed
          walk(sel.selectionSet, named, [...path, key], node.children, visiting);
          if (!node.removed && !hasRemovals(node.children)) continue;
        } else continue;
        const list = into.get(key) ?? [];
        list.push(node);
        into.set(key, list);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        walk(sel.selectionSet, typeOf(sel.typeCondition?.name.value, parent), path, into, visiting);
      } else {
        const def = fragments.get(sel.name.value);
        if (!def || visiting.has(def.name.value)) continue;
        visiting.add(def.name.value);
        walk(def.selectionSet, typeOf(def.typeCondition.name.value, parent), path, into, visiting);
        visiting.delete(def.name.value);
      }
    }
  };
  const root = new Map<string, PatchNode[]>();
  walk(operation.selectionSet, rootType, [], root, new Set());

  const empty = rootSet === null;
  const filtered = empty ? document : rebuildDocument(document, operation, rootSet, prunedFragments);

  return {
    document: filtered,
    unchanged: false,
    empty,
    errors,
    patchResult(result) {
      const data = result.data === undefined || result.data === null ? (empty ? {} : result.data) : result.data;
      let patched: Record<string, unknown> | null | undefined = data;
      if (data) patched = patchObject(schema, data, root) === PROPAGATE ? null : data;
      if (patched) stripAlias(patched);
      return { ...result, data: patched, errors: [...errors, ...(result.errors ?? [])] };
    },
  };
}

function denialError(denial: Denial, coordinate: string, path: string[]): GraphQLError {
  const message = denial === ERROR_CODES.UNAUTHENTICATED ? `Sign in to read ${coordinate}` : `You are not allowed to read ${coordinate}`;
  return new GraphQLError(message, { path, extensions: { code: denial, authorization: "router" } });
}

const hasRemovals = (children: Map<string, PatchNode[]>): boolean =>
  [...children.values()].some((nodes) => nodes.some((n) => n.removed || hasRemovals(n.children)));

/**
 * The filtered operation, with emptied fragments dropped. Every object selection also asks for
 * `__typename` under a private alias, so the patch knows each object's type (fields removed under a type
 * condition only apply to objects of that type); `patchResult` strips the alias from the whole response.
 */
function rebuildDocument(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rootSet: SelectionSetNode,
  prunedFragments: Map<string, FragmentDefinitionNode | null>,
): DocumentNode {
  const withTypename = (set: SelectionSetNode, ask: boolean): SelectionSetNode => {
    const selections = set.selections.map((sel): SelectionNode => {
      if (sel.kind === Kind.FIELD && sel.selectionSet) return { ...sel, selectionSet: withTypename(sel.selectionSet, true) };
      if (sel.kind === Kind.INLINE_FRAGMENT) return { ...sel, selectionSet: withTypename(sel.selectionSet, false) };
      return sel;
    });
    return { ...set, selections: ask ? [...selections, typenameField()] : selections };
  };
  const definitions = document.definitions.flatMap((def): DefinitionNode[] => {
    if (def === operation) return [{ ...operation, selectionSet: withTypename(rootSet, false) }];
    if (def.kind === Kind.FRAGMENT_DEFINITION) {
      const kept = prunedFragments.has(def.name.value) ? prunedFragments.get(def.name.value) : def;
      return kept ? [{ ...kept, selectionSet: withTypename(kept.selectionSet, false) }] : [];
    }
    return def.kind === Kind.OPERATION_DEFINITION ? [] : [def];
  });
  return { ...document, definitions };
}

const typenameField = (): FieldNode => ({
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: TYPENAME_ALIAS },
  name: { kind: Kind.NAME, value: "__typename" },
});

const PROPAGATE = Symbol("propagate null");

function stripAlias(value: unknown): void {
  if (Array.isArray(value)) for (const item of value) stripAlias(item);
  else if (typeof value === "object" && value !== null) {
    const obj = value as Record<string, unknown>;
    delete obj[TYPENAME_ALIAS];
    for (const v of Object.values(obj)) stripAlias(v);
  }
}

function appliesTo(schema: GraphQLSchema, onType: string, runtimeType: string | undefined): boolean {
  if (runtimeType === undefined || onType === runtimeType) return true;
  const on = schema.getType(onType);
  const rt = schema.getType(runtimeType);
  if (!on || !rt || !isObjectType(rt)) return true;
  return isAbstractType(on) && schema.isSubType(on, rt);
}

function patchObject(schema: GraphQLSchema, obj: Record<string, unknown>, nodes: Map<string, PatchNode[]>): typeof PROPAGATE | void {
  const runtimeType = (obj[TYPENAME_ALIAS] ?? obj.__typename) as string | undefined;
  for (const [key, list] of nodes) {
    for (const node of list) {
      if (!appliesTo(schema, node.onType, runtimeType)) continue;
      if (node.removed) {
        obj[key] = null;
        if (isNonNullType(node.type)) return PROPAGATE;
        continue;
      }
      const value = obj[key];
      if (value === null || value === undefined) continue;
      if (patchValue(schema, value, node.type, node.children) === PROPAGATE) {
        obj[key] = null;
        if (isNonNullType(node.type)) return PROPAGATE;
      }
    }
  }
}

function patchValue(schema: GraphQLSchema, value: unknown, type: GraphQLOutputType, children: Map<string, PatchNode[]>): typeof PROPAGATE | void {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    if (!Array.isArray(value)) return;
    for (let i = 0; i < value.length; i++) {
      if (value[i] === null || value[i] === undefined) continue;
      if (patchValue(schema, value[i], inner.ofType, children) === PROPAGATE) {
        value[i] = null;
        if (isNonNullType(inner.ofType)) return PROPAGATE;
      }
    }
    return;
  }
  if (typeof value === "object" && value !== null) return patchObject(schema, value as Record<string, unknown>, children);
}
