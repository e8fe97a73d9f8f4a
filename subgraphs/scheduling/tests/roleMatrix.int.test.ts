/**
 * Who may call which mutation: every Mutation field of schema.graphql × every kind of caller, over HTTP
 * against the real subgraph and database. One row per mutation — a new mutation without a row fails the
 * suite (see "covers every mutation"). A refused call changes nothing; CONFLICT is for callers who may act
 * but the appointment's state forbids it (second table).
 */
import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import { Kind, parse, type ObjectTypeDefinitionNode } from "graphql";
import type { TestCaller } from "@clinigraph/testing";
import { submitFeedback } from "../src/domain/feedback.js";
import { hideFeedbackComment } from "../src/domain/feedbackModeration.js";
import {
  ANONYMOUS,
  appointmentIn,
  newPatient,
  newStaff,
  request,
  seedDoctor,
  slotAt,
  systemAdmin,
  at,
  TODAY_AFTERNOON,
  type Caller,
  type SeededDoctor,
} from "./support/factories.js";
import { codeOf, useHarness, type Harness } from "./support/harness.js";
import * as op from "./support/operations.js";
import type { AppointmentView, BookingView, WaitlistView } from "./support/operations.js";

const CALLERS = ["anonymous", "owner", "otherPatient", "doctor", "otherDoctor", "receptionist", "examiner", "admin"] as const;
type CallerKey = (typeof CALLERS)[number];
type Outcome = "OK" | "UNAUTHENTICATED" | "FORBIDDEN" | "CONFLICT";

interface Scene {
  doctor: SeededDoctor;
  owner: Caller;
  callers: Record<CallerKey, TestCaller>;
}

interface Arranged {
  query: string;
  variables: Record<string, unknown>;
  /** Checks the answer of a successful call. */
  check(data: Record<string, unknown>): Promise<void> | void;
}

interface Rule {
  arrange(h: Harness, s: Scene): Promise<Arranged>;
  expect: Record<CallerKey, Outcome>;
}

/** Everyone signed in is FORBIDDEN except the callers named. */
const only = (allowed: Partial<Record<CallerKey, Outcome>>): Record<CallerKey, Outcome> => ({
  anonymous: "UNAUTHENTICATED",
  owner: "FORBIDDEN",
  otherPatient: "FORBIDDEN",
  doctor: "FORBIDDEN",
  otherDoctor: "FORBIDDEN",
  receptionist: "FORBIDDEN",
  examiner: "FORBIDDEN",
  admin: "FORBIDDEN",
  ...allowed,
});

/** An appointment of the scene's patient with the scene's doctor. */
const mine = (s: Scene, local?: string) => ({ doctor: s.doctor, patient: s.owner, local });

const appointmentOf = (data: Record<string, unknown>, field: string) => data[field] as AppointmentView;

/** A status change of an appointment of `s.owner` with `s.doctor`, made ready in state `from`. */
const statusChange = (field: string, query: string, from: "PENDING" | "BOOKED" | "CHECKED_IN" | "FULFILLED", to: string, local?: string) =>
  async function arrange(h: Harness, s: Scene): Promise<Arranged> {
    const { appointment } = await appointmentIn(h, from, mine(s, local));
    return {
      query,
      variables: { id: appointment.id },
      check: (data) => expect(appointmentOf(data, field)).toMatchObject({ id: appointment.id, status: to }),
    };
  };

