/**
 * The router's query-plan executor. @apollo/query-planner still plans every operation (the same plans as stock
 * @apollo/gateway); this runs them with less work per request:
 *
 * - the plan, the federation `Operation` and a compiled response shaper (shaper.ts) are cached together per
 *   document and operation name, so a repeated operation is neither re-planned nor re-read (stock @apollo/gateway
 *   rebuilds the `Operation` from the document and walks it generically for every request);
 * - no tracing scaffolding (usage-reporting protobuf nodes, OpenTelemetry spans) around every plan node;
 * - subgraph calls go through the router's data sources (dataSource.ts: lean HTTP, shared in-flight fetches).
 *
 * The walk itself — sequence, parallel, flatten, fetch, condition; entity representations; merging; error paths —
 * follows @apollo/gateway 2.14's `executeQueryPlan` step for step, so answers are the same byte for byte (tests
 * compare the two on the same data). Plans it does not handle — `@defer`, data rewrites (`@interfaceObject`,
 * `@fromContext`), schema introspection — go to the stock executor unchanged.
 */
import type { ApolloGateway, GraphQLDataSource } from "@apollo/gateway";
import { ERRORS, errorCodeDef, operationFromDocument, type Operation, type Schema } from "@apollo/federation-internals";
import {
  evaluateCondition,
  getResponseName,
  type FetchNode,
  type PlanNode,
  type QueryPlan,
  type QueryPlanFieldNode,
  type QueryPlanSelectionNode,
  type QueryPlanner,
  type ResponsePath,
} from "@apollo/query-planner";
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  getVariableValues,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  type GraphQLErrorOptions,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from "graphql";
import type { ApolloServerOptionsWithGateway, BaseContext } from "@apollo/server";
import { CompiledShaper } from "./shaper.js";

type GatewayExecutor = NonNullable<Awaited<ReturnType<ApolloServerOptionsWithGateway<BaseContext>["gateway"]["load"]>>["executor"]>;
type GatewayGraphQLRequestContext = Parameters<GatewayExecutor>[0];
type GatewayExecutionResult = Awaited<ReturnType<GatewayExecutor>>;
type ResultMap = Record<string, unknown>;
type Cursor = { path: ResponsePath; data: ResultMap | ResultMap[]; fullResult: ResultMap };

/** What one document + operation name needs, planned and compiled once. */
/** `null`: the stock executor runs it (schema introspection, or a plan isSupported refuses). */
type Prepared = { plan: QueryPlan; operation: Operation; shaper: CompiledShaper } | null;

/** What the gateway holds for the supergraph being served (private fields of @apollo/gateway 2.14, read once per load). */
export interface LoadedSupergraph {
  planner: QueryPlanner;
  /** The federation API schema (what operations are read against) and its graphql-js form (what callers see). */
  apiSchema: Schema;
  apiGraphQLSchema: GraphQLSchema;
  /** The supergraph as a graphql-js schema (entity representations are read with it). */
  supergraphSchema: GraphQLSchema;
  planOptions: { recursiveSelectionsLimitDisabled: boolean; nonLocalSelectionsLimitDisabled: boolean };
}

interface GatewayInternals {
  apiSchema?: Schema;
  supergraphSchema?: GraphQLSchema;
  schema?: GraphQLSchema;
  recursiveSelectionsLimitDisabled?: boolean;
  nonLocalSelectionsLimitDisabled?: boolean;
}

/**
 * The gateway's planner and schemas for the supergraph it serves now (undefined before the first load). The router
 * plans HTTP operations and subscriptions with these, so one supergraph is held in memory once.
 */
export function loadedSupergraph(gateway: ApolloGateway): LoadedSupergraph | undefined {
  const internals = gateway as unknown as GatewayInternals;
  const planner = gateway.__testing().queryPlanner;
  if (!planner || !internals.apiSchema || !internals.supergraphSchema || !internals.schema) return undefined;
  return {
    planner,
    apiSchema: internals.apiSchema,
    apiGraphQLSchema: internals.schema,
    supergraphSchema: internals.supergraphSchema,
    planOptions: {
      recursiveSelectionsLimitDisabled: internals.recursiveSelectionsLimitDisabled ?? false,
      nonLocalSelectionsLimitDisabled: internals.nonLocalSelectionsLimitDisabled ?? false,
    },
  };
}

