/**
 * The router's GraphQL-over-HTTP handler: what `@as-integrations/express5` does (express request →
 * Apollo's HTTPGraphQLRequest → response), plus the edge: a safelisted request is resolved before
 * Apollo reads it, and the whole request (authentication, rate limit, planning, every subgraph call)
 * runs under one deadline. Past it the caller gets GATEWAY_TIMEOUT (HTTP 504) at once. The deadline travels
 * with every subgraph call (`x-clinigraph-budget-ms`): the router's fetcher aborts calls still running at the
 * deadline, so no later step of the plan starts for a caller who has gone. A subgraph already inside a
 * transaction finishes it — a mutation may still have happened, as with any gateway timeout.
 */
import type { Request, RequestHandler, Response } from "express";
import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from "@apollo/server";
import type { GraphQLError } from "graphql";
import type { RouterContext } from "./context.js";
import type { Edge } from "./edge.js";
import { gatewayTimeoutBody } from "./edgeErrors.js";
import { SpanKind, SpanStatusCode, extractTraceContext, failSpan, withActiveSpan, type Tracing } from "@clinigraph/platform";

export type CreateContext = (req: Request, res: Response, refusal?: GraphQLError) => Promise<RouterContext>;

const TIMED_OUT = Symbol("timed out");

export function graphqlHandler(apollo: ApolloServer<RouterContext>, edge: Edge, tracing: Tracing, createContext: CreateContext): RequestHandler {
  const handle: RequestHandler = async (req, res) => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const incoming: HTTPGraphQLRequest = {
      method: req.method.toUpperCase(),
      headers,
      search: new URL(req.url, "http://router.invalid").search,
      body: req.body as unknown,
    };
    const { request, refusal } = edge.prepare(incoming);

    // The deadline settles the race first and only then aborts the subgraph calls still running: an aborted call
    // must never answer the caller before the deadline does (it would be a 200 with a subgraph error, not a 504).
    let timer: NodeJS.Timeout | undefined;
    const abandon = new AbortController();
    const deadline = new Promise<typeof TIMED_OUT>(
      (resolve) =>
        (timer = setTimeout(() => {
          resolve(TIMED_OUT);
          abandon.abort();
        }, edge.requestTimeoutMs)),
    );
    const deadlineAt = Date.now() + edge.requestTimeoutMs;
    const work = apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: request,
      context: async () => ({ ...(await createContext(req, res, refusal)), deadline: deadlineAt, abandoned: abandon.signal }),
    });
    const response = await Promise.race([work, deadline]).finally(() => clearTimeout(timer));

    if (response === TIMED_OUT) {
      work.catch(() => undefined);
      edge.timedOut();
      res.status(504).json(gatewayTimeoutBody(edge.requestTimeoutMs));
      return;
    }
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === "complete") {
      res.send(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
  if (!tracing.enabled) return handle;
  // A server span per request, child of the caller's `traceparent` if it sent one; the subgraph calls are its children.
  return async (req, res, next) => {
    const parent = extractTraceContext(req.headers);
    const operationName = (req.body as { operationName?: unknown } | undefined)?.operationName;
    const span = tracing.tracer.startSpan(
      `${req.method} /graphql`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          "http.request.method": req.method,
          "http.route": "/graphql",
          ...(typeof operationName === "string" && operationName.length <= 200 ? { "graphql.operation.name": operationName } : {}),
        },
      },
      parent,
    );
    try {
      await withActiveSpan(span, () => handle(req, res, next), parent);
      span.setAttribute("http.response.status_code", res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  };
}
