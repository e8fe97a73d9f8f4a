/**
 * One booking, one trace: a client sends a request through the router with its own `traceparent`; the router, the
 * scheduling subgraph (its request, its root field, its statements, the outbox relay's publish) and the consumers of
 * the booking's events in other subgraphs export spans with that trace id to an OTLP/HTTP receiver (JSON), each under
 * its own `service.name`, parented so that a tracing UI draws one tree.
 */
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { graphql, startStack, type Stack } from "../support/stack.js";
import { createScheduledDoctor, freeSlotId, registerE2EPatient } from "../support/people.js";

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

const received: ReceivedSpan[] = [];
const contentTypes = new Set<string>();
let receiver: http.Server;
let stack: Stack;
const savedDelay = process.env.OTEL_BSP_SCHEDULE_DELAY;

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
const valueOf = (v: OtlpValue) => v.stringValue ?? v.intValue ?? v.boolValue ?? v.doubleValue;
const attributesOf = (list: { key: string; value: OtlpValue }[] | undefined) => Object.fromEntries((list ?? []).map((a) => [a.key, valueOf(a.value)]));

function collect(body: string) {
  const request = JSON.parse(body) as {
    resourceSpans: { resource: { attributes: { key: string; value: OtlpValue }[] }; scopeSpans: { spans: Record<string, unknown>[] }[] }[];
  };
  for (const rs of request.resourceSpans) {
    const service = String(attributesOf(rs.resource.attributes)["service.name"]);
    for (const scope of rs.scopeSpans)
      for (const span of scope.spans)
        received.push({
          service,
          traceId: String(span.traceId),
          spanId: String(span.spanId),
          parentSpanId: String(span.parentSpanId ?? ""),
          name: String(span.name),
          kind: Number(span.kind),
          attributes: attributesOf(span.attributes as { key: string; value: OtlpValue }[]),
        });
  }
}