interface Loaded extends LoadedSupergraph {
  prepared: Map<string, Prepared>;
}

export interface PlanExecutorOptions {
  gateway: ApolloGateway;
  /** The gateway's data sources by subgraph name. */
  dataSources: () => Readonly<Record<string, GraphQLDataSource>>;
  /** Operations kept planned and compiled (least recently used evicted), default 1,000. */
  maxOperations?: number;
  /** Called for every operation run: `hit` when it was already planned and compiled (metrics). */
  onPlan?: (hit: boolean) => void;
}

export class PlanExecutor {
  private loaded: Loaded | undefined;
  private readonly maxOperations: number;

  constructor(private readonly options: PlanExecutorOptions) {
    this.maxOperations = options.maxOperations ?? 1_000;
  }

  /** How many operations are planned and compiled (for tests and metrics). */
  get size(): number {
    return this.loaded?.prepared.size ?? 0;
  }

  /**
   * Runs the operation of `requestContext`; `stock` is the gateway's own executor, used for what this one does
   * not handle.
   */
  async execute(
    requestContext: GatewayGraphQLRequestContext,
    stock: (requestContext: GatewayGraphQLRequestContext) => Promise<GatewayExecutionResult>,
  ): Promise<GatewayExecutionResult> {
    const loaded = this.current();
    const operationNode = requestContext.operation as OperationDefinitionNode | undefined;
    if (!loaded || !operationNode || !requestContext.queryHash) return stock(requestContext);
    const { request, document } = requestContext;

    const variableDefinitions = operationNode.variableDefinitions;
    if (variableDefinitions && variableDefinitions.length > 0) {
      const { errors } = getVariableValues(loaded.apiGraphQLSchema, variableDefinitions as VariableDefinitionNode[], request.variables ?? {});
      if (errors) return { errors };
    }

    const key = request.operationName ? `${requestContext.queryHash}\u0000${request.operationName}` : requestContext.queryHash;
    const prepared = this.prepared(loaded, key, document, request.operationName);
    if (!prepared) return stock(requestContext);
    return this.run(loaded, prepared, requestContext);
  }

  private current(): Loaded | undefined {
    const planner = this.options.gateway.__testing().queryPlanner;
    if (this.loaded?.planner !== planner) {
      const supergraph = loadedSupergraph(this.options.gateway);
      this.loaded = supergraph ? { ...supergraph, prepared: new Map() } : undefined;
    }
    return this.loaded;
  }

  private prepared(loaded: Loaded, key: string, document: DocumentNode, operationName: string | undefined): Prepared {
    const cache = loaded.prepared;
    let prepared = cache.get(key);
    this.options.onPlan?.(cache.has(key));
    if (prepared !== undefined) {
      cache.delete(key); // most recently used last
      cache.set(key, prepared);
      return prepared;
    }
    const operation = operationFromDocument(loaded.apiSchema, document, operationName ? { operationName } : {});
    // Introspection is answered by the stock executor, which plans it itself: not planned here too.
    const shaper = new CompiledShaper(operation);
    const plan = shaper.hasIntrospection ? undefined : loaded.planner.buildQueryPlan(operation, loaded.planOptions);
    prepared = plan && isSupported(plan.node) ? { plan, operation, shaper } : null;
    cache.set(key, prepared);
    if (cache.size > this.maxOperations) cache.delete(cache.keys().next().value!);
    return prepared;
  }

