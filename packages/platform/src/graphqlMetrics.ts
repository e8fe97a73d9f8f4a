/**
 * A subgraph's GraphQL requests as Prometheus metrics (an Apollo Server plugin; createSubgraphServer installs it):
 *
 * - `clinigraph_subgraph_requests_total{operation_type, status}` and `clinigraph_subgraph_request_duration_seconds
 *   {operation_type}`: one per HTTP GraphQL request, labelled as the router labels its own (status `success`,
 *   `partial`: data and errors, `error`: no data);
 * - `clinigraph_subgraph_root_fields_total{operation_type, root_field, status}` and
 *   `clinigraph_subgraph_root_field_duration_seconds{operation_type, root_field}`: per top-level field of the
 *   operation (`_entities` for the router's entity fetches), the request's duration attributed to each field it asked
 *   for; status `error` when an error's path starts at that field or the request has no data;
 * - `clinigraph_subgraph_errors_total{operation_type, root_field, code}`: each error of a response, by its
 *   `extensions.code` (root_field `unknown` when the error has no path: parse, validation, authentication).
 *
 * Label values are bounded by the schema, never by the caller: `root_field` is a field NAME (an alias is resolved
 * to its field) of an operation that passed validation, so it is one of the schema's root fields or `__typename`,
 * `__schema`, `__type`; anything that did not validate is `unknown`. Operation names are not used: a caller picks
 * them freely. Codes outside the platform's ERROR_CODES count as `OTHER`.
 */
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from "@apollo/server";
import { Kind, type DocumentNode, type OperationDefinitionNode, type SelectionSetNode } from "graphql";
import { ERROR_CODES } from "./errors.js";
import type { ServiceMetrics } from "./metrics.js";

const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const KNOWN_CODES: ReadonlySet<string> = new Set(Object.keys(ERROR_CODES));
const UNKNOWN = "unknown";
const NO_FIELDS: ReadonlyMap<string, string> = new Map();

type Status = "success" | "partial" | "error";

/** The top-level fields an operation asks for: response key (alias or name) → field name, fragments followed. */
export function rootFieldsOf(document: DocumentNode, operation: OperationDefinitionNode): Map<string, string> {
  const fields = new Map<string, string>();
  const seen = new Set<string>();
  const walk = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) fields.set(selection.alias?.value ?? selection.name.value, selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
        if (fragment?.kind === Kind.FRAGMENT_DEFINITION) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return fields;
}

export function graphqlMetricsPlugin<TContext extends object>(metrics: ServiceMetrics): ApolloServerPlugin<TContext> {
  const requests = metrics.counter({
    name: "clinigraph_subgraph_requests_total",
    help: "GraphQL requests a subgraph served, by operation type and outcome",
    labelNames: ["operation_type", "status"] as const,
  });
  const duration = metrics.histogram({
    name: "clinigraph_subgraph_request_duration_seconds",
    help: "GraphQL request duration in a subgraph, seconds",
    labelNames: ["operation_type"] as const,
    buckets: DURATION_BUCKETS,
  });
  const rootFields = metrics.counter({
    name: "clinigraph_subgraph_root_fields_total",
    help: "Top-level fields of the GraphQL requests a subgraph served (an operation with several counts once for each), by outcome",
    labelNames: ["operation_type", "root_field", "status"] as const,
  });
  const rootFieldDuration = metrics.histogram({
    name: "clinigraph_subgraph_root_field_duration_seconds",
    help: "Duration of the requests that asked for each top-level field, seconds",
    labelNames: ["operation_type", "root_field"] as const,
    buckets: DURATION_BUCKETS,
  });
  const errors = metrics.counter({
    name: "clinigraph_subgraph_errors_total",
    help: "Errors in a subgraph's GraphQL responses, by top-level field and extensions.code",
    labelNames: ["operation_type", "root_field", "code"] as const,
  });
  const rootFieldsByOperation = new WeakMap<OperationDefinitionNode, ReadonlyMap<string, string>>();
  const codeOf = (code: unknown) => (typeof code === "string" && KNOWN_CODES.has(code) ? code : "OTHER");

  const refused = (code: unknown) => {
    requests.inc({ operation_type: UNKNOWN, status: "error" });
    errors.inc({ operation_type: UNKNOWN, root_field: UNKNOWN, code: codeOf(code) });
  };

  function record(context: GraphQLRequestContextWillSendResponse<TContext>, seconds: number) {
    const { response, operation, document } = context;
    const body = response.body.kind === "single" ? response.body.singleResult : response.body.initialResult;
    const responseErrors = body.errors ?? [];
    const operationType = operation?.operation ?? UNKNOWN;
    const status: Status = responseErrors.length === 0 ? "success" : body.data ? "partial" : "error";
    requests.inc({ operation_type: operationType, status });
    duration.observe({ operation_type: operationType }, seconds);

    // Only an operation that was resolved (parsed, validated, chosen) names fields the schema bounds. Apollo keeps one
    // parsed document per query text, so each operation's fields are read once, not on every request.
    let fields = NO_FIELDS;
    if (operation && document) {
      fields = rootFieldsByOperation.get(operation) ?? rootFieldsOf(document, operation);
      rootFieldsByOperation.set(operation, fields);
    }
    const failedFields = new Set<string>();
    for (const error of responseErrors) {
      const key = typeof error.path?.[0] === "string" ? error.path[0] : undefined;
      const field = key !== undefined ? fields.get(key) : undefined;
      if (field) failedFields.add(field);
      errors.inc({ operation_type: operationType, root_field: field ?? UNKNOWN, code: codeOf(error.extensions?.code) });
    }
    for (const field of new Set(fields.values())) {
      const fieldStatus = status === "error" || failedFields.has(field) ? "error" : "success";
      rootFields.inc({ operation_type: operationType, root_field: field, status: fieldStatus });
      rootFieldDuration.observe({ operation_type: operationType, root_field: field }, seconds);
    }
  }

  return {
    // Refused before the pipeline (no identity, malformed HTTP body): requestDidStart never runs for these.
    async contextCreationDidFail({ error }) {
      refused((error as { extensions?: { code?: unknown } }).extensions?.code ?? "UNAUTHENTICATED");
    },
    async invalidRequestWasReceived() {
      refused("BAD_REQUEST");
    },
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(context) {
          record(context, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
