/** The staff action log's recorder: which mutations it writes, with which target, and what a failed write does. */
import { describe, expect, it, jest } from "@jest/globals";
import { buildSchema, graphql, type GraphQLSchema } from "graphql";
import { createLogger, recordStaffMutations, staffActionTarget, type Identity, type StaffAction } from "../src/index.js";

const SDL = `
  type Doctor { id: ID! name: String! }
  type Appointment { id: ID! patientId: ID }
  type SlotUnavailable { code: String! }
  union Booking = Appointment | SlotUnavailable
  type AuthPayload { token: String! user: User! }
  type User { id: ID! role: String! }
  input BookInput { slotId: ID! patientId: ID }
  type Query { ok: Boolean }
  type Mutation {
    updateDoctor(id: ID!, name: String!): Doctor!
    book(input: BookInput!): Booking!
    retireMedicalService(id: ID!): Boolean!
    register: AuthPayload!
    fail: Boolean!
    skipped: Boolean!
  }
`;
const PATIENT_ID = "11111111-1111-4111-8111-111111111111";

function setup(write: (actions: StaffAction[]) => Promise<void>, onWriteFailure?: () => void) {
  const schema: GraphQLSchema = buildSchema(SDL);
  const resolvers: Record<string, (args: Record<string, unknown>) => unknown> = {
    updateDoctor: (args) => ({ id: args.id, name: args.name }),
    book: (args) => {
      const input = args.input as { slotId: string; patientId?: string };
      return input.slotId === "taken"
        ? { __typename: "SlotUnavailable", code: "SLOT_TAKEN" }
        : { __typename: "Appointment", id: "appt-1", patientId: input.patientId };
    },
    retireMedicalService: () => true,
    register: () => ({ token: "t", user: { id: PATIENT_ID, role: "PATIENT" } }),
    fail: () => {
      throw new Error("refused");
    },
    skipped: () => true,
  };
  for (const [name, field] of Object.entries(schema.getMutationType()!.getFields())) field.resolve = (_s, args) => resolvers[name]!(args);
  recordStaffMutations(schema, { write, skip: ["skipped"], clock: () => new Date("2026-12-07T09:00:00Z"), onWriteFailure }, createLogger("test", "silent"));
  return (source: string, identity: Identity) => graphql({ schema, source, contextValue: { identity } });
}

const admin: Identity = { userId: "22222222-2222-4222-8222-222222222222", role: "ADMIN", requestId: "req-1" };
const patient: Identity = { userId: PATIENT_ID, role: "PATIENT", requestId: "req-2" };

describe("staff action log", () => {
  it("writes each successful staff mutation once, with its target, actor and request", async () => {
    const written: StaffAction[] = [];
    const run = setup(async (actions) => void written.push(...actions));
    await run(`mutation { updateDoctor(id: "d1", name: "Dr X") { id } }`, admin);
    await run(`mutation { book(input: { slotId: "s1", patientId: "${PATIENT_ID}" }) { ... on Appointment { id } } }`, admin);
    await run(`mutation { retireMedicalService(id: "svc-1") }`, admin);
    await run(`mutation { register { token } }`, { ...admin, role: "RECEPTIONIST" });
    expect(written.map(({ actionId, ...rest }) => (expect(actionId).toMatch(/^[0-9a-f-]{36}$/), rest))).toEqual([
      {
        action: "updateDoctor",
        actorId: admin.userId,
        actorRole: "ADMIN",
        targetType: "Doctor",
        targetId: "d1",
        patientId: null,
        requestId: "req-1",
        at: "2026-12-07T09:00:00.000Z",
      },
      {
        action: "book",
        actorId: admin.userId,
        actorRole: "ADMIN",
        targetType: "Appointment",
        targetId: "appt-1",
        patientId: PATIENT_ID,
        requestId: "req-1",
        at: "2026-12-07T09:00:00.000Z",
      },
      {
        action: "retireMedicalService",
        actorId: admin.userId,
        actorRole: "ADMIN",
        targetType: "MedicalService",
        targetId: "svc-1",
        patientId: null,
        requestId: "req-1",
        at: "2026-12-07T09:00:00.000Z",
      },
      {
        action: "register",
        actorId: admin.userId,
        actorRole: "RECEPTIONIST",
        targetType: "User",
        targetId: PATIENT_ID,
        patientId: PATIENT_ID,
        requestId: "req-1",
        at: "2026-12-07T09:00:00.000Z",
      },
    ]);
  });

  it("writes nothing for patients, failed mutations, answers that are not entities, and skipped mutations", async () => {
    const write = jest.fn(async (_actions: StaffAction[]) => {});
    const run = setup(write);
    await run(`mutation { updateDoctor(id: "d1", name: "Dr X") { id } }`, patient);
    await run(`mutation { fail }`, admin);
    await run(`mutation { book(input: { slotId: "taken" }) { ... on SlotUnavailable { code } } }`, admin);
    await run(`mutation { skipped }`, admin);
    await run(`mutation { updateDoctor(id: "d1", name: "Dr X") { id } }`, { userId: null, role: null, requestId: "anon" });
    expect(write).not.toHaveBeenCalled();
  });

  it("keeps the answer when the write fails, and reports the failure", async () => {
    const failures = jest.fn();
    const run = setup(async () => {
      throw new Error("database down");
    }, failures);
    const res = await run(`mutation { updateDoctor(id: "d1", name: "Dr X") { id } }`, admin);
    expect(res).toEqual({ data: { updateDoctor: { id: "d1" } } });
    expect(failures).toHaveBeenCalledTimes(1);
  });

  it("finds the target by argument name, inside input, or in the answer", () => {
    expect(staffActionTarget("approveAppointment", { id: "a1" }, { id: "a1", patientId: PATIENT_ID }, "Appointment")).toEqual({
      targetType: "Appointment",
      targetId: "a1",
      patientId: PATIENT_ID,
    });
    expect(staffActionTarget("addTimeOff", { doctorId: "d1", from: "x" }, { id: "t1" }, "TimeOff")).toEqual({
      targetType: "Doctor",
      targetId: "d1",
      patientId: null,
    });
    expect(staffActionTarget("createDoctor", { input: { name: "x" } }, { id: "d2" }, "Doctor")).toEqual({
      targetType: "Doctor",
      targetId: "d2",
      patientId: null,
    });
    // Made from an input: the entity made, not the slot the input names; the input's id when nothing was answered.
    expect(staffActionTarget("requestAppointment", { input: { slotId: "s1" } }, { id: "a2" }, "Appointment")).toMatchObject({
      targetType: "Appointment",
      targetId: "a2",
    });
    expect(staffActionTarget("holdSlot", { input: { slotId: "s1" } }, true, null)).toMatchObject({ targetType: "Slot", targetId: "s1" });
    expect(staffActionTarget("setPatientNationalId", { patientId: PATIENT_ID }, {}, "Patient")).toEqual({
      targetType: "Patient",
      targetId: PATIENT_ID,
      patientId: PATIENT_ID,
    });
    expect(staffActionTarget("syncAll", {}, true, null)).toEqual({ targetType: null, targetId: null, patientId: null });
  });
});
