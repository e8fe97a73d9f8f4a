/**
 * Refuses, before planning, an operation that selects a field of an abstract type no object type implements (an
 * interface whose implementations live nowhere, e.g. an entity interface only ever extended as `@interfaceObject`)
 * when no subgraph that resolves the enclosing field (e.g. `Query.a` for `{ a { field } }`) defines that field on the
 * type. `__typename` is always allowed.
 *
 * Such a selection never yields data, but how it fails depends on the query planner. If a subgraph that returns the
 * value defines the field on the type, the planner fetches it there, and the router refuses the subgraph's
 * `__typename` at run time (the parent becomes null, with an error): left alone. If none does, the planner either
 * looks for the field among the type's object types (the type is an interface in that subgraph), finds none and
 * silently drops the field, and with it the fetch of its parent, so the caller gets `null` and no error; or (the type
 * is an `@interfaceObject` there) takes a key to a subgraph that has the field and fails to build that entity fetch
 * (`... on <Type>` under `_Entity`, a type without object types), an internal error. This rule answers both with a
 * validation error (`GRAPHQL_VALIDATION_FAILED`, HTTP 400, no `data`).
 *
 * The subgraph facts come from the supergraph, read once per supergraph the gateway loads and only when its API
 * schema has such a type; for any other schema the rule costs one WeakMap lookup per validated document (and Apollo
 * Server validates a document once, then caches it).
 */
import { Supergraph, type NamedType, type Subgraph } from "@apollo/federation-internals";
import {
  GraphQLError,
  Kind,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import { ERROR_CODES, type Logger } from "@clinigraph/platform";

export interface EmptyAbstractTypes {
  /**
   * The API schema's abstract types with no possible object type, by name, and for each of their fields the
   * subgraphs that define it on the type (as an interface or as an `@interfaceObject`).
   */
  types: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;
  /** For every API field returning one of those types (`Parent.field`): the subgraphs that define it. */
  resolvedIn: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The abstract types of `apiSchema` that no object type implements (or is a member of). */
export function emptyAbstractTypeNames(apiSchema: GraphQLSchema): string[] {
  return Object.values(apiSchema.getTypeMap())
    .filter((type) => !type.name.startsWith("__") && isAbstractType(type) && apiSchema.getPossibleTypes(type).length === 0)
    .map((type) => type.name);
}

/**
 * What the rule needs to know of a supergraph; undefined when its API schema has no empty abstract type (the
 * supergraph is then not read at all). Throws when the supergraph cannot be read.
 */
export function analyseEmptyAbstractTypes(apiSchema: GraphQLSchema, supergraphSdl: string): EmptyAbstractTypes | undefined {
  const names = emptyAbstractTypeNames(apiSchema);
  if (names.length === 0) return undefined;
  const subgraphs = Supergraph.build(supergraphSdl).subgraphs().values();

  const types = new Map<string, Map<string, Set<string>>>();
  for (const name of names) {
    const type = apiSchema.getType(name);
    const fields = new Map<string, Set<string>>();
    for (const field of isInterfaceType(type) ? Object.keys(type.getFields()) : []) {
      fields.set(field, new Set(subgraphs.filter((subgraph) => hasField(subgraph.schema.type(name), field)).map((subgraph) => subgraph.name)));
    }
    types.set(name, fields);
  }

  const resolvedIn = new Map<string, Set<string>>();
  for (const parent of Object.values(apiSchema.getTypeMap())) {
    if (parent.name.startsWith("__") || !(isObjectType(parent) || isInterfaceType(parent))) continue;
    // An interface's field may be resolved through its implementations too: look at theirs as well.
    const candidates: GraphQLNamedType[] = [parent, ...(isInterfaceType(parent) ? apiSchema.getPossibleTypes(parent) : [])];
    for (const [fieldName, field] of Object.entries(parent.getFields())) {
      if (!types.has(getNamedType(field.type).name)) continue;
      const where = new Set<string>();
      for (const subgraph of subgraphs) {
        if (candidates.some((candidate) => hasField(subgraphType(apiSchema, subgraph, candidate), fieldName))) where.add(subgraph.name);
      }
      resolvedIn.set(`${parent.name}.${fieldName}`, where);
    }
  }
  return { types, resolvedIn };
}

/** A subgraph's type of that name; for the API schema's root types, the subgraph's root type of the same kind. */
function subgraphType(apiSchema: GraphQLSchema, subgraph: Subgraph, type: GraphQLNamedType): NamedType | undefined {
  const root =
    type === apiSchema.getQueryType()
      ? "query"
      : type === apiSchema.getMutationType()
        ? "mutation"
        : type === apiSchema.getSubscriptionType()
          ? "subscription"
          : undefined;
  return root ? subgraph.schema.schemaDefinition.rootType(root) : subgraph.schema.type(type.name);
}

function hasField(type: NamedType | undefined, field: string): boolean {
  return (type?.kind === "ObjectType" || type?.kind === "InterfaceType") && type.field(field) !== undefined;
}

/** The rule, given what is known of the schema being validated against (undefined: nothing to check). */
export function emptyAbstractTypesRule(infoFor: (schema: GraphQLSchema) => EmptyAbstractTypes | undefined): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const info = infoFor(context.getSchema());
    if (!info) return {};
    return {
      Document(document) {
        checkDocument(context, info, document);
        return false;
      },
    };
  };
}

