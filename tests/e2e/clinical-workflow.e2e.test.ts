/**
 * The hospital scenario of a visit, end to end through the router, each step by its role:
 * (1) reception checks the patient in, (2) the patient is on the doctor's list, (3–4) the doctor orders
 * examinations, (5) the examiner performs one and cancels the other, (6) the doctor reviews the result,
 * (7) finishes the treatment (the appointment becomes FULFILLED in scheduling through events), (8)
 * reception sees and confirms the outcome. A second patient comes as a walk-in and the doctor refuses the
 * treatment (the ordered examination is cancelled with it). The patient card shows the signed entry.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { uniqueEmail } from "@clinigraph/testing";
import { closeFeeds, watchFeed } from "../support/feeds.js";
import { expectData, graphql, signIn, startStack, type Stack } from "../support/stack.js";

const clock = { now: new Date("2027-03-22T07:00:00Z") }; // Monday, 08:00 in Berlin
let stack: Stack;
let url: string;
const tokens: Record<string, string> = {};
let doctorId: string;
let services: Record<string, string>;

const ok = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => expectData<T>(url, query, variables, token);
const login = (email: string, password: string) => signIn(url, email, password);

const PASSWORD = "Workflow-password-1";

async function registerPatient(name: string) {
  const reg = await ok<{ registerPatient: { accessToken: string; user: { id: string } } }>(
    `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken user { id } } }`,
    { i: { email: uniqueEmail("workflow.patient"), password: PASSWORD, name } },
  );
  return { id: reg.registerPatient.user.id, token: reg.registerPatient.accessToken };
}

beforeAll(async () => {
  stack = await startStack({ clock: () => clock.now });
  url = stack.routerUrl;
  tokens.admin = await login(stack.admin.email, stack.admin.password);
  for (const role of ["RECEPTIONIST", "EXAMINER"] as const) {
    const email = uniqueEmail(role.toLowerCase());
    await ok(
      `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`,
      { i: { email, password: PASSWORD, name: `Workflow ${role}`, role } },
      tokens.admin,
    );
    tokens[role] = await login(email, PASSWORD);
  }
  const doctorEmail = uniqueEmail("dr.workflow");
  doctorId = (
    await ok<{ createDoctor: { id: string } }>(
      `mutation($i: CreateDoctorInput!) { createDoctor(input: $i) { id } }`,
      {
        i: {
          email: doctorEmail,
          password: PASSWORD,
          name: "Dr. Workflow",
          specialtyCode: "GP",
          timezone: "Europe/Berlin",
          serviceCodes: ["GENERAL_CHECKUP"],
          autoApprove: true,
        },
      },
      tokens.admin,
    )
  ).createDoctor.id;
  await ok(
    `mutation($d: ID!, $r: [ScheduleRuleInput!]!) { setWeeklySchedule(doctorId: $d, rules: $r) { id } }`,
    { d: doctorId, r: [{ dayOfWeek: "MONDAY", startTime: "09:00", endTime: "13:00", slotMinutes: 30 }] },
    tokens.admin,
  );
  await stack.eventsSettled(); // scheduling makes the slots on doctors' DoctorScheduleChanged event
  tokens.DOCTOR = await login(doctorEmail, PASSWORD);
  const catalogue = await ok<{ medicalServices: { id: string; code: string }[] }>(`{ medicalServices { id code } }`, {});
  services = Object.fromEntries(catalogue.medicalServices.map((s) => [s.code, s.id]));
});

afterAll(async () => {
  await closeFeeds();
  await stack?.stop();
});

interface EncounterUpdate {
  type: string;
  byMe: boolean;
  encounter: { id: string };
  examination: { id: string; status: string; cancelReason: string | null } | null;
}

/** The doctor's live updates from the feed's start (`since: "0"`), through the router over graphql-ws. */
const watchAsDoctor = (token: string) =>
  watchFeed<EncounterUpdate>(
    url,
    token,
    `subscription { myEncounterUpdates(since: "0") { type byMe encounter { id } examination { id status cancelReason } } }`,
  );

