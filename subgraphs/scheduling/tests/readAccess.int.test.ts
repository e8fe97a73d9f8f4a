/**
 * Who may read which appointment — by `appointment(id)` and through federation's `_entities` alike
 * (another subgraph's reference must not be a way around the rules) — and `Slot` entities (public).
 * Also what `allowedTransitions` tells each caller.
 */
import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import type { TestCaller } from "@clinigraph/testing";
import { ANONYMOUS, appointmentIn, newPatient, newStaff, seedDoctor, type MadeAppointment, type SeededDoctor } from "./support/factories.js";
import { codeOf, useHarness } from "./support/harness.js";
import { APPOINTMENT, ENTITIES, type AppointmentView, type SlotView } from "./support/operations.js";

const h = useHarness();

type Who = "anonymous" | "owner" | "otherPatient" | "doctor" | "otherDoctor" | "receptionist" | "examiner" | "billing" | "admin";
const READERS: [Who, "reads" | "UNAUTHENTICATED" | "FORBIDDEN"][] = [
  ["anonymous", "UNAUTHENTICATED"],
  ["owner", "reads"],
  ["otherPatient", "FORBIDDEN"],
  ["doctor", "reads"],
  ["otherDoctor", "FORBIDDEN"],
  ["receptionist", "reads"],
  ["examiner", "FORBIDDEN"],
  ["billing", "FORBIDDEN"],
  ["admin", "reads"],
];

async function sceneWithAppointment(): Promise<{ made: MadeAppointment; callers: Record<Who, TestCaller> }> {
  const made = await appointmentIn(h, "BOOKED");
  const otherDoctor: SeededDoctor = await seedDoctor(h, { specialtyCode: made.doctor.snapshot.specialtyCode });
  return {
    made,
    callers: {
      anonymous: ANONYMOUS,
      owner: made.patient,
      otherPatient: newPatient(),
      doctor: made.doctor.caller,
      otherDoctor: otherDoctor.caller,
      receptionist: newStaff("RECEPTIONIST"),
      examiner: newStaff("EXAMINER"),
      billing: newStaff("BILLING"),
      admin: newStaff("ADMIN"),
    },
  };
}

describe("appointment(id)", () => {
  it.each(READERS)("as %s → %s", async (who, outcome) => {
    const { made, callers } = await sceneWithAppointment();
    const res = await h.call<{ appointment: AppointmentView | null }>(APPOINTMENT, { id: made.appointment.id }, callers[who]);
    if (outcome === "reads") {
      expect(res.errors).toBeUndefined();
      expect(res.data?.appointment).toMatchObject({ id: made.appointment.id, patient: { id: made.patient.userId }, doctor: { id: made.doctor.id } });
    } else {
      expect(codeOf(res)).toBe(outcome);
      expect(res.data?.appointment ?? null).toBeNull();
    }
  });

  it("answers null for an unknown id and BAD_USER_INPUT for a malformed one", async () => {
    const admin = newStaff("ADMIN");
    const unknown = await h.call<{ appointment: null }>(APPOINTMENT, { id: randomUUID() }, admin);
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data?.appointment).toBeNull();
    expect(codeOf(await h.call(APPOINTMENT, { id: "not-an-id" }, admin))).toBe("BAD_USER_INPUT");
  });

  it("refuses a caller whose role is DOCTOR but who has no doctor profile here", async () => {
    const { made } = await sceneWithAppointment();
    const res = await h.call(APPOINTMENT, { id: made.appointment.id }, { userId: randomUUID(), role: "DOCTOR" });
    expect(codeOf(res)).toBe("FORBIDDEN");
  });
});

describe("_entities(Appointment)", () => {
  it.each(READERS)("as %s → %s", async (who, outcome) => {
    const { made, callers } = await sceneWithAppointment();
    const res = await h.call<{ _entities: ({ id: string; status: string } | null)[] }>(
      ENTITIES,
      { r: [{ __typename: "Appointment", id: made.appointment.id }] },
      callers[who],
    );
    if (outcome === "reads") {
      expect(res.errors).toBeUndefined();
      expect(res.data?._entities).toEqual([expect.objectContaining({ id: made.appointment.id, status: "BOOKED" })]);
    } else {
      expect(codeOf(res)).toBe(outcome);
      expect(res.data?._entities ?? [null]).toEqual([null]);
    }
  });

  it("resolves a batch with each reference checked on its own", async () => {
    const mine = await appointmentIn(h, "PENDING");
    const theirs = await appointmentIn(h, "PENDING");
    const res = await h.call<{ _entities: ({ id: string } | null)[] }>(
      ENTITIES,
      {
        r: [
          { __typename: "Appointment", id: mine.appointment.id },
          { __typename: "Appointment", id: theirs.appointment.id },
          { __typename: "Appointment", id: randomUUID() },
        ],
      },
      mine.patient,
    );
    expect(res.data?._entities).toEqual([expect.objectContaining({ id: mine.appointment.id }), null, null]);
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(res.errors?.[0]?.path).toEqual(["_entities", 1]);
  });
});