function checkDocument(context: ValidationContext, info: EmptyAbstractTypes, document: DocumentNode): void {
  const schema = context.getSchema();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const reported = new Set<FieldNode>();
  // Fragments already walked with a given enclosing field: each is walked once per enclosing field, so a document
  // spreading fragments into fragments many times over costs no more than its size (and cycles end).
  const walked = new Map<string, Set<string>>();

  /** `enclosing`: the API field (`Parent.field`) whose value this selection set selects from, if known. */
  const walk = (selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, enclosing: string | undefined): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === "__typename") continue;
        const definedIn = info.types.get(parentType.name)?.get(name);
        const resolvers = enclosing === undefined ? undefined : info.resolvedIn.get(enclosing);
        if (definedIn && resolvers && resolvers.size > 0 && !reported.has(selection)) {
          if (![...resolvers].some((subgraph) => definedIn.has(subgraph))) {
            reported.add(selection);
            context.reportError(
              new GraphQLError(
                `Cannot query field "${name}" on type "${parentType.name}" here: no object type implements "${parentType.name}", ` +
                  `and no subgraph that resolves "${enclosing}" can resolve "${parentType.name}.${name}".`,
                { nodes: [selection], extensions: { code: ERROR_CODES.GRAPHQL_VALIDATION_FAILED } },
              ),
            );
          }
        }
        if (!selection.selectionSet || !(isObjectType(parentType) || isInterfaceType(parentType))) continue;
        const field = parentType.getFields()[name];
        const fieldType = field ? getNamedType(field.type) : undefined;
        if (fieldType && isCompositeType(fieldType)) walk(selection.selectionSet, fieldType, `${parentType.name}.${name}`);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
        if (type && isCompositeType(type)) walk(selection.selectionSet, type, enclosing);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        const seen = walked.get(name) ?? new Set<string>();
        walked.set(name, seen);
        const key = enclosing ?? "";
        if (!fragment || seen.has(key)) continue;
        seen.add(key);
        const type = schema.getType(fragment.typeCondition.name.value);
        if (type && isCompositeType(type)) walk(fragment.selectionSet, type, enclosing);
      }
    }
  };

  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const root = schema.getRootType(definition.operation);
    if (root) walk(definition.selectionSet, root, undefined);
  }
}

/**
 * The rule for the router: it follows every supergraph the gateway loads (`update` is an `onSchemaLoadOrUpdate`
 * listener) and checks a document against what it learnt of the very schema the document is validated against.
 */
export class EmptyAbstractTypeSelections {
  private readonly bySchema = new WeakMap<GraphQLSchema, EmptyAbstractTypes>();

  constructor(private readonly logger?: Logger) {}

  readonly rule: ValidationRule = emptyAbstractTypesRule((schema) => this.bySchema.get(schema));

  readonly update = ({ apiSchema, coreSupergraphSdl }: { apiSchema: GraphQLSchema; coreSupergraphSdl: string }): void => {
    try {
      const info = analyseEmptyAbstractTypes(apiSchema, coreSupergraphSdl);
      if (info) this.bySchema.set(apiSchema, info);
    } catch (err) {
      this.logger?.error({ err }, "could not read the supergraph's abstract types; selections under empty ones are not checked");
    }
  };
}
