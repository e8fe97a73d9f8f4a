/**
 * No PHI in logs or error messages. Every log line of every service of the stack (router,
 * accounts, doctors, scheduling, event relay and consumers — captured at trace level) and every error of
 * every response is checked for unique marker values put into a patient's name, e-mail, phone, national
 * id, password, cancel reason, feedback comment and clinical text (complaints, notes, an examination
 * result, a refusal reason), and into invalid inputs of every kind: refused
 * e-mails and phones, over-long texts, values of the wrong type, unknown enum values, as variables and
 * as literals. Data returned to those allowed to read it may contain the markers; nothing else may.
 */
import { randomBytes, randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { captureLogs } from "@clinigraph/platform";
import { uniqueEmail } from "@clinigraph/testing";
import { closeFeeds, watchFeed } from "../support/feeds.js";
import { graphql as send, startStack, type Response, type Stack } from "../support/stack.js";

// Monday 2027-03-22 07:00 UTC (08:00 in Berlin): the doctor's week is ahead.
const clock = { now: new Date("2027-03-22T07:00:00Z") };
const MARKER = `PHIMARKER${randomBytes(4).toString("hex")}`;
/** Phones keep only digits, so they carry a marker of their own. */
const PHONE_DIGITS = `9${randomInt(100_000_000, 999_999_999)}`;
const PASSWORD = `Pw-${MARKER}-1`;
const NAME = `Anna ${MARKER}`;
const EMAIL = `anna.${MARKER.toLowerCase()}@example.test`;
const PHONE = `+49 ${PHONE_DIGITS}`;
const NATIONAL_ID = `ID-${MARKER}`;
const markers = [MARKER.toLowerCase(), PHONE_DIGITS];
const leaks = (text: string) => markers.filter((m) => text.toLowerCase().includes(m));

const logLines: string[] = [];
const responses: { label: string; body: Response<unknown> }[] = [];
let stopCapture: () => void;
let stack: Stack;
let url: string;

/** Every call of the test goes through here: its response is kept for the final check. */
async function call<T>(label: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Response<T>> {
  const body = await send<T>(url, query, variables, token);
  responses.push({ label, body });
  return body;
}

async function ok<T>(label: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await call<T>(label, query, variables, token);
  if (res.errors?.length) throw new Error(`${label}: ${res.errors[0]!.extensions?.code}`);
  return res.data as T;
}

/** Expects an error with that code; its message is checked with all the others at the end. */
async function refused(label: string, code: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await call(label, query, variables, token);
  expect({ label, code: res.errors?.[0]?.extensions?.code }).toEqual({ label, code });
}

const login = async (email: string, password: string) =>
  (
    await ok<{ login: { accessToken: string } }>("login", `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`, {
      e: email,
      p: password,
    })
  ).login.accessToken;

const REGISTER = `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken user { id email phone name } } }`;
const validPatient = () => ({ email: uniqueEmail("valid"), password: "Valid-password-1", name: "Valid Name" });

beforeAll(async () => {
  const consoleMethods = ["log", "info", "warn", "error", "debug", "trace"] as const;
  for (const method of consoleMethods) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logLines.push(
        `console.${method}: ${args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" ")}`,
      );
    });
  }
  stopCapture = captureLogs((line) => logLines.push(line));
  stack = await startStack({ clock: () => clock.now });
  url = stack.routerUrl;
});

afterAll(async () => {
  await closeFeeds();
  await stack?.stop();
  stopCapture?.();
  jest.restoreAllMocks();
});

