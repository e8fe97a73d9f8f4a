/**
 * Distributed tracing with OpenTelemetry, one tracer provider per service (its `service.name` is the service's name:
 * `router`, `accounts`, …), so that `pnpm start` and the in-process test stack, which run every service in one
 * process, still export each service's spans under its own name.
 *
 * On only when an OTLP endpoint is configured (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`),
 * and not `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`. Off, `tracing.enabled` is false and the code
 * that would make spans skips them: no provider, no exporter, no context manager.
 *
 * Honoured: `OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL` (`http/protobuf`, the default, or `http/json`; `grpc` is refused
 * at start), `OTEL_EXPORTER_OTLP_[TRACES_]HEADERS`, `OTEL_RESOURCE_ATTRIBUTES`, and through the SDK itself
 * `OTEL_TRACES_SAMPLER[_ARG]`, `OTEL_BSP_*` and `OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT`. `OTEL_SERVICE_NAME` is not: a
 * process may run several services, and each names its own.
 *
 * Context travels in-process through AsyncLocalStorage, between services as W3C `traceparent` headers (router →
 * subgraph, subgraph → subgraph), and through events as the CloudEvents `traceparent` extension (the outbox keeps the
 * context of the transaction that wrote the event; the consumer's span is its child).
 */
import { hostname } from "node:os";
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter as OtlpJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OtlpProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import pg from "pg";
import { ConfigError } from "./config.js";

export { SpanKind, SpanStatusCode, type Attributes, type Context, type Span };

export interface Tracing {
  readonly serviceName: string;
  /** False when no OTLP endpoint is configured: callers skip making spans. */
  readonly enabled: boolean;
  /** The service's tracer (a no-op tracer when disabled). */
  readonly tracer: Tracer;
  /** Exports the spans ended so far. */
  forceFlush(): Promise<void>;
  /** Exports what is left and stops; later spans are dropped. */
  shutdown(): Promise<void>;
}

export type TracingEnv = Record<string, string | undefined>;

export interface TracingSettings {
  url: string;
  protocol: "http/protobuf" | "http/json";
  headers: Record<string, string>;
  resourceAttributes: Record<string, string>;
}

const noopTracer = trace.getTracer("clinigraph-noop");

/** Tracing that does nothing (tests, tools, a service without an endpoint). */
export const TRACING_OFF: Tracing = {
  serviceName: "",
  enabled: false,
  tracer: noopTracer,
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};

/** The exporter settings the environment asks for, or null when tracing is off. Throws on an unsupported protocol. */
export function tracingSettings(env: TracingEnv): TracingSettings | null {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return null;
  if (env.OTEL_TRACES_EXPORTER?.split(",").every((name) => name.trim() === "none")) return null;
  const tracesEndpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const url = tracesEndpoint ? tracesEndpoint : endpoint ? `${endpoint.replace(/\/+$/, "")}/v1/traces` : undefined;
  if (!url) return null;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (parsed?.protocol !== "http:" && parsed?.protocol !== "https:") throw new ConfigError(`OTEL_EXPORTER_OTLP_ENDPOINT is not an http(s) URL: ${url}`);
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? "http/protobuf").trim();
  if (protocol !== "http/protobuf" && protocol !== "http/json") {
    throw new ConfigError(`OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported: use http/protobuf or http/json`);
  }
  return {
    url,
    protocol,
    headers: parseKeyValues(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS),
    resourceAttributes: parseKeyValues(env.OTEL_RESOURCE_ATTRIBUTES),
  };
}

/** `key1=value1,key2=value2` with URL-encoded values (the OTLP headers and resource attributes format). */
function parseKeyValues(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (raw ?? "").split(",")) {
    const at = pair.indexOf("=");
    if (at <= 0) continue;
    const key = pair.slice(0, at).trim();
    let value = pair.slice(at + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // kept as written
    }
    if (key) out[key] = value;
  }
  return out;
}

let contextManagerInstalled = false;

/** The service's tracing from its environment: off (TRACING_OFF with its name) unless an OTLP endpoint is set. */
export function createTracing(serviceName: string, env: TracingEnv = process.env, options: { exporter?: SpanExporter } = {}): Tracing {
  const settings = tracingSettings(env);
  if (!settings && !options.exporter) return { ...TRACING_OFF, serviceName };
  if (!contextManagerInstalled) {
    // Once per process; every service's spans share it (the active span is per async context, not per service).
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    contextManagerInstalled = true;
  }
  const exporter =
    options.exporter ??
    (settings!.protocol === "http/json"
      ? new OtlpJsonExporter({ url: settings!.url, headers: settings!.headers })
      : new OtlpProtoExporter({ url: settings!.url, headers: settings!.headers }));
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      ...settings?.resourceAttributes,
      "service.name": serviceName,
      "service.namespace": "clinigraph",
      "service.instance.id": `${hostname()}:${process.pid}`,
    }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  return {
    serviceName,
    enabled: true,
    tracer: provider.getTracer(`clinigraph-${serviceName}`),
    forceFlush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

const propagator = new W3CTraceContextPropagator();

/** The W3C `traceparent` of the active span (of `ctx`), or undefined when there is none. */
export function currentTraceparent(ctx: Context = context.active()): string | undefined {
  const span = trace.getSpan(ctx);
  if (!span || !span.spanContext().traceId || span.spanContext().traceId === "00000000000000000000000000000000") return undefined;
  const carrier: Record<string, string> = {};
  propagator.inject(ctx, carrier, defaultTextMapSetter);
  return carrier.traceparent;
}

/** Adds `traceparent` (and `tracestate`) of the active span to outgoing headers; nothing without an active span. */
export function injectTraceHeaders(headers: Record<string, string>, ctx: Context = context.active()): Record<string, string> {
  if (trace.getSpan(ctx)) propagator.inject(ctx, headers, defaultTextMapSetter);
  return headers;
}

/** The remote parent carried by incoming headers (or by an event's `traceparent`); the root context without one. */
export function extractTraceContext(carrier: Record<string, string | string[] | undefined> | undefined): Context {
  if (!carrier) return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
}

/** The context a `traceparent` names as parent (the root context when it is missing or malformed). */
export const contextFromTraceparent = (traceparent: string | undefined): Context => (traceparent ? extractTraceContext({ traceparent }) : ROOT_CONTEXT);

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  /** The parent (default: the active context). */
  parent?: Context;
  startTime?: number;
}

