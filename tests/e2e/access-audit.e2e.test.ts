/**
 * Every read of patient data is in one audit log, whichever subgraph served it: a doctor's calendar
 * (scheduling) and a receptionist's look at the patient's record (accounts) both show up in the patient's
 * `myRecordAccess` and in the admin's `auditLog`, with the reader and the router's request id.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { uniqueEmail } from "@clinigraph/testing";
import { closeFeeds, watchFeed } from "../support/feeds.js";
import { expectData, signIn, startStack, type Stack } from "../support/stack.js";

const clock = { now: new Date("2027-03-22T07:00:00Z") };
let stack: Stack;
let url: string;
let adminToken: string;

const ok = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => expectData<T>(url, query, variables, token);
const login = (email: string, password: string) => signIn(url, email, password);

interface Entry {
  action: string;
  actorRole: string | null;
  actor: { id: string } | null;
  requestId: string | null;
}
const ENTRIES = `edges { node { action actorRole actor { id } requestId } }`;

beforeAll(async () => {
  stack = await startStack({ clock: () => clock.now });
  url = stack.routerUrl;
  adminToken = await login(stack.admin.email, stack.admin.password);
});

afterAll(async () => {
  await closeFeeds();
  await stack?.stop();
});

describe("audit of reads across subgraphs", () => {
  it("puts a doctor's calendar read (scheduling) and reception's record read (accounts) in the patient's access log", async () => {
    const password = "Audit-password-1";
    const doctorEmail = uniqueEmail("dr.audit");
    const created = await ok<{ createDoctor: { id: string; user: { id: string } } }>(
      `mutation($i: CreateDoctorInput!) { createDoctor(input: $i) { id user { id } } }`,
      { i: { email: doctorEmail, password, name: "Dr. Audit", specialtyCode: "GP", timezone: "Europe/Berlin", serviceCodes: ["GENERAL_CHECKUP"] } },
      adminToken,
    );
    await ok(
      `mutation($d: ID!, $r: [ScheduleRuleInput!]!) { setWeeklySchedule(doctorId: $d, rules: $r) { id } }`,
      { d: created.createDoctor.id, r: [{ dayOfWeek: "TUESDAY", startTime: "09:00", endTime: "12:00", slotMinutes: 30 }] },
      adminToken,
    );
    await stack.eventsSettled(); // scheduling makes the slots on doctors' DoctorScheduleChanged event
    const doctorToken = await login(doctorEmail, password);
    const receptionEmail = uniqueEmail("reception.audit");
    const receptionist = await ok<{ createStaffUser: { id: string } }>(
      `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`,
      { i: { email: receptionEmail, password, name: "Rita Reception", role: "RECEPTIONIST" } },
      adminToken,
    );
    const receptionToken = await login(receptionEmail, password);
    const reg = await ok<{ registerPatient: { accessToken: string; user: { id: string } } }>(
      `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken user { id } } }`,
      { i: { email: uniqueEmail("audited.patient"), password, name: "Paula Private" } },
    );
    const patient = { id: reg.registerPatient.user.id, token: reg.registerPatient.accessToken };
    const [slot] = (
      await ok<{ availableSlots: { id: string }[] }>(`query($f: SlotFilter!) { availableSlots(filter: $f, first: 1) { id } }`, {
        f: { doctorId: created.createDoctor.id, from: "2027-03-22T00:00:00Z", to: "2027-03-30T00:00:00Z" },
      })
    ).availableSlots;
    await ok(`mutation($s: ID!) { requestAppointment(input: { slotId: $s }) { __typename } }`, { s: slot!.id }, patient.token);

    // The doctor's calendar: scheduling audits the appointment, accounts the patient's name it resolves.
    const calendar = await ok<{ calendar: { patient: { name: string } }[] }>(
      `query($from: DateTime!, $to: DateTime!) { calendar(from: $from, to: $to) { patient { name } } }`,
      { from: "2027-03-22T00:00:00Z", to: "2027-03-30T00:00:00Z" },
      doctorToken,
    );
    expect(calendar.calendar).toEqual([{ patient: { name: "Paula Private" } }]);
    await ok(`query($id: ID!) { patient(id: $id) { name } }`, { id: patient.id }, receptionToken);
    // The patient's own reads are not audited.
    await ok(`{ myAppointments { edges { node { id } } } }`, {}, patient.token);
    await stack.eventsSettled();

    const mine = (
      await ok<{ myRecordAccess: { edges: { node: Entry }[] } }>(`{ myRecordAccess(first: 20) { ${ENTRIES} } }`, {}, patient.token)
    ).myRecordAccess.edges.map((e) => e.node);
    const seen = mine.map((e) => [e.action, e.actor?.id, e.actorRole]);
    expect(seen).toEqual(
      expect.arrayContaining([
        ["APPOINTMENT_READ", created.createDoctor.user.id, "DOCTOR"],
        ["PATIENT_RECORD_READ", created.createDoctor.user.id, "DOCTOR"],
        ["PATIENT_RECORD_READ", receptionist.createStaffUser.id, "RECEPTIONIST"],
      ]),
    );
    expect(mine.every((e) => e.actor?.id !== patient.id)).toBe(true);
    expect(mine.every((e) => typeof e.requestId === "string" && e.requestId.length > 0)).toBe(true);

    const all = await ok<{ auditLog: { edges: { node: Entry }[] } }>(
      `query($p: ID!) { auditLog(patientId: $p, first: 20) { ${ENTRIES} } }`,
      { p: patient.id },
      adminToken,
    );
    expect(all.auditLog.edges.map((e) => e.node.action)).toContain("APPOINTMENT_READ");
  });

  it("puts reception's and an examiner's reads of encounters and examinations (clinical metadata) in the patient's access log, once per request or feed event", async () => {
    const password = "Audit-password-1";
    const staff: Record<string, { id: string; token: string }> = {};
    for (const role of ["RECEPTIONIST", "EXAMINER"] as const) {
      const email = uniqueEmail(`${role.toLowerCase()}.audit`);
      const { createStaffUser } = await ok<{ createStaffUser: { id: string } }>(
        `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`,
        { i: { email, password, name: `Audit ${role}`, role } },
        adminToken,
      );
      staff[role] = { id: createStaffUser.id, token: await login(email, password) };
    }
    const doctorEmail = uniqueEmail("dr.clinical.audit");
    const { createDoctor } = await ok<{ createDoctor: { id: string } }>(
      `mutation($i: CreateDoctorInput!) { createDoctor(input: $i) { id } }`,
      { i: { email: doctorEmail, password, name: "Dr. Metadata", specialtyCode: "GP", timezone: "Europe/Berlin", serviceCodes: ["GENERAL_CHECKUP"] } },
      adminToken,
    );
    const doctorToken = await login(doctorEmail, password);
    const reg = await ok<{ registerPatient: { accessToken: string; user: { id: string } } }>(
      `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken user { id } } }`,
      { i: { email: uniqueEmail("walkin.audited"), password, name: "Walter Walkin" } },
    );
    const patient = { id: reg.registerPatient.user.id, token: reg.registerPatient.accessToken };
    const { medicalServices } = await ok<{ medicalServices: { id: string; code: string }[] }>(`{ medicalServices { id code } }`);
    const blood = medicalServices.find((s) => s.code === "LAB_BLOOD")!.id;

    // Writing is not reading: reception registers the walk-in, the doctor starts the visit and orders an examination.
    const { registerWalkIn } = await ok<{ registerWalkIn: { id: string } }>(
      `mutation($p: ID!, $d: ID!) { registerWalkIn(patientId: $p, doctorId: $d) { id } }`,
      { p: patient.id, d: createDoctor.id },
      staff.RECEPTIONIST!.token,
    );
    const encounterId = registerWalkIn.id;
    await ok(`mutation($id: ID!) { startEncounter(id: $id) { id } }`, { id: encounterId }, doctorToken);
    await ok(`mutation($e: ID!, $s: ID!) { orderExamination(encounterId: $e, serviceId: $s) { id } }`, { e: encounterId, s: blood }, doctorToken);
    await stack.eventsSettled();
    const accesses = async () =>
      (await ok<{ myRecordAccess: { edges: { node: Entry }[] } }>(`{ myRecordAccess(first: 100) { ${ENTRIES} } }`, {}, patient.token)).myRecordAccess.edges
        .map((e) => e.node)
        .filter((e) => e.action === "ENCOUNTER_READ" || e.action === "EXAMINATION_READ")
        .map((e) => `${e.action} ${e.actorRole}`)
        .sort();
    expect(await accesses()).toEqual([]);

    // The patient's own reads are not audited.
    await ok(`query($id: ID!) { encounter(id: $id) { status examinations { status } } }`, { id: encounterId }, patient.token);
    // Reception: the encounter, the day's list and the clinic board, with the examinations, in one request: once per action.
    const seen = await ok<{ encounter: { status: string }; encounters: { id: string }[]; clinicBoard: { encounterId: string }[] }>(
      `query($id: ID!) { encounter(id: $id) { status doctor { id } examinations { status } }
        encounters { id pendingExaminations } clinicBoard { encounterId state } }`,
      { id: encounterId },
      staff.RECEPTIONIST!.token,
    );
    expect(seen.encounter.status).toBe("IN_PROGRESS");
    expect(seen.clinicBoard.map((e) => e.encounterId)).toContain(encounterId);
    // The examiner: the worklist and the encounter each examination belongs to.
    const worklist = await ok<{ examinationWorklist: { id: string; encounter: { id: string; status: string } }[] }>(
      `{ examinationWorklist { id encounter { id status } } }`,
      {},
      staff.EXAMINER!.token,
    );
    expect(worklist.examinationWorklist.map((x) => x.encounter.id)).toContain(encounterId);
    await stack.eventsSettled();

    expect(await accesses()).toEqual(["ENCOUNTER_READ EXAMINER", "ENCOUNTER_READ RECEPTIONIST", "EXAMINATION_READ EXAMINER", "EXAMINATION_READ RECEPTIONIST"]);

    // Reception's live board: every update delivered is a read of its own (a subscription is not one request).
    const board = watchFeed<{ entry: { encounterId: string; state: string } }>(
      url,
      staff.RECEPTIONIST!.token,
      `subscription { clinicBoardUpdates(since: "0") { entry { encounterId state } } }`,
    );
    await board.until((u) => u.entry.encounterId === encounterId && u.entry.state === "AT_EXAMINATION");
    const delivered = board.received.filter((u) => u.entry.encounterId === encounterId).map((u) => u.entry.state);
    expect(delivered).toEqual(["WAITING", "WITH_DOCTOR", "AT_EXAMINATION"]);
    await stack.eventsSettled();
    expect((await accesses()).filter((a) => a === "ENCOUNTER_READ RECEPTIONIST")).toHaveLength(1 + delivered.length);
  });
});
