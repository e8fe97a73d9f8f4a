/**
 * The staff action log, walked end to end: one stack, one clinic day played through the router by every staff role
 * (and its patients), every router call recorded — its root mutation fields, who called (from the access token),
 * which fields changed something, and the router's `x-request-id`. Once every event is handled, the admin's
 * `auditLog(requestId:)` must show, for each request, exactly one entry per staff mutation that changed something
 * (the field's name, or the entry accounts writes itself: NATIONAL_ID_SET…), by that caller in that role, on the thing
 * changed — and nothing for failed staff mutations, patients' and anonymous callers' writes.
 *
 * Coverage: every Mutation field the role matrix (tests/support/roleMatrix.ts) lets a staff role call must be made to
 * succeed here by a staff caller, unless it is in EXEMPT with a reason. A new staff mutation fails this test, by name,
 * until the walk makes it (a step) and LOG says what its entry's target is.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createECDH, randomBytes, randomUUID } from "node:crypto";
import { getArgumentValues, getNamedType, getOperationAST, isAbstractType, Kind, parse, type GraphQLObjectType } from "graphql";
import { ACCOUNTS_SELF_AUDITED } from "@clinigraph/accounts";
import { STAFF_ROLES, type Role } from "@clinigraph/platform";
import { startMailbox, uniqueEmail, type Mailbox } from "@clinigraph/testing";
import { createScheduledDoctor, freeSlotId, registerE2EPatient, type ScheduledDoctor } from "../support/people.js";
import { MATRIX, PUBLIC, SIGNED_IN, supergraphSchema } from "../support/roleMatrix.js";
import { expectData, graphql, signIn, startStack, type Response, type Stack } from "../support/stack.js";

const clock = { now: new Date("2027-03-22T07:00:00Z") }; // Monday, 08:00 in Berlin (the clinic's time zone)
const TODAY = "2027-03-22";
const PASSWORD = "Walk-password-1";
let stack: Stack;
let mailbox: Mailbox;
let url: string;

// ---------------------------------------------------------------------------------------------------------------
// What the log should say about each staff mutation
// ---------------------------------------------------------------------------------------------------------------

/** What a call to one root mutation field was: its arguments (variables applied), its answer, its caller. */
interface FieldCall {
  args: Record<string, unknown>;
  result: unknown;
  callerId: string;
}
/** The id the entry should name as its target (null: none). */
type TargetRule = (call: FieldCall) => string | null;
const arg =
  (name: string, inside?: "input"): TargetRule =>
  ({ args }) =>
    ((inside ? (args[inside] as Record<string, unknown>) : args)[name] as string | undefined) ?? null;
const answer =
  (...path: string[]): TargetRule =>
  ({ result }) =>
    (path.reduce<unknown>((value, key) => (value as Record<string, unknown> | null)?.[key], result) as string | undefined) ?? null;
const none: TargetRule = () => null;
const theCaller: TargetRule = ({ callerId }) => callerId;

type LogRule =
  /** One entry, action = the field's name. */
  | { target: TargetRule; also?: readonly { action: string; target: TargetRule; why: string }[] }
  /** One entry accounts writes itself, with more detail (ACCOUNTS_SELF_AUDITED). */
  | { selfAudited: string; target: TargetRule }
  /** No entry: changes no clinic data (ACCOUNTS_SELF_AUDITED). */
  | { noEntry: string };

/** Every staff mutation's entry. A staff mutation that changed something without a row here fails the walk. */
const LOG: Record<string, LogRule> = {
  // accounts
  registerPatient: { target: answer("user", "id") }, // reception registers a patient at the desk
  setPatientNationalId: { selfAudited: "NATIONAL_ID_SET", target: arg("patientId") },
  createStaffUser: { selfAudited: "STAFF_USER_CREATED", target: answer("id") },
  changePassword: { selfAudited: "PASSWORD_CHANGED", target: theCaller },
  login: { noEntry: "signing in changes no clinic data" },
  logout: { noEntry: "signing out changes no clinic data" },
  refreshSession: { noEntry: "a new token changes no clinic data" },
  requestRegistrationCode: { noEntry: "a patient's registration step; changes no clinic data" },
  deactivateUser: { selfAudited: "USER_DEACTIVATED", target: arg("id") },
  reactivateUser: { selfAudited: "USER_REACTIVATED", target: arg("id") },
  changeUserRole: { selfAudited: "USER_ROLE_CHANGED", target: arg("id") },
  updateMyProfile: { selfAudited: "PROFILE_UPDATED", target: theCaller },
  updatePatient: { selfAudited: "PATIENT_UPDATED", target: arg("id") },
  requestEmailChange: { selfAudited: "EMAIL_CHANGE_REQUESTED", target: theCaller },
  confirmEmailChange: { selfAudited: "EMAIL_CHANGED", target: theCaller },
  requestMyDataExport: { selfAudited: "DATA_EXPORT_REQUESTED", target: answer("id") }, // a patient's: no staff entry
  requestDataExport: { selfAudited: "DATA_EXPORT_REQUESTED", target: answer("id") },
  // doctors
  createDoctor: {
    target: answer("id"),
    also: [
      { action: "STAFF_USER_CREATED", target: answer("user", "id"), why: "doctors makes the doctor's account with accounts' createStaffUser, as the caller" },
    ],
  },
  updateDoctor: { target: arg("id") },
  setWeeklySchedule: { target: arg("doctorId") },
  addTimeOff: { target: arg("doctorId") },
  addExtraHours: { target: arg("doctorId") },
  deactivateDoctor: { target: arg("id") },
  reactivateDoctor: { target: arg("id") },
  createSpecialty: { target: answer("id") },
  updateSpecialty: { target: arg("id") },
  retireSpecialty: { target: arg("id") },
  restoreSpecialty: { target: arg("id") },
  createMedicalService: { target: answer("id") },
  updateMedicalService: { target: arg("id") },
  retireMedicalService: { target: arg("id") },
  restoreMedicalService: { target: arg("id") },
  createScheduleTemplate: { target: answer("id") },
  updateScheduleTemplate: { target: arg("id") },
  deleteScheduleTemplate: { target: arg("id") },
  applyScheduleTemplate: { target: arg("templateId") }, // one entry for the template, whatever the number of doctors
  // scheduling
  requestAppointment: { target: answer("id") },
  overbookAppointment: { target: answer("id") },
  approveAppointment: { target: arg("id") },
  rejectAppointment: { target: arg("id") },
  rescheduleAppointment: { target: arg("id") },
  cancelAppointment: { target: arg("id") },
  checkInAppointment: { target: arg("id") },
  markNoShow: { target: arg("id") },
  fulfillAppointment: { target: arg("id") },
  syncDoctorSlots: { target: arg("doctorId") },
  hideFeedbackComment: { target: arg("appointmentId") },
  unhideFeedbackComment: { target: arg("appointmentId") },
  // clinical
  registerWalkIn: { target: arg("patientId") },
  startEncounter: { target: arg("id") },
  orderExamination: { target: arg("encounterId") },
  performExamination: { target: arg("id") },
  cancelExamination: { target: arg("id") },
  reviewExamination: { target: arg("id") },
  finishEncounter: { target: arg("id") },
  refuseEncounter: { target: arg("id") },
  confirmVisitOutcome: { target: arg("encounterId") },
  saveRecordDraft: { target: arg("encounterId") },
  signRecord: { target: arg("id") },
  amendRecord: { target: arg("id") },
  // billing
  setServicePrice: { target: arg("serviceId") },
  issueInvoice: { target: arg("id") },
  recordPayment: { target: arg("invoiceId") },
  applyCredit: { target: arg("invoiceId") },
  refundPayment: { target: arg("paymentId") },
  issueCreditNote: { target: arg("invoiceId") },
  // notifications: the caller's own settings, no entity id
  updateNotificationPreferences: { target: none },
  registerPushSubscription: { target: none },
  unregisterPushSubscription: { target: none },
  // analytics
  importVisitsCsv: { target: none },
};

