/**
 * Plans subscriptions with Apollo's own query planner. `@apollo/gateway` refuses to execute them, but
 * the planner already splits one into a `SubscriptionNode`: `primary`, a fetch that is a subscription on
 * the subgraph owning the root field, and `rest`, the plan that resolves the fields other subgraphs own —
 * exactly what a query would run. It uses the gateway's own planner and schemas (execution/executor.ts
 * `loadedSupergraph`), so the supergraph is held in memory once, and follows every supergraph the gateway loads.
 * A plan is made once per document object and operation name, for the supergraph in use: subscriptions of the same
 * (cached) document share it, so thousands of open subscriptions hold one plan and one document.
 */
import { operationFromDocument, type Schema } from "@apollo/federation-internals";
import { buildOperationContext } from "@apollo/gateway";
import type { FetchNode, PlanNode, QueryPlanner, SubscriptionNode } from "@apollo/query-planner";
import { GraphQLError, type DocumentNode, type GraphQLSchema } from "graphql";
import { ERROR_CODES } from "@clinigraph/platform";
import type { LoadedSupergraph } from "../execution/executor.js";

type OperationContext = ReturnType<typeof buildOperationContext>;

export interface PlannedSubscription {
  primary: FetchNode;
  rest: PlanNode | undefined;
  operationContext: OperationContext;
  supergraphSchema: GraphQLSchema;
  apiSchema: Schema;
}

interface Loaded {
  planner: QueryPlanner;
  supergraphSchema: GraphQLSchema;
  apiSchema: Schema;
  apiGraphQLSchema: GraphQLSchema;
  /** Plans made for this supergraph, per document and operation name (`""`: none given). */
  plans: WeakMap<DocumentNode, Map<string, PlannedSubscription>>;
}

export class SubscriptionPlanner {
  private loaded: Loaded | undefined;

  /** Called with every supergraph the gateway serves, once the gateway has loaded it. */
  update(supergraph: LoadedSupergraph): void {
    const { planner, supergraphSchema, apiSchema, apiGraphQLSchema } = supergraph;
    this.loaded = { planner, supergraphSchema, apiSchema, apiGraphQLSchema, plans: new WeakMap() };
  }

  /** The client-facing schema (for validating subscription operations). */
  apiGraphQLSchema(): GraphQLSchema {
    return this.current().apiGraphQLSchema;
  }

  plan(document: DocumentNode, operationName: string | undefined): PlannedSubscription {
    const loaded = this.current();
    let byName = loaded.plans.get(document);
    const cached = byName?.get(operationName ?? "");
    if (cached) return cached;
    const planned = this.build(loaded, document, operationName);
    if (!byName) loaded.plans.set(document, (byName = new Map()));
    byName.set(operationName ?? "", planned);
    return planned;
  }

  private build({ planner, supergraphSchema, apiSchema }: Loaded, document: DocumentNode, operationName: string | undefined): PlannedSubscription {
    const operation = operationFromDocument(planner.supergraph.schema, document, { operationName });
    const plan = planner.buildQueryPlan(operation);
    const node = plan.node;
    if (node?.kind !== "Subscription") throw new GraphQLError("Not a subscription operation", { extensions: { code: ERROR_CODES.BAD_USER_INPUT } });
    const { primary, rest } = node as SubscriptionNode;
    return {
      primary,
      rest,
      operationContext: buildOperationContext({ schema: supergraphSchema, operationDocument: document, operationName }),
      supergraphSchema,
      apiSchema,
    };
  }

  private current(): Loaded {
    if (!this.loaded) throw new GraphQLError("The supergraph is not loaded yet", { extensions: { code: ERROR_CODES.SERVICE_UNAVAILABLE } });
    return this.loaded;
  }
}