const MATRIX: Record<string, Rule> = {
  requestAppointment: {
    async arrange(h, s) {
      const slot = await slotAt(h, s.doctor.id, "2026-03-04T09:00");
      return {
        query: op.REQUEST,
        variables: { input: { slotId: slot.id, patientId: s.owner.userId } },
        check: (data) =>
          expect(data.requestAppointment as BookingView).toMatchObject({ __typename: "Appointment", status: "PENDING", patient: { id: s.owner.userId } }),
      };
    },
    expect: only({ owner: "OK", receptionist: "OK", admin: "OK" }),
  },
  approveAppointment: { arrange: statusChange("approveAppointment", op.APPROVE, "PENDING", "BOOKED"), expect: only({ doctor: "OK", admin: "OK" }) },
  rejectAppointment: { arrange: statusChange("rejectAppointment", op.REJECT, "PENDING", "REJECTED"), expect: only({ doctor: "OK", admin: "OK" }) },
  rescheduleAppointment: {
    async arrange(h, s) {
      const { appointment } = await appointmentIn(h, "BOOKED", mine(s));
      const target = await slotAt(h, s.doctor.id, "2026-03-05T11:00");
      return {
        query: op.RESCHEDULE,
        variables: { id: appointment.id, slotId: target.id },
        check: (data) =>
          expect(data.rescheduleAppointment as BookingView).toMatchObject({
            __typename: "Appointment",
            id: appointment.id,
            startsAt: target.startsAt.toISOString(),
          }),
      };
    },
    expect: only({ owner: "OK", admin: "OK" }),
  },
  cancelAppointment: { arrange: statusChange("cancelAppointment", op.CANCEL, "BOOKED", "CANCELLED"), expect: only({ owner: "OK", admin: "OK" }) },
  checkInAppointment: {
    arrange: statusChange("checkInAppointment", op.CHECK_IN, "BOOKED", "CHECKED_IN", TODAY_AFTERNOON),
    expect: only({ receptionist: "OK", admin: "OK" }),
  },
  markNoShow: {
    async arrange(h, s) {
      const arranged = await statusChange("markNoShow", op.NO_SHOW, "BOOKED", "NO_SHOW", TODAY_AFTERNOON)(h, s);
      h.clock.set(at("2026-03-02T14:20")); // the appointment has started; nobody came
      return arranged;
    },
    expect: only({ doctor: "OK", admin: "OK" }),
  },
  fulfillAppointment: { arrange: statusChange("fulfillAppointment", op.FULFILL, "CHECKED_IN", "FULFILLED"), expect: only({ doctor: "OK", admin: "OK" }) },
  joinWaitlist: {
    async arrange(_h, s) {
      return {
        query: op.JOIN_WAITLIST,
        variables: { input: { doctorId: s.doctor.id, from: "2026-03-03T00:00:00Z", to: "2026-03-10T00:00:00Z" } },
        check: (data) => expect(data.joinWaitlist as WaitlistView).toMatchObject({ status: "WAITING", offeredAppointment: null }),
      };
    },
    // Patients join for themselves (there is no patientId for staff), so any patient may, and no one else.
    expect: only({ owner: "OK", otherPatient: "OK" }),
  },
  overbookAppointment: {
    async arrange(h, s) {
      const { slot } = await appointmentIn(h, "BOOKED", { doctor: s.doctor }); // someone else's time
      return {
        query: op.OVERBOOK,
        variables: { input: { slotId: slot.id, patientId: s.owner.userId, reason: "Urgent follow-up after surgery" } },
        check: (data) =>
          expect(appointmentOf(data, "overbookAppointment")).toMatchObject({ status: "BOOKED", overbooked: true, patient: { id: s.owner.userId } }),
      };
    },
    expect: only({ admin: "OK" }),
  },
  submitFeedback: {
    async arrange(h, s) {
      const { appointment } = await appointmentIn(h, "FULFILLED", mine(s));
      return {
        query: op.FEEDBACK,
        variables: { id: appointment.id, rating: 4, comment: "Kind and on time" },
        check: (data) => expect(appointmentOf(data, "submitFeedback").feedback).toMatchObject({ rating: 4, comment: "Kind and on time" }),
      };
    },
    expect: only({ owner: "OK" }),
  },
  hideFeedbackComment: {
    async arrange(h, s) {
      const id = await commented(h, s);
      return {
        query: HIDE_COMMENT,
        variables: { id, reason: "Abusive language" },
        check: (data) => expect(appointmentOf(data, "hideFeedbackComment").feedback).toMatchObject({ rating: 2, hidden: true }),
      };
    },
    expect: only({ admin: "OK" }),
  },
  unhideFeedbackComment: {
    async arrange(h, s) {
      const id = await commented(h, s);
      await hideFeedbackComment(h.deps, systemAdmin(), id, "Abusive language");
      return {
        query: UNHIDE_COMMENT,
        variables: { id },
        check: (data) => expect(appointmentOf(data, "unhideFeedbackComment").feedback).toMatchObject({ comment: "Rude at the desk", hidden: false }),
      };
    },
    expect: only({ admin: "OK" }),
  },
  syncDoctorSlots: {
    async arrange(h, s) {
      // doctors now knows of a day off on Wednesday that scheduling has not seen yet
      h.doctors.put({ ...s.doctor.snapshot, timeOff: [{ from: "2026-03-04T00:00:00+01:00", to: "2026-03-05T00:00:00+01:00" }] });
      return {
        query: op.SYNC,
        variables: { doctorId: s.doctor.id },
        check: async (data) => {
          expect(data.syncDoctorSlots).toBe(true);
          expect((await slotAt(h, s.doctor.id, "2026-03-04T10:00")).status).toBe("BLOCKED");
        },
      };
    },
    expect: only({ doctor: "OK", admin: "OK" }),
  },
};