describe("no PHI in logs or error messages", () => {
  it("runs a full flow with marked patient data and invalid inputs; no marker reaches a log line or an error", async () => {
    const adminToken = await login(stack.admin.email, stack.admin.password);

    // Staff: a doctor who auto-approves, and a receptionist.
    const doctorEmail = uniqueEmail("dr.phi");
    const { createDoctor } = await ok<{ createDoctor: { id: string } }>(
      "create doctor",
      `mutation($i: CreateDoctorInput!) { createDoctor(input: $i) { id } }`,
      {
        i: {
          email: doctorEmail,
          password: "Doctor-password-1",
          name: "Dr. Phil Logless",
          specialtyCode: "DERM",
          timezone: "Europe/Berlin",
          serviceCodes: ["SPECIALIST_CONSULT"],
          autoApprove: true,
        },
      },
      adminToken,
    );
    await ok(
      "schedule",
      `mutation($d: ID!, $r: [ScheduleRuleInput!]!) { setWeeklySchedule(doctorId: $d, rules: $r) { id } }`,
      { d: createDoctor.id, r: ["MONDAY", "TUESDAY", "WEDNESDAY"].map((dayOfWeek) => ({ dayOfWeek, startTime: "09:00", endTime: "12:00", slotMinutes: 30 })) },
      adminToken,
    );
    await stack.eventsSettled(); // scheduling makes the slots on doctors' DoctorScheduleChanged event
    const doctorToken = await login(doctorEmail, "Doctor-password-1");
    const receptionEmail = uniqueEmail("reception.phi");
    await ok(
      "create receptionist",
      `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`,
      { i: { email: receptionEmail, password: "Reception-pass-1", name: "Rita Reception", role: "RECEPTIONIST" } },
      adminToken,
    );
    const receptionToken = await login(receptionEmail, "Reception-pass-1");

    // The patient registers with marked data, reception sets the marked national id (self-registration takes
    // none), and the patient reads it back (the owner may see it).
    const registered = await ok<{ registerPatient: { accessToken: string; user: { id: string; email: string; phone: string; name: string } } }>(
      "register",
      REGISTER,
      { i: { email: EMAIL, password: PASSWORD, name: NAME, phone: PHONE, dateOfBirth: "1985-06-15", gender: "FEMALE" } },
    );
    const patientId = registered.registerPatient.user.id;
    expect(registered.registerPatient.user).toMatchObject({ email: EMAIL, name: NAME, phone: `+49${PHONE_DIGITS}` });
    const SET_NATIONAL_ID = `mutation($p: ID!, $n: String) { setPatientNationalId(patientId: $p, nationalId: $n) { id } }`;
    await ok("reception sets the national id", SET_NATIONAL_ID, { p: patientId, n: NATIONAL_ID }, receptionToken);
    const patientToken = await login(EMAIL, PASSWORD);
    const own = await ok<{ patient: { nationalId: string } }>(
      "own record",
      `query($id: ID!) { patient(id: $id) { name phone nationalId } }`,
      { id: patientId },
      patientToken,
    );
    expect(own.patient.nationalId).toBe(NATIONAL_ID.toUpperCase());

    // Sign-in failures with marked values.
    await refused("wrong password", "UNAUTHENTICATED", `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`, {
      e: EMAIL,
      p: `Wrong-${MARKER}`,
    });
    await refused("unknown e-mail", "UNAUTHENTICATED", `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`, {
      e: `nobody.${MARKER}@example.test`,
      p: PASSWORD,
    });
    await refused("invalid e-mail at sign-in", "UNAUTHENTICATED", `mutation { login(email: "${MARKER}@@", password: "${MARKER}") { accessToken } }`);

    // Registration refused, with the marker in every kind of field.
    const bad = (overrides: Record<string, unknown>) => ({ i: { ...validPatient(), ...overrides } });
    await refused("duplicate e-mail", "CONFLICT", REGISTER, bad({ email: EMAIL }));
    await refused("national id at self-registration", "BAD_USER_INPUT", REGISTER, bad({ nationalId: NATIONAL_ID.toLowerCase() }));
    const other = await ok<{ registerPatient: { user: { id: string } } }>("register another", REGISTER, { i: validPatient() });
    await refused("duplicate national id", "CONFLICT", SET_NATIONAL_ID, { p: other.registerPatient.user.id, n: NATIONAL_ID.toLowerCase() }, receptionToken);
    await refused("invalid e-mail", "BAD_USER_INPUT", REGISTER, bad({ email: `${MARKER}@nowhere` }));
    await refused("invalid phone", "BAD_USER_INPUT", REGISTER, bad({ phone: `${MARKER}-${PHONE_DIGITS}` }));
    await refused("name too long", "BAD_USER_INPUT", REGISTER, bad({ name: `${MARKER} ${"x".repeat(300)}` }));
    await refused("invalid national id", "BAD_USER_INPUT", SET_NATIONAL_ID, { p: patientId, n: `${MARKER}/${PHONE_DIGITS}` }, receptionToken);
    await refused("weak password", "BAD_USER_INPUT", REGISTER, bad({ password: MARKER.toLowerCase() }));
    await refused("invalid date of birth", "BAD_USER_INPUT", REGISTER, bad({ dateOfBirth: `${MARKER}-${PHONE_DIGITS}` }));
    await refused("unknown gender", "BAD_USER_INPUT", REGISTER, bad({ gender: MARKER }));
    await refused("name of the wrong type", "BAD_USER_INPUT", REGISTER, bad({ name: { text: MARKER, digits: Number(PHONE_DIGITS) } }));
    await refused("unknown input field", "BAD_USER_INPUT", REGISTER, bad({ [MARKER]: PHONE_DIGITS }));
    await refused(
      "literal of the wrong type",
      "GRAPHQL_VALIDATION_FAILED",
      `mutation { registerPatient(input: { email: "${MARKER}@example.test", password: "x", name: ${PHONE_DIGITS}, gender: ${MARKER} }) { accessToken } }`,
    );

    // Booking, then a cancel with a marked reason.
    const slots = await ok<{ availableSlots: { id: string; startsAt: string }[] }>(
      "slots",
      `query($f: SlotFilter!) { availableSlots(filter: $f, first: 10) { id startsAt } }`,
      { f: { doctorId: createDoctor.id, from: "2027-03-22T00:00:00Z", to: "2027-03-25T00:00:00Z" } },
    );
    const REQUEST = `mutation($i: RequestAppointmentInput!) { requestAppointment(input: $i) { __typename ... on Appointment { id status } } }`;
    const first = await ok<{ requestAppointment: { id: string; status: string } }>(
      "book",
      REQUEST,
      { i: { slotId: slots.availableSlots[2]!.id, reason: `Rash ${MARKER}` } },
      patientToken,
    );
    expect(first.requestAppointment.status).toBe("BOOKED");
    await refused("reason too long", "BAD_USER_INPUT", REQUEST, { i: { slotId: slots.availableSlots[3]!.id, reason: `${MARKER} `.repeat(200) } }, patientToken);
    const CANCEL = `mutation($id: ID!, $r: String) { cancelAppointment(id: $id, reason: $r) { status reason history { reason } } }`;
    await refused("cancel reason too long", "BAD_USER_INPUT", CANCEL, { id: first.requestAppointment.id, r: `${MARKER} `.repeat(200) }, patientToken);
    await refused("cancel with an invalid id", "BAD_USER_INPUT", CANCEL, { id: MARKER, r: MARKER }, patientToken);
    const cancelled = await ok<{ cancelAppointment: { status: string } }>(
      "cancel",
      CANCEL,
      { id: first.requestAppointment.id, r: `Moving away ${MARKER}` },
      patientToken,
    );
    expect(cancelled.cancelAppointment.status).toBe("CANCELLED");

    // Visit and feedback with a marked comment.
    const slot = slots.availableSlots[4]!;
    const second = await ok<{ requestAppointment: { id: string } }>("book again", REQUEST, { i: { slotId: slot.id } }, patientToken);
    const id = second.requestAppointment.id;
    clock.now = new Date(new Date(slot.startsAt).getTime() - 20 * 60_000);
    await ok("check in", `mutation($id: ID!) { checkInAppointment(id: $id) { status } }`, { id }, receptionToken);
    await ok("fulfil", `mutation($id: ID!) { fulfillAppointment(id: $id) { status } }`, { id }, doctorToken);
    const FEEDBACK = `mutation($id: ID!, $r: Int!, $c: String) { submitFeedback(appointmentId: $id, rating: $r, comment: $c) { feedback { rating comment } } }`;
    await refused("feedback comment too long", "BAD_USER_INPUT", FEEDBACK, { id, r: 5, c: `${MARKER} `.repeat(500) }, patientToken);
    await refused("rating of the wrong type", "BAD_USER_INPUT", FEEDBACK, { id, r: MARKER, c: MARKER }, patientToken);
    await refused("rating out of range", "BAD_USER_INPUT", FEEDBACK, { id, r: 9, c: MARKER }, patientToken);
    const feedback = await ok<{ submitFeedback: { feedback: { comment: string } } }>(
      "feedback",
      FEEDBACK,
      { id, r: 4, c: `Very kind ${MARKER}` },
      patientToken,
    );
    expect(feedback.submitFeedback.feedback.comment).toContain(MARKER);

    // Staff reads: reception sees the national id, the doctor does not.
    const byReception = await ok<{ patient: { nationalId: string } }>(
      "reception reads",
      `query($id: ID!) { patient(id: $id) { name phone nationalId } }`,
      { id: patientId },
      receptionToken,
    );
    expect(byReception.patient.nationalId).toBe(NATIONAL_ID.toUpperCase());
    const byDoctor = await call<{ patient: { nationalId: string | null } | null }>(
      "doctor reads",
      `query($id: ID!) { patient(id: $id) { nationalId } }`,
      { id: patientId },
      doctorToken,
    );
    expect(byDoctor.data?.patient?.nationalId ?? null).toBeNull();
    await refused(
      "reception sets an invalid national id",
      "BAD_USER_INPUT",
      `mutation($p: ID!, $n: String) { setPatientNationalId(patientId: $p, nationalId: $n) { id } }`,
      { p: patientId, n: `${MARKER}!` },
      receptionToken,
    );
    await ok("patient search", `query($s: String) { patients(search: $s, first: 5) { edges { node { id } } } }`, { s: NATIONAL_ID }, receptionToken);

    // Clinical: a walk-in with marked complaints, notes, result and refusal reason, and marked invalid inputs.
    const examinerEmail = uniqueEmail("examiner.phi");
    await ok(
      "create examiner",
      `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`,
      { i: { email: examinerEmail, password: "Examiner-pass-1", name: "Eva Examiner", role: "EXAMINER" } },
      adminToken,
    );
    const examinerToken = await login(examinerEmail, "Examiner-pass-1");
    const catalogue = await ok<{ medicalServices: { id: string; code: string }[] }>("catalogue", `{ medicalServices { id code } }`);
    const lab = catalogue.medicalServices.find((x) => x.code === "LAB_BLOOD")!.id;
    const walkIn = await ok<{ registerWalkIn: { id: string } }>(
      "walk-in",
      `mutation($p: ID!, $d: ID!) { registerWalkIn(patientId: $p, doctorId: $d) { id } }`,
      { p: patientId, d: createDoctor.id },
      receptionToken,
    );
    const encounterId = walkIn.registerWalkIn.id;
    await ok("start", `mutation($id: ID!) { startEncounter(id: $id) { status } }`, { id: encounterId }, doctorToken);
    const DRAFT = `mutation($e: ID!, $i: RecordInput!) { saveRecordDraft(encounterId: $e, input: $i) { id complaints notes } }`;
    await refused("invalid diagnosis code", "BAD_USER_INPUT", DRAFT, { e: encounterId, i: { complaints: MARKER, diagnosisCode: MARKER } }, doctorToken);
    await refused(
      "too many prescriptions",
      "BAD_USER_INPUT",
      DRAFT,
      { e: encounterId, i: { prescriptions: Array.from({ length: 51 }, () => MARKER) } },
      doctorToken,
    );
    await refused("complaints too long", "BAD_USER_INPUT", DRAFT, { e: encounterId, i: { complaints: `${MARKER} `.repeat(2_000) } }, doctorToken);
    const draft = await ok<{ saveRecordDraft: { complaints: string } }>(
      "draft",
      DRAFT,
      { e: encounterId, i: { complaints: `Itching ${MARKER}`, diagnosisCode: "L29.9", notes: `Notes ${MARKER}` } },
      doctorToken,
    );
    expect(draft.saveRecordDraft.complaints).toContain(MARKER);
    const exam = await ok<{ orderExamination: { id: string } }>(
      "order",
      `mutation($e: ID!, $s: ID!) { orderExamination(encounterId: $e, serviceId: $s) { id } }`,
      { e: encounterId, s: lab },
      doctorToken,
    );
    await refused(
      "order an unknown service",
      "BAD_USER_INPUT",
      `mutation($e: ID!, $s: ID!) { orderExamination(encounterId: $e, serviceId: $s) { id } }`,
      { e: encounterId, s: MARKER },
      doctorToken,
    );
    await ok(
      "perform",
      `mutation($id: ID!, $r: String!) { performExamination(id: $id, result: $r) { status } }`,
      { id: exam.orderExamination.id, r: `IgE high ${MARKER}` },
      examinerToken,
    );
    await ok(
      "refuse",
      `mutation($id: ID!, $r: String!) { refuseEncounter(id: $id, reason: $r) { status } }`,
      { id: encounterId, r: `Needs an allergist ${MARKER}` },
      doctorToken,
    );
    await refused(
      "reception reads the refusal reason",
      "FORBIDDEN",
      `query($id: ID!) { encounter(id: $id) { status refusalReason } }`,
      { id: encounterId },
      receptionToken,
    );
    const card = await ok<{ patientCard: { records: { complaints: string }[] } }>(
      "doctor reads the card",
      `query($p: ID!) { patientCard(patientId: $p) { records { complaints notes } examinations { result } encounters { refusalReason } } }`,
      { p: patientId },
      doctorToken,
    );
    expect(card.patientCard.records[0]!.complaints).toContain(MARKER);
    // Subscriptions over graphql-ws: invalid variables and literals carrying a marker are refused with a code,
    // and their messages do not repeat it.
    const wsRefusals: { label: string; errors: string }[] = [];
    for (const [label, query, variables] of [
      ["ws: object for a String", `subscription($s: String) { myAppointmentUpdates(since: $s) { cursor } }`, { s: { note: MARKER } }],
      ["ws: string for an Int", `subscription($s: Int) { myAppointmentUpdates(since: $s) { cursor } }`, { s: MARKER }],
      ["ws: literal of the wrong type", `subscription { myAppointmentUpdates(since: ${PHONE_DIGITS}) { cursor } }`, {}],
      ["ws: unknown enum literal", `subscription { myAppointmentUpdates(since: ${MARKER}) { cursor } }`, {}],
    ] as const) {
      const feed = watchFeed<unknown>(url, patientToken, query, variables as Record<string, unknown>);
      const error = await feed.take(1, 5_000).then(
        () => "",
        (err: unknown) => String(err),
      );
      expect({ label, refused: /BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/.test(error) }).toEqual({ label, refused: true });
      wsRefusals.push({ label, errors: error });
    }
    expect(wsRefusals.filter((r) => leaks(r.errors).length > 0)).toEqual([]);
    await stack.eventsSettled();

    // The captured logs are real (every service wrote), and they hold no marker.
    const services = new Set(logLines.flatMap((line) => (line.startsWith("{") ? [(JSON.parse(line) as { name?: string }).name] : [])));
    expect([...services]).toEqual(expect.arrayContaining(["router", "accounts", "doctors", "scheduling", "clinical"]));
    expect(logLines.some((line) => line.includes('"graphql request"'))).toBe(true);
    const leakingLines = logLines.filter((line) => leaks(line).length > 0);
    expect(leakingLines).toEqual([]);

    // No error message (or any other part of an error) carries a marker.
    const leakingErrors = responses.flatMap(({ label, body }) =>
      (body.errors ?? []).filter((e) => leaks(JSON.stringify(e)).length > 0).map((e) => ({ label, error: e })),
    );
    expect(leakingErrors).toEqual([]);
    expect(responses.filter((r) => r.body.errors?.length).length).toBeGreaterThanOrEqual(20);
  });
});
