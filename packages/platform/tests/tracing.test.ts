import { describe, expect, it } from "@jest/globals";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { captureLogs, createLogger } from "../src/logger.js";
import {
  SpanKind,
  contextFromTraceparent,
  createTracing,
  currentTraceparent,
  inSpan,
  injectTraceHeaders,
  statementSummary,
  tracingSettings,
} from "../src/tracing.js";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT = "00f067aa0ba902b7";

describe("tracingSettings (the standard OTEL_* variables)", () => {
  it("is off without an endpoint, with OTEL_SDK_DISABLED=true and with OTEL_TRACES_EXPORTER=none", () => {
    expect(tracingSettings({})).toBeNull();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_SDK_DISABLED: "true" })).toBeNull();
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_TRACES_EXPORTER: "none" })).toBeNull();
  });

  it("appends /v1/traces to the base endpoint, takes the traces endpoint as it is, and defaults to http/protobuf", () => {
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" })).toMatchObject({
      url: "http://collector:4318/v1/traces",
      protocol: "http/protobuf",
    });
    expect(
      tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://traces.example/otlp" })?.url,
    ).toBe("https://traces.example/otlp");
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" })?.protocol).toBe("http/json");
  });

  it("reads headers and resource attributes (URL-encoded values) and refuses gRPC and a malformed URL", () => {
    const settings = tracingSettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318",
      OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20abc, x-tenant=clinic",
      OTEL_RESOURCE_ATTRIBUTES: "deployment.environment.name=staging,service.name=ignored",
    });
    expect(settings?.headers).toEqual({ authorization: "Bearer abc", "x-tenant": "clinic" });
    expect(settings?.resourceAttributes["deployment.environment.name"]).toBe("staging");
    expect(() => tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4317", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toThrow(/not supported/);
    expect(() => tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toThrow(/not an http\(s\) URL/);
    expect(() => tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "not a url" })).toThrow(/not an http\(s\) URL/);
  });

  it("off, createTracing makes no spans and inSpan just runs the work", async () => {
    const tracing = createTracing("doctors", {});
    expect(tracing.enabled).toBe(false);
    expect(tracing.serviceName).toBe("doctors");
    await expect(inSpan(tracing, "work", {}, async (span) => span)).resolves.toBeUndefined();
  });
});

describe("spans, context and logs", () => {
  it("names the service in the resource, parents spans on a traceparent and records failures by type only", async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = createTracing("scheduling", {}, { exporter });
    expect(tracing.enabled).toBe(true);
    let inner: string | undefined;
    await inSpan(tracing, "outer", { kind: SpanKind.SERVER, parent: contextFromTraceparent(`00-${TRACE}-${PARENT}-01`) }, async () => {
      inner = currentTraceparent();
      await expect(
        inSpan(tracing, "failing", {}, async () => {
          throw new TypeError("patient Jane Doe not found");
        }),
      ).rejects.toThrow(TypeError);
    });
    await tracing.forceFlush();
    const spans = exporter.getFinishedSpans();
    const outer = spans.find((s) => s.name === "outer")!;
    const failing = spans.find((s) => s.name === "failing")!;
    expect(outer.resource.attributes["service.name"]).toBe("scheduling");
    expect(outer.spanContext().traceId).toBe(TRACE);
    expect(outer.parentSpanContext?.spanId).toBe(PARENT);
    expect(failing.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
    expect(failing.status).toEqual({ code: 2, message: "TypeError" });
    expect(JSON.stringify({ attributes: failing.attributes, events: failing.events, status: failing.status })).not.toContain("Jane Doe");
    // Inside the outer span, its own context is what goes out (to a subgraph, into the outbox).
    expect(inner).toBe(`00-${TRACE}-${outer.spanContext().spanId}-01`);
    await tracing.shutdown();
  });

  it("puts traceparent on outgoing headers only inside a span, and ignores a malformed one", async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = createTracing("router", {}, { exporter });
    expect(injectTraceHeaders({ a: "1" })).toEqual({ a: "1" });
    expect(currentTraceparent()).toBeUndefined();
    await inSpan(tracing, "request", { parent: contextFromTraceparent("not-a-traceparent") }, async (span) => {
      const headers = injectTraceHeaders({});
      expect(headers.traceparent).toBe(`00-${span!.spanContext().traceId}-${span!.spanContext().spanId}-01`);
      // A malformed parent starts a new trace rather than failing.
      expect(span!.spanContext().traceId).not.toBe("00000000000000000000000000000000");
    });
    await tracing.shutdown();
  });

  it("writes trace_id and span_id on log lines inside a span, and nothing outside", async () => {
    const tracing = createTracing("clinical", {}, { exporter: new InMemorySpanExporter() });
    const lines: string[] = [];
    const stop = captureLogs((line) => lines.push(line));
    try {
      const logger = createLogger("clinical");
      logger.info("outside");
      let ids: { traceId: string; spanId: string } | undefined;
      await inSpan(tracing, "work", {}, async (span) => {
        ids = span!.spanContext();
        logger.child({ requestId: "r-1" }).info("inside");
      });
      const [outside, inside] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(outside).not.toHaveProperty("trace_id");
      expect(inside).toMatchObject({ msg: "inside", requestId: "r-1", trace_id: ids!.traceId, span_id: ids!.spanId });
    } finally {
      stop();
      await tracing.shutdown();
    }
  });
});

describe("statementSummary", () => {
  it.each([
    ["BEGIN", "BEGIN", "BEGIN"],
    ["SELECT s.id FROM scheduling.slots s WHERE s.id = $1", "SELECT", "SELECT scheduling.slots"],
    ['SELECT "id" FROM "doctors"."doctors" WHERE "id" = $1', "SELECT", "SELECT doctors.doctors"],
    ["WITH appended AS (INSERT INTO billing.outbox (id) SELECT 1 RETURNING 1) SELECT pg_notify($1, '')", "INSERT", "INSERT billing.outbox"],
    ["WITH x AS (SELECT 1) SELECT * FROM x", "SELECT", "SELECT x"],
    ["update clinical.encounters set status = $1", "UPDATE", "UPDATE clinical.encounters"],
    ["SELECT pg_try_advisory_xact_lock(hashtext($1))", "SELECT", "SELECT"],
  ])("%s", (text, operation, summary) => {
    expect(statementSummary(text)).toEqual({ operation, summary });
  });
});