const ENCOUNTER = `id status pendingExaminations outcomeConfirmedAt allowedTransitions patient { id name } appointment { id }
  examinations { id status result cancelReason service { code } }`;

describe("the clinical workflow through the router", () => {
  it("runs reception → encounter → exams (one performed, one cancelled) → review → finish → appointment fulfilled → reception confirms", async () => {
    const patient = await registerPatient("Clara Clinic");
    const [slot] = (
      await ok<{ availableSlots: { id: string; startsAt: string }[] }>(`query($f: SlotFilter!) { availableSlots(filter: $f, first: 1) { id startsAt } }`, {
        f: { doctorId, from: "2027-03-22T09:00:00Z", to: "2027-03-22T12:00:00Z" },
      })
    ).availableSlots;
    const booked = await ok<{ requestAppointment: { id: string; status: string } }>(
      `mutation($s: ID!) { requestAppointment(input: { slotId: $s, reason: "Persistent cough" }) { ... on Appointment { id status } } }`,
      { s: slot!.id },
      patient.token,
    );
    const appointmentId = booked.requestAppointment.id;
    expect(booked.requestAppointment.status).toBe("BOOKED");

    // (1) Reception registers the arriving patient: check-in in scheduling.
    await ok(`mutation($id: ID!) { checkInAppointment(id: $id) { status } }`, { id: appointmentId }, tokens.RECEPTIONIST);
    await stack.eventsSettled();

    // (2) The patient is on the doctor's list, with the name from accounts.
    const list = await ok<{ encounters: { id: string; status: string; patient: { name: string }; appointment: { id: string } | null }[] }>(
      `{ encounters { id status patient { name } appointment { id } } }`,
      {},
      tokens.DOCTOR,
    );
    const mine = list.encounters.find((e) => e.appointment?.id === appointmentId);
    expect(mine).toMatchObject({ status: "ARRIVED", patient: { name: "Clara Clinic" } });
    const encounterId = mine!.id;

    // (3–4) The doctor starts the visit, writes a draft and orders two examinations.
    await ok(`mutation($id: ID!) { startEncounter(id: $id) { status } }`, { id: encounterId }, tokens.DOCTOR);
    const draft = await ok<{ saveRecordDraft: { id: string; status: string } }>(
      `mutation($e: ID!, $i: RecordInput!) { saveRecordDraft(encounterId: $e, input: $i) { id status } }`,
      { e: encounterId, i: { complaints: "Cough for three weeks", diagnosisCode: "J20.9", diagnosis: "Acute bronchitis", prescriptions: ["Rest"] } },
      tokens.DOCTOR,
    );
    expect(draft.saveRecordDraft.status).toBe("DRAFT");
    const blood = await ok<{ orderExamination: { id: string; status: string } }>(
      `mutation($e: ID!, $s: ID!) { orderExamination(encounterId: $e, serviceId: $s) { id status } }`,
      { e: encounterId, s: services.LAB_BLOOD },
      tokens.DOCTOR,
    );
    const imaging = await ok<{ orderExamination: { id: string } }>(
      `mutation($e: ID!, $s: ID!) { orderExamination(encounterId: $e, serviceId: $s) { id } }`,
      { e: encounterId, s: services.IMG_ULTRASOUND },
      tokens.DOCTOR,
    );
    expect(blood.orderExamination.status).toBe("ORDERED");
    // Finishing now is refused by the domain: examinations are still ORDERED.
    const early = await graphql(
      url,
      `
        mutation ($id: ID!) {
          finishEncounter(id: $id) {
            status
          }
        }
      `,
      { id: encounterId },
      tokens.DOCTOR,
    );
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "EXAMINATIONS_PENDING", serviceName: "clinical" });
    await stack.eventsSettled();

    const doctorFeed = watchAsDoctor(tokens.DOCTOR!);
    await doctorFeed.until((u) => u.encounter.id === encounterId && u.type === "STARTED"); // the feed replays the visit so far

    // (5) The examiner sees both on the worklist, performs one and cancels the other.
    const worklist = await ok<{ examinationWorklist: { id: string }[] }>(`{ examinationWorklist { id } }`, {}, tokens.EXAMINER);
    expect(worklist.examinationWorklist.map((x) => x.id)).toEqual(expect.arrayContaining([blood.orderExamination.id, imaging.orderExamination.id]));
    await ok(`mutation($id: ID!) { performExamination(id: $id, result: "CRP 12 mg/L") { status } }`, { id: blood.orderExamination.id }, tokens.EXAMINER);
    await ok(
      `mutation($id: ID!) { cancelExamination(id: $id, reason: "Ultrasound unit out of order") { status } }`,
      { id: imaging.orderExamination.id },
      tokens.EXAMINER,
    );

    // The doctor is told, live, that the examiner cancelled the imaging (and why).
    await stack.eventsSettled();
    const cancelled = await doctorFeed.until((u) => u.type === "EXAMINATION_CANCELLED" && u.examination?.id === imaging.orderExamination.id);
    expect(cancelled).toMatchObject({ byMe: false, examination: { status: "CANCELLED", cancelReason: "Ultrasound unit out of order" } });

    // (6) The doctor sees the pending work gone, reviews the result and signs the record.
    const mid = await ok<{
      encounter: { pendingExaminations: number; examinations: { status: string; result: string | null; cancelReason: string | null }[] };
    }>(`query($id: ID!) { encounter(id: $id) { ${ENCOUNTER} } }`, { id: encounterId }, tokens.DOCTOR);
    expect(mid.encounter.pendingExaminations).toBe(0);
    expect(mid.encounter.examinations.map((x) => [x.status, x.result, x.cancelReason])).toEqual(
      expect.arrayContaining([
        ["PERFORMED", "CRP 12 mg/L", null],
        ["CANCELLED", null, "Ultrasound unit out of order"],
      ]),
    );
    const CARD_EXAMS = `query($p: ID!) { patientCard(patientId: $p) { examinations { id status result } } }`;
    const unreviewed = await ok<{ patientCard: { examinations: { id: string; result: string | null }[] } }>(CARD_EXAMS, { p: patient.id }, patient.token);
    expect(unreviewed.patientCard.examinations.find((x) => x.id === blood.orderExamination.id)?.result).toBeNull(); // not released yet
    await ok(`mutation($id: ID!) { reviewExamination(id: $id) { status } }`, { id: blood.orderExamination.id }, tokens.DOCTOR);
    const released = await ok<{ patientCard: { examinations: { id: string; status: string; result: string | null }[] } }>(
      CARD_EXAMS,
      { p: patient.id },
      patient.token,
    );
    expect(released.patientCard.examinations.find((x) => x.id === blood.orderExamination.id)).toMatchObject({ status: "REVIEWED", result: "CRP 12 mg/L" });
    await ok(`mutation($id: ID!) { signRecord(id: $id) { status } }`, { id: draft.saveRecordDraft.id }, tokens.DOCTOR);

    // (7) The doctor finishes; scheduling marks the appointment FULFILLED through the saga.
    const finished = await ok<{ finishEncounter: { status: string } }>(
      `mutation($id: ID!) { finishEncounter(id: $id, summary: "Bronchitis, rest and fluids") { status } }`,
      { id: encounterId },
      tokens.DOCTOR,
    );
    expect(finished.finishEncounter.status).toBe("FINISHED");
    await stack.eventsSettled();
    const appointment = await ok<{ appointment: { status: string } }>(
      `query($id: ID!) { appointment(id: $id) { status } }`,
      { id: appointmentId },
      patient.token,
    );
    expect(appointment.appointment.status).toBe("FULFILLED");

    // (8) Reception sees the outcome (not the clinical summary) and confirms it.
    const seen = await graphql<{ encounters: { id: string; status: string; summary: string | null }[] }>(
      url,
      `
        {
          encounters {
            id
            status
            summary
          }
        }
      `,
      {},
      tokens.RECEPTIONIST,
    );
    expect(seen.data?.encounters.find((e) => e.id === encounterId)).toMatchObject({ status: "FINISHED", summary: null });
    expect(seen.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const confirmed = await ok<{ confirmVisitOutcome: { outcomeConfirmedAt: string | null; allowedTransitions: string[] } }>(
      `mutation($id: ID!) { confirmVisitOutcome(encounterId: $id) { outcomeConfirmedAt allowedTransitions } }`,
      { id: encounterId },
      tokens.RECEPTIONIST,
    );
    expect(confirmed.confirmVisitOutcome.outcomeConfirmedAt).not.toBeNull();
    expect(confirmed.confirmVisitOutcome.allowedTransitions).toEqual([]);

    // The patient's card: the signed entry and the reviewed result.
    const card = await ok<{ patientCard: { records: { status: string; diagnosisCode: string }[]; encounters: { id: string }[] } }>(
      `query($p: ID!) { patientCard(patientId: $p) { records { status diagnosisCode } encounters { id } } }`,
      { p: patient.id },
      patient.token,
    );
    expect(card.patientCard.records).toEqual([{ status: "SIGNED", diagnosisCode: "J20.9" }]);
    expect(card.patientCard.encounters.map((e) => e.id)).toContain(encounterId);
  });

  it("a walk-in whose treatment the doctor refuses: the ordered examination is cancelled with it, reception confirms", async () => {
    const patient = await registerPatient("Walter Walkin");
    const walkIn = await ok<{ registerWalkIn: { id: string; status: string } }>(
      `mutation($p: ID!, $d: ID!) { registerWalkIn(patientId: $p, doctorId: $d) { id status } }`,
      { p: patient.id, d: doctorId },
      tokens.RECEPTIONIST,
    );
    const id = walkIn.registerWalkIn.id;
    expect(walkIn.registerWalkIn.status).toBe("ARRIVED");
    // At once (no waiting for events), the doctor sees who it is: the encounter is a care relationship.
    const onList = await ok<{ encounter: { patient: { name: string } } }>(`query($id: ID!) { encounter(id: $id) { patient { name } } }`, { id }, tokens.DOCTOR);
    expect(onList.encounter.patient.name).toBe("Walter Walkin");
    await ok(`mutation($id: ID!) { startEncounter(id: $id) { status } }`, { id }, tokens.DOCTOR);
    const exam = await ok<{ orderExamination: { id: string } }>(
      `mutation($e: ID!, $s: ID!) { orderExamination(encounterId: $e, serviceId: $s) { id } }`,
      { e: id, s: services.IMG_XRAY ?? services.LAB_URINE },
      tokens.DOCTOR,
    );
    const missingReason = await graphql(
      url,
      `
        mutation ($id: ID!) {
          refuseEncounter(id: $id, reason: " ") {
            status
          }
        }
      `,
      { id },
      tokens.DOCTOR,
    );
    expect(missingReason.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const refused = await ok<{ refuseEncounter: { status: string; refusalReason: string; examinations: { id: string; status: string }[] } }>(
      `mutation($id: ID!) { refuseEncounter(id: $id, reason: "Needs a specialist first") { status refusalReason examinations { id status } } }`,
      { id },
      tokens.DOCTOR,
    );
    expect(refused.refuseEncounter).toMatchObject({
      status: "REFUSED",
      refusalReason: "Needs a specialist first",
      examinations: [{ id: exam.orderExamination.id, status: "CANCELLED" }],
    });
    const confirmed = await ok<{ confirmVisitOutcome: { status: string; outcomeConfirmedAt: string | null } }>(
      `mutation($id: ID!) { confirmVisitOutcome(encounterId: $id) { status outcomeConfirmedAt } }`,
      { id },
      tokens.RECEPTIONIST,
    );
    expect(confirmed.confirmVisitOutcome.status).toBe("REFUSED");
    expect(confirmed.confirmVisitOutcome.outcomeConfirmedAt).not.toBeNull();
    // Another doctor's refusal, a second confirmation: refused with codes.
    const again = await graphql(
      url,
      `
        mutation ($id: ID!) {
          confirmVisitOutcome(encounterId: $id) {
            status
          }
        }
      `,
      { id },
      tokens.RECEPTIONIST,
    );
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "OUTCOME_ALREADY_CONFIRMED" });
  });
});
