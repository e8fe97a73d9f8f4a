import { describe, expect, it } from "@jest/globals";
import { createEnvelope, createEventBus, decodeEnvelope, encodeEnvelope, isEvent, type EventEnvelope } from "../src/index.js";

const doctorId = "6f1c1f0e-8a43-4c1e-9d55-1d1b1c1e1f10";

describe("CloudEvents envelope", () => {
  it("creates an envelope with the catalogue's source and the aggregate id as subject", () => {
    const envelope = createEnvelope("DoctorScheduleChanged", { doctorId }, { time: new Date("2030-01-01T00:00:00Z"), sequence: "7" });
    expect(envelope).toEqual({
      specversion: "1.0",
      id: expect.any(String),
      source: "clinigraph/doctors",
      type: "DoctorScheduleChanged",
      time: "2030-01-01T00:00:00.000Z",
      subject: doctorId,
      datacontenttype: "application/json",
      data: { doctorId },
      sequence: "7",
    });
    expect(decodeEnvelope(encodeEnvelope(envelope))).toEqual({ ok: true, envelope });
  });

  it("treats malformed envelopes as poison", () => {
    const valid = createEnvelope("DoctorScheduleChanged", { doctorId });
    const bad = (patch: Record<string, unknown>) => decodeEnvelope(JSON.stringify({ ...valid, ...patch }));
    expect(decodeEnvelope("{not json")).toEqual({ ok: false, error: "envelope is not valid JSON" });
    expect(decodeEnvelope(undefined)).toEqual({ ok: false, error: "entry has no envelope" });
    expect(decodeEnvelope("[]")).toEqual({ ok: false, error: "envelope is not an object" });
    expect(bad({ specversion: "0.3" })).toEqual({ ok: false, error: "specversion must be 1.0" });
    expect(bad({ subject: "" })).toEqual({ ok: false, error: "subject must be a non-empty string" });
    expect(bad({ time: "yesterday" })).toEqual({ ok: false, error: "time must be an RFC 3339 timestamp" });
    expect(bad({ datacontenttype: "text/plain" })).toEqual({ ok: false, error: "datacontenttype must be application/json" });
    expect(bad({ sequence: 7 })).toEqual({ ok: false, error: "sequence must be a string" });
    expect(bad({ data: {} })).toEqual({ ok: false, error: "DoctorScheduleChanged: data.doctorId is missing" });
    expect(bad({ type: "SomethingElse", data: { anything: true } }).ok).toBe(true); // not ours to validate
  });

  it("narrows an envelope to a catalogue type", () => {
    const envelope: EventEnvelope = createEnvelope("DoctorScheduleChanged", { doctorId });
    if (!isEvent(envelope, "DoctorScheduleChanged", "AppointmentBooked")) throw new Error("expected a match");
    const id: string = envelope.type === "DoctorScheduleChanged" ? envelope.data.doctorId : envelope.data.appointmentId;
    expect(id).toBe(doctorId);
    expect(isEvent(envelope, "AppointmentCancelled")).toBe(false);
  });

  it("createEventBus uses the in-process bus without REDIS_URL", async () => {
    const bus = await createEventBus();
    const seen: string[] = [];
    const envelope = createEnvelope("DoctorScheduleChanged", { doctorId });
    await bus.publish("s", [envelope]);
    await bus.consume({ stream: "s", group: "g", consumer: "c", handler: async (e) => void seen.push(e.id) }).idle();
    await bus.close();
    expect(seen).toEqual([envelope.id]);
  });
});
