/**
 * The response shaper: turns the data a query plan fetched (keys, `__typename`s and fields other parts of the plan
 * needed, in fetch order) into the caller's response (exactly the fields asked for, in the query's order, nulls
 * propagated to the nearest nullable parent, leaf values checked against their types).
 *
 * It computes the same answer as @apollo/gateway's `computeResponse`, rule for rule (the router's tests compare
 * the two), but it is compiled once per operation and cached with its plan: skip/include conditions, response names,
 * type wrappers, `__typename` lookups and fragment type conditions are worked out when the operation is first seen,
 * not again for every object of every response.
 */
import {
  ERRORS,
  isCompositeType,
  isCustomScalarType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isSubtype,
  typenameFieldName,
  Variable,
  type CompositeType,
  type FieldSelection,
  type NamedType,
  type Operation,
  type OperationElement,
  type OutputType,
  type Schema,
  type SelectionSet,
} from "@apollo/federation-internals";
import type { GraphQLError } from "graphql";

type Data = Record<string, unknown>;
type Path = (string | number)[];

/** A skip/include condition: a literal, or a variable's name. */
type Condition = { skip: DirectiveIf | undefined; include: DirectiveIf | undefined } | undefined;
/** A directive's `if`: a literal, or a variable's name with the directive as printed (for the error message). */
type DirectiveIf = boolean | { variable: string; printed: string };

interface CompiledField {
  kind: "field";
  when: Condition;
  responseName: string;
  typename: boolean;
  /** Set for `__schema` / `__type`, which the shaper does not compute (the caller's introspection handler does). */
  introspection: FieldSelection | undefined;
  type: CompiledType;
  /** The field's sub-selection, compiled on first use. */
  selectionSet: SelectionSet | undefined;
}

interface CompiledFragment {
  kind: "fragment";
  when: Condition;
  /** undefined: no type condition. */
  typeCondition: CompositeType | undefined;
  selectionSet: SelectionSet;
  /** Does the condition apply to a runtime `__typename` / to the parent type (when there is no `__typename`)? Cached per name. */
  byTypename: Map<string, boolean>;
  byParent: Map<string, boolean>;
}

type CompiledSelection = CompiledField | CompiledFragment;

type CompiledType =
  | { kind: "nonNull"; ofType: CompiledType; inner: OutputType }
  | { kind: "list"; ofType: CompiledType; inner: OutputType; printed: string }
  | { kind: "composite"; type: CompositeType }
  | { kind: "leaf"; check: (value: unknown) => boolean; type: NamedType };

const OK = 0;
const NULL_BUBBLE_UP = 1;

interface Updated {
  updated: unknown;
  isInvalid: boolean;
  hasErrors: boolean;
}

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

export interface ShapedResponse {
  data: Data | null | undefined;
  errors: GraphQLError[];
}

export type IntrospectionHandler = (selection: FieldSelection) => unknown;

export class CompiledShaper {
  private readonly schema: Schema;
  private readonly sets = new WeakMap<SelectionSet, CompiledSelection[]>();
  private readonly composites = new Map<string, CompositeType | null>();
  private readonly rootType: CompositeType;
  private readonly defaultedVariables: Record<string, unknown>;
  readonly hasIntrospection: boolean;

  constructor(private readonly operation: Operation) {
    this.schema = operation.schema();
    this.rootType = this.schema.schemaDefinition.rootType(operation.rootKind)!;
    this.defaultedVariables = operation.collectDefaultedVariableValues();
    this.hasIntrospection = this.compileAll(operation.selectionSet);
  }

  shape(input: Data | null | undefined, variables: Record<string, unknown> | undefined, introspection: IntrospectionHandler): ShapedResponse {
    if (!input) return { data: input, errors: [] };
    const state: State = {
      variables: { __proto__: null, ...this.defaultedVariables, ...variables } as Record<string, unknown>,
      errors: [],
      introspection,
    };
    const data: Data = Object.create(null);
    const res = this.applySelectionSet(input, this.operation.selectionSet, data, state, [], this.rootType);
    return { data: res === NULL_BUBBLE_UP ? null : data, errors: state.errors };
  }

  /** Compiles every selection set of the operation ahead of the first request; says whether it asks for introspection. */
  private compileAll(set: SelectionSet): boolean {
    let introspection = false;
    for (const selection of this.compiled(set)) {
      if (selection.kind === "field" && selection.introspection) introspection = true;
      const sub = selection.selectionSet;
      if (sub && this.compileAll(sub)) introspection = true;
    }
    return introspection;
  }

  private compiled(set: SelectionSet): CompiledSelection[] {
    let compiled = this.sets.get(set);
    if (!compiled) {
      compiled = set.selections().map((selection): CompiledSelection => {
        const when = this.condition(selection.element);
        if (selection.kind === "FieldSelection") {
          const field = selection.element;
          return {
            kind: "field",
            when,
            responseName: field.responseName(),
            typename: field.name === typenameFieldName,
            introspection: field.definition.isSchemaIntrospectionField() ? selection : undefined,
            type: this.compileType(field.definition.type!),
            selectionSet: selection.selectionSet,
          };
        }
        return {
          kind: "fragment",
          when,
          typeCondition: selection.element.typeCondition,
          selectionSet: selection.selectionSet,
          byTypename: new Map(),
          byParent: new Map(),
        };
      });
      this.sets.set(set, compiled);
    }
    return compiled;
  }

