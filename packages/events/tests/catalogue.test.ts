import { describe, expect, it } from "@jest/globals";
import { syncCatalogue } from "../src/catalogue-file.js";
import {
  APPOINTMENT_EVENT_TYPES,
  EVENT_SPECS,
  EVENT_TYPES,
  STREAMS,
  streamOf,
  validateEventData,
  type EventCatalogue,
  type PayloadSpec,
} from "../src/index.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// Compile-time: the runtime description covers exactly the catalogue's types (producers import their
// payload types from here, e.g. scheduling's outbox).
const typesCovered: Equal<(typeof EVENT_TYPES)[number], keyof EventCatalogue> = true;
// @ts-expect-error an optional field must be described as optional
const _optional: PayloadSpec<{ a?: string }> = { a: { kind: "string", description: "" } };
// @ts-expect-error a nullable field must be described as nullable
const _nullable: PayloadSpec<{ a: string | null }> = { a: { kind: "string", description: "" } };
// @ts-expect-error every field must be described
const _missing: PayloadSpec<{ a: string; b: string }> = { a: { kind: "string", description: "" } };

describe("event catalogue", () => {
  it("describes every catalogue type, with a subject field and a known stream", () => {
    expect(typesCovered).toBe(true);
    const described = Object.keys(EVENT_SPECS).sort();
    expect(EVENT_TYPES.slice().sort()).toEqual(described);
    for (const type of EVENT_TYPES) {
      const spec = EVENT_SPECS[type];
      expect(Object.values(STREAMS)).toContain(spec.stream);
      expect(Object.keys(spec.data)).toContain(spec.subject);
      expect(spec.description).not.toBe("");
    }
  });

  it("routes appointment events to the appointments stream and doctor events to the doctors stream", () => {
    for (const type of EVENT_TYPES.filter((t) => t.startsWith("Appointment") || t === "PatientCheckedIn" || t === "FeedbackSubmitted")) {
      expect(streamOf(type)).toBe(STREAMS.appointments);
    }
    // Every event of the appointments stream but the staff flag, which changes no status.
    expect(APPOINTMENT_EVENT_TYPES.slice().sort()).toEqual(
      EVENT_TYPES.filter((t) => streamOf(t) === STREAMS.appointments && t !== "AppointmentNeedsAttention").sort(),
    );
    expect(streamOf("AppointmentNeedsAttention")).toBe(STREAMS.appointments);
    expect(APPOINTMENT_EVENT_TYPES).toContain("PatientCheckedIn");
    expect(APPOINTMENT_EVENT_TYPES).not.toContain("EncounterFinished");
    expect(streamOf("DoctorScheduleChanged")).toBe(STREAMS.doctors);
    expect(() => streamOf("SomethingHappened")).toThrow("not in the catalogue");
  });

  it("validates payloads against their description", () => {
    const data = {
      appointmentId: "a",
      patientId: "p",
      doctorId: "d",
      serviceId: null,
      status: "BOOKED",
      startsAt: "2030-01-07T09:00:00.000Z",
      endsAt: "2030-01-07T09:30:00.000Z",
      actorId: null,
    };
    expect(validateEventData("AppointmentBooked", data)).toBeNull();
    expect(validateEventData("FeedbackSubmitted", { ...data, rating: 5, extra: "ignored" })).toBeNull();
    expect(validateEventData("FeedbackSubmitted", { ...data, rating: 4.5 })).toBe("FeedbackSubmitted: data.rating must be an integer");
    expect(validateEventData("AppointmentBooked", { ...data, appointmentId: undefined })).toBe("AppointmentBooked: data.appointmentId is missing");
    expect(validateEventData("AppointmentBooked", { ...data, doctorId: null })).toBe("AppointmentBooked: data.doctorId must not be null");
    expect(validateEventData("AppointmentBooked", { ...data, startsAt: "soon" })).toBe("AppointmentBooked: data.startsAt must be a datetime");
    expect(validateEventData("DoctorScheduleChanged", [])).toBe("DoctorScheduleChanged: data must be an object");
  });

  it("schema/events/catalogue.json is up to date (pnpm events:catalogue)", async () => {
    expect(await syncCatalogue({ check: true })).toBe("fresh");
  });
});