  private async run(loaded: Loaded, prepared: NonNullable<Prepared>, requestContext: GatewayGraphQLRequestContext): Promise<GatewayExecutionResult> {
    const errors: GraphQLError[] = [];
    const context: ExecutionContext = {
      operation: prepared.operation,
      dataSources: this.options.dataSources(),
      requestContext,
      supergraphSchema: loaded.supergraphSchema,
      errors,
    };
    const unfilteredData: ResultMap = Object.create(null);
    if (prepared.plan.node) await executeNode(context, prepared.plan.node as PlanNode, { path: [], data: unfilteredData, fullResult: unfilteredData });

    const variables = requestContext.request.variables;
    try {
      const { data, errors: postProcessingErrors } = prepared.shaper.shape(unfilteredData, variables, () => {
        throw new Error("Operations with schema introspection run on the stock executor");
      });
      // As @apollo/gateway: shaping errors are reported only when the plan itself raised none, and then under
      // `extensions.valueCompletion` rather than `errors`.
      if (errors.length === 0 && postProcessingErrors.length > 0) return { extensions: { valueCompletion: postProcessingErrors }, data };
      return errors.length === 0 ? { data } : { errors, data };
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [error] };
      if (error instanceof Error) return { errors: [new GraphQLError(error.message, { originalError: error })] };
      return { errors: [new GraphQLError("Unexpected error during query plan execution")] };
    }
  }
}

/** Plans the fast walk handles: no @defer, no subscription, no data rewrites. */
function isSupported(node: QueryPlan["node"]): boolean {
  if (!node) return true;
  switch (node.kind) {
    case "Sequence":
    case "Parallel":
      return node.nodes.every(isSupported);
    case "Flatten":
      return isSupported(node.node);
    case "Condition":
      return isSupported(node.ifClause) && isSupported(node.elseClause);
    case "Fetch":
      return !node.inputRewrites?.length && !node.outputRewrites?.length && !node.contextRewrites?.length && !node.hasDefers;
    default:
      return false;
  }
}

interface ExecutionContext {
  operation: Operation;
  dataSources: Readonly<Record<string, GraphQLDataSource>>;
  requestContext: GatewayGraphQLRequestContext;
  supergraphSchema: GraphQLSchema;
  errors: GraphQLError[];
}

async function executeNode(context: ExecutionContext, node: PlanNode, cursor: Cursor | undefined): Promise<void> {
  if (!cursor) return;
  switch (node.kind) {
    case "Sequence":
      for (const child of node.nodes) await executeNode(context, child, cursor);
      return;
    case "Parallel":
      await Promise.all(node.nodes.map((child) => executeNode(context, child, cursor)));
      return;
    case "Flatten":
      await executeNode(context, node.node, moveIntoCursor(cursor, node.path));
      return;
    case "Fetch":
      try {
        await executeFetch(context, node, cursor);
      } catch (error) {
        context.errors.push(error as GraphQLError);
      }
      return;
    case "Condition": {
      const condition = evaluateCondition(node, context.operation.variableDefinitions, context.requestContext.request.variables);
      const branch = condition ? node.ifClause : node.elseClause;
      if (branch) await executeNode(context, branch, cursor);
      return;
    }
    default:
      throw new Error(`Unsupported query plan node ${node.kind}`);
  }
}

async function executeFetch(context: ExecutionContext, fetch: FetchNode, cursor: Cursor): Promise<void> {
  const service = context.dataSources[fetch.serviceName];
  if (!service) throw new Error(`Couldn't find service with name "${fetch.serviceName}"`);

  const entities: ResultMap[] = Array.isArray(cursor.data) ? cursor.data.filter((e) => e !== null && e !== undefined) : [cursor.data];
  if (entities.length < 1) return;

  const variables: Record<string, unknown> = Object.create(null);
  if (fetch.variableUsages) {
    const provided = context.requestContext.request.variables;
    for (const name of fetch.variableUsages) {
      if (provided && hasOwn(provided, name) && typeof provided[name] !== "undefined") variables[name] = provided[name];
    }
  }

  if (!fetch.requires) {
    const received = await sendOperation(context, service, fetch, cursor, variables);
    for (const entity of entities) deepMerge(entity, received);
    return;
  }

  const representations: ResultMap[] = [];
  const representationToEntity: number[] = [];
  entities.forEach((entity, index) => {
    // `requires` may name @inaccessible elements: read with the supergraph schema, as the subgraphs know them.
    const representation = executeSelectionSet(context.supergraphSchema, entity, fetch.requires!);
    if (representation && representation.__typename) {
      representations.push(representation);
      representationToEntity.push(index);
    }
  });
  if (representations.length < 1) return;
  if ("representations" in variables) throw new Error(`Variables cannot contain key "representations"`);

  const received = await sendOperation(context, service, fetch, cursor, { ...variables, representations });
  if (!received) return;
  const receivedEntities = received._entities;
  if (!Array.isArray(receivedEntities)) throw new Error(`Expected "data._entities" in response to be an array`);
  if (receivedEntities.length !== representations.length) throw new Error(`Expected "data._entities" to contain ${representations.length} elements`);

  // As @apollo/gateway 2.14 (which loops over `entities.length`, not over what was received).
  for (let i = 0; i < entities.length; i++) {
    const receivedEntity = receivedEntities[i] as ResultMap | null | undefined;
    const existingEntity = entities[representationToEntity[i]!];
    if (receivedEntity && !receivedEntity.__typename) receivedEntity.__typename = existingEntity!.__typename;
    deepMerge(entities[representationToEntity[i]!], receivedEntity);
  }
}