/** Staff mutations this walk does not make succeed, and why. Keep it short: each is a gap in what the walk proves. */
const EXEMPT: Record<string, string> = {
  login: "signing in changes no clinic data; its caller has no staff token yet (refreshSession and logout by staff are walked)",
  requestRegistrationCode: "a patient's step; this stack registers without e-mail codes, so it answers BAD_USER_INPUT",
};

// ---------------------------------------------------------------------------------------------------------------
// Every router call, recorded
// ---------------------------------------------------------------------------------------------------------------

interface RecordedField extends FieldCall {
  field: string;
  /** "changed": answered without an error (and not a union member without an id, like SlotUnavailable). */
  outcome: "changed" | "unchanged" | "failed";
  error?: string;
}
interface RecordedCall {
  step: string;
  requestId: string;
  caller: { id: string; role: Role } | null;
  /** The root fields of a mutation (empty for queries). */
  mutations: RecordedField[];
}

const calls: RecordedCall[] = [];
let step = "setting up";
let recording = true;
const realFetch = globalThis.fetch;

function claimsOf(authorization: string | null): { id: string; role: Role } | null {
  const token = authorization?.replace(/^Bearer /, "");
  if (!token) return null;
  const payload = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as { sub: string; role: Role };
  return { id: payload.sub, role: payload.role };
}

/**
 * A router call's root mutation fields and what became of each. When a non-null field fails, `data` is null for the
 * whole request and every field counts as failed: a step never mixes a failing field with others in one request.
 */
function mutationFieldsOf(
  request: { query: string; variables?: Record<string, unknown>; operationName?: string },
  body: Omit<Response<never>, "status">,
  callerId: string,
) {
  const operation = getOperationAST(parse(request.query), request.operationName);
  if (operation?.operation !== "mutation") return [];
  const mutationType = supergraphSchema.getMutationType()!;
  const data = (body.data ?? null) as Record<string, unknown> | null;
  return operation.selectionSet.selections.map((selection): RecordedField => {
    if (selection.kind !== Kind.FIELD) throw new Error(`${step}: write root mutation fields out (no fragments) so the walk can see them`);
    const field = selection.name.value;
    const key = selection.alias?.value ?? field;
    const definition = mutationType.getFields()[field]!;
    const args = getArgumentValues(definition, selection, request.variables ?? {}) as Record<string, unknown>;
    const result = data?.[key] ?? null;
    const error = body.errors?.find((e) => e.path?.[0] === key) ?? (data === null ? body.errors?.[0] : undefined);
    if (error || result === null)
      return { field, args, result, callerId, outcome: "failed", error: error ? `${error.extensions?.code}: ${error.message}` : "no data" };
    const returnType = getNamedType(definition.type);
    if (isAbstractType(returnType)) {
      const typename = (result as { __typename?: string }).__typename;
      if (!typename) throw new Error(`${step}: select __typename on ${field} (a union answer may change nothing)`);
      const concrete = supergraphSchema.getType(typename) as GraphQLObjectType;
      if (!("id" in concrete.getFields())) return { field, args, result, callerId, outcome: "unchanged" };
    }
    return { field, args, result, callerId, outcome: "changed" };
  });
}

