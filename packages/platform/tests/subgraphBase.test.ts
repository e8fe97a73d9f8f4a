/** The settings every subgraph reads (readSubgraphBase): how long the event machinery keeps what it is done with, and EVENT_CONSUMERS. */
import { describe, expect, it } from "@jest/globals";
import { ConfigError, readSubgraphBase } from "../src/index.js";

const valid = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres", CLINIGRAPH_ROUTER_SECRETS: "a-secret-of-at-least-thirty-two-chars" };
const HOUR = 3_600_000;

describe("event retention (readSubgraphBase)", () => {
  it("defaults to 7 days of outbox and streams, 30 days of processed-event ids, a round every 15 minutes", () => {
    expect(readSubgraphBase("billing", valid).eventRetention).toEqual({
      outboxMs: 168 * HOUR,
      streamMs: 168 * HOUR,
      processedMs: 720 * HOUR,
      intervalMs: 15 * 60_000,
    });
  });

  it("reads the four variables; 0 minutes turns the rounds off", () => {
    const env = {
      ...valid,
      EVENTS_OUTBOX_RETENTION_HOURS: "24",
      EVENTS_STREAM_RETENTION_HOURS: "48",
      EVENTS_PROCESSED_RETENTION_HOURS: "49",
      EVENTS_HOUSEKEEPING_MINUTES: "0",
    };
    expect(readSubgraphBase("clinical", env).eventRetention).toEqual({ outboxMs: 24 * HOUR, streamMs: 48 * HOUR, processedMs: 49 * HOUR, intervalMs: 0 });
  });

  it.each([
    ["EVENTS_OUTBOX_RETENTION_HOURS", { EVENTS_OUTBOX_RETENTION_HOURS: "0" }],
    ["EVENTS_STREAM_RETENTION_HOURS", { EVENTS_STREAM_RETENTION_HOURS: "a week" }],
    ["EVENTS_HOUSEKEEPING_MINUTES", { EVENTS_HOUSEKEEPING_MINUTES: "-1" }],
    // processed-event ids must outlive the stream entries that could be delivered again
    ["EVENTS_PROCESSED_RETENTION_HOURS", { EVENTS_STREAM_RETENTION_HOURS: "720", EVENTS_PROCESSED_RETENTION_HOURS: "720" }],
  ])("refuses a bad %s at boot, naming it", (name, vars) => {
    expect(() => readSubgraphBase("billing", { ...valid, ...vars })).toThrow(ConfigError);
    expect(() => readSubgraphBase("billing", { ...valid, ...vars })).toThrow(name);
  });
});

const consumerEnv = { DATABASE_URL: "postgresql://127.0.0.1/db", CLINIGRAPH_ROUTER_SECRETS: "s".repeat(32) };

describe("EVENT_CONSUMERS", () => {
  it("is on by default and off when set so", () => {
    expect(readSubgraphBase("clinical", consumerEnv).eventConsumers).toBe(true);
    expect(readSubgraphBase("clinical", { ...consumerEnv, EVENT_CONSUMERS: "on" }).eventConsumers).toBe(true);
    expect(readSubgraphBase("clinical", { ...consumerEnv, EVENT_CONSUMERS: "off" }).eventConsumers).toBe(false);
  });

  it("refuses anything else, naming the variable", () => {
    expect(() => readSubgraphBase("clinical", { ...consumerEnv, EVENT_CONSUMERS: "no" })).toThrow(ConfigError);
    expect(() => readSubgraphBase("clinical", { ...consumerEnv, EVENT_CONSUMERS: "no" })).toThrow(/EVENT_CONSUMERS/);
  });
});