async function sendOperation(
  context: ExecutionContext,
  service: GraphQLDataSource,
  fetch: FetchNode,
  cursor: Cursor,
  variables: Record<string, unknown>,
): Promise<ResultMap | null | undefined> {
  const response = await service.process({
    kind: "incoming operation" as never, // GraphQLDataSourceRequestKind.INCOMING_OPERATION (not exported by @apollo/gateway)
    request: { query: fetch.operation, variables, operationName: fetch.operationName },
    incomingRequestContext: context.requestContext,
    context: context.requestContext.context,
    document: fetch.operationDocumentNode,
    pathInIncomingRequest: cursor.path,
  });
  if (response.errors) {
    const errorPath = lazyErrorPath(fetch, cursor);
    context.errors.push(...response.errors.map((error) => downstreamServiceError(error, fetch.serviceName, errorPath)));
  }
  return response.data as ResultMap | null | undefined;
}

type ErrorPathGenerator = (path: GraphQLErrorOptions["path"]) => GraphQLErrorOptions["path"];

function lazyErrorPath(fetch: FetchNode, cursor: Cursor): ErrorPathGenerator {
  let hydratedPaths: ResponsePath[] | undefined;
  return (errorPath) => {
    if (fetch.requires && typeof errorPath?.[1] === "number") {
      if (!hydratedPaths) {
        hydratedPaths = [];
        generateHydratedPaths([], cursor.path, cursor.fullResult, hydratedPaths);
      }
      const hydratedPath = hydratedPaths[errorPath[1]] ?? [];
      return [...hydratedPath, ...errorPath.slice(2)];
    }
    return errorPath ? [...cursor.path, ...errorPath.slice()] : undefined;
  };
}

function generateHydratedPaths(parent: ResponsePath, path: ResponsePath, data: unknown, result: ResponsePath[]): void {
  const head = path[0];
  if (data === null || data === undefined) return;
  if (head === undefined || head === null) {
    result.push(parent.slice());
  } else if (head === "@") {
    if (!Array.isArray(data)) throw new Error("expected array when encountering `@`");
    data.forEach((value, i) => {
      parent.push(i);
      generateHydratedPaths(parent, path.slice(1), value, result);
      parent.pop();
    });
  } else if (typeof head === "string") {
    if (Array.isArray(data)) {
      data.forEach((value, i) => {
        parent.push(i);
        generateHydratedPaths(parent, path, value, result);
        parent.pop();
      });
    } else if (hasOwn(data as object, head)) {
      parent.push(head);
      generateHydratedPaths(parent, path.slice(1), (data as ResultMap)[head], result);
      parent.pop();
    }
  } else {
    throw new Error(`unknown path part "${String(head)}"`);
  }
}