/** Records every POST to the router while `recording`: the tests' helpers (support/people.ts…) are recorded too. */
function recordRouterCalls(routerUrl: string) {
  globalThis.fetch = async (input, init) => {
    const res = await realFetch(input, init);
    if (!recording || String(input) !== routerUrl || init?.method !== "POST") return res;
    const request = JSON.parse(String(init.body)) as { query: string; variables?: Record<string, unknown>; operationName?: string };
    const caller = claimsOf(new Headers(init.headers).get("authorization"));
    const body = (await res.clone().json()) as Omit<Response<never>, "status">;
    calls.push({
      step,
      requestId: res.headers.get("x-request-id") ?? "",
      caller,
      mutations: mutationFieldsOf(request, body, caller?.id ?? ""),
    });
    return res;
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The clinic
// ---------------------------------------------------------------------------------------------------------------

const ok = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => expectData<T>(url, query, variables, token);

/** A call that must fail with `code` (a deliberately refused staff mutation: it must leave no entry). */
async function refused(code: string, query: string, variables: Record<string, unknown>, token: string) {
  const res = await graphql(url, query, variables, token);
  expect({ step, code: res.errors?.[0]?.extensions?.code }).toEqual({ step, code });
}

const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
let drWalk: ScheduledDoctor;
let drOther: ScheduledDoctor;
let services: Record<string, string>;
const changer = { email: uniqueEmail("walk.password"), password: PASSWORD };

async function staff(role: Role, email = uniqueEmail(`walk.${role.toLowerCase()}`)) {
  const { createStaffUser } = await ok<{ createStaffUser: { id: string } }>(
    `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`,
    { i: { email, password: PASSWORD, name: `Walk ${role}`, role } },
    tokens.ADMIN,
  );
  return { id: createStaffUser.id, token: await signIn(url, email, PASSWORD) };
}

const catalogueCode = (prefix: string) => `${prefix}${randomBytes(4).toString("hex").toUpperCase()}`;
const TEMPLATE = (name: string, startTime: string) => ({
  name,
  rules: [{ dayOfWeek: "TUESDAY", startTime, slotCount: 10, slotMinutes: 30 }],
});
let drSpare: ScheduledDoctor;

const slotAt = (doctor: ScheduledDoctor, day: string, utcTime: string) =>
  freeSlotId(url, doctor.id, 0, { from: `${day}T${utcTime}:00Z`, to: `${day}T${utcTime}:59Z` });

const REQUEST = `mutation($i: RequestAppointmentInput!) { requestAppointment(input: $i) { __typename ... on Appointment { id status } } }`;
async function book(token: string, input: Record<string, unknown>, expected: string) {
  const { requestAppointment } = await ok<{ requestAppointment: { __typename: string; id: string; status: string } }>(REQUEST, { i: input }, token);
  expect({ step, status: requestAppointment.status }).toEqual({ step, status: expected });
  return requestAppointment.id;
}
const appointmentStep = async (mutation: string, id: string | undefined, token: string, expected: string) => {
  const data = await ok<Record<string, { status: string }>>(`mutation($id: ID!) { ${mutation} { status } }`, { id }, token);
  expect({ step, status: Object.values(data)[0]!.status }).toEqual({ step, status: expected });
};

async function encounterOf(appointmentId: string | undefined) {
  const { encounters } = await ok<{ encounters: { id: string; appointment: { id: string } | null }[] }>(
    `query($d: ID!, $day: Date!) { encounters(doctorId: $d, date: $day) { id appointment { id } } }`,
    { d: drWalk.id, day: TODAY },
    tokens.RECEPTIONIST,
  );
  const encounter = encounters.find((e) => e.appointment?.id === appointmentId);
  if (!encounter) throw new Error(`${step}: no encounter for appointment ${appointmentId}`);
  return encounter.id;
}
const invoiceOf = async (encounterId: string) =>
  (
    await ok<{ encounter: { invoice: { id: string; status: string; balance: { amountMinor: number } } | null } }>(
      `query($id: ID!) { encounter(id: $id) { invoice { id status balance { amountMinor } } } }`,
      { id: encounterId },
      tokens.RECEPTIONIST,
    )
  ).encounter.invoice!;

const E = (mutation: string) => `mutation($id: ID!) { ${mutation} { status } }`;
const ORDER = `mutation($e: ID!, $s: ID!) { orderExamination(encounterId: $e, serviceId: $s) { id } }`;
const PRICE = `mutation($s: ID!, $p: MoneyInput!, $t: Int) { setServicePrice(serviceId: $s, price: $p, taxRateBp: $t) { id } }`;
const eur = (amountMinor: number) => ({ amountMinor, currency: "EUR" });
const pushSubscription = () => ({
  endpoint: `https://push.example.test/${randomUUID()}`,
  keys: { p256dh: createECDH("prime256v1").generateKeys().toString("base64url"), auth: randomBytes(16).toString("base64url") },
});

/**
 * The day, step by step: [who, what, how]. Each step's router calls are recorded under "who: what". A step named
 * "…refused…" makes staff mutations fail on purpose (they must leave no entry).
 */
const STEPS: readonly (readonly [string, string, () => Promise<void>])[] = [
  [
    "ADMIN",
    "signs in and creates the staff of every role",
    async () => {
      tokens.ADMIN = await signIn(url, stack.admin.email, stack.admin.password);
      for (const role of ["RECEPTIONIST", "EXAMINER", "BILLING", "STAKEHOLDER"] as const) tokens[role] = (await staff(role)).token;
      ids.changer = (await staff("STAKEHOLDER", changer.email)).id;
      tokens.changer = await signIn(url, changer.email, PASSWORD);
    },
  ],
  [
    "ADMIN",
    "creates two doctors with weekly schedules (createDoctor, setWeeklySchedule)",
    async () => {
      drWalk = await createScheduledDoctor(url, tokens.ADMIN!, "Dr. Walk", { serviceCodes: ["SPECIALIST_CONSULT", "GENERAL_CHECKUP"] });
      drOther = await createScheduledDoctor(url, tokens.ADMIN!, "Dr. Other", { autoApprove: true });
      services = Object.fromEntries(
        (await ok<{ medicalServices: { id: string; code: string }[] }>(`{ medicalServices { id code } }`)).medicalServices.map((s) => [s.code, s.id]),
      );
    },
  ],
  [
    "DOCTOR",
    "keeps their profile and calendar (updateDoctor, setWeeklySchedule, addTimeOff, syncDoctorSlots)",
    async () => {
      await ok(
        `mutation($id: ID!, $i: UpdateDoctorInput!) { updateDoctor(id: $id, input: $i) { id } }`,
        { id: drWalk.id, i: { bio: "Walks the wards" } },
        drWalk.token,
      );
      await ok(
        `mutation($d: ID!, $r: [ScheduleRuleInput!]!) { setWeeklySchedule(doctorId: $d, rules: $r) { id } }`,
        {
          d: drOther.id,
          r: ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"].map((dayOfWeek) => ({
            dayOfWeek,
            startTime: "09:00",
            endTime: "12:00",
            slotMinutes: 30,
          })),
        },
        drOther.token,
      );
      await ok(
        `mutation($d: ID!, $f: DateTime!, $t: DateTime!) { addTimeOff(doctorId: $d, from: $f, to: $t, reason: "Conference") { id } }`,
        { d: drWalk.id, f: "2027-03-25T00:00:00Z", t: "2027-03-26T00:00:00Z" },
        drWalk.token,
      );
      await ok(`mutation($d: ID!) { syncDoctorSlots(doctorId: $d) }`, { d: drWalk.id }, drWalk.token);
      await stack.eventsSettled();
    },
  ],
  [
    "DOCTOR",
    "is refused another doctor's profile (FORBIDDEN row)",
    async () => {
      await refused(
        "FORBIDDEN",
        `mutation($id: ID!, $i: UpdateDoctorInput!) { updateDoctor(id: $id, input: $i) { id } }`,
        { id: drWalk.id, i: { bio: "Not mine" } },
        drOther.token,
      );
    },
  ],
  [
    "ADMIN",
    "edits the catalogue: a new specialty and service, renamed, retired and restored; is refused retiring a specialty in use (CONFLICT)",
    async () => {
      const { createSpecialty } = await ok<{ createSpecialty: { id: string } }>(
        `mutation($i: CreateSpecialtyInput!) { createSpecialty(input: $i) { id } }`,
        { i: { code: catalogueCode("SPM"), name: "Sports medicine" } },
        tokens.ADMIN,
      );
      await ok(
        `mutation($id: ID!, $i: UpdateSpecialtyInput!) { updateSpecialty(id: $id, input: $i) { id } }`,
        { id: createSpecialty.id, i: { name: "Sports and exercise medicine" } },
        tokens.ADMIN,
      );
      await ok(`mutation($id: ID!) { retireSpecialty(id: $id) { status } }`, { id: createSpecialty.id }, tokens.ADMIN);
      await ok(`mutation($id: ID!) { restoreSpecialty(id: $id) { status } }`, { id: createSpecialty.id }, tokens.ADMIN);
      const cardiology = (await ok<{ specialties: { id: string; code: string }[] }>(`{ specialties { id code } }`)).specialties.find((s) => s.code === "CARD");
      await refused("CONFLICT", `mutation($id: ID!) { retireSpecialty(id: $id) { status } }`, { id: cardiology!.id }, tokens.ADMIN!);
      const { createMedicalService } = await ok<{ createMedicalService: { id: string } }>(
        `mutation($i: CreateMedicalServiceInput!) { createMedicalService(input: $i) { id } }`,
        { i: { code: catalogueCode("KNEE"), name: "Knee MRI", kind: "IMAGING", durationMinutes: 30 } },
        tokens.ADMIN,
      );
      await ok(
        `mutation($id: ID!, $i: UpdateMedicalServiceInput!) { updateMedicalService(id: $id, input: $i) { id } }`,
        { id: createMedicalService.id, i: { name: "Knee MRI (3 T)" } },
        tokens.ADMIN,
      );
      await ok(`mutation($id: ID!) { retireMedicalService(id: $id) { status } }`, { id: createMedicalService.id }, tokens.ADMIN);
      await ok(`mutation($id: ID!) { restoreMedicalService(id: $id) { status } }`, { id: createMedicalService.id }, tokens.ADMIN);
    },
  ],
  [
    "ADMIN, DOCTOR",
    "schedules: Dr. Walk adds Saturday extra hours; a template made, changed and applied to a spare doctor from tomorrow, another deleted",
    async () => {
      await ok(
        `mutation($d: ID!, $f: DateTime!, $t: DateTime!, $m: Int!) { addExtraHours(doctorId: $d, from: $f, to: $t, slotMinutes: $m) { id } }`,
        { d: drWalk.id, f: "2027-03-27T08:00:00Z", t: "2027-03-27T10:00:00Z", m: 30 },
        drWalk.token,
      );
      drSpare = await createScheduledDoctor(url, tokens.ADMIN!, "Dr. Spare", { autoApprove: true });
      const TEMPLATE_MUTATION = `mutation($i: ScheduleTemplateInput!) { createScheduleTemplate(input: $i) { id } }`;
      const template = (
        await ok<{ createScheduleTemplate: { id: string } }>(TEMPLATE_MUTATION, { i: TEMPLATE(`Walk Tuesdays ${randomUUID()}`, "09:00") }, tokens.ADMIN)
      ).createScheduleTemplate.id;
      await ok(
        `mutation($id: ID!, $i: ScheduleTemplateInput!) { updateScheduleTemplate(id: $id, input: $i) { id } }`,
        { id: template, i: TEMPLATE(`Walk Tuesdays ${randomUUID()}`, "10:00") },
        tokens.ADMIN,
      );
      await ok(
        `mutation($t: ID!, $d: [ID!]!, $from: Date!) { applyScheduleTemplate(templateId: $t, doctorIds: $d, from: $from) { id } }`,
        { t: template, d: [drSpare.id], from: "2027-03-23" },
        tokens.ADMIN,
      );
      const unused = (
        await ok<{ createScheduleTemplate: { id: string } }>(TEMPLATE_MUTATION, { i: TEMPLATE(`Walk unused ${randomUUID()}`, "09:00") }, tokens.ADMIN)
      ).createScheduleTemplate.id;
      await ok(`mutation($id: ID!) { deleteScheduleTemplate(id: $id) }`, { id: unused }, tokens.ADMIN);
      await stack.eventsSettled();
    },
  ],
  [
    "ADMIN",
    "deactivates the spare doctor and reactivates them (deactivateDoctor, reactivateDoctor); is refused a blank reason",
    async () => {
      const DEACTIVATE = `mutation($id: ID!, $r: String!) { deactivateDoctor(id: $id, reason: $r) { active } }`;
      await refused("BAD_USER_INPUT", DEACTIVATE, { id: drSpare.id, r: "  " }, tokens.ADMIN!);
      await ok(DEACTIVATE, { id: drSpare.id, r: "Left the clinic" }, tokens.ADMIN);
      await stack.eventsSettled();
      await ok(`mutation($id: ID!) { reactivateDoctor(id: $id) { active } }`, { id: drSpare.id }, tokens.ADMIN);
      await stack.eventsSettled();
    },
  ],
  [
    "BILLING",
    "prices the services (IMG_MRI left unpriced)",
    async () => {
      for (const code of ["SPECIALIST_CONSULT", "GENERAL_CHECKUP", "LAB_BLOOD", "IMG_ULTRASOUND"])
        await ok(PRICE, { s: services[code], p: eur(5_000), t: 0 }, tokens.BILLING);
    },
  ],
  [
    "RECEPTIONIST",
    "is refused pricing a service (router FORBIDDEN)",
    async () => {
      await refused("FORBIDDEN", PRICE, { s: services.LAB_BLOOD, p: eur(1), t: 0 }, tokens.RECEPTIONIST!);
    },
  ],
  [
    "PATIENT",
    "two patients register themselves and set their notifications",
    async () => {
      const anna = await registerE2EPatient(url, "Anna Walk", PASSWORD);
      const ben = await registerE2EPatient(url, "Ben Walk", PASSWORD);
      Object.assign(ids, { anna: anna.id, ben: ben.id });
      Object.assign(tokens, { anna: anna.token, ben: ben.token });
      await ok(`mutation($i: NotificationPreferencesInput!) { updateNotificationPreferences(input: $i) { language } }`, { i: { language: "fr" } }, anna.token);
    },
  ],
  [
    "RECEPTIONIST",
    "registers a patient at the desk and records her national id (registerPatient, setPatientNationalId)",
    async () => {
      const { registerPatient } = await ok<{ registerPatient: { user: { id: string } } }>(
        `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { user { id } } }`,
        { i: { email: uniqueEmail("walk.desk"), password: PASSWORD, name: "Carla Desk" } },
        tokens.RECEPTIONIST,
      );
      ids.carla = registerPatient.user.id;
      await ok(
        `mutation($p: ID!, $n: String) { setPatientNationalId(patientId: $p, nationalId: $n) { id } }`,
        { p: ids.carla, n: `WALK-${randomUUID().slice(0, 8)}` },
        tokens.RECEPTIONIST,
      );
    },
  ],
  [
    "RECEPTIONIST, EXAMINER",
    "reception corrects Carla's details (updatePatient); the examiner updates their own profile, is refused a date of birth",
    async () => {
      await ok(
        `mutation($id: ID!, $i: UpdatePatientInput!) { updatePatient(id: $id, input: $i) { name } }`,
        { id: ids.carla, i: { name: "Carla Desk-Updated", phone: "+49 30 555 0101" } },
        tokens.RECEPTIONIST,
      );
      const PROFILE = `mutation($i: UpdateProfileInput!) { updateMyProfile(input: $i) { name } }`;
      await ok(PROFILE, { i: { name: "Walk Examiner", phone: "+49 30 777 000" } }, tokens.EXAMINER);
      await refused("BAD_USER_INPUT", PROFILE, { i: { dateOfBirth: "1975-07-07" } }, tokens.EXAMINER!);
    },
  ],
  [
    "ADMIN",
    "stewards throw-away staff: deactivates and reactivates one, moves another to BILLING; is refused deactivating themselves; exports Carla's data",
    async () => {
      const leaving = await staff("RECEPTIONIST");
      const DEACTIVATE = `mutation($id: ID!, $r: String!) { deactivateUser(id: $id, reason: $r) { active } }`;
      await ok(DEACTIVATE, { id: leaving.id, r: "Contract ended" }, tokens.ADMIN);
      await ok(`mutation($id: ID!) { reactivateUser(id: $id) { active } }`, { id: leaving.id }, tokens.ADMIN);
      await refused("FORBIDDEN", DEACTIVATE, { id: claimsOf(`Bearer ${tokens.ADMIN}`)!.id, r: "Oops" }, tokens.ADMIN!);
      const moving = await staff("RECEPTIONIST");
      await ok(`mutation($id: ID!, $r: Role!) { changeUserRole(id: $id, role: $r) { role } }`, { id: moving.id, r: "BILLING" }, tokens.ADMIN);
      await ok(`mutation($p: ID!) { requestDataExport(patientId: $p) { id } }`, { p: ids.carla }, tokens.ADMIN);
    },
  ],
  [
    "STAKEHOLDER",
    "a throw-away stakeholder changes their e-mail with the code sent to the new address (requestEmailChange, confirmEmailChange)",
    async () => {
      const mover = await staff("STAKEHOLDER");
      const newEmail = uniqueEmail("walk.moved");
      await ok(`mutation($e: String!, $p: String!) { requestEmailChange(newEmail: $e, currentPassword: $p) }`, { e: newEmail, p: PASSWORD }, mover.token);
      const mail = await mailbox.next((m) => m.to === newEmail);
      const code = /\b(\d{6})\b/.exec(mail.text)?.[1];
      await refused(
        "BAD_USER_INPUT",
        `mutation($c: String!) { confirmEmailChange(code: $c) { email } }`,
        { c: code === "000000" ? "000001" : "000000" },
        mover.token,
      );
      await ok(`mutation($c: String!) { confirmEmailChange(code: $c) { email } }`, { c: code }, mover.token);
    },
  ],
  [
    "PATIENT, DOCTOR",
    "Anna asks for 09:00 and Ben for 10:00; the doctor approves Anna and rejects Ben; the other doctor may not approve",
    async () => {
      ids.slot0900 = await slotAt(drWalk, TODAY, "08:00");
      ids.a1 = await book(tokens.anna!, { slotId: ids.slot0900 }, "PENDING");
      ids.a3 = await book(tokens.ben!, { slotId: await slotAt(drWalk, TODAY, "09:00") }, "PENDING");
      await refused("FORBIDDEN", E("approveAppointment(id: $id)"), { id: ids.a3 }, drOther.token);
      await appointmentStep("approveAppointment(id: $id)", ids.a1, drWalk.token, "BOOKED");
      await appointmentStep(`rejectAppointment(id: $id, reason: "Fully booked that day")`, ids.a3, drWalk.token, "REJECTED");
    },
  ],
  [
    "RECEPTIONIST",
    "books Ben at 09:30 (the doctor approves); asks the same slot for Carla: SlotUnavailable (changes nothing)",
    async () => {
      ids.slot0930 = await slotAt(drWalk, TODAY, "08:30");
      ids.a2 = await book(tokens.RECEPTIONIST!, { slotId: ids.slot0930, patientId: ids.ben }, "PENDING");
      await appointmentStep("approveAppointment(id: $id)", ids.a2, drWalk.token, "BOOKED");
      const { requestAppointment } = await ok<{ requestAppointment: { __typename: string } }>(
        REQUEST,
        { i: { slotId: ids.slot0930, patientId: ids.carla } },
        tokens.RECEPTIONIST,
      );
      expect(requestAppointment.__typename).toBe("SlotUnavailable");
    },
  ],
  [
    "ADMIN",
    "overbooks Carla at 09:00; books her with the other doctor at 10:30, moves it to 11:00, cancels it; is refused an unknown appointment (NOT_FOUND)",
    async () => {
      const { overbookAppointment } = await ok<{ overbookAppointment: { id: string } }>(
        `mutation($i: OverbookInput!) { overbookAppointment(input: $i) { id } }`,
        { i: { slotId: ids.slot0900, patientId: ids.carla, reason: "Urgent follow-up" } },
        tokens.ADMIN,
      );
      ids.a6 = overbookAppointment.id;
      const id = await book(tokens.ADMIN!, { slotId: await slotAt(drOther, TODAY, "09:30"), patientId: ids.carla }, "BOOKED");
      const { rescheduleAppointment } = await ok<{ rescheduleAppointment: { __typename: string } }>(
        `mutation($id: ID!, $s: ID!) { rescheduleAppointment(id: $id, slotId: $s) { __typename } }`,
        { id, s: await slotAt(drOther, TODAY, "10:00") },
        tokens.ADMIN,
      );
      expect(rescheduleAppointment.__typename).toBe("Appointment");
      await appointmentStep("cancelAppointment(id: $id)", id, tokens.ADMIN!, "CANCELLED");
      await refused("NOT_FOUND", E("cancelAppointment(id: $id)"), { id: randomUUID() }, tokens.ADMIN!);
    },
  ],
  [
    "PATIENT",
    "Ben books the other doctor on Tuesday and cancels it himself",
    async () => {
      const id = await book(tokens.ben!, { slotId: await slotAt(drOther, "2027-03-23", "08:00") }, "BOOKED");
      await appointmentStep("cancelAppointment(id: $id)", id, tokens.ben!, "CANCELLED");
    },
  ],
  [
    "RECEPTIONIST, DOCTOR, EXAMINER",
    "Anna's visit: check-in, draft, two examinations (one performed, one cancelled), review, signature, finish, confirmation",
    async () => {
      await appointmentStep("checkInAppointment(id: $id)", ids.a1, tokens.RECEPTIONIST!, "CHECKED_IN");
      await stack.eventsSettled();
      const e1 = (ids.e1 = await encounterOf(ids.a1));
      await ok(E("startEncounter(id: $id)"), { id: e1 }, drWalk.token);
      await refused("FORBIDDEN", E("startEncounter(id: $id)"), { id: e1 }, drOther.token);
      const { saveRecordDraft } = await ok<{ saveRecordDraft: { id: string } }>(
        `mutation($e: ID!, $i: RecordInput!) { saveRecordDraft(encounterId: $e, input: $i) { id } }`,
        { e: e1, i: { complaints: "Cough for three weeks", diagnosisCode: "J20.9", diagnosis: "Acute bronchitis", prescriptions: ["Rest"] } },
        drWalk.token,
      );
      ids.record = saveRecordDraft.id;
      const blood = (await ok<{ orderExamination: { id: string } }>(ORDER, { e: e1, s: services.LAB_BLOOD }, drWalk.token)).orderExamination.id;
      const ultrasound = (await ok<{ orderExamination: { id: string } }>(ORDER, { e: e1, s: services.IMG_ULTRASOUND }, drWalk.token)).orderExamination.id;
      await stack.eventsSettled();
      await ok(`mutation($id: ID!) { performExamination(id: $id, result: "CRP 4 mg/L") { status } }`, { id: blood }, tokens.EXAMINER);
      await ok(`mutation($id: ID!) { cancelExamination(id: $id, reason: "Probe out of order") { status } }`, { id: ultrasound }, tokens.EXAMINER);
      await refused("NOT_FOUND", `mutation($id: ID!) { performExamination(id: $id, result: "x") { status } }`, { id: randomUUID() }, tokens.EXAMINER!);
      await ok(E("reviewExamination(id: $id)"), { id: blood }, drWalk.token);
      await ok(E("signRecord(id: $id)"), { id: ids.record }, drWalk.token);
      await ok(E(`finishEncounter(id: $id, summary: "Mild infection")`), { id: e1 }, drWalk.token);
      await stack.eventsSettled();
      await ok(`mutation($id: ID!) { confirmVisitOutcome(encounterId: $id) { id } }`, { id: e1 }, tokens.RECEPTIONIST);
      await ok(
        `mutation($id: ID!, $i: RecordInput!, $r: String!) { amendRecord(id: $id, input: $i, reason: $r) { status } }`,
        { id: ids.record, i: { notes: "Allergy to penicillin noted" }, r: "Allergy reported after the visit" },
        drWalk.token,
      );
      await stack.eventsSettled();
      const invoice = await invoiceOf(e1);
      expect({ step, status: invoice.status }).toEqual({ step, status: "ISSUED" });
      Object.assign(ids, { i1: invoice.id });
      ids.i1Balance = String(invoice.balance.amountMinor);
    },
  ],
  [
    "PATIENT",
    "Anna rates her visit",
    async () => {
      await ok(
        `mutation($id: ID!, $r: Int!, $c: String) { submitFeedback(appointmentId: $id, rating: $r, comment: $c) { id } }`,
        { id: ids.a1, r: 5, c: "Kind doctor, and Dr. Walk's phone number is 0170 1234567" },
        tokens.anna,
      );
    },
  ],
  [
    "ADMIN",
    "hides Anna's comment (it names a phone number) and shows it again",
    async () => {
      await ok(
        `mutation($id: ID!, $r: String!) { hideFeedbackComment(appointmentId: $id, reason: $r) { id } }`,
        { id: ids.a1, r: "Personal data in a comment" },
        tokens.ADMIN,
      );
      await ok(`mutation($id: ID!) { unhideFeedbackComment(appointmentId: $id) { id } }`, { id: ids.a1 }, tokens.ADMIN);
    },
  ],
  [
    "RECEPTIONIST, DOCTOR, ADMIN",
    "Ben walks in and refuses the treatment; the admin corrects his invoice with a credit note",
    async () => {
      const { registerWalkIn } = await ok<{ registerWalkIn: { id: string } }>(
        `mutation($p: ID!, $d: ID!) { registerWalkIn(patientId: $p, doctorId: $d) { id } }`,
        { p: ids.ben, d: drWalk.id },
        tokens.RECEPTIONIST,
      );
      await ok(E("startEncounter(id: $id)"), { id: registerWalkIn.id }, drWalk.token);
      await ok(E(`refuseEncounter(id: $id, reason: "Declined the treatment")`), { id: registerWalkIn.id }, drWalk.token);
      await stack.eventsSettled();
      await ok(`mutation($id: ID!) { confirmVisitOutcome(encounterId: $id) { id } }`, { id: registerWalkIn.id }, tokens.RECEPTIONIST);
      await stack.eventsSettled();
      ids.i2 = (await invoiceOf(registerWalkIn.id)).id;
      await ok(
        `mutation($i: ID!, $r: String!) { issueCreditNote(invoiceId: $i, reason: $r) { id } }`,
        { i: ids.i2, r: "Treatment refused: not billed" },
        tokens.ADMIN,
      );
    },
  ],
  [
    "ADMIN, DOCTOR, EXAMINER, BILLING",
    "Anna walks in for an MRI nobody priced: the invoice stays a draft until billing prices it and issues it",
    async () => {
      const { registerWalkIn } = await ok<{ registerWalkIn: { id: string } }>(
        `mutation($p: ID!, $d: ID!) { registerWalkIn(patientId: $p, doctorId: $d) { id } }`,
        { p: ids.anna, d: drWalk.id },
        tokens.ADMIN,
      );
      await ok(E("startEncounter(id: $id)"), { id: registerWalkIn.id }, drWalk.token);
      const mri = (await ok<{ orderExamination: { id: string } }>(ORDER, { e: registerWalkIn.id, s: services.IMG_MRI }, drWalk.token)).orderExamination.id;
      await stack.eventsSettled();
      await ok(`mutation($id: ID!) { performExamination(id: $id, result: "No findings") { status } }`, { id: mri }, tokens.EXAMINER);
      await ok(E(`finishEncounter(id: $id)`), { id: registerWalkIn.id }, drWalk.token);
      await stack.eventsSettled();
      await ok(`mutation($id: ID!) { confirmVisitOutcome(encounterId: $id) { id } }`, { id: registerWalkIn.id }, tokens.RECEPTIONIST);
      await stack.eventsSettled();
      const draft = await invoiceOf(registerWalkIn.id);
      expect({ step, status: draft.status }).toEqual({ step, status: "DRAFT" });
      ids.i3 = draft.id;
      await ok(PRICE, { s: services.IMG_MRI, p: eur(20_000), t: 0 }, tokens.ADMIN);
      await ok(`mutation($id: ID!) { issueInvoice(id: $id) { status } }`, { id: ids.i3 }, tokens.BILLING);
      await refused("CONFLICT", `mutation($id: ID!) { issueInvoice(id: $id) { status } }`, { id: ids.i3 }, tokens.BILLING!);
    },
  ],
  [
    "RECEPTIONIST, BILLING",
    "Anna pays her first invoice and 10 EUR more; billing spends that credit on the MRI invoice, then refunds 5 EUR",
    async () => {
      const { recordPayment } = await ok<{ recordPayment: { id: string } }>(
        `mutation($i: ID!, $a: MoneyInput!, $m: PaymentMethod!, $k: String!) { recordPayment(invoiceId: $i, amount: $a, method: $m, idempotencyKey: $k) { id } }`,
        { i: ids.i1, a: eur(Number(ids.i1Balance) + 1_000), m: "CASH", k: `walk-${randomUUID()}` },
        tokens.RECEPTIONIST,
      );
      await ok(`mutation($i: ID!) { applyCredit(invoiceId: $i) { status } }`, { i: ids.i3 }, tokens.BILLING);
      await refused("CONFLICT", `mutation($i: ID!) { applyCredit(invoiceId: $i) { status } }`, { i: ids.i2 }, tokens.RECEPTIONIST!);
      await ok(
        `mutation($p: ID!, $a: MoneyInput!) { refundPayment(paymentId: $p, amount: $a, reason: "Goodwill: long wait") { id } }`,
        { p: recordPayment.id, a: eur(500) },
        tokens.BILLING,
      );
    },
  ],
  [
    "RECEPTIONIST, DOCTOR",
    "at 09:45, Carla (overbooked) is seen and her appointment fulfilled; Ben's 09:30 is a no-show",
    async () => {
      await appointmentStep("checkInAppointment(id: $id)", ids.a6, tokens.RECEPTIONIST!, "CHECKED_IN");
      await stack.eventsSettled();
      clock.now = new Date("2027-03-22T08:45:00Z");
      await appointmentStep("fulfillAppointment(id: $id)", ids.a6, drWalk.token, "FULFILLED");
      await appointmentStep("markNoShow(id: $id)", ids.a2, drWalk.token, "NO_SHOW");
    },
  ],
  [
    "EXAMINER, STAKEHOLDER",
    "set up notifications: a browser for push, preferences and a second browser in one request, one browser forgotten",
    async () => {
      const browser = pushSubscription();
      await ok(`mutation($i: PushSubscriptionInput!) { registerPushSubscription(input: $i) }`, { i: browser }, tokens.EXAMINER);
      await ok(`mutation($e: String!) { unregisterPushSubscription(endpoint: $e) }`, { e: browser.endpoint }, tokens.EXAMINER);
      await ok(
        `mutation($p: NotificationPreferencesInput!, $i: PushSubscriptionInput!) {
          updateNotificationPreferences(input: $p) { language }
          registerPushSubscription(input: $i)
        }`,
        { p: { language: "fr" }, i: pushSubscription() },
        tokens.STAKEHOLDER,
      );
    },
  ],
  [
    "ADMIN",
    "imports last year's visits from a CSV",
    async () => {
      const csv = `source_id,visit_date,specialty_code,service_code,status,amount_minor,currency,rating\r\nwalk-${randomUUID()},2026-03-02,GP,GENERAL_CHECKUP,FULFILLED,4000,EUR,5\r\n`;
      const { importVisitsCsv } = await ok<{ importVisitsCsv: { imported: number } }>(
        `mutation($c: String!) { importVisitsCsv(csv: $c) { imported } }`,
        { c: csv },
        tokens.ADMIN,
      );
      expect(importVisitsCsv.imported).toBe(1);
    },
  ],
  [
    "ADMIN, STAKEHOLDER",
    "is refused a taken e-mail (CONFLICT); a stakeholder fails then changes the password, signs in again, refreshes and signs out",
    async () => {
      await refused(
        "CONFLICT",
        `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`,
        { i: { email: changer.email, password: PASSWORD, name: "Twice", role: "STAKEHOLDER" } },
        tokens.ADMIN!,
      );
      const CHANGE = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`;
      await refused("BAD_USER_INPUT", CHANGE, { c: "Not-the-password-1", n: "Walk-password-2" }, tokens.changer!);
      await ok(CHANGE, { c: PASSWORD, n: "Walk-password-2" }, tokens.changer);
      const { login } = await ok<{ login: { accessToken: string; refreshToken: string } }>(
        `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken } }`,
        { e: changer.email, p: "Walk-password-2" },
      );
      const { refreshSession } = await ok<{ refreshSession: { accessToken: string; refreshToken: string } }>(
        `mutation($r: String!) { refreshSession(refreshToken: $r) { accessToken refreshToken } }`,
        { r: login.refreshToken },
        login.accessToken,
      );
      await ok(`mutation($r: String!) { logout(refreshToken: $r) }`, { r: refreshSession.refreshToken }, refreshSession.accessToken);
      await refused("BAD_USER_INPUT", `mutation($e: String!) { requestRegistrationCode(email: $e) }`, { e: uniqueEmail("walk.code") }, tokens.RECEPTIONIST!);
    },
  ],
];

beforeAll(async () => {
  mailbox = await startMailbox(); // e-mail change codes (patients still register without codes here)
  stack = await startStack({
    clock: () => clock.now,
    env: {
      RATE_LIMIT_PER_MINUTE: "100000",
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: "100000",
      SMTP_URL: mailbox.url,
      MAIL_FROM: "Clinic <clinic@example.test>",
    },
  });
  url = stack.routerUrl;
  recordRouterCalls(url);
});

afterAll(async () => {
  globalThis.fetch = realFetch;
  await stack?.stop();
  await mailbox?.stop();
});

// ---------------------------------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------------------------------

interface Entry {
  action: string;
  actor: { id: string } | null;
  actorRole: string | null;
  targetId: string | null;
}
/** An entry as compared: what the log says, and the step that caused it (for messages). */
const shown = (e: { action: string; actor: string | null; actorRole: string | null; targetId: string | null }) =>
  `${e.action} by ${e.actorRole}:${e.actor} on ${e.targetId ?? "-"}`;

const isStaff = (role: Role | undefined): boolean => !!role && (STAFF_ROLES as readonly string[]).includes(role);
const MUTATIONS = new Set(Object.keys(supergraphSchema.getMutationType()!.getFields()));
const SELF_AUDITED_ACTIONS = new Set(Object.values(LOG).flatMap((rule) => ("selfAudited" in rule ? [rule.selfAudited] : [])));
/** Entries of the staff action log (not reads like PATIENT_RECORD_READ, which the same request may also write). */
const isStaffActionEntry = (action: string) => MUTATIONS.has(action) || SELF_AUDITED_ACTIONS.has(action);

/** What the log must hold for one recorded call. */
function expectedEntries(call: RecordedCall): string[] {
  if (!call.caller || !isStaff(call.caller.role)) return [];
  return call.mutations.flatMap((m) => {
    if (m.outcome !== "changed") return [];
    const rule = LOG[m.field];
    if (!rule) throw new Error(`${call.step}: ${m.field} changed something but has no LOG row: say what its entry's target is`);
    if ("noEntry" in rule) return [];
    const entry = (action: string, target: TargetRule) => shown({ action, actor: call.caller!.id, actorRole: call.caller!.role, targetId: target(m) });
    if ("selfAudited" in rule) return [entry(rule.selfAudited, rule.target)];
    return [entry(m.field, rule.target), ...(rule.also ?? []).map((also) => entry(also.action, also.target))];
  });
}