/**
 * Runs `work` in a new active span, which ends when `work` settles: an error is recorded on it (status ERROR) and
 * rethrown. Disabled tracing runs `work` with no span at all.
 */
export async function inSpan<T>(tracing: Tracing, name: string, options: SpanOptions, work: (span: Span | undefined) => Promise<T>): Promise<T> {
  if (!tracing.enabled) return work(undefined);
  const parent = options.parent ?? context.active();
  const span = tracing.tracer.startSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes, startTime: options.startTime },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (err) {
    failSpan(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/** Runs `work` with `span` active (as the child of `parent`, the active context by default). */
export function withActiveSpan<T>(span: Span, work: () => T, parent: Context = context.active()): T {
  return context.with(trace.setSpan(parent, span), work);
}

/** Marks a span failed with the error's type (not its message: messages may carry what callers sent). */
export function failSpan(span: Span, err: unknown): void {
  const type = err instanceof Error ? err.name : typeof err;
  span.setAttribute("error.type", type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
}

/** The trace and span ids of the active span, for log lines (`trace_id`, `span_id`); {} without one. */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getSpan(context.active());
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/**
 * A statement's operation and a short summary for its span's name: `SELECT scheduling.slots`, `INSERT
 * scheduling.outbox` (for `WITH …` the first data-changing statement inside it, else its SELECT), `BEGIN`.
 */
export function statementSummary(text: string): { operation: string; summary: string } {
  const first = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? "QUERY";
  const operation = first === "WITH" ? (/\b(INSERT|UPDATE|DELETE)\b/i.exec(text)?.[1]?.toUpperCase() ?? "SELECT") : first;
  const table = TABLE_AFTER[operation]?.exec(text)?.[1]?.replaceAll('"', "");
  return { operation, summary: table ? `${operation} ${table}` : operation };
}

/** Where a statement names its (first) table: `FROM t`, `INTO t`, `UPDATE t`; quoted or schema-qualified names too. */
const TABLE_AFTER: Record<string, RegExp> = Object.fromEntries(
  Object.entries({ SELECT: "FROM", INSERT: "INTO", UPDATE: "UPDATE", DELETE: "FROM" }).map(([operation, keyword]) => [
    operation,
    new RegExp(`\\b${keyword}\\s+("?[A-Za-z_][\\w$]*"?(?:\\."?[A-Za-z_][\\w$]*"?)?)`, "i"),
  ]),
);

/**
 * A pg `Client` class whose queries are spans (`db.system.name` postgresql, the statement's first keyword as
 * `db.operation.name`, the parameterised text as `db.query.text`; never the values). Prisma's driver adapter queries
 * through the same pool, so its statements are spans too. Only used when tracing is on.
 */
export function tracedPgClient(tracing: Tracing): typeof pg.Client {
  class TracedClient extends pg.Client {
    // pg's query() has many overloads; spans wrap the two forms the platform and Prisma use (promise and callback).
    override query(...args: unknown[]): never {
      const [config, values, callback] = args as [unknown, unknown, unknown];
      const text = typeof config === "string" ? config : (config as { text?: unknown } | null)?.text;
      const submittable = typeof (config as { submit?: unknown } | null)?.submit === "function";
      const call = (super.query as (...a: unknown[]) => unknown).bind(this);
      if (!tracing.enabled || submittable || typeof text !== "string") return call(...args) as never;
      const { operation, summary } = statementSummary(text);
      const span = tracing.tracer.startSpan(
        summary,
        {
          kind: SpanKind.CLIENT,
          attributes: { "db.system.name": "postgresql", "db.operation.name": operation, "db.query.summary": summary, "db.query.text": text.slice(0, 2000) },
        },
        context.active(),
      );
      const finish = (err: unknown) => {
        if (err) failSpan(span, err);
        span.end();
      };
      const cb = typeof callback === "function" ? callback : typeof values === "function" ? values : undefined;
      if (cb) {
        const wrapped = (err: unknown, result: unknown) => {
          finish(err);
          (cb as (e: unknown, r: unknown) => void)(err, result);
        };
        return (typeof values === "function" ? call(config, wrapped) : call(config, values, wrapped)) as never;
      }
      const pending = call(...args) as Promise<unknown>;
      pending.then(
        () => finish(undefined),
        (err: unknown) => finish(err),
      );
      return pending as never;
    }
  }
  return TracedClient as unknown as typeof pg.Client;
}