const HIDE_COMMENT = `mutation($id: ID!, $reason: String!) { hideFeedbackComment(appointmentId: $id, reason: $reason) { ${op.APPOINTMENT_FIELDS} } }`;
const UNHIDE_COMMENT = `mutation($id: ID!) { unhideFeedbackComment(appointmentId: $id) { ${op.APPOINTMENT_FIELDS} } }`;

/** A FULFILLED appointment of the scene's patient, rated 2 with a comment. */
async function commented(h: Harness, s: Scene): Promise<string> {
  const { appointment } = await appointmentIn(h, "FULFILLED", mine(s));
  await submitFeedback(h.deps, { userId: s.owner.userId, role: "PATIENT", doctorId: null }, appointment.id, 2, "Rude at the desk");
  return appointment.id;
}

const h = useHarness({ horizonDays: 7 }); // this week is all the matrix needs

async function newScene(): Promise<Scene> {
  const doctor = await seedDoctor(h);
  const otherDoctor = await seedDoctor(h, { specialtyCode: doctor.snapshot.specialtyCode });
  const owner = newPatient();
  const callers: Record<CallerKey, TestCaller> = {
    anonymous: ANONYMOUS,
    owner,
    otherPatient: newPatient(),
    doctor: doctor.caller,
    otherDoctor: otherDoctor.caller,
    receptionist: newStaff("RECEPTIONIST"),
    examiner: newStaff("EXAMINER"),
    admin: newStaff("ADMIN"),
  };
  return { doctor, owner, callers };
}

/** Everything a mutation could write. */
async function footprint() {
  const [appointments, changes, outbox, waitlist, blocked, hidden] = await Promise.all([
    h.prisma.appointment.findMany({ select: { id: true, status: true, slotId: true, feedbackAt: true }, orderBy: { id: "asc" } }),
    h.prisma.appointmentChange.count(),
    h.prisma.outboxEvent.count(),
    h.prisma.waitlistEntry.count(),
    h.prisma.slot.count({ where: { status: { not: "FREE" } } }),
    h.prisma.feedbackModeration.count(),
  ]);
  return { appointments, changes, outbox, waitlist, blocked, hidden };
}