describe("the staff action log, walked through a clinic day", () => {
  it("walks the clinic: every step by its role", async () => {
    for (const [who, what, run] of STEPS) {
      step = `${who}: ${what}`;
      await run();
    }
    step = "done";
    recording = false;
    expect(calls.filter((c) => c.mutations.length > 0).length).toBeGreaterThan(60);
  });

  it("has exactly the expected entries for every mutation request: one per staff mutation that changed something, none otherwise", async () => {
    await stack.eventsSettled(); // every subgraph's StaffActionRecorded relayed and in accounts' audit log
    const admin = await signIn(url, stack.admin.email, stack.admin.password); // auditLog wants a recent sign-in
    const mismatches: unknown[] = [];
    let staffEntries = 0;
    for (const call of calls.filter((c) => c.mutations.length > 0)) {
      expect(call.requestId).toMatch(/\S/);
      const { auditLog } = await ok<{ auditLog: { edges: { node: Entry }[] } }>(
        `query($r: String!) { auditLog(requestId: $r, first: 100) { edges { node { action actor { id } actorRole targetId } } } }`,
        { r: call.requestId },
        admin,
      );
      const logged = auditLog.edges
        .map((e) => e.node)
        .filter((e) => isStaffActionEntry(e.action))
        .map((e) => shown({ ...e, actor: e.actor?.id ?? null }))
        .sort();
      const expected = expectedEntries(call).sort();
      staffEntries += expected.length;
      if (JSON.stringify(logged) !== JSON.stringify(expected))
        mismatches.push({
          step: call.step,
          caller: call.caller?.role ?? "ANONYMOUS",
          fields: call.mutations.map((m) => `${m.field}: ${m.outcome}${m.error ? ` (${m.error})` : ""}`),
          expected,
          logged,
        });
    }
    expect(mismatches).toEqual([]);
    expect(staffEntries).toBeGreaterThan(50);
  });

  it("made deliberately failed and non-staff mutations, so the empty answers above mean something", () => {
    const mutationCalls = calls.flatMap((c) => c.mutations.map((m) => ({ ...m, role: c.caller?.role })));
    expect(mutationCalls.filter((m) => isStaff(m.role) && m.outcome === "failed").map((m) => m.field)).toEqual(
      expect.arrayContaining([
        "updateDoctor",
        "approveAppointment",
        "cancelAppointment",
        "startEncounter",
        "performExamination",
        "issueInvoice",
        "applyCredit",
        "createStaffUser",
        "changePassword",
        "setServicePrice",
        "retireSpecialty",
        "deactivateDoctor",
        "updateMyProfile",
        "deactivateUser",
        "confirmEmailChange",
      ]),
    );
    expect(mutationCalls.filter((m) => isStaff(m.role) && m.outcome === "unchanged").map((m) => m.field)).toEqual(["requestAppointment"]);
    expect(new Set(mutationCalls.filter((m) => m.role === "PATIENT" && m.outcome === "changed").map((m) => m.field))).toEqual(
      new Set(["requestAppointment", "cancelAppointment", "submitFeedback", "updateNotificationPreferences"]),
    );
    expect(mutationCalls.filter((m) => m.role === undefined && m.outcome === "changed").map((m) => m.field)).toEqual(
      expect.arrayContaining(["registerPatient", "login"]),
    );
  });

  it("makes every mutation a staff role may call succeed, by a staff caller (except EXEMPT)", () => {
    const staffRule = (rule: (typeof MATRIX)[string]) => rule === PUBLIC || rule === SIGNED_IN || rule.some((role) => role !== "PATIENT");
    const staffMutations = Object.entries(MATRIX)
      .filter(([coordinate, rule]) => coordinate.startsWith("Mutation.") && staffRule(rule))
      .map(([coordinate]) => coordinate.slice("Mutation.".length));
    const walked = new Set(calls.flatMap((c) => (isStaff(c.caller?.role) ? c.mutations.filter((m) => m.outcome === "changed").map((m) => m.field) : [])));
    const missing = staffMutations.filter((field) => !walked.has(field) && !(field in EXEMPT)).sort();
    expect({ "staff mutations no step of the walk makes succeed (add a step, and a LOG row)": missing }).toEqual({
      "staff mutations no step of the walk makes succeed (add a step, and a LOG row)": [],
    });
    // No stale exemption, and a LOG row for every staff mutation (what its entry's target is).
    expect(Object.keys(EXEMPT).filter((field) => !staffMutations.includes(field))).toEqual([]);
    expect(staffMutations.filter((field) => !(field in LOG)).sort()).toEqual([]);
    expect(Object.keys(LOG).filter((field) => !MUTATIONS.has(field))).toEqual([]);
  });

  it("knows accounts' self-audited mutations: LOG's self-audited and no-entry rows are exactly ACCOUNTS_SELF_AUDITED", () => {
    const own = Object.entries(LOG)
      .filter(([, rule]) => "selfAudited" in rule || "noEntry" in rule)
      .map(([field]) => field)
      .sort();
    expect(own).toEqual([...ACCOUNTS_SELF_AUDITED].sort());
  });
});