/** The representation of `source` a fetch's `requires` asks for (null when an input is missing). */
function executeSelectionSet(schema: GraphQLSchema, source: ResultMap | null, selections: readonly QueryPlanSelectionNode[]): ResultMap | null {
  if (source === null) return null;
  const result: ResultMap = Object.create(null);
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) {
      const responseName = getResponseName(selection as QueryPlanFieldNode);
      const subSelections = (selection as QueryPlanFieldNode).selections;
      const value = hasOwn(source, responseName) ? source[responseName] : undefined;
      if (value === undefined) return null;
      if (Array.isArray(value)) {
        result[responseName] = value.map((v: unknown) => (subSelections ? executeSelectionSet(schema, v as ResultMap | null, subSelections) : v));
      } else if (subSelections) {
        result[responseName] = executeSelectionSet(schema, value as ResultMap | null, subSelections);
      } else {
        result[responseName] = value;
      }
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (!selection.typeCondition || !source) continue;
      if (isObjectOfType(schema, source, selection.typeCondition)) deepMerge(result, executeSelectionSet(schema, source, selection.selections));
    }
  }
  return result;
}

function isObjectOfType(schema: GraphQLSchema, obj: ResultMap, typeCondition: string): boolean {
  const typename = obj.__typename;
  if (!typename) return false;
  if (typeCondition === typename) return true;
  const type = schema.getType(typename as string);
  if (!type) return false;
  const conditionType = schema.getType(typeCondition);
  if (!conditionType) return false;
  if (isAbstractType(conditionType)) return (isObjectType(type) || isInterfaceType(type)) && schema.isSubType(conditionType, type);
  return false;
}

function moveIntoCursor(cursor: Cursor, pathInCursor: ResponsePath): Cursor | undefined {
  const data = flattenResultsAtPath(cursor.data, pathInCursor);
  return data ? { path: cursor.path.concat(pathInCursor), data, fullResult: cursor.fullResult } : undefined;
}

function flattenResultsAtPath(value: unknown, path: ResponsePath, from = 0): Cursor["data"] | undefined | null {
  if (from === path.length) return value as Cursor["data"] | null | undefined;
  if (value === undefined || value === null) return value;
  const current = path[from];
  if (current === "@")
    return (value as unknown[]).flatMap((element) => flattenResultsAtPath(element, path, from + 1) as ResultMap | ResultMap[]) as ResultMap[];
  if (typeof current !== "string") throw new Error(`Unexpected ${typeof current} found in path`);
  if (Array.isArray(value)) throw new Error(`Unexpected array in result for path element ${current}`);
  return flattenResultsAtPath(hasOwn(value as object, current) ? (value as ResultMap)[current] : undefined, path, from + 1);
}

function downstreamServiceError(originalError: GraphQLFormattedError, serviceName: string, errorPath: ErrorPathGenerator): GraphQLError {
  const message = originalError.message || `Error while fetching subquery from service "${serviceName}"`;
  const { extensions } = originalError;
  const options: GraphQLErrorOptions = {
    originalError: originalError as Error,
    path: errorPath(originalError.path),
    extensions: { ...extensions, serviceName },
  };
  const codeDef = errorCodeDef(originalError);
  if (!codeDef && extensions?.code) return new GraphQLError(message, options);
  return (codeDef ?? ERRORS.DOWNSTREAM_SERVICE_ERROR).err(message, options);
}

const hasOwn = (obj: object, key: PropertyKey) => Object.prototype.hasOwnProperty.call(obj, key);

function isObject(value: unknown): value is ResultMap {
  return value !== undefined && value !== null && typeof value === "object" && !Array.isArray(value);
}

function defineOwn(obj: object, key: string): void {
  if (!hasOwn(obj, key) && key in obj) Object.defineProperty(obj, key, { configurable: true, enumerable: true, value: undefined, writable: true });
}

/** @apollo/gateway's deepMerge. */
function deepMerge(target: unknown, source: unknown): unknown {
  if (source === undefined || source === null) return target;
  const t = target as ResultMap;
  const s = source as ResultMap;
  for (const key of Object.keys(s)) {
    const sv = s[key];
    if (sv === undefined) continue;
    defineOwn(t, key);
    const tv = t[key];
    if (tv && isObject(sv)) {
      deepMerge(tv, sv);
    } else if (Array.isArray(sv) && Array.isArray(tv) && sv.length === tv.length) {
      for (let i = 0; i < sv.length; i++) {
        if (isObject(tv[i]) && isObject(sv[i])) deepMerge(tv[i], sv[i]);
        else tv[i] = sv[i];
      }
    } else {
      t[key] = sv;
    }
  }
  return target;
}
