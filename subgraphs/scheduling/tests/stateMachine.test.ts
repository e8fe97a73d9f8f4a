/** The appointment life cycle and who may move it (domain/stateMachine.ts), without a database. */
import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { allowedTransitions, mayAct, stateAllows, TARGET } from "../src/domain/stateMachine.js";
import { APPOINTMENT_STATUSES, type Actor, type Appointment, type AppointmentAction, type AppointmentStatus } from "../src/domain/types.js";

const NOW = new Date("2026-03-02T08:00:00Z");
const min = (n: number) => new Date(NOW.getTime() + n * 60_000);
const PATIENT_ID = randomUUID();
const DOCTOR_ID = randomUUID();

function appointment(overrides: Partial<Appointment> = {}): Appointment {
  return {
    id: randomUUID(),
    patientId: PATIENT_ID,
    doctorId: DOCTOR_ID,
    serviceId: null,
    slotId: randomUUID(),
    startsAt: min(24 * 60),
    endsAt: min(24 * 60 + 30),
    status: "BOOKED",
    reason: null,
    holdExpiresAt: null,
    overbooked: false,
    needsAttention: false,
    feedbackRating: null,
    feedbackComment: null,
    feedbackAt: null,
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}
const pending = (overrides: Partial<Appointment> = {}) => appointment({ status: "PENDING", holdExpiresAt: min(15), ...overrides });

const ACTORS = {
  owner: { userId: PATIENT_ID, role: "PATIENT", doctorId: null },
  otherPatient: { userId: randomUUID(), role: "PATIENT", doctorId: null },
  doctor: { userId: randomUUID(), role: "DOCTOR", doctorId: DOCTOR_ID },
  otherDoctor: { userId: randomUUID(), role: "DOCTOR", doctorId: randomUUID() },
  unsyncedDoctor: { userId: randomUUID(), role: "DOCTOR", doctorId: null },
  receptionist: { userId: randomUUID(), role: "RECEPTIONIST", doctorId: null },
  examiner: { userId: randomUUID(), role: "EXAMINER", doctorId: null },
  billing: { userId: randomUUID(), role: "BILLING", doctorId: null },
  stakeholder: { userId: randomUUID(), role: "STAKEHOLDER", doctorId: null },
  admin: { userId: randomUUID(), role: "ADMIN", doctorId: null },
} satisfies Record<string, Actor>;
type ActorKey = keyof typeof ACTORS;

const WHO: Record<AppointmentAction, ActorKey[]> = {
  APPROVE: ["doctor", "admin"],
  REJECT: ["doctor", "admin"],
  RESCHEDULE: ["owner", "admin"],
  CANCEL: ["owner", "admin"],
  CHECK_IN: ["receptionist", "admin"],
  MARK_NO_SHOW: ["doctor", "admin"],
  FULFILL: ["doctor", "admin"],
  SUBMIT_FEEDBACK: ["owner"],
};

describe("mayAct", () => {
  const cases = (Object.keys(WHO) as AppointmentAction[]).flatMap((action) =>
    (Object.keys(ACTORS) as ActorKey[]).map((who) => [action, who, WHO[action].includes(who)] as const),
  );
  it.each(cases)("%s by %s → %s", (action, who, allowed) => {
    expect(mayAct(ACTORS[who], appointment(), action)).toBe(allowed);
  });
});

describe("stateAllows: from which statuses", () => {
  const FROM: Record<AppointmentAction, AppointmentStatus[]> = {
    APPROVE: ["PENDING"],
    REJECT: ["PENDING"],
    RESCHEDULE: ["PENDING", "BOOKED"],
    CANCEL: ["PENDING", "BOOKED"],
    CHECK_IN: ["BOOKED"],
    MARK_NO_SHOW: ["BOOKED"],
    FULFILL: ["CHECKED_IN"],
    SUBMIT_FEEDBACK: ["FULFILLED"],
  };
  /** A time at which the action's timing rule is met, so only the status decides. */
  const timing = (action: AppointmentAction): Partial<Appointment> =>
    action === "MARK_NO_SHOW" ? { startsAt: min(-10), endsAt: min(20) } : action === "CHECK_IN" ? { startsAt: min(60), endsAt: min(90) } : {};
  const cases = (Object.keys(FROM) as AppointmentAction[]).flatMap((action) =>
    APPOINTMENT_STATUSES.map((status) => [action, status, FROM[action].includes(status)] as const),
  );
  it.each(cases)("%s from %s → %s", (action, status, allowed) => {
    const a = appointment({ status, holdExpiresAt: status === "PENDING" ? min(15) : null, ...timing(action) });
    expect(stateAllows(a, action, NOW)).toBe(allowed);
  });
});

describe("stateAllows: time rules", () => {
  it("an expired hold allows nothing, a running one everything PENDING allows", () => {
    for (const action of ["APPROVE", "REJECT", "RESCHEDULE", "CANCEL"] as const) {
      expect(stateAllows(pending({ holdExpiresAt: min(0.01) }), action, NOW)).toBe(true);
      expect(stateAllows(pending({ holdExpiresAt: NOW }), action, NOW)).toBe(false);
      expect(stateAllows(pending({ holdExpiresAt: min(-1) }), action, NOW)).toBe(false);
    }
  });

  it("cancel and reschedule only before the start", () => {
    for (const action of ["CANCEL", "RESCHEDULE"] as const) {
      expect(stateAllows(appointment({ startsAt: min(1), endsAt: min(31) }), action, NOW)).toBe(true);
      expect(stateAllows(appointment({ startsAt: NOW, endsAt: min(30) }), action, NOW)).toBe(false);
    }
  });

  it.each([
    ["13 h before the start", 13 * 60, false],
    ["12 h before the start", 12 * 60, true],
    ["at the start", 0, true],
    ["3 h after the end (30 min visit)", -3.5 * 60, true],
    ["4 h after the end", -4.5 * 60, false],
  ])("check-in %s → %s", (_when, startInMinutes, allowed) => {
    const a = appointment({ startsAt: min(startInMinutes), endsAt: min(startInMinutes + 30) });
    expect(stateAllows(a, "CHECK_IN", NOW)).toBe(allowed);
  });

  it("no-show only once the appointment has started", () => {
    expect(stateAllows(appointment({ startsAt: min(1), endsAt: min(31) }), "MARK_NO_SHOW", NOW)).toBe(false);
    expect(stateAllows(appointment({ startsAt: NOW, endsAt: min(30) }), "MARK_NO_SHOW", NOW)).toBe(true);
  });

  it("feedback once", () => {
    expect(stateAllows(appointment({ status: "FULFILLED" }), "SUBMIT_FEEDBACK", NOW)).toBe(true);
    expect(stateAllows(appointment({ status: "FULFILLED", feedbackAt: NOW, feedbackRating: 4 }), "SUBMIT_FEEDBACK", NOW)).toBe(false);
  });
});

describe("TARGET", () => {
  it("maps each status-changing action to the documented status", () => {
    expect(TARGET).toEqual({
      APPROVE: "BOOKED",
      REJECT: "REJECTED",
      CANCEL: "CANCELLED",
      CHECK_IN: "CHECKED_IN",
      MARK_NO_SHOW: "NO_SHOW",
      FULFILL: "FULFILLED",
    });
  });
});

describe("allowedTransitions", () => {
  it("is empty for an anonymous caller", () => {
    expect(allowedTransitions(pending(), null, NOW)).toEqual([]);
  });

  it.each([
    [
      "a pending request",
      () => pending(),
      { doctor: ["APPROVE", "REJECT"], owner: ["RESCHEDULE", "CANCEL"], admin: ["APPROVE", "REJECT", "RESCHEDULE", "CANCEL"] },
    ],
    [
      "a booking today",
      () => appointment({ startsAt: min(120), endsAt: min(150) }),
      { receptionist: ["CHECK_IN"], owner: ["RESCHEDULE", "CANCEL"], doctor: [] },
    ],
    [
      "a booking that started",
      () => appointment({ startsAt: min(-5), endsAt: min(25) }),
      { doctor: ["MARK_NO_SHOW"], admin: ["CHECK_IN", "MARK_NO_SHOW"], owner: [] },
    ],
    ["a checked-in visit", () => appointment({ status: "CHECKED_IN", startsAt: min(-5), endsAt: min(25) }), { doctor: ["FULFILL"], receptionist: [] }],
    ["a fulfilled visit", () => appointment({ status: "FULFILLED", startsAt: min(-60), endsAt: min(-30) }), { owner: ["SUBMIT_FEEDBACK"], admin: [] }],
    ["a cancelled booking", () => appointment({ status: "CANCELLED" }), { owner: [], doctor: [], admin: [] }],
  ] as const)("lists, in a fixed order, what each caller may do with %s", (_name, make, expected) => {
    const a = make();
    for (const [who, actions] of Object.entries(expected)) expect([who, allowedTransitions(a, ACTORS[who as ActorKey], NOW)]).toEqual([who, actions]);
    for (const who of ["otherPatient", "otherDoctor", "unsyncedDoctor", "examiner", "billing", "stakeholder"] as const) {
      expect([who, allowedTransitions(a, ACTORS[who], NOW)]).toEqual([who, []]);
    }
  });
});