  private condition(element: OperationElement): Condition {
    const literalOrVariable = (name: "skip" | "include"): DirectiveIf | undefined => {
      const directive = element.appliedDirectivesOf(name === "skip" ? this.schema.skipDirective() : this.schema.includeDirective())[0];
      if (!directive) return undefined;
      const arg = (directive.arguments() as { if: boolean | Variable }).if;
      return arg instanceof Variable ? { variable: arg.name, printed: directive.toString() } : arg;
    };
    const skip = literalOrVariable("skip");
    const include = literalOrVariable("include");
    return skip === undefined && include === undefined ? undefined : { skip, include };
  }

  private compileType(type: OutputType): CompiledType {
    if (isNonNullType(type)) return { kind: "nonNull", ofType: this.compileType(type.ofType), inner: type.ofType };
    if (isListType(type)) return { kind: "list", ofType: this.compileType(type.ofType), inner: type.ofType, printed: type.toString() };
    if (isCompositeType(type)) return { kind: "composite", type };
    return { kind: "leaf", check: this.leafCheck(type), type };
  }

  /** `isValidLeafValue` of federation-internals, specialised to one type. */
  private leafCheck(type: NamedType): (value: unknown) => boolean {
    const schema = this.schema;
    if (isCustomScalarType(type)) return () => true;
    const isBoolean = type === schema.booleanType();
    const isIntOrId = type === schema.intType() || type === schema.idType();
    const isFloat = type === schema.floatType();
    const isInt = type === schema.intType();
    const enumType = isEnumType(type) ? type : undefined;
    return (value) => {
      if (typeof value === "boolean") return isBoolean;
      if (typeof value === "number" && isFinite(value)) return isIntOrId ? INTEGER.test(String(value)) : isFloat;
      if (typeof value === "string") {
        if (enumType) return enumType.value(value) !== undefined;
        return !isBoolean && !isInt && !isFloat;
      }
      return false;
    };
  }

  private skipped(when: Condition, variables: Record<string, unknown>): boolean {
    if (!when) return false;
    const value = (arg: DirectiveIf) => {
      if (typeof arg === "boolean") return arg;
      const v = variables[arg.variable];
      if (typeof v !== "boolean") throw new Error(`Unexpected value ${String(v)} for variable $${arg.variable} of ${arg.printed}`);
      return v;
    };
    return (when.skip !== undefined && value(when.skip)) || (when.include !== undefined && !value(when.include));
  }

  private composite(name: string): CompositeType | null {
    let type = this.composites.get(name);
    if (type === undefined) {
      const found = this.schema.type(name);
      this.composites.set(name, (type = found && isCompositeType(found) ? found : null));
    }
    return type;
  }

  private fragmentApplies(fragment: CompiledFragment, typename: string | undefined, parentType: CompositeType): boolean {
    const condition = fragment.typeCondition;
    if (!condition) return true;
    if (typename) {
      let applies = fragment.byTypename.get(typename);
      if (applies === undefined) {
        const type = this.schema.type(typename);
        fragment.byTypename.set(typename, (applies = !!type && isSubtype(condition, type)));
      }
      return applies;
    }
    let applies = fragment.byParent.get(parentType.name);
    if (applies === undefined) fragment.byParent.set(parentType.name, (applies = isSubtype(condition, parentType)));
    return applies;
  }

  private applySelectionSet(input: Data, set: SelectionSet, output: Data, state: State, path: Path, parentType: CompositeType): number {
    for (const selection of this.compiled(set)) {
      if (selection.when && this.skipped(selection.when, state.variables)) continue;

      if (selection.kind === "field") {
        const responseName = selection.responseName;
        const outputValue = output[responseName];

        if (selection.introspection) {
          if (outputValue === undefined) output[responseName] = state.introspection(selection.introspection);
          continue;
        }

        let inputValue = Object.prototype.hasOwnProperty.call(input, responseName) ? (input[responseName] ?? null) : null;

        if (selection.typename) {
          if (outputValue === undefined) {
            if (inputValue === null && responseName !== typenameFieldName) inputValue = input[typenameFieldName] ?? null;
            const type = inputValue !== null && typeof inputValue === "string" ? (this.schema.type(inputValue) ?? parentType) : parentType;
            if (!isObjectType(type)) return NULL_BUBBLE_UP;
            output[responseName] = type.name;
          }
          continue;
        }

        path.push(responseName);
        const { updated, isInvalid } = this.updateOutputValue(outputValue, selection.type, inputValue, selection.selectionSet, path, state, parentType);
        output[responseName] = updated;
        path.pop();
        if (isInvalid) return NULL_BUBBLE_UP;
      } else {
        const typename = input[typenameFieldName];
        if (typename && typeof typename !== "string") throw new Error(`Got unexpected value for __typename: ${String(typename)}`);
        if (this.fragmentApplies(selection, (typename as string | undefined) || undefined, parentType)) {
          const res = this.applySelectionSet(input, selection.selectionSet, output, state, path, selection.typeCondition ?? parentType);
          if (res === NULL_BUBBLE_UP) return NULL_BUBBLE_UP;
        }
      }
    }
    return OK;
  }