/** Resolves once `done(spans)` holds for the spans received so far (checked after every export), or fails after 20 s. */
async function spansUntil(done: (spans: ReceivedSpan[]) => boolean): Promise<ReceivedSpan[]> {
  const deadline = Date.now() + 20_000;
  while (!done(received)) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`spans never complete; received: ${received.map((s) => `${s.service}:${s.name}`).join(", ")}`);
    await once(receiver, "exported", { signal: AbortSignal.timeout(left) }).catch(() => undefined);
  }
  return received;
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      contentTypes.add(String(req.headers["content-type"]));
      if (req.url === "/v1/traces") collect(Buffer.concat(chunks).toString("utf8"));
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
      receiver.emit("exported");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  // The SDK's batch processor reads its delay from the process environment: export within 100 ms, not 5 s.
  process.env.OTEL_BSP_SCHEDULE_DELAY = "100";
  const { port } = receiver.address() as AddressInfo;
  // A week before the test weeks of March 2027 (support/people.ts), where the doctor's slots are.
  stack = await startStack({
    clock: () => new Date("2027-03-15T07:00:00Z"),
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}/`, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  if (savedDelay === undefined) delete process.env.OTEL_BSP_SCHEDULE_DELAY;
  else process.env.OTEL_BSP_SCHEDULE_DELAY = savedDelay;
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
});

describe("tracing across the supergraph", () => {
  it("follows a booking from the router through scheduling into the consumers of its events, under one trace id", async () => {
    const url = stack.routerUrl;
    const login = await graphql<{ login: { accessToken: string } }>(
      url,
      `
        mutation ($e: String!, $p: String!) {
          login(email: $e, password: $p) {
            accessToken
          }
        }
      `,
      {
        e: stack.admin.email,
        p: stack.admin.password,
      },
    );
    const doctor = await createScheduledDoctor(url, login.data!.login.accessToken, "Dr. Tracy Trace", { autoApprove: true });
    const patient = await registerE2EPatient(url, "Paula Trace");
    const slotId = await freeSlotId(url, doctor.id);

    const traceId = randomBytes(16).toString("hex");
    const clientSpanId = randomBytes(8).toString("hex");
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${patient.token}`, traceparent: `00-${traceId}-${clientSpanId}-01` },
      body: JSON.stringify({
        operationName: "TraceBooking",
        query: `mutation TraceBooking($s: ID!) { requestAppointment(input: { slotId: $s }) { __typename ... on Appointment { id status } } }`,
        variables: { s: slotId },
      }),
    });
    const body = (await res.json()) as { data?: { requestAppointment: { __typename: string; status: string } } };
    expect(body.data?.requestAppointment).toMatchObject({ __typename: "Appointment", status: "BOOKED" });
    await stack.eventsSettled();

    const inTrace = (spans: ReceivedSpan[]) => spans.filter((s) => s.traceId === traceId);
    const spans = inTrace(
      await spansUntil((all) => {
        const mine = inTrace(all);
        return (
          mine.some((s) => s.service === "router" && s.kind === SERVER) &&
          mine.some((s) => s.service === "scheduling" && s.kind === PRODUCER) &&
          mine.some((s) => s.service === "clinical" && s.kind === CONSUMER && s.name === "process AppointmentBooked")
        );
      }),
    );
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parentOf = (span: ReceivedSpan) => byId.get(span.parentSpanId);

    // The router's request span is the child of the client's span and names the operation.
    const routerRequest = spans.find((s) => s.service === "router" && s.kind === SERVER)!;
    expect(routerRequest.parentSpanId).toBe(clientSpanId);
    expect(routerRequest.attributes["graphql.operation.name"]).toBe("TraceBooking");
    expect(routerRequest.attributes["http.response.status_code"]).toBe(200);

    // Scheduling's request span is the child of the router's call to it; the mutation and its statements inside.
    const schedulingRequest = spans.find((s) => s.service === "scheduling" && s.kind === SERVER && parentOf(s)?.service === "router")!;
    expect(schedulingRequest).toBeDefined();
    expect(parentOf(schedulingRequest)).toMatchObject({ kind: CLIENT });
    expect(parentOf(parentOf(schedulingRequest)!)?.spanId).toBe(routerRequest.spanId);
    const mutation = spans.find((s) => s.service === "scheduling" && s.name === "Mutation.requestAppointment")!;
    expect(parentOf(mutation)?.spanId).toBe(schedulingRequest.spanId);
    const statements = spans.filter((s) => s.service === "scheduling" && s.attributes["db.system.name"] === "postgresql");
    expect(statements.map((s) => s.name)).toEqual(expect.arrayContaining(["BEGIN", "COMMIT"]));
    for (const statement of statements.filter((s) => s.name === "BEGIN")) expect(parentOf(statement)?.spanId).toBe(mutation.spanId);
    // No statement's values travel with its span.
    expect(JSON.stringify(statements)).not.toContain(patient.id);

    // The outbox relay publishes each event in the trace of the transaction that wrote it…
    const published = spans.filter((s) => s.service === "scheduling" && s.kind === PRODUCER).map((s) => s.name);
    expect(published).toEqual(expect.arrayContaining(["publish AppointmentRequested", "publish AppointmentBooked"]));
    // …and each consumer's work is a child of the mutation that caused it, in its own service.
    const consumed = spans.filter((s) => s.kind === CONSUMER);
    expect(consumed.length).toBeGreaterThan(0);
    for (const span of consumed) {
      expect(span.service).not.toBe("scheduling");
      expect(parentOf(span)?.spanId).toBe(mutation.spanId);
      expect(span.attributes["messaging.consumer.group.name"]).toEqual(expect.any(String));
    }
    // The consumer's statements are spans inside its work (a block's transaction runs in its first event's span).
    const clinicalWork = new Set(consumed.filter((s) => s.service === "clinical").map((s) => s.spanId));
    expect(spans.some((s) => s.service === "clinical" && s.attributes["db.system.name"] === "postgresql" && clinicalWork.has(s.parentSpanId))).toBe(true);

    // Every service exported with the protocol asked for.
    expect([...contentTypes]).toEqual(["application/json"]);
  }, 120_000);
});