describe("role matrix", () => {
  it("covers every mutation of the schema", () => {
    const sdl = parse(readFileSync(new URL("../src/schema.graphql", import.meta.url), "utf8"));
    const mutation = sdl.definitions.find((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === "Mutation");
    const fields = (mutation?.fields ?? []).map((f) => f.name.value).sort();
    expect(fields.length).toBeGreaterThan(0);
    expect(Object.keys(MATRIX).sort()).toEqual(fields);
  });

  const cases = Object.entries(MATRIX).flatMap(([mutation, rule]) => CALLERS.map((who) => [mutation, who, rule.expect[who]] as const));

  it.each(cases)("%s as %s → %s", async (mutation, who, outcome) => {
    const scene = await newScene();
    const arranged = await MATRIX[mutation]!.arrange(h, scene);
    const before = await footprint();
    const res = await h.call(arranged.query, arranged.variables, scene.callers[who]);
    expect(res.status).toBe(200);
    expect(codeOf(res)).toBe(outcome);
    if (outcome === "OK") await arranged.check(res.data!);
    else expect(await footprint()).toEqual(before);
  });
});

describe("state guards: callers who may act, on a state that forbids it → CONFLICT, nothing changes", () => {
  type Guard = [mutation: string, state: string, arrange: (s: Scene) => Promise<{ query: string; variables: Record<string, unknown>; who: CallerKey }>];
  const guards: Guard[] = [
    [
      "approveAppointment",
      "BOOKED",
      async (s) => ({ query: op.APPROVE, variables: { id: (await appointmentIn(h, "BOOKED", mine(s))).appointment.id }, who: "doctor" }),
    ],
    [
      "approveAppointment",
      "PENDING past its hold",
      async (s) => {
        const { appointment } = await appointmentIn(h, "PENDING", mine(s));
        h.clock.advanceMinutes(16);
        return { query: op.APPROVE, variables: { id: appointment.id }, who: "doctor" };
      },
    ],
    [
      "rejectAppointment",
      "CANCELLED",
      async (s) => ({ query: op.REJECT, variables: { id: (await appointmentIn(h, "CANCELLED", mine(s))).appointment.id }, who: "admin" }),
    ],
    [
      "rescheduleAppointment",
      "CHECKED_IN",
      async (s) => {
        const { appointment } = await appointmentIn(h, "CHECKED_IN", mine(s));
        return { query: op.RESCHEDULE, variables: { id: appointment.id, slotId: (await slotAt(h, s.doctor.id, "2026-03-05T09:00")).id }, who: "owner" };
      },
    ],
    [
      "cancelAppointment",
      "FULFILLED",
      async (s) => ({ query: op.CANCEL, variables: { id: (await appointmentIn(h, "FULFILLED", mine(s))).appointment.id }, who: "owner" }),
    ],
    [
      "checkInAppointment",
      "PENDING",
      async (s) => ({ query: op.CHECK_IN, variables: { id: (await appointmentIn(h, "PENDING", mine(s))).appointment.id }, who: "receptionist" }),
    ],
    [
      "checkInAppointment",
      "BOOKED but days ahead",
      async (s) => ({
        query: op.CHECK_IN,
        variables: { id: (await appointmentIn(h, "BOOKED", mine(s, "2026-03-06T10:00"))).appointment.id },
        who: "receptionist",
      }),
    ],
    [
      "markNoShow",
      "BOOKED, not started",
      async (s) => ({ query: op.NO_SHOW, variables: { id: (await appointmentIn(h, "BOOKED", mine(s))).appointment.id }, who: "doctor" }),
    ],
    [
      "fulfillAppointment",
      "BOOKED",
      async (s) => ({ query: op.FULFILL, variables: { id: (await appointmentIn(h, "BOOKED", mine(s))).appointment.id }, who: "doctor" }),
    ],
    [
      "submitFeedback",
      "CHECKED_IN",
      async (s) => ({ query: op.FEEDBACK, variables: { id: (await appointmentIn(h, "CHECKED_IN", mine(s))).appointment.id, rating: 5 }, who: "owner" }),
    ],
    [
      "submitFeedback",
      "FULFILLED with feedback given",
      async (s) => {
        const { appointment } = await appointmentIn(h, "FULFILLED", mine(s));
        await submitFeedback(h.deps, { userId: s.owner.userId, role: "PATIENT", doctorId: null }, appointment.id, 5);
        return { query: op.FEEDBACK, variables: { id: appointment.id, rating: 1 }, who: "owner" };
      },
    ],
    [
      "requestAppointment",
      "the patient already has one with this doctor that day",
      async (s) => {
        await request(h, s.owner, (await slotAt(h, s.doctor.id, "2026-03-04T09:00")).id);
        return { query: op.REQUEST, variables: { input: { slotId: (await slotAt(h, s.doctor.id, "2026-03-04T15:00")).id } }, who: "owner" };
      },
    ],
  ];

  it.each(guards)("%s on %s", async (_mutation, _state, arrange) => {
    const scene = await newScene();
    const { query, variables, who } = await arrange(scene);
    const before = await footprint();
    const res = await h.call(query, variables, scene.callers[who]);
    expect(codeOf(res)).toBe("CONFLICT");
    expect(await footprint()).toEqual(before);
  });
});