  private updateOutputValue(
    outputValue: unknown,
    type: CompiledType,
    inputValue: unknown,
    selectionSet: SelectionSet | undefined,
    path: Path,
    state: State,
    parentType: CompositeType,
  ): Updated {
    if (outputValue === null || (outputValue !== undefined && !selectionSet)) return { updated: outputValue, isInvalid: false, hasErrors: false };

    if (type.kind === "nonNull") {
      const { updated, hasErrors } = this.updateOutputValue(outputValue, type.ofType, inputValue, selectionSet, path, state, parentType);
      if (updated === null) {
        if (!hasErrors) state.errors.push(invalid(`Cannot return null for non-nullable ${describe(path, type.inner, parentType)}.`, path));
        return { updated, isInvalid: true, hasErrors: true };
      }
      return { updated, isInvalid: false, hasErrors: false };
    }

    if (inputValue === null) return { updated: null, isInvalid: false, hasErrors: false };

    if (type.kind === "list") {
      if (!Array.isArray(inputValue)) throw new Error(`Invalid non-list value ${String(inputValue)} returned by subgraph for list type ${type.printed}`);
      if (outputValue !== undefined && !Array.isArray(outputValue))
        throw new Error(`Invalid non-list value ${String(outputValue)} returned by subgraph for list type ${type.printed}`);
      const previous = outputValue as unknown[] | undefined;
      if (previous && previous.length !== inputValue.length)
        throw new Error(`[${String(inputValue)}].length (${inputValue.length}) !== [${String(previous)}].length (${previous.length})`);
      let shouldNullify = false;
      let hasErrors = false;
      const updated = new Array<unknown>(inputValue.length);
      for (let idx = 0; idx < inputValue.length; idx++) {
        path.push(idx);
        const elt = this.updateOutputValue(previous?.[idx], type.ofType, inputValue[idx], selectionSet, path, state, parentType);
        path.pop();
        shouldNullify ||= elt.isInvalid;
        hasErrors ||= elt.hasErrors;
        updated[idx] = elt.updated;
      }
      return { updated: shouldNullify ? null : updated, isInvalid: false, hasErrors };
    }

    if (type.kind === "composite") {
      if (!selectionSet) throw new Error(`Invalid empty selection set for composite type ${type.type.toString()}`);
      if (typeof inputValue !== "object")
        throw new Error(`Invalid non-object value ${String(inputValue)} returned by subgraph for composite type ${type.type.toString()}`);
      const object = inputValue as Data;
      const inputTypename = object[typenameFieldName];
      if (inputTypename !== undefined && typeof inputTypename !== "string")
        throw new Error(`Invalid non-string value ${String(inputTypename)} for __typename at ${String(path)}`);
      let objType: CompositeType = type.type;
      if (inputTypename) {
        const typenameType = this.composite(inputTypename);
        if (!typenameType) {
          state.errors.push(invalid(`Invalid __typename found for object at ${describe(path, type.type, parentType)}.`, path));
          return { updated: null, isInvalid: false, hasErrors: true };
        }
        objType = typenameType;
      }
      const outputObject = outputValue === undefined ? (Object.create(null) as Data) : (outputValue as Data);
      const res = this.applySelectionSet(object, selectionSet, outputObject, state, path, objType);
      const hasErrors = res === NULL_BUBBLE_UP;
      return { updated: hasErrors ? null : outputObject, isInvalid: false, hasErrors };
    }

    if (outputValue !== undefined) throw new Error(`Excepted output to be undefined but got ${type.type.toString()} for type ${type.type.toString()}`);
    const isValid = type.check(inputValue);
    if (!isValid) state.errors.push(invalid(`Invalid value found for ${describe(path, type.type, parentType)}.`, path));
    return { updated: isValid ? inputValue : null, isInvalid: false, hasErrors: !isValid };
  }
}

interface State {
  variables: Record<string, unknown>;
  errors: GraphQLError[];
  introspection: IntrospectionHandler;
}

function describe(path: Path, currentType: { toString(): string }, parentType: CompositeType): string {
  const element = path[path.length - 1];
  return typeof element === "string" ? `field ${parentType.toString()}.${element}` : `array element of type ${currentType.toString()} at index ${element}`;
}

function invalid(message: string, path: Path): GraphQLError {
  return ERRORS.INVALID_GRAPHQL.err(message, { path: Array.from(path) });
}
