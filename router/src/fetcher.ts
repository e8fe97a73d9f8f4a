/**
 * A lean keep-alive subgraph HTTP client for the router's data sources (dataSource.ts; the gateway's default
 * make-fetch-happen fetcher costs about a third of gateway CPU). One undici Agent keeps pooled connections per
 * subgraph origin; the response body is read whole.
 */
import { STATUS_CODES } from "node:http";
import { Agent } from "undici";
import { SpanKind, SpanStatusCode, TRACING_OFF, failSpan, injectTraceHeaders, withActiveSpan, type Tracing } from "@clinigraph/platform";

/** A subgraph's answer, read whole: what the data sources need of it. */
export interface RawResponse {
  url: string;
  status: number;
  statusText: string;
  contentType: string | undefined;
  cacheControl: string | undefined;
  body: string;
}

export interface RawRequest {
  headers: Record<string, string>;
  body: string;
  /** Aborted when the caller has stopped waiting (GATEWAY_TIMEOUT): the call is useless then. */
  signal?: AbortSignal;
}

export interface SubgraphFetcher {
  /** A POST, answered with the whole body as text. */
  post(url: string, request: RawRequest): Promise<RawResponse>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

export interface FetcherOptions {
  /** Whole-request timeout (headers and body), milliseconds. */
  timeoutMs?: number;
  /** Pooled connections per origin. */
  connections?: number;
  /** With tracing on, each call is a CLIENT span whose context goes to the subgraph as `traceparent`. */
  tracing?: Tracing;
}

export function createSubgraphFetcher({ timeoutMs = 30_000, connections = 128, tracing = TRACING_OFF }: FetcherOptions = {}): SubgraphFetcher {
  const agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000, connections, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const urls = new Map<string, URL>();
  const parse = (url: string) => {
    let parsed = urls.get(url);
    if (!parsed) urls.set(url, (parsed = new URL(url)));
    return parsed;
  };

  const post = async (url: string, { headers, body, signal }: RawRequest): Promise<RawResponse> => {
    const target = parse(url);
    const res = await agent.request({
      origin: target.origin,
      path: target.pathname + target.search,
      method: "POST",
      headers,
      body,
      signal,
    });
    const text = await res.body.text();
    const header = (name: string) => {
      const value = res.headers[name];
      return Array.isArray(value) ? value.join(", ") : value;
    };
    return {
      url,
      status: res.statusCode,
      statusText: STATUS_CODES[res.statusCode] ?? "",
      contentType: header("content-type"),
      cacheControl: header("cache-control"),
      body: text,
    };
  };

  const tracedPost = async (url: string, request: RawRequest): Promise<RawResponse> => {
    const target = parse(url);
    const span = tracing.tracer.startSpan(`POST ${target.host}`, {
      kind: SpanKind.CLIENT,
      attributes: { "http.request.method": "POST", "server.address": target.hostname, "server.port": Number(target.port) || 80, "url.full": url },
    });
    try {
      const response = await withActiveSpan(span, () => post(url, { ...request, headers: injectTraceHeaders({ ...request.headers }) }));
      span.setAttribute("http.response.status_code", response.status);
      if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      return response;
    } catch (err) {
      failSpan(span, err);
      throw err;
    } finally {
      span.end();
    }
  };

  return { post: tracing.enabled ? tracedPost : post, close: () => agent.close() };
}

/** The caller's remaining wait, ms, on every subgraph request (the data sources set it): subgraphs see the deadline too. */
export const DEADLINE_HEADER = "x-clinigraph-budget-ms";