describe("_entities(Slot)", () => {
  it("resolves slots for anyone (availability is public), null for unknown or malformed ids", async () => {
    const { slot, doctor } = await appointmentIn(h, "BOOKED");
    const res = await h.call<{ _entities: (Omit<SlotView, "status"> | null)[] }>(ENTITIES, {
      r: [
        { __typename: "Slot", id: slot.id },
        { __typename: "Slot", id: randomUUID() },
        { __typename: "Slot", id: "nope" },
      ],
    });
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([
      { id: slot.id, slotStatus: "BUSY", startsAt: slot.startsAt.toISOString(), endsAt: slot.endsAt.toISOString(), doctor: { id: doctor.id } },
      null,
      null,
    ]);
  });

  it("names a slot's doctor from scheduling's copy, whether the slot came from a search or by its key", async () => {
    const { slot, doctor } = await appointmentIn(h, "BOOKED");
    const byKey = await h.call<{ _entities: { doctor: { id: string; name: string } }[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Slot { doctor { id name } } } }`,
      { r: [{ __typename: "Slot", id: slot.id }] },
    );
    expect(byKey.errors).toBeUndefined();
    const searched = await h.call<{ availableSlots: { doctor: { id: string; name: string } }[] }>(
      `query($f: SlotFilter!) { availableSlots(filter: $f, first: 3) { doctor { id name } } }`,
      { f: { doctorId: doctor.id, from: slot.startsAt.toISOString(), to: new Date(slot.startsAt.getTime() + 30 * 86_400_000).toISOString() } },
    );
    expect(searched.errors).toBeUndefined();
    const name = byKey.data!._entities[0]!.doctor.name;
    expect(name.length).toBeGreaterThan(0);
    expect(searched.data!.availableSlots.length).toBeGreaterThan(0);
    for (const found of searched.data!.availableSlots) expect(found.doctor).toEqual({ id: doctor.id, name });
  });
});

describe("allowedTransitions", () => {
  const transitions = async (id: string, caller: TestCaller) =>
    (await h.call<{ appointment: AppointmentView }>(APPOINTMENT, { id }, caller)).data?.appointment.allowedTransitions;

  it("lists per caller what they may do next in the current state", async () => {
    const pending = await appointmentIn(h, "PENDING", { local: "2026-03-02T14:00" });
    const reception = newStaff("RECEPTIONIST");
    const admin = newStaff("ADMIN");
    expect(await transitions(pending.appointment.id, pending.doctor.caller)).toEqual(["APPROVE", "REJECT"]);
    expect(await transitions(pending.appointment.id, pending.patient)).toEqual(["RESCHEDULE", "CANCEL"]);
    expect(await transitions(pending.appointment.id, reception)).toEqual([]);
    expect(await transitions(pending.appointment.id, admin)).toEqual(["APPROVE", "REJECT", "RESCHEDULE", "CANCEL"]);

    const booked = await appointmentIn(h, "BOOKED", { local: "2026-03-02T14:00" });
    expect(await transitions(booked.appointment.id, booked.doctor.caller)).toEqual([]); // not started: no no-show yet
    expect(await transitions(booked.appointment.id, booked.patient)).toEqual(["RESCHEDULE", "CANCEL"]);
    expect(await transitions(booked.appointment.id, reception)).toEqual(["CHECK_IN"]);
    expect(await transitions(booked.appointment.id, admin)).toEqual(["CHECK_IN", "RESCHEDULE", "CANCEL"]);
    h.clock.set("2026-03-02T13:10:00Z"); // ten minutes into the appointment
    expect(await transitions(booked.appointment.id, booked.doctor.caller)).toEqual(["MARK_NO_SHOW"]);
    expect(await transitions(booked.appointment.id, booked.patient)).toEqual([]);
    expect(await transitions(booked.appointment.id, admin)).toEqual(["CHECK_IN", "MARK_NO_SHOW"]);
  });

  it("offers feedback to the patient once the visit is fulfilled, and nothing after a hold expired", async () => {
    const fulfilled = await appointmentIn(h, "FULFILLED");
    expect(await transitions(fulfilled.appointment.id, fulfilled.patient)).toEqual(["SUBMIT_FEEDBACK"]);
    expect(await transitions(fulfilled.appointment.id, fulfilled.doctor.caller)).toEqual([]);
    expect(await transitions(fulfilled.appointment.id, newStaff("ADMIN"))).toEqual([]);

    const pending = await appointmentIn(h, "PENDING");
    h.clock.advanceMinutes(15);
    expect(await transitions(pending.appointment.id, pending.doctor.caller)).toEqual([]);
    expect(await transitions(pending.appointment.id, pending.patient)).toEqual([]);
  });
});

describe("myAppointments cursors", () => {
  it("refuses a well-formed cursor that holds no appointment key (BAD_USER_INPUT, never a database error)", async () => {
    const MINE = `query($a: String) { myAppointments(first: 5, after: $a) { edges { cursor } } }`;
    const keys = [
      ["2026-03-02T09:00:00.000Z", "00000000-0000-0000-0000-000000000000' OR '1'='1"],
      ["2026-03-02T09:00:00.000Z", "not-a-uuid"],
      ["not-a-date", randomUUID()],
      [{ gt: "" }, null],
    ];
    for (const key of keys) {
      const res = await h.call(MINE, { a: Buffer.from(JSON.stringify(key)).toString("base64url") }, newPatient());
      expect({ key, code: codeOf(res) }).toEqual({ key, code: "BAD_USER_INPUT" });
    }
  });
});
