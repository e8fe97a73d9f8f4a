/**
 * The hostile-input corpus: requests a hostile or careless client may send, each with the answer
 * the router must give. Run end to end by tests/e2e/hostile-input.e2e.test.ts.
 *
 * Families:
 * - structure: depth, fragment cycles and explosions, aliases, duplicated fields, cost, directives, batches,
 *   huge bodies, strings and lists, deep nesting, unknown fields and arguments, wrong variable types, malformed
 *   JSON, GET mutations, content types, persisted-query misuse, spoofed identity headers;
 * - arguments (generated from the supergraph): for every argument of every Query, Mutation and Subscription
 *   field whose type is an id, a date-time, a date, an enum, a page size, a cursor, a time zone, a clock time
 *   or a bounded integer, several invalid values, sent by a caller the router lets through, so the subgraph's
 *   own validation answers;
 * - injection: SQL, script and template strings in every text argument of every mutation. Arguments with a
 *   format (e-mail, phone, codes, zones, tokens…) must refuse them; free text (names, reasons, bios…) must
 *   store them verbatim — those are `DATA_TEXT`, run separately because they write;
 * - tokens: forged, expired, misaddressed or malformed access tokens, over HTTP and WebSocket.
 *
 * Every case here is refused: a 4xx-class `extensions.code` (or a bare HTTP 4xx where the HTTP layer answers),
 * never a 5xx or INTERNAL, no stack trace or database text, and nothing written.
 */
import { createECDH, createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Supergraph } from "@apollo/federation-internals";
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from "graphql";
import { IDENTITY_HEADER, REPO_ROOT, signIdentity, type Role } from "@clinigraph/platform";

// ---------------------------------------------------------------------------------------------------------------
// Types

export type Caller = "ANONYMOUS" | "ADMIN" | "PATIENT" | "DOCTOR" | "RECEPTIONIST" | "EXAMINER";

/** What the test set up before the corpus runs (through the router, except the signing key). */
export interface Fixtures {
  tokens: Record<Exclude<Caller, "ANONYMOUS">, string>;
  admin: { id: string; email: string };
  patient: { id: string; email: string; password: string; refreshToken: string };
  /** The id of one of the patient's sessions that was signed out. */
  endedSessionId: string;
  /** Auto-approving doctor with a weekly schedule (free slots). */
  doctor: { id: string; userId: string };
  /**
   * A doctor no other fixture or case uses, without a schedule: the baselines of deactivateDoctor and reactivateDoctor
   * (run last, and they write) change its status, never `doctor`'s, whom later cases book with.
   */
  leavingDoctorId: string;
  /** A free slot of `doctor`. */
  slotId: string;
  /** A schedule template (Tuesdays 09:00–14:00 in 30-minute slots), never applied. */
  templateId: string;
  /** The patient's BOOKED appointment with `doctor`. */
  appointmentId: string;
  serviceId: string;
  /** An orderable examination (LAB_TEST) of the catalogue. */
  examServiceId: string;
  /** A specialty and a medical service ADMIN created for the corpus (no doctor has them; baselines retire and restore them). */
  catalogue: { specialtyId: string; serviceId: string };
  /** The patient's walk-in with `doctor` (the DOCTOR caller), IN_PROGRESS, with one ORDERED examination and one SIGNED record entry. */
  encounterId: string;
  /** Its ORDERED examination (`examServiceId`). */
  examinationId: string;
  /** Its SIGNED record entry (amendable). */
  recordId: string;
  /** Another walk-in of the patient with `doctor`, ARRIVED, without a record entry (a draft may be saved). */
  openEncounterId: string;
  /** The patient's ISSUED invoice (a walk-in with `doctor`, finished and confirmed; `serviceId` priced): payable. */
  invoiceId: string;
  /** The DRAFT invoice of `encounterId`'s visit (its consultation priced): issuable. */
  draftInvoiceId: string;
  /** A CASH payment of 2 000 minor units against `invoiceId`, taken by reception: refundable. */
  paymentId: string;
  /** ISSUED invoices without payments, one per credit note a case writes (taken with `creditableInvoice`). */
  creditableInvoiceIds: string[];
  /** Accounts' active signing key (read from its table, decrypted with the test data key). */
  signingKey: { kid: string; privateKey: KeyObject; publicKey: KeyObject; publicJwk: Record<string, unknown> };
  /** The router's identity secrets (tests use the fixed test secret). */
  routerSecrets: readonly string[];
}

export interface GraphQLCall {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  extensions?: Record<string, unknown>;
}

/** A request the runner sends as is (method, headers, body), to the router's /graphql unless `path` says otherwise. */
export interface RawCall {
  method: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Query string, e.g. `?query=…`. */
  search?: string;
}

export type HttpRequest = { graphql: GraphQLCall } | { raw: RawCall };

export interface Expectation {
  /** The answer carries at least one error with one of these codes (every error must carry a 4xx-class code). */
  codes?: readonly string[];
  /** HTTP statuses allowed (default: anything below 500). Without `codes`, a bare HTTP answer is enough. */
  status?: readonly number[];
  /** Why answering null at the field, without an error, is also right here (see NULL_FOR_MALFORMED_ID). */
  orNull?: string;
}

export interface HttpCase {
  transport: "http";
  family: Family;
  name: string;
  /** Whose access token goes in `Authorization` (default ANONYMOUS: none). */
  caller?: Caller;
  /** A raw `Authorization` header instead (token cases). */
  authorization?: (fx: Fixtures) => string;
  /** More request headers. */
  headers?: (fx: Fixtures) => Promise<Record<string, string>> | Record<string, string>;
  request: (fx: Fixtures) => HttpRequest;
  expect: Expectation;
}

/** A graphql-ws session: `connection_init` with these params, then (if the socket stays open) one subscribe. */
export interface WsCase {
  transport: "ws";
  family: Family;
  name: string;
  connectionParams: (fx: Fixtures) => Record<string, unknown> | undefined;
  subscribe?: (fx: Fixtures) => GraphQLCall;
  /** Close code of a refused connection, or error codes of a refused subscription. */
  expect: { close: number } | { codes: readonly string[] };
}

export type HostileCase = HttpCase | WsCase;

export type Family =
  | "depth"
  | "fragments"
  | "aliases"
  | "duplicates"
  | "cost"
  | "directives"
  | "batching"
  | "size"
  | "nesting"
  | "unknown"
  | "variables"
  | "json"
  | "http"
  | "persisted"
  | "identity"
  | "ids"
  | "datetimes"
  | "dates"
  | "enums"
  | "page sizes"
  | "cursors"
  | "time zones"
  | "clock times"
  | "integers"
  | "injection"
  | "tokens";

/** Codes of a refusal the caller can act on: 4xx-class. INTERNAL and anything unlisted are failures. */
export const REFUSAL_CODES = [
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "RATE_LIMITED",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "PERSISTED_QUERY_HASH_MISMATCH",
  "PERSISTED_QUERY_NOT_IN_SAFELIST",
] as const;

/** The scheduling subgraph's clock in the test (a Monday, 08:00 in Berlin): slots exist from here on. */
export const SCHEDULING_NOW = "2027-03-22T07:00:00Z";
const FROM = "2027-03-22T00:00:00Z";
const TO = "2027-04-05T00:00:00Z";

const VALIDATION = ["GRAPHQL_VALIDATION_FAILED"] as const;
const PARSE = ["GRAPHQL_PARSE_FAILED"] as const;
const BAD_INPUT = ["BAD_USER_INPUT"] as const;
const BAD_REQUEST = ["BAD_REQUEST"] as const;
/** A request the GraphQL layer cannot read as an operation (parse, validation or request shape). */
const MALFORMED = ["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_REQUEST", "BAD_USER_INPUT"] as const;
/** A document past the token limit (2 000) is refused while parsed; under it, by validation. */
const TOO_BIG = ["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"] as const;

// ---------------------------------------------------------------------------------------------------------------
// The supergraph's API schema and its argument slots

const supergraphSdl = readFileSync(path.join(REPO_ROOT, "schema", "supergraph.graphql"), "utf8");
export const apiSchema: GraphQLSchema = Supergraph.build(supergraphSdl, { supportedFeatures: null }).apiSchema().toGraphQLJSSchema();

export type Root = "Query" | "Mutation" | "Subscription";
type Field = GraphQLField<unknown, unknown>;

export function rootFields(): { root: Root; field: Field }[] {
  return (["Query", "Mutation", "Subscription"] as const).flatMap((root) => {
    const type = apiSchema.getType(root);
    return type && "getFields" in type ? Object.values((type as { getFields(): Record<string, Field> }).getFields()).map((field) => ({ root, field })) : [];
  });
}

/** One place a value goes: an argument, an input-object field inside one, or the first item of a list. */
export interface ArgumentSlot {
  root: Root;
  field: Field;
  /** e.g. ["input", "email"], ["rules", 0, "startTime"], ["input", "serviceCodes", 0] */
  path: (string | number)[];
  /** The leaf's named type. */
  type: GraphQLNamedType;
  /** `Mutation.setWeeklySchedule.rules[].startTime` */
  coordinate: string;
}

export function argumentSlots(): ArgumentSlot[] {
  const slots: ArgumentSlot[] = [];
  for (const { root, field } of rootFields()) {
    const visit = (type: GraphQLInputType, at: (string | number)[], depth: number) => {
      if (isNonNullType(type)) return visit(type.ofType, at, depth);
      if (isListType(type)) return visit(type.ofType as GraphQLInputType, [...at, 0], depth);
      if (isInputObjectType(type)) {
        if (depth > 4) return; // no recursive input types today; never loop if one appears
        for (const f of Object.values(type.getFields())) visit(f.type, [...at, f.name], depth + 1);
        return;
      }
      slots.push({ root, field, path: at, type: getNamedType(type), coordinate: coordinateOf(root, field.name, at) });
    };
    for (const arg of field.args) visit(arg.type, [arg.name], 0);
  }
  return slots;
}

const coordinateOf = (root: Root, field: string, at: (string | number)[]) =>
  `${root}.${field}.` + at.map((p, i) => (typeof p === "number" ? "[]" : i === 0 ? p : `.${p}`)).join("");

/** The caller each operation is sent as (one the router lets through) and arguments under which it would succeed. */
export const BASELINES: Record<string, { caller: Caller; variables: (fx: Fixtures) => Record<string, unknown> }> = {
  "Query.patient": { caller: "ADMIN", variables: (fx) => ({ id: fx.patient.id }) },
  "Query.patients": { caller: "ADMIN", variables: () => ({}) },
  "Query.users": { caller: "ADMIN", variables: () => ({}) },
  "Query.auditLog": { caller: "ADMIN", variables: () => ({}) },
  "Query.myRecordAccess": { caller: "PATIENT", variables: () => ({}) },
  // An unknown export: null (an export of the patient's is made by requestDataExport's baseline).
  "Query.dataExport": { caller: "PATIENT", variables: () => ({ id: "7d0c2a8e-3f41-4c6b-9a57-1e2f3a4b5c6d" }) },
  "Mutation.requestDataExport": { caller: "ADMIN", variables: (fx) => ({ patientId: fx.patient.id }) },
  "Query.doctors": { caller: "PATIENT", variables: () => ({}) },
  "Query.doctor": { caller: "PATIENT", variables: (fx) => ({ id: fx.doctor.id }) },
  "Query.myDoctor": { caller: "DOCTOR", variables: () => ({}) },
  "Query.medicalServices": { caller: "PATIENT", variables: () => ({}) },
  "Query.specialties": { caller: "PATIENT", variables: () => ({ includeRetired: true }) },
  "Query.availableSlots": { caller: "PATIENT", variables: () => ({ filter: { from: FROM, to: TO } }) },
  "Query.appointment": { caller: "ADMIN", variables: (fx) => ({ id: fx.appointmentId }) },
  "Query.myAppointments": { caller: "PATIENT", variables: () => ({}) },
  "Query.calendar": { caller: "ADMIN", variables: () => ({ from: FROM, to: TO }) },
  "Query.myCareRelationships": { caller: "DOCTOR", variables: (fx) => ({ patientIds: [fx.patient.id] }) },
  "Mutation.registerPatient": {
    caller: "ANONYMOUS",
    variables: () => ({ input: { email: freshEmail(), password: "Hostile-password-1", name: "Hostile Patient" } }),
  },
  // The corpus's stack registers without e-mail codes: this one is refused as a whole (REFUSED_BY_CONFIGURATION).
  "Mutation.requestRegistrationCode": { caller: "ANONYMOUS", variables: () => ({ email: freshEmail() }) },
  "Mutation.login": { caller: "ANONYMOUS", variables: (fx) => ({ email: fx.patient.email, password: fx.patient.password }) },
  "Mutation.refreshSession": { caller: "ANONYMOUS", variables: (fx) => ({ refreshToken: fx.patient.refreshToken }) },
  "Mutation.logout": { caller: "ANONYMOUS", variables: (fx) => ({ refreshToken: fx.patient.refreshToken }) },
  "Mutation.createStaffUser": {
    caller: "ADMIN",
    variables: () => ({ input: { email: freshEmail(), password: "Hostile-password-1", name: "Hostile Staff", role: "BILLING" } }),
  },
  "Mutation.changePassword": { caller: "PATIENT", variables: (fx) => ({ currentPassword: fx.patient.password, newPassword: "Another-password-2" }) },
  "Mutation.setPatientNationalId": { caller: "ADMIN", variables: (fx) => ({ patientId: fx.patient.id, nationalId: "HX 123456" }) },
  // On the admin's own account: valid input, refused (FORBIDDEN) after validation, so the baseline writes nothing.
  "Mutation.deactivateUser": { caller: "ADMIN", variables: (fx) => ({ id: fx.admin.id, reason: "Left the clinic" }) },
  "Mutation.reactivateUser": { caller: "ADMIN", variables: (fx) => ({ id: fx.admin.id }) },
  "Mutation.changeUserRole": { caller: "ADMIN", variables: (fx) => ({ id: fx.admin.id, role: "BILLING" }) },
  "Mutation.updateMyProfile": {
    caller: "PATIENT",
    variables: () => ({ input: { name: "Hostile Patient", phone: "+49301234567", dateOfBirth: "1980-01-01" } }),
  },
  "Mutation.updatePatient": {
    caller: "RECEPTIONIST",
    variables: (fx) => ({ id: fx.patient.id, input: { name: "Hostile Patient", dateOfBirth: "1980-01-01" } }),
  },
  // The corpus's stack has no SMTP_URL (notifications sends the codes): refused as a whole after validation (REFUSED_BY_CONFIGURATION).
  "Mutation.requestEmailChange": { caller: "PATIENT", variables: (fx) => ({ newEmail: freshEmail(), currentPassword: fx.patient.password }) },
  "Mutation.confirmEmailChange": { caller: "PATIENT", variables: () => ({ code: "123456" }) },
  "Mutation.updateNotificationPreferences": { caller: "PATIENT", variables: () => ({ input: { language: "fr", reminderOffsetsMinutes: [1440, 60] } }) },
  "Query.myNotifications": { caller: "PATIENT", variables: () => ({}) },
  "Query.notifications": { caller: "ADMIN", variables: () => ({}) },
  "Mutation.registerPushSubscription": { caller: "PATIENT", variables: () => ({ input: pushSubscription() }) },
  "Mutation.unregisterPushSubscription": { caller: "PATIENT", variables: () => ({ endpoint: "https://push.example.test/send/hostile" }) },
  "Mutation.createDoctor": {
    caller: "ADMIN",
    variables: () => ({
      input: {
        email: freshEmail(),
        password: "Doctor-password-1",
        name: "Dr. Hostile",
        specialtyCode: "GP",
        timezone: "Europe/Berlin",
        serviceCodes: ["GENERAL_CHECKUP"],
      },
    }),
  },
  "Mutation.updateDoctor": { caller: "ADMIN", variables: (fx) => ({ id: fx.doctor.id, input: { bio: "Unchanged" } }) },
  "Mutation.setWeeklySchedule": {
    caller: "ADMIN",
    variables: (fx) => ({ doctorId: fx.doctor.id, rules: [{ dayOfWeek: "MONDAY", startTime: "09:00", endTime: "12:00", slotMinutes: 30 }] }),
  },
  "Mutation.addTimeOff": { caller: "ADMIN", variables: (fx) => ({ doctorId: fx.doctor.id, from: "2027-09-01T00:00:00Z", to: "2027-09-02T00:00:00Z" }) },
  "Mutation.addExtraHours": {
    caller: "ADMIN",
    variables: (fx) => ({ doctorId: fx.doctor.id, from: "2027-09-04T08:00:00Z", to: "2027-09-04T10:00:00Z", slotMinutes: 30 }),
  },
  "Query.scheduleTemplate": { caller: "ADMIN", variables: (fx) => ({ id: fx.templateId }) },
  "Query.previewScheduleTemplate": {
    caller: "ADMIN",
    variables: (fx) => ({ templateId: fx.templateId, doctorIds: [fx.doctor.id], from: TEMPLATE_FROM, days: 7 }),
  },
  "Mutation.createScheduleTemplate": { caller: "ADMIN", variables: () => ({ input: templateInput() }) },
  "Mutation.updateScheduleTemplate": { caller: "ADMIN", variables: (fx) => ({ id: fx.templateId, input: templateInput() }) },
  "Mutation.deleteScheduleTemplate": { caller: "ADMIN", variables: (fx) => ({ id: fx.templateId }) },
  "Mutation.applyScheduleTemplate": { caller: "ADMIN", variables: (fx) => ({ templateId: fx.templateId, doctorIds: [fx.doctor.id], from: TEMPLATE_FROM }) },
  "Mutation.createSpecialty": { caller: "ADMIN", variables: () => ({ input: { code: freshCode(), name: "Hostile medicine" } }) },
  "Mutation.updateSpecialty": { caller: "ADMIN", variables: (fx) => ({ id: fx.catalogue.specialtyId, input: { name: "Corpus medicine" } }) },
  "Mutation.retireSpecialty": { caller: "ADMIN", variables: (fx) => ({ id: fx.catalogue.specialtyId }) },
  "Mutation.restoreSpecialty": { caller: "ADMIN", variables: (fx) => ({ id: fx.catalogue.specialtyId }) },
  "Mutation.createMedicalService": {
    caller: "ADMIN",
    variables: () => ({ input: { code: freshCode(), name: "Hostile scan", kind: "IMAGING", durationMinutes: 30 } }),
  },
  "Mutation.updateMedicalService": {
    caller: "ADMIN",
    variables: (fx) => ({ id: fx.catalogue.serviceId, input: { name: "Corpus scan", durationMinutes: 30, kind: "IMAGING" } }),
  },
  "Mutation.retireMedicalService": { caller: "ADMIN", variables: (fx) => ({ id: fx.catalogue.serviceId }) },
  "Mutation.restoreMedicalService": { caller: "ADMIN", variables: (fx) => ({ id: fx.catalogue.serviceId }) },
  // A doctor of its own: deactivating `doctor` would refuse every later booking with it (DOCTOR_UNAVAILABLE).
  "Mutation.deactivateDoctor": { caller: "ADMIN", variables: (fx) => ({ id: fx.leavingDoctorId, reason: "Left the clinic" }) },
  "Mutation.reactivateDoctor": { caller: "ADMIN", variables: (fx) => ({ id: fx.leavingDoctorId }) },
  // As reception/admin, so that patientId is meaningful (a patient may only name themselves).
  "Mutation.requestAppointment": { caller: "ADMIN", variables: (fx) => ({ input: { slotId: fx.slotId, patientId: fx.patient.id } }) },
  "Mutation.approveAppointment": { caller: "ADMIN", variables: (fx) => ({ id: fx.appointmentId }) },
  "Mutation.rejectAppointment": { caller: "ADMIN", variables: (fx) => ({ id: fx.appointmentId }) },
  "Mutation.rescheduleAppointment": { caller: "ADMIN", variables: (fx) => ({ id: fx.appointmentId, slotId: fx.slotId }) },
  "Mutation.cancelAppointment": { caller: "ADMIN", variables: (fx) => ({ id: fx.appointmentId }) },
  "Mutation.checkInAppointment": { caller: "ADMIN", variables: (fx) => ({ id: fx.appointmentId }) },
  "Mutation.markNoShow": { caller: "ADMIN", variables: (fx) => ({ id: fx.appointmentId }) },
  "Mutation.fulfillAppointment": { caller: "ADMIN", variables: (fx) => ({ id: fx.appointmentId }) },
  "Mutation.joinWaitlist": { caller: "PATIENT", variables: (fx) => ({ input: { doctorId: fx.doctor.id, from: FROM, to: TO } }) },
  "Mutation.overbookAppointment": {
    caller: "ADMIN",
    variables: (fx) => ({ input: { slotId: fx.slotId, patientId: fx.patient.id, reason: "Urgent follow-up" } }),
  },
  "Mutation.submitFeedback": { caller: "PATIENT", variables: (fx) => ({ appointmentId: fx.appointmentId, rating: 5 }) },
  "Mutation.syncDoctorSlots": { caller: "ADMIN", variables: (fx) => ({ doctorId: fx.doctor.id }) },
  "Query.feedbackSummary": { caller: "ADMIN", variables: (fx) => ({ doctorId: fx.doctor.id, serviceId: fx.serviceId, from: FROM, to: TO }) },
  "Query.feedbackComments": { caller: "ADMIN", variables: (fx) => ({ doctorId: fx.doctor.id, serviceId: fx.serviceId, includeHidden: true, first: 20 }) },
  "Query.feedbackByDoctor": { caller: "ADMIN", variables: () => ({ from: FROM, to: TO }) },
  "Query.feedbackByService": { caller: "ADMIN", variables: () => ({ from: FROM, to: TO }) },
  "Query.myFeedbackSummary": { caller: "DOCTOR", variables: () => ({ from: FROM, to: TO }) },
  "Query.myFeedbackComments": { caller: "DOCTOR", variables: () => ({ first: 20 }) },
  // The fixture appointment has no comment (CONFLICT): enough for the argument cases, which must fail validation first.
  "Mutation.hideFeedbackComment": { caller: "ADMIN", variables: (fx) => ({ appointmentId: fx.appointmentId, reason: "Names another patient" }) },
  "Mutation.unhideFeedbackComment": { caller: "ADMIN", variables: (fx) => ({ appointmentId: fx.appointmentId }) },
  // clinical: each by the role that does it (the treating doctor is the DOCTOR caller)
  "Query.encounter": { caller: "ADMIN", variables: (fx) => ({ id: fx.encounterId }) },
  "Query.encounters": { caller: "RECEPTIONIST", variables: (fx) => ({ doctorId: fx.doctor.id, status: "IN_PROGRESS", date: SCHEDULING_NOW.slice(0, 10) }) },
  "Query.examinationWorklist": { caller: "EXAMINER", variables: () => ({ first: 20 }) },
  "Query.patientCard": { caller: "DOCTOR", variables: (fx) => ({ patientId: fx.patient.id }) },
  "Query.myEncounterPatients": { caller: "DOCTOR", variables: (fx) => ({ patientIds: [fx.patient.id] }) },
  "Query.clinicBoard": { caller: "RECEPTIONIST", variables: () => ({ date: SCHEDULING_NOW.slice(0, 10) }) },
  "Mutation.registerWalkIn": { caller: "RECEPTIONIST", variables: (fx) => ({ patientId: fx.patient.id, doctorId: fx.doctor.id }) },
  "Mutation.startEncounter": { caller: "DOCTOR", variables: (fx) => ({ id: fx.openEncounterId }) },
  "Mutation.orderExamination": { caller: "DOCTOR", variables: (fx) => ({ encounterId: fx.encounterId, serviceId: fx.examServiceId }) },
  "Mutation.performExamination": { caller: "EXAMINER", variables: (fx) => ({ id: fx.examinationId, result: "Within normal limits" }) },
  "Mutation.cancelExamination": { caller: "EXAMINER", variables: (fx) => ({ id: fx.examinationId, reason: "Sample haemolysed" }) },
  "Mutation.reviewExamination": { caller: "DOCTOR", variables: (fx) => ({ id: fx.examinationId }) },
  "Mutation.finishEncounter": { caller: "DOCTOR", variables: (fx) => ({ id: fx.encounterId, summary: "Discharged" }) },
  "Mutation.refuseEncounter": { caller: "DOCTOR", variables: (fx) => ({ id: fx.encounterId, reason: "Patient declined" }) },
  "Mutation.confirmVisitOutcome": { caller: "RECEPTIONIST", variables: (fx) => ({ encounterId: fx.encounterId }) },
  "Mutation.saveRecordDraft": {
    caller: "DOCTOR",
    variables: (fx) => ({
      encounterId: fx.openEncounterId,
      input: { complaints: "Cough", diagnosisCode: "J06.9", diagnosis: "Common cold", prescriptions: ["Rest"], notes: "Review in a week" },
    }),
  },
  "Mutation.signRecord": { caller: "DOCTOR", variables: (fx) => ({ id: fx.recordId }) },
  "Mutation.amendRecord": {
    caller: "DOCTOR",
    variables: (fx) => ({ id: fx.recordId, input: { diagnosisCode: "J20.9", diagnosis: "Acute bronchitis" }, reason: "Chest findings" }),
  },
  // billing: the desk (recordPayment is reception's or billing's, not the admin's)
  "Query.myInvoices": { caller: "PATIENT", variables: () => ({ first: 20 }) },
  "Query.invoice": { caller: "ADMIN", variables: (fx) => ({ id: fx.invoiceId }) },
  "Query.invoices": {
    caller: "ADMIN",
    variables: (fx) => ({ filter: { status: "PARTIALLY_PAID", patientId: fx.patient.id, from: FROM, to: TO }, first: 20 }),
  },
  "Query.invoicePdf": { caller: "ADMIN", variables: (fx) => ({ id: fx.invoiceId }) },
  "Mutation.setServicePrice": {
    caller: "ADMIN",
    variables: (fx) => ({ serviceId: fx.serviceId, price: { amountMinor: 5_500, currency: "EUR" }, taxRateBp: 1_900, effectiveFrom: "2027-04-01" }),
  },
  "Mutation.issueInvoice": { caller: "ADMIN", variables: (fx) => ({ id: fx.draftInvoiceId }) },
  "Mutation.recordPayment": {
    caller: "RECEPTIONIST",
    variables: (fx) => ({ invoiceId: fx.invoiceId, amount: { amountMinor: 1_000, currency: "EUR" }, method: "CASH", idempotencyKey: "hostile-baseline-0001" }),
  },
  "Mutation.payInvoice": { caller: "PATIENT", variables: (fx) => ({ invoiceId: fx.invoiceId, idempotencyKey: "hostile-online-0001" }) },
  "Mutation.refundPayment": {
    caller: "ADMIN",
    variables: (fx) => ({ paymentId: fx.paymentId, amount: { amountMinor: 100, currency: "EUR" }, reason: "Charged twice" }),
  },
  "Mutation.issueCreditNote": { caller: "ADMIN", variables: (fx) => ({ invoiceId: fx.creditableInvoiceIds[0], reason: "Billed the wrong doctor" }) },
  "Query.myBillingAccount": { caller: "PATIENT", variables: () => ({}) },
  "Query.kpis": { caller: "ADMIN", variables: () => ({ from: "2027-03-01", to: "2027-03-31", granularity: "WEEK" }) },
  "Query.kpisCsv": { caller: "ADMIN", variables: () => ({ from: "2027-03-01", to: "2027-03-31", granularity: "WEEK" }) },
  "Query.kpisByDoctor": { caller: "ADMIN", variables: () => ({ from: "2027-03-01", to: "2027-03-31" }) },
  "Query.kpisBySpecialty": { caller: "ADMIN", variables: () => ({ from: "2027-03-01", to: "2027-03-31" }) },
  "Query.topServices": { caller: "ADMIN", variables: () => ({ from: "2027-03-01", to: "2027-03-31", first: 10 }) },
  "Query.load": { caller: "ADMIN", variables: () => ({ from: "2027-03-01", to: "2027-03-31" }) },
  "Query.analyticsStatus": { caller: "ADMIN", variables: () => ({}) },
  "Mutation.importVisitsCsv": {
    caller: "ADMIN",
    variables: () => ({
      csv: "source_id,visit_date,specialty_code,service_code,status,amount_minor,currency,rating\nhostile-baseline-1,2027-03-01,GP,GP_CONSULT,FULFILLED,,,\n",
    }),
  },
  "Query.billingAccount": { caller: "ADMIN", variables: (fx) => ({ patientId: fx.patient.id }) },
  "Mutation.prepayAppointment": { caller: "PATIENT", variables: (fx) => ({ appointmentId: fx.appointmentId, idempotencyKey: "hostile-prepay-0001" }) },
  "Mutation.applyCredit": { caller: "RECEPTIONIST", variables: (fx) => ({ invoiceId: fx.invoiceId }) },
  "Subscription.appointmentRequests": { caller: "ADMIN", variables: (fx) => ({ doctorId: fx.doctor.id }) },
  "Subscription.myAppointmentUpdates": { caller: "PATIENT", variables: () => ({}) },
  "Subscription.clinicBoardUpdates": { caller: "RECEPTIONIST", variables: () => ({ date: SCHEDULING_NOW.slice(0, 10) }) },
  "Subscription.myEncounterUpdates": { caller: "DOCTOR", variables: () => ({}) },
};

/** Operations the corpus's stack refuses whatever their arguments (its configuration), with the reason. */
export const REFUSED_BY_CONFIGURATION: Record<string, string> = {
  "Mutation.requestRegistrationCode": "REGISTRATION_VERIFICATION=off: registration needs no e-mail code",
  "Mutation.requestEmailChange": "no SMTP_URL: notifications cannot send e-mail change codes (SERVICE_UNAVAILABLE)",
  "Mutation.confirmEmailChange": "no SMTP_URL: no code was ever sent, so every code is wrong",
};

/** The first day a template is previewed or applied from in the corpus (after SCHEDULING_NOW, within a year). */
const TEMPLATE_FROM = "2027-04-06";

/** A valid template: Tuesdays, ten 30-minute slots from 09:00, with a Monday lunch break. */
const templateInput = (rule: Record<string, unknown> = { slotCount: 10 }) => ({
  name: `Hostile template ${randomBytes(4).toString("hex")}`,
  slotMinutes: 30,
  rules: [{ dayOfWeek: "TUESDAY", startTime: "09:00", slotMinutes: 30, ...rule }],
  breaks: [{ dayOfWeek: "MONDAY", startTime: "12:00", endTime: "13:00" }],
});

/** Slots whose value only makes sense under other arguments than their field's baseline. */
export const SLOT_BASELINES: Record<string, (fx: Fixtures) => Record<string, unknown>> = {
  // A rule gives endTime or slotCount: its endTime is tested on a rule without slotCount.
  "Mutation.createScheduleTemplate.input.rules[].endTime": () => ({ input: templateInput({ endTime: "14:00" }) }),
  "Mutation.updateScheduleTemplate.input.rules[].endTime": (fx) => ({ id: fx.templateId, input: templateInput({ endTime: "14:00" }) }),
  // userId links an existing DOCTOR user instead of creating one: then no e-mail and password.
  "Mutation.createDoctor.input.userId": (fx) => ({ input: { userId: fx.doctor.userId, name: "Dr. Linked", specialtyCode: "GP", timezone: "Europe/Berlin" } }),
};

const freshEmail = () => `hostile.${randomBytes(6).toString("hex")}@example.test`;
/** A catalogue code no entry has (2 to 16 of A-Z, 0-9, _). */
const freshCode = () => `H${randomBytes(5).toString("hex").toUpperCase()}`;

// ---------------------------------------------------------------------------------------------------------------
// Operations from slots

const keywordOf = (root: Root) => (root === "Query" ? "query" : root === "Mutation" ? "mutation" : "subscription");
const selectionOf = (field: Field) => {
  const named = getNamedType(field.type);
  return isScalarType(named) || isEnumType(named) ? "" : " { __typename }";
};

/** The operation calling `field` with `variables` (every argument present in them), as variables or as literals. */
export function operation(root: Root, field: Field, variables: Record<string, unknown>, inline = false): GraphQLCall {
  const args = field.args.filter((a) => a.name in variables);
  const selection = selectionOf(field);
  if (inline) {
    const call = args.length ? `(${args.map((a) => `${a.name}: ${literal(variables[a.name], a.type)}`).join(", ")})` : "";
    return { query: `${keywordOf(root)} Hostile { ${field.name}${call}${selection} }` };
  }
  const defs = args.length ? `(${args.map((a) => `$${a.name}: ${a.type.toString()}`).join(", ")})` : "";
  const call = args.length ? `(${args.map((a) => `${a.name}: $${a.name}`).join(", ")})` : "";
  return { query: `${keywordOf(root)} Hostile${defs} { ${field.name}${call}${selection} }`, variables };
}

/** A GraphQL literal of `value` for `type`: enum values bare when they look like names, everything else as JSON. */
export function literal(value: unknown, type: GraphQLInputType): string {
  if (isNonNullType(type)) return literal(value, type.ofType);
  if (value === null || value === undefined) return "null";
  if (isListType(type))
    return Array.isArray(value)
      ? `[${value.map((v) => literal(v, type.ofType as GraphQLInputType)).join(", ")}]`
      : literal(value, type.ofType as GraphQLInputType);
  if (isInputObjectType(type) && typeof value === "object") {
    const fields = type.getFields();
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${fields[k] ? literal(v, fields[k].type) : JSON.stringify(v)}`)
      .join(", ")}}`;
  }
  if (isEnumType(type) && typeof value === "string" && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value)) return value;
  return JSON.stringify(value);
}

/** `variables` with `value` put at `at` (objects and lists created on the way). */
export function withValueAt(variables: Record<string, unknown>, at: (string | number)[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(variables);
  let node: Record<string | number, unknown> = copy;
  at.forEach((key, i) => {
    if (i === at.length - 1) {
      node[key] = value;
      return;
    }
    const next = at[i + 1];
    if (node[key] === undefined || node[key] === null) node[key] = typeof next === "number" ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  });
  return copy;
}

// ---------------------------------------------------------------------------------------------------------------
// Argument families

type Kind = "id" | "datetime" | "date" | "enum" | "first" | "cursor" | "timezone" | "clock" | "integer" | "text" | "boolean" | "excluded";

/**
 * Lookups by id that answer null for a malformed id, as for an unknown one, by their owners' tested design
 * (subgraphs/doctors/tests/search.int.test.ts "returns null for an unknown or malformed id"; accounts' patient
 * lookup filters non-UUIDs the same way). scheduling's appointment(id) refuses one instead (BAD_USER_INPUT).
 */
export const NULL_FOR_MALFORMED_ID: Record<string, string> = {
  "Query.doctor.id": "doctors: a malformed id finds no doctor (tested design)",
  "Query.patient.id": "accounts: a malformed id finds no patient (same lookup semantics)",
  "Query.scheduleTemplate.id": "doctors: a malformed id finds no template (as doctor(id))",
};

/** Slots no family covers, and why. */
export const EXCLUDED_SLOTS: Record<string, string> = {
  // A live feed's cursor that names nothing replays the retained history (subgraphs/scheduling/src/live/feed.ts):
  // by design not an error, and it is never stored or sent to the database.
  "Subscription.appointmentRequests.since": "feed cursors that name nothing replay the retained history (by design)",
  "Subscription.myAppointmentUpdates.since": "feed cursors that name nothing replay the retained history (by design)",
  "Subscription.clinicBoardUpdates.since": "feed cursors that name nothing replay the retained history (by design)",
  "Subscription.myEncounterUpdates.since": "feed cursors that name nothing replay the retained history (by design)",
};

/** Values of a family that are valid data in one slot, and why (the family's other values still apply there). */
export const VALID_FAMILY_VALUES: Record<string, { labels: readonly string[]; reason: string }> = {
  "Query.encounters.date": {
    labels: ["in the future", "before 1900"],
    reason: "any calendar day has a list of encounters, empty far from today (the range is a birth date's)",
  },
  "Query.clinicBoard.date": { labels: ["in the future", "before 1900"], reason: "any calendar day has a clinic board, empty far from today" },
  "Subscription.clinicBoardUpdates.date": { labels: ["in the future", "before 1900"], reason: "any calendar day has a clinic board, empty far from today" },
  "Mutation.setServicePrice.effectiveFrom": {
    labels: ["in the future"],
    reason: "a price may take effect on any later day (the price list has no horizon); more than a year back is refused",
  },
};

export function kindOf(slot: ArgumentSlot): Kind {
  if (slot.coordinate in EXCLUDED_SLOTS) return "excluded";
  const name = String([...slot.path].reverse().find((p) => typeof p === "string"));
  if (isEnumType(slot.type)) return "enum";
  switch (slot.type.name) {
    case "ID":
      return "id";
    case "DateTime":
      return "datetime";
    case "Date":
      return "date";
    case "Boolean":
      return "boolean";
    case "Int":
      return name === "first" ? "first" : "integer";
    case "String":
      if (name === "after") return "cursor";
      if (name === "timezone") return "timezone";
      if (name === "startTime" || name === "endTime") return "clock";
      return "text";
    default:
      throw new Error(`${slot.coordinate}: no family for type ${slot.type.name}`);
  }
}

const cursor = (json: string) => Buffer.from(json).toString("base64url");

/** [label, value, codes]: values sent as variables unless the label says inline. */
const FAMILY_VALUES: Record<
  Exclude<Kind, "text" | "boolean" | "excluded" | "integer">,
  { family: Family; values: [string, unknown][]; codes: readonly string[]; inline?: number }
> = {
  id: {
    family: "ids",
    // A malformed id names nothing: BAD_USER_INPUT, or NOT_FOUND where the subgraph treats it as an unknown id.
    codes: ["BAD_USER_INPUT", "NOT_FOUND"],
    values: [
      ["not a UUID", "not-a-uuid"],
      ["empty", ""],
      ["very long (10 000 characters)", "7".repeat(10_000)],
      ["unicode digits in UUID shape", "٠٠٠٠٠٠٠٠-٠٠٠٠-٠٠٠٠-٠٠٠٠-٠٠٠٠٠٠٠٠٠٠٠٠"],
      ["UUID with an SQL tail", "5f0e7c34-8d8b-4c5e-9d54-0f4f8f0c1a2b' OR '1'='1"],
    ],
    inline: 1,
  },
  datetime: {
    family: "datetimes",
    codes: BAD_INPUT,
    values: [
      ["February 30th", "2027-02-30T10:00:00Z"],
      ["hour 25", "2027-03-23T25:00:00Z"],
      ["not ISO-8601 (space, no zone)", "2027-03-23 10:00"],
      ["words", "next tuesday"],
      ["no offset", "2027-03-23T10:00:00"],
      ["a number", 1_774_000_000],
    ],
    inline: 2,
  },
  date: {
    family: "dates",
    codes: BAD_INPUT,
    values: [
      ["February 30th", "2026-02-30"],
      ["month 13", "1990-13-01"],
      ["US format", "01/02/1990"],
      ["no zero padding", "1990-1-1"],
      ["in the future", "3000-01-01"],
      ["before 1900", "1850-06-01"],
    ],
    inline: 1,
  },
  enum: {
    family: "enums",
    // A value outside the enum is refused by the router's own variable coercion / validation.
    codes: ["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"],
    values: [
      ["unknown value", "NOT_A_VALUE"],
      ["lower case", "monday"],
      ["a number", 1],
      ["SQL", "ADMIN' --"],
    ],
    inline: 1,
  },
  first: {
    family: "page sizes",
    codes: BAD_INPUT,
    values: [
      ["negative", -1],
      ["zero", 0],
      ["a million", 1_000_000],
      ["past 32 bits", 2_147_483_648],
      ["fractional", 1.5],
    ],
    inline: 1,
  },
  cursor: {
    family: "cursors",
    codes: BAD_INPUT,
    values: [
      ["not base64", "%%% not a cursor %%%"],
      ["base64 of text", cursor("not json")],
      ["an object", cursor('{"id":1}')],
      ["wrong arity", cursor('["2027-03-22T00:00:00.000Z","x","y"]')],
      ["bad date and id", cursor('["not-a-date","not-a-uuid"]')],
      ["SQL in the id", cursor(`["2027-03-22T00:00:00.000Z","00000000-0000-0000-0000-000000000000' OR '1'='1"]`)],
      ["objects inside", cursor('[{"gt":""},{"not":null}]')],
      ["huge (200 000 characters)", "A".repeat(200_000)],
    ],
  },
  timezone: {
    family: "time zones",
    codes: BAD_INPUT,
    values: [
      ["not on Earth", "Mars/Olympus"],
      ["fixed offset", "+02:00"],
      ["path traversal", "Europe/../../../etc/passwd"],
      ["empty", ""],
      ["lower-case nonsense", "utc+25"],
    ],
  },
  clock: {
    family: "clock times",
    codes: BAD_INPUT,
    values: [
      ["hour 25", "25:00"],
      ["minute 60", "12:60"],
      ["12-hour", "9am"],
      ["past midnight", "24:01"],
      ["negative", "-01:00"],
      ["empty", ""],
    ],
  },
};

/** Integers with a domain range, per argument. */
const INTEGER_VALUES: Record<string, [string, unknown][]> = {
  "Mutation.submitFeedback.rating": [
    ["zero", 0],
    ["six", 6],
    ["negative", -1],
    ["max int", 2_147_483_647],
  ],
  "Mutation.updateNotificationPreferences.input.reminderOffsetsMinutes[]": [
    ["zero", 0],
    ["negative", -60],
    ["under 5 minutes", 4],
    ["over 14 days", 14 * 1440 + 1],
    ["max int", 2_147_483_647],
  ],
  // Money in minor units: a price from 0, a payment from 1, both up to 1 000 000 000 (10 million in major units).
  "Mutation.setServicePrice.price.amountMinor": [
    ["negative", -1],
    ["over the maximum", 1_000_000_001],
    ["max int", 2_147_483_647],
  ],
  "Mutation.setServicePrice.taxRateBp": [
    ["negative", -1],
    ["over 100 %", 10_001],
    ["max int", 2_147_483_647],
  ],
  "Mutation.recordPayment.amount.amountMinor": [
    ["zero", 0],
    ["negative", -100],
    ["over the maximum", 1_000_000_001],
    ["max int", 2_147_483_647],
  ],
  // A refund is at least 1; its upper bound is what the payment brought (CONFLICT REFUND_EXCEEDS_PAID, not a format).
  "Mutation.refundPayment.amount.amountMinor": [
    ["zero", 0],
    ["negative", -100],
  ],
  "Query.previewScheduleTemplate.days": [
    ["zero", 0],
    ["over 62", 63],
    ["negative", -7],
    ["max int", 2_147_483_647],
  ],
  "Mutation.addExtraHours.slotMinutes": [
    ["zero", 0],
    ["over 8 hours", 481],
    ["negative", -30],
    ["does not divide the range", 7],
  ],
  ...Object.fromEntries(
    (["createScheduleTemplate", "updateScheduleTemplate"] as const).flatMap((field) => [
      [
        `Mutation.${field}.input.slotMinutes`,
        [
          ["zero", 0],
          ["over 8 hours", 481],
          ["negative", -30],
        ],
      ],
      [
        `Mutation.${field}.input.rules[].slotMinutes`,
        [
          ["zero", 0],
          ["over 8 hours", 481],
          ["negative", -30],
          ["past midnight with ten slots", 120],
        ],
      ],
      [
        `Mutation.${field}.input.rules[].slotCount`,
        [
          ["zero", 0],
          ["negative", -1],
          ["past midnight", 31],
          ["max int", 2_147_483_647],
        ],
      ],
    ]),
  ),
  // A catalogue service lasts 5 to 480 minutes, in steps of 5.
  "Mutation.createMedicalService.input.durationMinutes": [
    ["zero", 0],
    ["negative", -5],
    ["not a multiple of 5", 7],
    ["over 8 hours", 485],
    ["max int", 2_147_483_647],
  ],
  "Mutation.updateMedicalService.input.durationMinutes": [
    ["zero", 0],
    ["negative", -5],
    ["not a multiple of 5", 7],
    ["over 8 hours", 485],
    ["max int", 2_147_483_647],
  ],
  "Mutation.setWeeklySchedule.rules[].slotMinutes": [
    ["zero", 0],
    ["over 8 hours", 481],
    ["negative", -30],
    ["does not divide the window", 7],
  ],
};

// ---------------------------------------------------------------------------------------------------------------
// Text arguments of mutations: formatted (must refuse hostile strings) or data (stored verbatim, see DATA_TEXT)

/** Strings an attacker tries in every text argument. */
export const INJECTIONS: [string, string][] = [
  ["SQL tautology", "' OR 1=1 --"],
  ["SQL drop table", "'; DROP TABLE accounts.users; --"],
  ["SQL closing parenthesis", "Robert'); DROP TABLE scheduling.appointments; --"],
  ["SQL double quotes", '" OR ""="'],
  ["SQL sleep", "1' AND pg_sleep(10) --"],
  ["SQL stacked read", "x'; SELECT private_key_enc FROM accounts.signing_keys; --"],
  ["NUL byte", "Nul\u0000Byte"],
  ["unpaired surrogate", "half \ud83d of an emoji"],
  // Text that reorders or hides what is around it when displayed (refused everywhere, like NUL).
  ["bidirectional override", "Ann\u202Egnp.exe"],
  ["terminal escape", "\u001b[2J\u001b]0;owned\u0007 clear"],
  ["script tag", "<script>alert(1)</script>"],
  ["event handler", "<img src=x onerror=alert(document.cookie)>"],
  ["template", "{{7*7}} ${7*7} #{7*7}"],
  ["shell", "$(rm -rf /); `id`"],
];

/** Text arguments with a format or a lookup: every injection string is refused, with these codes. */
export const FORMATTED_TEXT: Record<string, readonly string[]> = {
  "Query.auditLog.action": BAD_INPUT,
  "Query.auditLog.requestId": BAD_INPUT,
  "Mutation.registerPatient.input.email": BAD_INPUT,
  "Mutation.registerPatient.input.verificationCode": BAD_INPUT,
  "Mutation.requestRegistrationCode.email": BAD_INPUT,
  "Mutation.registerPatient.input.phone": BAD_INPUT,
  "Mutation.updateNotificationPreferences.input.language": BAD_INPUT,
  "Mutation.registerPushSubscription.input.endpoint": BAD_INPUT,
  "Mutation.registerPushSubscription.input.keys.p256dh": BAD_INPUT,
  "Mutation.registerPushSubscription.input.keys.auth": BAD_INPUT,
  // Sign-in never says which part was wrong (text no field can hold is refused before: BAD_USER_INPUT).
  "Mutation.login.email": ["UNAUTHENTICATED", "BAD_USER_INPUT"],
  "Mutation.login.password": ["UNAUTHENTICATED", "BAD_USER_INPUT"],
  "Mutation.refreshSession.refreshToken": ["UNAUTHENTICATED", "BAD_USER_INPUT"],
  "Mutation.changePassword.currentPassword": ["UNAUTHENTICATED", "BAD_USER_INPUT"],
  "Mutation.createStaffUser.input.email": BAD_INPUT,
  "Mutation.createStaffUser.input.phone": BAD_INPUT,
  "Mutation.setPatientNationalId.nationalId": BAD_INPUT,
  "Mutation.updateMyProfile.input.phone": BAD_INPUT,
  "Mutation.updatePatient.input.phone": BAD_INPUT,
  "Mutation.requestEmailChange.newEmail": BAD_INPUT,
  // A wrong password (each request counted: past 5 an hour, RATE_LIMITED before the password is checked).
  "Mutation.requestEmailChange.currentPassword": ["BAD_USER_INPUT", "RATE_LIMITED"],
  "Mutation.confirmEmailChange.code": BAD_INPUT,
  "Mutation.createDoctor.input.email": BAD_INPUT,
  "Mutation.createDoctor.input.phone": BAD_INPUT,
  "Mutation.createDoctor.input.specialtyCode": BAD_INPUT,
  "Mutation.createDoctor.input.timezone": BAD_INPUT,
  "Mutation.createDoctor.input.serviceCodes[]": BAD_INPUT,
  "Mutation.updateDoctor.input.specialtyCode": BAD_INPUT,
  "Mutation.updateDoctor.input.timezone": BAD_INPUT,
  "Mutation.updateDoctor.input.serviceCodes[]": BAD_INPUT,
  // catalogue codes: 2 to 16 of A-Z, 0-9 and _
  "Mutation.createSpecialty.input.code": BAD_INPUT,
  "Mutation.createMedicalService.input.code": BAD_INPUT,
  "Mutation.setWeeklySchedule.rules[].startTime": BAD_INPUT,
  "Mutation.setWeeklySchedule.rules[].endTime": BAD_INPUT,
  ...Object.fromEntries(
    (["createScheduleTemplate", "updateScheduleTemplate"] as const).flatMap((field) =>
      ["rules[].startTime", "rules[].endTime", "breaks[].startTime", "breaks[].endTime"].map((slot) => [`Mutation.${field}.input.${slot}`, BAD_INPUT]),
    ),
  ),
  "Mutation.saveRecordDraft.input.diagnosisCode": BAD_INPUT,
  "Mutation.amendRecord.input.diagnosisCode": BAD_INPUT,
  // billing: the clinic's one ISO 4217 currency; idempotency keys of 8 to 128 letters, digits and . _ : -
  "Mutation.setServicePrice.price.currency": BAD_INPUT,
  "Mutation.recordPayment.amount.currency": BAD_INPUT,
  "Mutation.recordPayment.idempotencyKey": BAD_INPUT,
  "Mutation.payInvoice.idempotencyKey": BAD_INPUT,
  "Mutation.prepayAppointment.idempotencyKey": BAD_INPUT,
  "Mutation.refundPayment.amount.currency": BAD_INPUT,
  // analytics: a CSV whose first line must be the import's header
  "Mutation.importVisitsCsv.csv": BAD_INPUT,
};

/** A browser's push subscription as the Push API makes one: an https endpoint, a P-256 public key, a 16-byte secret. */
function pushSubscription() {
  const ecdh = createECDH("prime256v1");
  return {
    endpoint: `https://push.example.test/send/${randomBytes(8).toString("hex")}`,
    keys: { p256dh: ecdh.generateKeys().toString("base64url"), auth: randomBytes(16).toString("base64url") },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Generated cases

function argumentCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const slot of argumentSlots()) {
    const kind = kindOf(slot);
    const coordinate = `${slot.root}.${slot.field.name}`;
    const baseline = BASELINES[coordinate];
    if (!baseline) throw new Error(`No baseline for ${coordinate}: add one to BASELINES`);
    const make = (family: Family, label: string, value: unknown, codes: readonly string[], inline = false) => {
      const name = `${slot.coordinate} ← ${label}${inline ? " (literal)" : ""}`;
      const base = SLOT_BASELINES[slot.coordinate] ?? baseline.variables;
      const variables = (fx: Fixtures) => withValueAt(base(fx), slot.path, value);
      if (slot.root === "Subscription") {
        cases.push({
          transport: "ws",
          family,
          name,
          connectionParams: (fx) => ({ authorization: `Bearer ${fx.tokens[baseline.caller as Exclude<Caller, "ANONYMOUS">]}` }),
          subscribe: (fx) => operation(slot.root, slot.field, variables(fx), inline),
          expect: { codes },
        });
      } else {
        const orNull = family === "ids" ? NULL_FOR_MALFORMED_ID[slot.coordinate] : undefined;
        cases.push({
          transport: "http",
          family,
          name,
          caller: baseline.caller,
          request: (fx) => ({ graphql: operation(slot.root, slot.field, variables(fx), inline) }),
          expect: { codes, ...(orNull ? { orNull } : {}) },
        });
      }
    };
    if (kind === "text") {
      const codes = FORMATTED_TEXT[slot.coordinate];
      if (slot.root === "Mutation" && codes) for (const [label, value] of INJECTIONS) make("injection", label, value, codes);
      // timezone and clock slots get the injection strings too (below); other text is data (DATA_TEXT).
      continue;
    }
    if (kind === "boolean" || kind === "excluded") continue;
    if (kind === "integer") {
      const values = INTEGER_VALUES[slot.coordinate];
      if (!values) throw new Error(`${slot.coordinate}: add its invalid values to INTEGER_VALUES`);
      for (const [label, value] of values) make("integers", label, value, BAD_INPUT);
      continue;
    }
    const spec = FAMILY_VALUES[kind];
    const valid = VALID_FAMILY_VALUES[slot.coordinate]?.labels ?? [];
    spec.values
      .filter(([label]) => !valid.includes(label))
      .forEach(([label, value], i) => {
        make(spec.family, label, value, spec.codes);
        if (i < (spec.inline ?? 0)) make(spec.family, label, value, [...spec.codes, ...VALIDATION], true);
      });
    const formatted = FORMATTED_TEXT[slot.coordinate];
    if ((kind === "timezone" || kind === "clock") && slot.root === "Mutation" && formatted)
      for (const [label, value] of INJECTIONS) make("injection", label, value, formatted);
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------------------------
// Structure

const gql = (
  family: Family,
  name: string,
  query: string,
  codes: readonly string[] = VALIDATION,
  caller: Caller = "PATIENT",
  variables?: Record<string, unknown>,
): HttpCase => ({
  transport: "http",
  family,
  name,
  caller,
  request: () => ({ graphql: { query, ...(variables ? { variables } : {}) } }),
  expect: { codes, status: [400] },
});

const raw = (family: Family, name: string, call: (fx: Fixtures) => RawCall, expect: Expectation, caller: Caller = "ANONYMOUS"): HttpCase => ({
  transport: "http",
  family,
  name,
  caller,
  request: (fx) => ({ raw: call(fx) }),
  expect,
});

const json = (body: unknown, headers: Record<string, string> = {}): RawCall => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

/** doctor { timeOff { doctor { timeOff … } } }: TimeOff.doctor and Doctor.timeOff form a cycle in the schema. */
function deepDoctor(levels: number): string {
  let inner = "id";
  for (let i = 0; i < levels; i++) inner = i % 2 === 0 ? `timeOff { ${inner} }` : `doctor { ${inner} }`;
  return `query Deep($id: ID!) { doctor(id: $id) { ${inner} } }`;
}
const depthOf = (levels: number) => levels + 2; // doctor + the leaf

function structureCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  const add = (c: HostileCase) => cases.push(c);
  const doctorVar = (query: string, family: Family, name: string, codes: readonly string[] = VALIDATION): HttpCase => ({
    transport: "http",
    family,
    name,
    caller: "PATIENT",
    request: (fx) => ({ graphql: { query, variables: { id: fx.doctor.id } } }),
    expect: { codes, status: [400] },
  });

  // --- depth (limit 12)
  for (const levels of [11, 30, 200]) add(doctorVar(deepDoctor(levels), "depth", `selection depth ${depthOf(levels)}`));
  add(doctorVar(deepDoctor(3_000), "depth", "selection depth 3 002 (parser recursion)", PARSE));
  add(gql("depth", "20 000 nested braces (parser recursion)", `{ me ${"{ id ".repeat(20_000)}${"}".repeat(20_000)} }`, PARSE));
  add({
    transport: "ws",
    family: "depth",
    name: "20 000 nested braces in a subscription (WebSocket, parser recursion)",
    connectionParams: (fx) => ({ authorization: `Bearer ${fx.tokens.PATIENT}` }),
    subscribe: () => ({ query: `subscription { myAppointmentUpdates ${"{ cursor ".repeat(20_000)}${"}".repeat(20_000)} }` }),
    expect: { codes: PARSE },
  });
  {
    const frags = Array.from({ length: 14 }, (_, i) =>
      i % 2 === 0 ? `fragment F${i} on Doctor { timeOff { ...F${i + 1} } }` : `fragment F${i} on TimeOff { doctor { ...F${i + 1} } }`,
    );
    frags.push("fragment F14 on Doctor { id }");
    add(doctorVar(`query Deep($id: ID!) { doctor(id: $id) { ...F0 } } ${frags.join(" ")}`, "depth", "depth 16 through nested fragments"));
    let inline = "id";
    for (let i = 0; i < 14; i++) inline = i % 2 === 0 ? `timeOff { ... on TimeOff { ${inline} } }` : `doctor { ... on Doctor { ${inline} } }`;
    add(doctorVar(`query Deep($id: ID!) { doctor(id: $id) { ${inline} } }`, "depth", "depth 16 through inline fragments"));
  }
  add({
    transport: "ws",
    family: "depth",
    name: "selection depth 32 in a subscription (WebSocket)",
    connectionParams: (fx) => ({ authorization: `Bearer ${fx.tokens.PATIENT}` }),
    subscribe: () => {
      let inner = "id";
      for (let i = 0; i < 30; i++) inner = i % 2 === 0 ? `timeOff { ${inner} }` : `doctor { ${inner} }`;
      return { query: `subscription { myAppointmentUpdates { appointment { doctor { ${inner} } } } }` };
    },
    expect: { codes: VALIDATION },
  });

  // --- fragments
  add(doctorVar(`query Q($id: ID!) { doctor(id: $id) { ...A } } fragment A on Doctor { ...A }`, "fragments", "fragment spreading itself"));
  add(
    doctorVar(
      `query Q($id: ID!) { doctor(id: $id) { ...A } } fragment A on Doctor { id ...B } fragment B on Doctor { name ...A }`,
      "fragments",
      "two fragments spreading each other",
    ),
  );
  add(
    doctorVar(
      `query Q($id: ID!) { doctor(id: $id) { ...A } } fragment A on Doctor { timeOff { ...B } } fragment B on TimeOff { doctor { ...C } } fragment C on Doctor { ...A }`,
      "fragments",
      "three-fragment cycle through fields",
    ),
  );
  add(gql("fragments", "cycle through inline fragments", `{ me { ...U } } fragment U on User { ... on User { ...U } }`));
  {
    // "Billion laughs": each fragment spreads the previous one twice, 2^40 leaf fields once expanded.
    const laughs = [`fragment L0 on Doctor { id name }`];
    for (let i = 1; i <= 40; i++) laughs.push(`fragment L${i} on Doctor { ...L${i - 1} ...L${i - 1} }`);
    add(doctorVar(`query Q($id: ID!) { doctor(id: $id) { ...L40 } } ${laughs.join(" ")}`, "fragments", "exponential fragment spreads (2^40 fields)"));
    // The same, through list fields: each level doubles the list selections and adds two levels of depth.
    const wide = ["fragment W0 on Doctor { id name }"];
    for (let i = 1; i <= 20; i++) wide.push(`fragment W${i} on Doctor { timeOff { doctor { ...W${i - 1} } } timeOff { doctor { ...W${i - 1} id } } }`);
    add(doctorVar(`query Q($id: ID!) { doctor(id: $id) { ...W20 } } ${wide.join(" ")}`, "fragments", "fragment explosion through nested lists"));
  }
  add(gql("fragments", "unknown fragment", `{ me { ...Nope } }`));
  add(gql("fragments", "fragment on a wrong type", `{ me { ...F } } fragment F on Doctor { id }`));
  add(
    gql(
      "fragments",
      "10 000 unused fragments",
      `{ me { id } } ${Array.from({ length: 10_000 }, (_, i) => `fragment U${i} on User { id }`).join(" ")}`,
      TOO_BIG,
    ),
  );

  // --- aliases (limit 15)
  const aliasQuery = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: specialties { code }`).join(" ")} }`;
  add(gql("aliases", "16 aliases", aliasQuery(16)));
  add(gql("aliases", "1 000 aliases", aliasQuery(1_000), TOO_BIG));
  add(gql("aliases", "20 000 aliases of __typename", `{ ${Array.from({ length: 20_000 }, (_, i) => `t${i}: __typename`).join(" ")} }`, TOO_BIG));
  add(
    gql(
      "aliases",
      "aliases nested under aliases (4 × 4 × 4)",
      `{ ${[0, 1, 2, 3].map((i) => `a${i}: doctors { b0: edges { c0: cursor c1: cursor c2: cursor c3: cursor } b1: edges { cursor } b2: edges { cursor } b3: edges { cursor } }`).join(" ")} }`,
    ),
  );

  // --- duplicated fields (merged by GraphQL, still work for every validator)
  add(gql("duplicates", "the same field 50 000 times", `{ specialties { ${"code ".repeat(50_000)}} }`, TOO_BIG));
  add(gql("duplicates", "the same list field 5 000 times with selections", `{ ${"specialties { code name } ".repeat(5_000)}}`, TOO_BIG));
  add(
    gql(
      "duplicates",
      "conflicting duplicates (same name, different arguments)",
      `{ doctors(first: 1) { edges { cursor } } doctors(first: 2) { edges { cursor } } }`,
    ),
  );

  // --- cost (limit 5 000)
  {
    let nested = "id";
    for (let i = 0; i < 9; i++) nested = i % 2 === 0 ? `timeOff { id ${nested} }` : `doctor { id name services { id code name kind } ${nested} }`;
    add(
      gql(
        "cost",
        "15 wide, 11 deep over lists",
        `{ doctors(first: 100) { edges { node { ${Array.from({ length: 15 }, (_, i) => `x${i}: services { id }`).join(" ")} ${nested} } } } }`,
      ),
    );
  }
  add(
    gql(
      "cost",
      "every list at the page maximum, many times",
      `{ ${Array.from({ length: 14 }, (_, i) => `p${i}: doctors(first: 100) { edges { node { services { id code name kind durationMinutes } weeklySchedule { dayOfWeek startTime endTime slotMinutes } timeOff { id from to doctor { id name } } } } }`).join(" ")} }`,
    ),
  );
  add({
    transport: "http",
    family: "cost",
    name: "availableSlots at 500, each with the doctor's whole week and time off, 10 times",
    caller: "PATIENT",
    request: () => ({
      graphql: {
        query: `query($f: SlotFilter!) { ${Array.from({ length: 10 }, (_, i) => `s${i}: availableSlots(filter: $f, first: 500) { id doctor { services { id name } weeklySchedule { dayOfWeek startTime } timeOff { doctor { services { id } } } } }`).join(" ")} }`,
        variables: { f: { from: FROM, to: TO } },
      },
    }),
    expect: { codes: VALIDATION, status: [400] },
  });

  // --- directives (limit 50)
  add(gql("directives", "51 @include on one field", `{ me ${"@include(if: true) ".repeat(51)}{ id } }`));
  add(gql("directives", "20 000 @skip across fields", `{ me { ${"id @skip(if: false) ".repeat(20_000)}} }`, TOO_BIG));
  add(gql("directives", "unknown directive", `{ me @nope { id } }`));
  add(gql("directives", "directive in the wrong place", `query @include(if: true) { me { id } }`));
  add(gql("directives", "@skip without its argument", `{ me @skip { id } }`));

  // --- batching (off)
  const batch = (n: number) => JSON.stringify(Array.from({ length: n }, () => ({ query: "{ specialties { code } }" })));
  add(raw("batching", "two operations in a JSON array", () => json(batch(2)), { codes: BAD_REQUEST, status: [400] }));
  add(raw("batching", "5 000 operations in a JSON array", () => json(batch(5_000)), { codes: BAD_REQUEST, status: [400] }));
  add(raw("batching", "an empty JSON array", () => json("[]"), { codes: BAD_REQUEST, status: [400] }));
  add(
    raw(
      "batching",
      "two mutations in a JSON array",
      () => json(JSON.stringify([{ query: 'mutation { logout(refreshToken: "a") }' }, { query: 'mutation { logout(refreshToken: "b") }' }])),
      { codes: BAD_REQUEST, status: [400] },
    ),
  );

  // --- size (body limit 1 MB)
  add(raw("size", "a 2 MB body", () => json({ query: "{ specialties { code } }", variables: { pad: "x".repeat(2 * 1024 * 1024) } }), { status: [413] }));
  add(raw("size", "a body one byte over 1 MB", () => json(exactBody(1024 * 1024 + 1)), { status: [413] }));
  add(raw("size", "a 1 MB query made of comments", () => json({ query: `${"# padding\n".repeat(100_000)}{ nope }` }), { status: [400, 413] }));
  add({
    transport: "http",
    family: "size",
    name: "a name just under the 1 MB body limit",
    caller: "ANONYMOUS",
    request: () => ({ raw: json(nearLimitRegistration()) }),
    expect: { codes: BAD_INPUT, status: [200, 400] },
  });
  add({
    transport: "http",
    family: "size",
    name: "a 900 kB cancellation reason",
    caller: "ADMIN",
    request: (fx) => ({
      graphql: {
        query: "mutation($id: ID!, $r: String) { cancelAppointment(id: $id, reason: $r) { id } }",
        variables: { id: fx.appointmentId, r: "y".repeat(900_000) },
      },
    }),
    expect: { codes: BAD_INPUT },
  });
  add({
    transport: "http",
    family: "size",
    name: "a 500 kB string literal in the query",
    caller: "ANONYMOUS",
    request: () => ({
      graphql: {
        query: `mutation { registerPatient(input: { email: "big@example.test", password: "Hostile-password-1", name: "${"z".repeat(500_000)}" }) { accessToken } }`,
      },
    }),
    expect: { codes: BAD_INPUT },
  });
  add({
    transport: "http",
    family: "size",
    name: "50 000 service codes",
    caller: "ADMIN",
    request: (fx) => ({
      graphql: {
        query: "mutation($id: ID!, $i: UpdateDoctorInput!) { updateDoctor(id: $id, input: $i) { id } }",
        variables: { id: fx.doctor.id, i: { serviceCodes: Array.from({ length: 50_000 }, (_, i) => `CODE_${i}`) } },
      },
    }),
    expect: { codes: BAD_INPUT },
  });
  add({
    transport: "http",
    family: "size",
    name: "100 000 distinct service codes (past PostgreSQL's 65 535 bind parameters)",
    caller: "ADMIN",
    request: (fx) => ({
      graphql: {
        query: "mutation($id: ID!, $i: UpdateDoctorInput!) { updateDoctor(id: $id, input: $i) { id } }",
        variables: { id: fx.doctor.id, i: { serviceCodes: Array.from({ length: 100_000 }, (_, i) => i.toString(36)) } },
      },
    }),
    expect: { codes: BAD_INPUT },
  });
  add({
    transport: "http",
    family: "size",
    name: "5 000 weekly rules",
    caller: "ADMIN",
    request: (fx) => ({
      graphql: {
        query: "mutation($d: ID!, $r: [ScheduleRuleInput!]!) { setWeeklySchedule(doctorId: $d, rules: $r) { id } }",
        variables: {
          d: fx.doctor.id,
          r: Array.from({ length: 5_000 }, () => ({ dayOfWeek: "MONDAY", startTime: "09:00", endTime: "12:00", slotMinutes: 30 })),
        },
      },
    }),
    expect: { codes: BAD_INPUT },
  });

  if (apiSchema.getQueryType()?.getFields().myCareRelationships)
    add({
      transport: "http",
      family: "size",
      name: "20 000 patient ids",
      caller: "DOCTOR",
      request: () => ({
        graphql: {
          query: "query($p: [ID!]!) { myCareRelationships(patientIds: $p) }",
          variables: { p: Array.from({ length: 20_000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`) },
        },
      }),
      expect: { codes: BAD_INPUT },
    });

  // --- nesting of inputs
  add({
    transport: "http",
    family: "nesting",
    name: "variables nested 100 000 deep (JSON)",
    caller: "PATIENT",
    request: () => ({
      raw: json(
        `{"query":"query($f: DoctorFilter) { doctors(filter: $f) { edges { cursor } } }","variables":{"f":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`,
      ),
    }),
    expect: { codes: [...MALFORMED], status: [400] },
  });
  add({
    transport: "http",
    family: "nesting",
    name: "input object nested 2 000 deep in a variable",
    caller: "PATIENT",
    request: () => {
      let value: Record<string, unknown> = { name: "x" };
      for (let i = 0; i < 2_000; i++) value = { name: value };
      return { graphql: { query: "query($f: DoctorFilter) { doctors(filter: $f) { edges { cursor } } }", variables: { f: value } } };
    },
    expect: { codes: BAD_INPUT },
  });
  add(gql("nesting", "list literal nested 5 000 deep", `{ medicalServices(kind: ${"[".repeat(5_000)}CHECKUP${"]".repeat(5_000)}) { id } }`, PARSE));
  add(
    gql("nesting", "object literal nested 5 000 deep", `{ doctors(filter: ${"{ name: ".repeat(5_000)}"x"${" }".repeat(5_000)}) { edges { cursor } } }`, PARSE),
  );
  add(
    gql(
      "nesting",
      "list literal nested 1 900 deep (the parser's own stack, under the token limit)",
      `{ medicalServices(kind: ${"[".repeat(1_900)}CHECKUP${"]".repeat(1_900)}) { id } }`,
      PARSE,
    ),
  );
  add({
    transport: "ws",
    family: "nesting",
    name: "list literal nested 1 900 deep in a subscription (WebSocket)",
    connectionParams: (fx) => ({ authorization: `Bearer ${fx.tokens.ADMIN}` }),
    subscribe: () => ({ query: `subscription { appointmentRequests(doctorId: ${"[".repeat(1_900)}"x"${"]".repeat(1_900)}) { cursor } }` }),
    expect: { codes: PARSE },
  });
  add(gql("nesting", "list literal nested 300 deep (under the token limit)", `{ medicalServices(kind: ${"[".repeat(300)}CHECKUP${"]".repeat(300)}) { id } }`));
  add(
    gql(
      "nesting",
      "object literal nested 300 deep (under the token limit)",
      `{ doctors(filter: ${"{ name: ".repeat(300)}"x"${" }".repeat(300)}) { edges { cursor } } }`,
    ),
  );
  add({
    transport: "http",
    family: "nesting",
    name: "prototype pollution keys in an input object",
    caller: "ANONYMOUS",
    request: () => ({
      raw: json(
        `{"query":"mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken } }","variables":{"i":{"__proto__":{"role":"ADMIN"},"constructor":{"prototype":{"role":"ADMIN"}},"email":"${freshEmail()}","password":"Hostile-password-1","name":"Proto"}}}`,
      ),
    }),
    expect: { codes: BAD_INPUT },
  });

  // --- unknown fields, arguments, types, operations
  add(gql("unknown", "unknown root field", `{ nope }`));
  add(gql("unknown", "unknown nested field", `{ me { id passwordHash } }`));
  add(gql("unknown", "federation's _entities through the router", `{ _entities(representations: [{ __typename: "User", id: "x" }]) { __typename } }`));
  add(gql("unknown", "federation's _service through the router", `{ _service { sdl } }`));
  add(gql("unknown", "unknown argument", `{ doctors(nope: 1) { edges { cursor } } }`));
  add(gql("unknown", "unknown input field", `{ doctors(filter: { nope: "x" }) { edges { cursor } } }`));
  add(gql("unknown", "unknown variable type", `query($x: Nope) { me { id } }`));
  add(gql("unknown", "undefined variable", `{ doctor(id: $nope) { id } }`));
  add(gql("unknown", "unused variable", `query($x: Int) { me { id } }`));
  add(gql("unknown", "a mistyped field (no suggestion given)", `{ doctorz { edges { cursor } } }`));
  add({
    transport: "ws",
    family: "unknown",
    name: "a mistyped subscription field (WebSocket, no suggestion given)",
    connectionParams: (fx) => ({ authorization: `Bearer ${fx.tokens.PATIENT}` }),
    subscribe: () => ({ query: "subscription { myAppointmentUpdate { cursor } }" }),
    expect: { codes: VALIDATION },
  });
  add(
    gql(
      "unknown",
      "a mistyped enum value in a variable (no suggestion given)",
      "query($r: Role) { users(role: $r) { edges { cursor } } }",
      BAD_INPUT,
      "ADMIN",
      { r: "ADMN" },
    ),
  );
  add(gql("unknown", "field on a scalar", `{ me { id { x } } }`));
  add(gql("unknown", "object without selection", `{ me }`));
  add(gql("unknown", "required argument missing", `{ doctor { id } }`));
  add(
    raw("unknown", "operationName that names nothing", () => json({ query: "query A { me { id } }", operationName: "B" }), {
      codes: [...MALFORMED, "OPERATION_RESOLUTION_FAILURE"],
      status: [400],
    }),
  );
  add(
    raw("unknown", "two operations and no operationName", () => json({ query: "query A { me { id } } query B { me { id } }" }), {
      codes: [...MALFORMED, "OPERATION_RESOLUTION_FAILURE"],
      status: [400],
    }),
  );
  add(gql("unknown", "a subscription over HTTP", `subscription { myAppointmentUpdates { cursor } }`, [...MALFORMED, "OPERATION_RESOLUTION_FAILURE"]));
  add(gql("unknown", "a 100 000-character field name", `{ ${"f".repeat(100_000)} }`));
  add(gql("unknown", "10 000 unused variables", `query(${Array.from({ length: 10_000 }, (_, i) => `$v${i}: Int`).join(", ")}) { me { id } }`, TOO_BIG));
  add(gql("unknown", "syntax error", `{ me { id }`, PARSE));
  add(gql("unknown", "not GraphQL at all", `SELECT * FROM accounts.users`, PARSE));
  add(gql("unknown", "a unicode field name", `{ mé { id } }`, PARSE));
  add(gql("unknown", "an empty query", ``, MALFORMED));

  // --- variable types
  const docVar = (name: string, query: string, variables: Record<string, unknown>, codes: readonly string[] = BAD_INPUT) =>
    add({ transport: "http", family: "variables", name, caller: "PATIENT", request: () => ({ graphql: { query, variables } }), expect: { codes } });
  docVar("a string for an Int", "query($n: Int) { doctors(first: $n) { edges { cursor } } }", { n: "abc" });
  docVar("null for a non-null ID", "query($id: ID!) { doctor(id: $id) { id } }", { id: null });
  docVar("an object for an ID", "query($id: ID!) { doctor(id: $id) { id } }", { id: { $ne: null } });
  docVar("an array for an ID", "query($id: ID!) { doctor(id: $id) { id } }", { id: ["a", "b"] });
  docVar("a boolean for an ID", "query($id: ID!) { doctor(id: $id) { id } }", { id: true });
  docVar("a string for an input object", "query($f: DoctorFilter) { doctors(filter: $f) { edges { cursor } } }", { f: "name" });
  docVar("a required variable missing", "query($id: ID!) { doctor(id: $id) { id } }", {});
  docVar("a list for a single value", "query($k: ServiceKind) { medicalServices(kind: $k) { id } }", { k: ["CHECKUP", "IMAGING"] });
  docVar("a nested null in a required input field", "query($f: SlotFilter!) { availableSlots(filter: $f) { id } }", { f: { from: null, to: TO } });
  docVar("a variable of the wrong declared type", "query($id: String!) { doctor(id: $id) { id } }", { id: "x" }, VALIDATION);
  docVar("a nullable variable where non-null is required", "query($id: ID) { doctor(id: $id) { id } }", { id: "x" }, VALIDATION);
  add(
    raw(
      "variables",
      "variables as a JSON string",
      () => json({ query: "query($id: ID!) { doctor(id: $id) { id } }", variables: '{"id":"x"}' }),
      { codes: [...MALFORMED], status: [400] },
      "PATIENT",
    ),
  );
  add(
    raw(
      "variables",
      "variables as an array",
      () => json({ query: "query($id: ID!) { doctor(id: $id) { id } }", variables: ["x"] }),
      { codes: [...MALFORMED], status: [400] },
      "PATIENT",
    ),
  );
  add(raw("variables", "query as a number", () => json({ query: 42 }), { codes: [...MALFORMED], status: [400] }));
  add(raw("variables", "query as an object", () => json({ query: { kind: "Document" } }), { codes: [...MALFORMED], status: [400] }));
  add(raw("variables", "query null", () => json({ query: null }), { codes: [...MALFORMED], status: [400] }));
  add(raw("variables", "no query", () => json({ variables: {} }), { codes: [...MALFORMED], status: [400] }));
  add(raw("variables", "operationName as a number", () => json({ query: "{ me { id } }", operationName: 7 }), { codes: [...MALFORMED], status: [400] }));
  add(raw("variables", "extensions as a string", () => json({ query: "{ me { id } }", extensions: "x" }), { codes: [...MALFORMED], status: [400] }));

  // --- malformed JSON
  const badJson = (name: string, body: string | Buffer, headers: Record<string, string> = { "content-type": "application/json" }) =>
    add(raw("json", name, () => ({ method: "POST", headers, body }), { codes: [...MALFORMED], status: [400, 415] }));
  badJson("truncated JSON", '{"query": "{ me { id } }"');
  badJson("not JSON", "this is not json");
  badJson("empty body", "");
  badJson("single quotes", "{'query': '{ me { id } }'}");
  badJson("trailing comma", '{"query": "{ me { id } }",}');
  badJson("NaN literal", '{"query": "{ me { id } }", "variables": {"n": NaN}}');
  badJson("a bare JSON string", '"{ me { id } }"');
  badJson("a bare JSON number", "42");
  badJson("JSON null", "null");
  badJson("invalid UTF-8", Buffer.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xfd, 0x22, 0x7d]));
  badJson("UTF-16 body declared as UTF-8", Buffer.from('{"query":"{ me { id } }"}', "utf16le"), { "content-type": "application/json; charset=utf-8" });
  badJson("an unknown charset", '{"query":"{ me { id } }"}', { "content-type": "application/json; charset=ebcdic-fr" });
  badJson("a lone surrogate in the query", '{"query":"{ me { id \\ud800 } }"}');
  badJson("gzip declared, plain sent", '{"query":"{ me { id } }"}', { "content-type": "application/json", "content-encoding": "gzip" });
  badJson("an unknown content encoding", '{"query":"{ me { id } }"}', { "content-type": "application/json", "content-encoding": "br2" });

  // --- HTTP methods and content types
  const preflight = { "apollo-require-preflight": "true" };
  const get = (search: string, headers: Record<string, string> = preflight): RawCall => ({ method: "GET", headers, search });
  add(
    raw("http", "GET with a mutation", () => get(`?query=${encodeURIComponent('mutation { logout(refreshToken: "x") }')}`), {
      codes: BAD_REQUEST,
      status: [405],
    }),
  );
  add(
    raw(
      "http",
      "GET with a mutation picked by operationName",
      () => get(`?query=${encodeURIComponent('query A { me { id } } mutation B { logout(refreshToken: "x") }')}&operationName=B`),
      { codes: BAD_REQUEST, status: [405] },
    ),
  );
  add(
    raw("http", "GET without the CSRF preflight header", () => get(`?query=${encodeURIComponent("{ me { id } }")}`, {}), { codes: BAD_REQUEST, status: [400] }),
  );
  add(
    raw(
      "http",
      "GET with variables that are not JSON",
      () => get(`?query=${encodeURIComponent("query($id: ID!) { doctor(id: $id) { id } }")}&variables=%7Bnope`),
      { codes: BAD_REQUEST, status: [400] },
    ),
  );
  add(raw("http", "GET with no query", () => get(""), { codes: BAD_REQUEST, status: [400] }));
  const posted = (name: string, headers: Record<string, string>, body = '{"query":"mutation { logout(refreshToken: \\"x\\") }"}') =>
    add(raw("http", name, () => ({ method: "POST", headers, body }), { codes: BAD_REQUEST, status: [400, 415] }));
  posted("text/plain (a browser's simple request)", { "content-type": "text/plain" });
  posted("form-urlencoded", { "content-type": "application/x-www-form-urlencoded" }, "query=mutation%20%7B%20logout(refreshToken%3A%20%22x%22)%20%7D");
  posted(
    "multipart/form-data",
    { "content-type": "multipart/form-data; boundary=x" },
    '--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ me { id } }"}\r\n--x--',
  );
  posted("application/xml", { "content-type": "application/xml" }, "<query>{ me { id } }</query>");
  posted("application/graphql", { "content-type": "application/graphql" }, "{ me { id } }");
  posted("no content type", {});
  for (const method of ["PUT", "PATCH", "DELETE"])
    add(
      raw("http", `${method} with a JSON body`, () => ({ ...json({ query: 'mutation { logout(refreshToken: "x") }' }), method }), { status: [400, 404, 405] }),
    );
  add(
    raw(
      "http",
      "20 kB of headers",
      () => ({ ...json({ query: "{ me { id } }" }), headers: { "content-type": "application/json", "x-pad": "p".repeat(20_000) } }),
      { status: [431] },
    ),
  );
  add(
    raw(
      "http",
      "500 copies of one header",
      () => json({ query: "{ specialties { code } }" }, Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`x-h${i}`, "v".repeat(40)]))),
      { status: [431] },
    ),
  );

  // --- persisted queries
  const apq = (hash: unknown, version: unknown = 1) => ({ persistedQuery: { version, sha256Hash: hash } });
  add(raw("persisted", "an unknown persisted-query hash", () => json({ extensions: apq("a".repeat(64)) }), { codes: ["PERSISTED_QUERY_NOT_FOUND"] }));
  add(
    raw("persisted", "a hash that does not match its query", () => json({ query: 'mutation { logout(refreshToken: "x") }', extensions: apq("b".repeat(64)) }), {
      codes: ["PERSISTED_QUERY_HASH_MISMATCH", "BAD_REQUEST"],
      status: [400],
    }),
  );
  add(
    raw("persisted", "an unsupported persisted-query version", () => json({ query: "{ me { id } }", extensions: apq("c".repeat(64), 99) }), {
      codes: BAD_REQUEST,
      status: [400],
    }),
  );
  add(
    raw("persisted", "a hash that is not a string", () => json({ extensions: apq({ $ne: null }) }), {
      codes: [...MALFORMED, "PERSISTED_QUERY_NOT_FOUND"],
      status: [200, 400],
    }),
  );
  add(
    raw("persisted", "SQL in the hash", () => json({ extensions: apq("' OR 1=1 --") }), {
      codes: [...MALFORMED, "PERSISTED_QUERY_NOT_FOUND"],
      status: [200, 400],
    }),
  );

  // --- the router's identity header, sent by a client
  const spoofed = (name: string, header: (fx: Fixtures) => Promise<string> | string) =>
    add({
      transport: "http",
      family: "identity",
      name,
      caller: "ANONYMOUS",
      headers: async (fx) => ({ [IDENTITY_HEADER]: await header(fx) }),
      // users is ADMIN-only: the router must decide on the (absent) access token, never on this header.
      request: () => ({ graphql: { query: "{ users { edges { cursor } } }" } }),
      expect: { codes: ["UNAUTHENTICATED"] },
    });
  spoofed("a client-sent identity header (ADMIN, signed with the real router secret)", (fx) =>
    signIdentity({ userId: fx.admin.id, role: "ADMIN" as Role, requestId: "spoof", scopes: ["staff", "admin"] }, fx.routerSecrets),
  );
  spoofed("a client-sent identity header (garbage)", () => "garbage");

  return cases;
}

/** A JSON body of exactly `bytes` bytes. */
function exactBody(bytes: number): string {
  const shell = JSON.stringify({ query: "{ specialties { code } }", variables: { pad: "" } });
  return shell.replace('"pad":""', `"pad":"${"x".repeat(bytes - shell.length)}"`);
}

/** A registration whose name makes the body 1 000 bytes under the router's 1 MB limit. */
function nearLimitRegistration(): string {
  const shell = JSON.stringify({
    query: "mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken } }",
    variables: { i: { email: freshEmail(), password: "Hostile-password-1", name: "" } },
  });
  return shell.replace('"name":""', `"name":"${"n".repeat(1024 * 1024 - 1_000 - shell.length)}"`);
}

// ---------------------------------------------------------------------------------------------------------------
// Access tokens

const b64json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function signEdDSA(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const input = `${b64json(header)}.${b64json(payload)}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString("base64url")}`;
}

function signHS256(header: Record<string, unknown>, payload: Record<string, unknown>, secret: string | Buffer): string {
  const input = `${b64json(header)}.${b64json(payload)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

/** Claims of a valid access token for the fixture patient (as accounts issues them). */
export function patientClaims(fx: Fixtures, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: "clinigraph-accounts",
    aud: "clinigraph",
    sub: fx.patient.id,
    role: "PATIENT",
    scope: "patient",
    iat: now,
    auth_time: now,
    exp: now + 600,
    // The fixture patient's open session (a refresh-token family), as in the tokens accounts issues.
    sid: sessionOf(fx.tokens.PATIENT),
    ...overrides,
  };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
  return claims;
}

const sessionOf = (token: string) => (JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as { sid?: string }).sid;

const realHeader = (fx: Fixtures, overrides: Record<string, unknown> = {}) => ({ alg: "EdDSA", typ: "JWT", kid: fx.signingKey.kid, ...overrides });
export const realToken = (fx: Fixtures, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
  signEdDSA(realHeader(fx, header), patientClaims(fx, claims), fx.signingKey.privateKey);

const attacker = generateKeyPairSync("ed25519");
const attackerP256 = generateKeyPairSync("ec", { namedCurve: "P-256" });

/** Bearer header values the router must refuse (401 UNAUTHENTICATED on HTTP, close 4401 on WebSocket). */
const TOKENS: [string, (fx: Fixtures) => string][] = [
  ["alg none, no signature", (fx) => `Bearer ${b64json({ alg: "none", typ: "JWT" })}.${b64json(patientClaims(fx))}.`],
  ["alg none with a role of ADMIN", (fx) => `Bearer ${b64json({ alg: "none" })}.${b64json(patientClaims(fx, { role: "ADMIN", scope: "staff admin" }))}.`],
  ["alg None (casing), real signature kept", (fx) => `Bearer ${swapHeader(realToken(fx), { alg: "None", typ: "JWT", kid: fx.signingKey.kid })}`],
  [
    "HS256 keyed with the public key (PEM)",
    (fx) => `Bearer ${signHS256({ alg: "HS256", kid: fx.signingKey.kid }, patientClaims(fx), fx.signingKey.publicKey.export({ type: "spki", format: "pem" }))}`,
  ],
  [
    "HS256 keyed with the public JWK (JSON)",
    (fx) => `Bearer ${signHS256({ alg: "HS256", kid: fx.signingKey.kid }, patientClaims(fx), JSON.stringify(fx.signingKey.publicJwk))}`,
  ],
  [
    "HS256 keyed with the raw public key",
    (fx) => `Bearer ${signHS256({ alg: "HS256", kid: fx.signingKey.kid }, patientClaims(fx), Buffer.from(String(fx.signingKey.publicJwk.x), "base64url"))}`,
  ],
  [
    "HS256 keyed with the router's identity secret",
    (fx) => `Bearer ${signHS256({ alg: "HS256" }, patientClaims(fx, { role: "ADMIN" }), fx.routerSecrets[0]!)}`,
  ],
  [
    "the router's own identity token as an access token",
    (fx) =>
      `Bearer ${signHS256({ alg: "HS256", typ: "JWT" }, { sub: fx.admin.id, role: "ADMIN", iss: "clinigraph-router", aud: "clinigraph-subgraphs", iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 60 }, fx.routerSecrets[0]!)}`,
  ],
  ["another Ed25519 key under the real key id", (fx) => `Bearer ${signEdDSA(realHeader(fx), patientClaims(fx), attacker.privateKey)}`],
  [
    "another Ed25519 key under an unknown key id",
    (fx) => `Bearer ${signEdDSA(realHeader(fx, { kid: "attacker-key" }), patientClaims(fx), attacker.privateKey)}`,
  ],
  [
    "another key, its public JWK embedded in the header",
    (fx) => `Bearer ${signEdDSA(realHeader(fx, { jwk: attacker.publicKey.export({ format: "jwk" }) }), patientClaims(fx), attacker.privateKey)}`,
  ],
  [
    "another key, a jku header pointing elsewhere",
    (fx) => `Bearer ${signEdDSA(realHeader(fx, { jku: "http://127.0.0.1:1/jwks.json", kid: "attacker-key" }), patientClaims(fx), attacker.privateKey)}`,
  ],
  ["SQL injection in the key id", (fx) => `Bearer ${signEdDSA(realHeader(fx, { kid: "' OR 1=1 --" }), patientClaims(fx), attacker.privateKey)}`],
  ["path traversal in the key id", (fx) => `Bearer ${signEdDSA(realHeader(fx, { kid: "../../../../dev/null" }), patientClaims(fx), attacker.privateKey)}`],
  ["ES256 with another key", (fx) => `Bearer ${es256(realHeader(fx, { alg: "ES256" }), patientClaims(fx))}`],
  ["no session id (real key)", (fx) => `Bearer ${realToken(fx, { sid: undefined })}`],
  ["a session that does not exist (real key)", (fx) => `Bearer ${realToken(fx, { sid: "00000000-0000-4000-8000-00000000dead" })}`],
  ["a session id that is not a uuid (real key)", (fx) => `Bearer ${realToken(fx, { sid: "' OR 1=1 --" })}`],
  ["a signed-out session (real key)", (fx) => `Bearer ${realToken(fx, { sid: fx.endedSessionId })}`],
  ["expired an hour ago (real key)", (fx) => `Bearer ${realToken(fx, { iat: nowS() - 4_200, exp: nowS() - 3_600 })}`],
  ["expired a minute ago, past the clock tolerance (real key)", (fx) => `Bearer ${realToken(fx, { exp: nowS() - 60 })}`],
  ["not valid before next hour (real key)", (fx) => `Bearer ${realToken(fx, { nbf: nowS() + 3_600 })}`],
  [
    "payload tampered: role PATIENT → ADMIN, signature kept",
    (fx) => `Bearer ${swapPayload(realToken(fx), patientClaims(fx, { role: "ADMIN", scope: "staff admin" }))}`,
  ],
  ["payload tampered: sub → the admin, signature kept", (fx) => `Bearer ${swapPayload(realToken(fx), patientClaims(fx, { sub: fx.admin.id }))}`],
  ["signature of another token", (fx) => `Bearer ${swapSignature(realToken(fx), realToken(fx, { sub: fx.admin.id }))}`],
  ["signature stripped", (fx) => `Bearer ${realToken(fx).split(".").slice(0, 2).join(".")}.`],
  ["wrong audience: the subgraphs' (real key)", (fx) => `Bearer ${realToken(fx, { aud: "clinigraph-subgraphs" })}`],
  ["wrong audience: none (real key)", (fx) => `Bearer ${realToken(fx, { aud: undefined })}`],
  ["wrong issuer (real key)", (fx) => `Bearer ${realToken(fx, { iss: "https://evil.example" })}`],
  ["the router as issuer (real key)", (fx) => `Bearer ${realToken(fx, { iss: "clinigraph-router" })}`],
  ["no sub (real key)", (fx) => `Bearer ${realToken(fx, { sub: undefined })}`],
  ["empty sub (real key)", (fx) => `Bearer ${realToken(fx, { sub: "" })}`],
  ["no exp (real key)", (fx) => `Bearer ${realToken(fx, { exp: undefined })}`],
  ["exp as a string (real key)", (fx) => `Bearer ${realToken(fx, { exp: String(nowS() + 600) })}`],
  ["unknown role SUPERUSER (real key)", (fx) => `Bearer ${realToken(fx, { role: "SUPERUSER" })}`],
  ["no role (real key)", (fx) => `Bearer ${realToken(fx, { role: undefined })}`],
  ["role as a list (real key)", (fx) => `Bearer ${realToken(fx, { role: ["ADMIN"] })}`],
  ["role in lower case (real key)", (fx) => `Bearer ${realToken(fx, { role: "admin" })}`],
  ["critical header extension (real key)", (fx) => `Bearer ${realToken(fx, {}, { crit: ["exp-ext"], "exp-ext": true })}`],
  ["garbage", () => "Bearer garbage"],
  ["three segments of junk", () => "Bearer aaa.bbb.ccc"],
  ["a JWT-shaped header of JSON junk", () => `Bearer ${b64json("x")}.${b64json([1, 2])}.${b64json(null)}`],
  ["Bearer without a token", () => "Bearer"],
  ["Bearer and spaces", () => "Bearer     "],
  ["two tokens in one header", (fx) => `Bearer ${realToken(fx)} ${realToken(fx)}`],
  ["two Bearer credentials, comma-separated", (fx) => `Bearer ${realToken(fx)}, Bearer ${realToken(fx)}`],
  ["Basic credentials", () => `Basic ${Buffer.from("admin:admin").toString("base64")}`],
  ["a token in the wrong scheme", (fx) => `Token ${realToken(fx)}`],
  ["a refresh token as the bearer token", (fx) => `Bearer ${fx.patient.refreshToken}`],
  ["a 12 kB token", () => `Bearer ${"a".repeat(6_000)}.${"b".repeat(6_000)}.c`],
];

const nowS = () => Math.floor(Date.now() / 1000);
const swapPayload = (token: string, claims: Record<string, unknown>) => {
  const [h, , s] = token.split(".");
  return `${h}.${b64json(claims)}.${s}`;
};
const swapHeader = (token: string, header: Record<string, unknown>) => {
  const [, p, s] = token.split(".");
  return `${b64json(header)}.${p}.${s}`;
};
const swapSignature = (token: string, other: string) => `${token.split(".").slice(0, 2).join(".")}.${other.split(".")[2]}`;
function es256(header: Record<string, unknown>, payload: Record<string, unknown>) {
  const input = `${b64json(header)}.${b64json(payload)}`;
  return `${input}.${sign("sha256", Buffer.from(input), { key: attackerP256.privateKey, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
}

function tokenCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const [label, header] of TOKENS) {
    cases.push({
      transport: "http",
      family: "tokens",
      name: `HTTP: ${label}`,
      authorization: header,
      // me is public: a bad token must be refused, not treated as anonymous.
      request: () => ({ graphql: { query: "{ me { id role } }" } }),
      expect: { codes: ["UNAUTHENTICATED"], status: [401] },
    });
    cases.push({
      transport: "ws",
      family: "tokens",
      name: `WebSocket: ${label}`,
      connectionParams: (fx) => ({ authorization: header(fx) }),
      expect: { close: 4401 },
    });
  }
  cases.push({ transport: "ws", family: "tokens", name: "WebSocket: no connection params", connectionParams: () => undefined, expect: { close: 4401 } });
  cases.push({
    transport: "ws",
    family: "tokens",
    name: "WebSocket: authorization as an object",
    connectionParams: (fx) => ({ authorization: { token: realToken(fx) } }),
    expect: { close: 4401 },
  });
  cases.push({
    transport: "ws",
    family: "tokens",
    name: "WebSocket: authorization as a number",
    connectionParams: () => ({ authorization: 42 }),
    expect: { close: 4401 },
  });
  cases.push({
    transport: "http",
    family: "tokens",
    name: "HTTP: a 20 kB authorization header",
    authorization: () => `Bearer ${"a".repeat(20_000)}`,
    request: () => ({ graphql: { query: "{ me { id } }" } }),
    expect: { status: [431] },
  });
  return cases;
}

// ---------------------------------------------------------------------------------------------------------------
// The corpus

export const CORPUS: readonly HostileCase[] = [...structureCases(), ...argumentCases(), ...tokenCases()];

/** Cases per family (reported by the test and in the issue note). */
export function familySizes(cases: readonly HostileCase[] = CORPUS): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const c of cases) sizes[c.family] = (sizes[c.family] ?? 0) + 1;
  return sizes;
}

// ---------------------------------------------------------------------------------------------------------------
// Hostile text that is data: free-text arguments store it verbatim, lookups match nothing

/** What the test provides to the data-text cases. */
export interface Harness {
  fx: Fixtures;
  call(caller: Caller | { token: string }, query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer>;
  freshPatient(): Promise<{ id: string; email: string; password: string; token: string }>;
  /** A free slot of the auto-approving doctor ("auto") or of the one who approves by hand ("manual"). */
  freeSlot(doctor: "auto" | "manual"): Promise<string>;
  /** A new appointment of the fixture patient in that state. */
  appointment(state: "PENDING" | "BOOKED" | "FULFILLED"): Promise<string>;
  /** A day (ISO date-time at midnight UTC) no other case uses, for time off. */
  freshDay(): string;
  /** Rows of a read on the stack's database: the read-back of text no operation returns (a deactivation's reason). */
  readDatabase<T extends Record<string, unknown>>(sql: string, values?: readonly unknown[]): Promise<T[]>;
}

export interface GraphQLAnswer {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [k: string]: unknown } }[];
}

/**
 * stored: the answer (or a read-back) must return the text exactly as sent.
 * secret: a password; the policy may refuse it (BAD_USER_INPUT), else signing in with it verbatim must work.
 * lookup: a search or token lookup; it must answer (or refuse with BAD_USER_INPUT) and match nothing.
 */
export type DataOutcome =
  | { kind: "stored"; answer: GraphQLAnswer; stored: unknown }
  | { kind: "secret"; answer: GraphQLAnswer; usable?: boolean }
  | { kind: "lookup"; answer: GraphQLAnswer; matches: number };

export interface DataTextSpec {
  /** The argument slots this spec covers (every free-text slot of a mutation must be covered). */
  covers: readonly string[];
  run(h: Harness, text: string): Promise<DataOutcome>;
}

const dig = (value: unknown, ...keys: (string | number)[]): unknown =>
  keys.reduce<unknown>((v, k) => (v === null || v === undefined ? undefined : (v as Record<string | number, unknown>)[k]), value);

async function loginWorks(h: Harness, email: string, password: string) {
  const res = await h.call("ANONYMOUS", "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }", { e: email, p: password });
  return typeof dig(res.data, "login", "accessToken") === "string";
}

const history = (answer: GraphQLAnswer, field: string, action: string) =>
  (dig(answer.data, field, "history") as { action: string; reason: string | null }[] | undefined)?.find((c) => c.action === action)?.reason;

export const DATA_TEXT: readonly DataTextSpec[] = [
  // lookups first: later cases store these very strings, which a search would then rightly find
  {
    covers: ["Query.notifications.filter.kind"],
    async run(h, text) {
      const answer = await h.call("ADMIN", "query($f: NotificationFilter) { notifications(filter: $f, first: 100) { edges { node { id } } } }", {
        f: { kind: text },
      });
      return { kind: "lookup", answer, matches: (dig(answer.data, "notifications", "edges") as unknown[] | undefined)?.length ?? 0 };
    },
  },
  {
    covers: ["Mutation.unregisterPushSubscription.endpoint"],
    async run(h, text) {
      const answer = await h.call("PATIENT", "mutation($e: String!) { unregisterPushSubscription(endpoint: $e) }", { e: text });
      return { kind: "lookup", answer, matches: dig(answer.data, "unregisterPushSubscription") === true ? 1 : 0 };
    },
  },
  {
    covers: ["Query.patients.search"],
    async run(h, text) {
      const answer = await h.call("ADMIN", "query($s: String) { patients(search: $s, first: 100) { edges { node { id } } } }", { s: text });
      return { kind: "lookup", answer, matches: (dig(answer.data, "patients", "edges") as unknown[] | undefined)?.length ?? 0 };
    },
  },
  ...(["name", "location", "specialty"] as const).map((key): DataTextSpec => ({
    covers: [`Query.doctors.filter.${key}`],
    async run(h, text) {
      const answer = await h.call("PATIENT", "query($f: DoctorFilter) { doctors(filter: $f, first: 100) { edges { node { id } } } }", { f: { [key]: text } });
      return { kind: "lookup", answer, matches: (dig(answer.data, "doctors", "edges") as unknown[] | undefined)?.length ?? 0 };
    },
  })),
  ...(["location", "specialty"] as const).map((key): DataTextSpec => ({
    covers: [`Query.availableSlots.filter.${key}`],
    async run(h, text) {
      const answer = await h.call("PATIENT", "query($f: SlotFilter!) { availableSlots(filter: $f, first: 500) { id } }", {
        f: { from: FROM, to: TO, [key]: text },
      });
      return { kind: "lookup", answer, matches: (dig(answer.data, "availableSlots") as unknown[] | undefined)?.length ?? 0 };
    },
  })),
  ...(["location", "specialty"] as const).map((key): DataTextSpec => ({
    covers: [`Query.kpis.filter.${key}`],
    async run(h, text) {
      const answer = await h.call(
        "ADMIN",
        'query($f: KpiFilter) { kpis(from: "2027-03-01", to: "2027-03-31", granularity: MONTH, filter: $f) { appointmentsRequested } }',
        {
          f: { [key]: text },
        },
      );
      const points = (dig(answer.data, "kpis") as { appointmentsRequested: number | null }[] | undefined) ?? [];
      return { kind: "lookup", answer, matches: points.reduce((sum, point) => sum + (point.appointmentsRequested ?? 0), 0) };
    },
  })),
  // analytics' breakdowns and CSV export: rows found, booked appointments in the load's cells, requested in the CSV
  ...(["location", "specialty"] as const).flatMap((key) =>
    (
      [
        ["kpisByDoctor", " { doctorId }", (rows) => (rows as unknown[] | undefined)?.length ?? 0],
        ["kpisBySpecialty", " { specialtyCode }", (rows) => (rows as unknown[] | undefined)?.length ?? 0],
        ["topServices", " { serviceId }", (rows) => (rows as unknown[] | undefined)?.length ?? 0],
        [
          "load",
          " { appointmentsBooked }",
          (cells) => ((cells as { appointmentsBooked: number | null }[] | undefined) ?? []).reduce((sum, c) => sum + (c.appointmentsBooked ?? 0), 0),
        ],
        [
          "kpisCsv",
          "",
          (csv) => {
            const [header = [], ...rows] = String(csv ?? "")
              .trim()
              .split("\r\n")
              .map((line) => line.split(","));
            const column = header.indexOf("appointmentsRequested");
            return rows.reduce((sum, row) => sum + Number(row[column] || 0), 0);
          },
        ],
      ] as [string, string, (data: unknown) => number][]
    ).map(([field, selection, matches]): DataTextSpec => ({
      covers: [`Query.${field}.filter.${key}`],
      async run(h, text) {
        const granularity = field === "kpisCsv" ? ", granularity: MONTH" : "";
        const answer = await h.call("ADMIN", `query($f: KpiFilter) { ${field}(from: "2027-03-01", to: "2027-03-31"${granularity}, filter: $f)${selection} }`, {
          f: { [key]: text },
        });
        return { kind: "lookup", answer, matches: matches(dig(answer.data, field)) };
      },
    })),
  ),
  {
    covers: ["Mutation.logout.refreshToken"],
    async run(h, text) {
      const answer = await h.call("ANONYMOUS", "mutation($t: String!) { logout(refreshToken: $t) }", { t: text });
      return { kind: "lookup", answer, matches: dig(answer.data, "logout") === true ? 1 : 0 };
    },
  },
  // free text
  {
    covers: ["Mutation.registerPatient.input.name"],
    async run(h, text) {
      const answer = await h.call("ANONYMOUS", "mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { user { name } } }", {
        i: { email: freshEmail(), password: "Hostile-password-1", name: text },
      });
      return { kind: "stored", answer, stored: dig(answer.data, "registerPatient", "user", "name") };
    },
  },
  {
    covers: ["Mutation.registerPatient.input.password"],
    async run(h, text) {
      const email = freshEmail();
      const answer = await h.call("ANONYMOUS", "mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { user { id } } }", {
        i: { email, password: text, name: "Secret Keeper" },
      });
      return { kind: "secret", answer, usable: answer.errors?.length ? undefined : await loginWorks(h, email, text) };
    },
  },
  {
    covers: ["Mutation.createStaffUser.input.name"],
    async run(h, text) {
      const answer = await h.call("ADMIN", "mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { name } }", {
        i: { email: freshEmail(), password: "Hostile-password-1", name: text, role: "BILLING" },
      });
      return { kind: "stored", answer, stored: dig(answer.data, "createStaffUser", "name") };
    },
  },
  {
    covers: ["Mutation.updateMyProfile.input.name"],
    async run(h, text) {
      const patient = await h.freshPatient();
      const answer = await h.call({ token: patient.token }, "mutation($i: UpdateProfileInput!) { updateMyProfile(input: $i) { name } }", { i: { name: text } });
      return { kind: "stored", answer, stored: dig(answer.data, "updateMyProfile", "name") };
    },
  },
  {
    covers: ["Mutation.updatePatient.input.name"],
    async run(h, text) {
      const patient = await h.freshPatient();
      const answer = await h.call("RECEPTIONIST", "mutation($id: ID!, $i: UpdatePatientInput!) { updatePatient(id: $id, input: $i) { name } }", {
        id: patient.id,
        i: { name: text },
      });
      return { kind: "stored", answer, stored: dig(answer.data, "updatePatient", "name") };
    },
  },
  {
    covers: ["Mutation.deactivateUser.reason"],
    async run(h, text) {
      const created = await h.call("ADMIN", "mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }", {
        i: { email: freshEmail(), password: "Hostile-password-1", name: "Leaving Staff", role: "BILLING" },
      });
      const id = dig(created.data, "createStaffUser", "id");
      const answer = await h.call("ADMIN", "mutation($id: ID!, $r: String!) { deactivateUser(id: $id, reason: $r) { deactivationReason } }", { id, r: text });
      return { kind: "stored", answer, stored: dig(answer.data, "deactivateUser", "deactivationReason") };
    },
  },
  {
    covers: ["Mutation.createStaffUser.input.password"],
    async run(h, text) {
      const email = freshEmail();
      const answer = await h.call("ADMIN", "mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }", {
        i: { email, password: text, name: "Staff Secret", role: "BILLING" },
      });
      return { kind: "secret", answer, usable: answer.errors?.length ? undefined : await loginWorks(h, email, text) };
    },
  },
  {
    covers: ["Mutation.changePassword.newPassword"],
    async run(h, text) {
      const patient = await h.freshPatient();
      const answer = await h.call({ token: patient.token }, "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }", {
        c: patient.password,
        n: text,
      });
      return { kind: "secret", answer, usable: answer.errors?.length ? undefined : await loginWorks(h, patient.email, text) };
    },
  },
  {
    covers: [
      "Mutation.createDoctor.input.name",
      "Mutation.createDoctor.input.licenseNumber",
      "Mutation.createDoctor.input.bio",
      "Mutation.createDoctor.input.location",
    ],
    async run(h, text) {
      const answer = await h.call("ADMIN", "mutation($i: CreateDoctorInput!) { createDoctor(input: $i) { name licenseNumber bio location } }", {
        i: {
          email: freshEmail(),
          password: "Doctor-password-1",
          name: text,
          licenseNumber: text,
          bio: text,
          location: text,
          specialtyCode: "GP",
          timezone: "Europe/Berlin",
        },
      });
      const doctor = dig(answer.data, "createDoctor") as Record<string, unknown> | undefined;
      // All four must hold the text: report the first that does not.
      const stored = doctor ? (Object.values(doctor).find((v) => v !== text) ?? text) : undefined;
      return { kind: "stored", answer, stored };
    },
  },
  {
    covers: ["Mutation.createDoctor.input.password"],
    async run(h, text) {
      const email = freshEmail();
      const answer = await h.call("ADMIN", "mutation($i: CreateDoctorInput!) { createDoctor(input: $i) { id } }", {
        i: { email, password: text, name: "Dr. Secret", specialtyCode: "GP", timezone: "Europe/Berlin" },
      });
      return { kind: "secret", answer, usable: answer.errors?.length ? undefined : await loginWorks(h, email, text) };
    },
  },
  {
    covers: ["Mutation.createSpecialty.input.name"],
    async run(h, text) {
      const answer = await h.call("ADMIN", "mutation($i: CreateSpecialtyInput!) { createSpecialty(input: $i) { name } }", {
        i: { code: freshCode(), name: text },
      });
      return { kind: "stored", answer, stored: dig(answer.data, "createSpecialty", "name") };
    },
  },
  {
    covers: ["Mutation.updateSpecialty.input.name"],
    async run(h, text) {
      const answer = await h.call("ADMIN", "mutation($id: ID!, $i: UpdateSpecialtyInput!) { updateSpecialty(id: $id, input: $i) { name } }", {
        id: h.fx.catalogue.specialtyId,
        i: { name: text },
      });
      return { kind: "stored", answer, stored: dig(answer.data, "updateSpecialty", "name") };
    },
  },
  {
    covers: ["Mutation.createMedicalService.input.name"],
    async run(h, text) {
      const answer = await h.call("ADMIN", "mutation($i: CreateMedicalServiceInput!) { createMedicalService(input: $i) { name } }", {
        i: { code: freshCode(), name: text, kind: "LAB_TEST", durationMinutes: 10 },
      });
      return { kind: "stored", answer, stored: dig(answer.data, "createMedicalService", "name") };
    },
  },
  {
    covers: ["Mutation.updateMedicalService.input.name"],
    async run(h, text) {
      const answer = await h.call("ADMIN", "mutation($id: ID!, $i: UpdateMedicalServiceInput!) { updateMedicalService(id: $id, input: $i) { name } }", {
        id: h.fx.catalogue.serviceId,
        i: { name: text },
      });
      return { kind: "stored", answer, stored: dig(answer.data, "updateMedicalService", "name") };
    },
  },
  ...(["name", "licenseNumber", "bio", "location"] as const).map((key): DataTextSpec => ({
    covers: [`Mutation.updateDoctor.input.${key}`],
    async run(h, text) {
      const answer = await h.call("ADMIN", `mutation($id: ID!, $i: UpdateDoctorInput!) { updateDoctor(id: $id, input: $i) { ${key} } }`, {
        id: h.fx.doctor.id,
        i: { [key]: text },
      });
      return { kind: "stored", answer, stored: dig(answer.data, "updateDoctor", key) };
    },
  })),
  {
    covers: ["Mutation.createScheduleTemplate.input.name", "Mutation.updateScheduleTemplate.input.name"],
    async run(h, text) {
      const input = { name: text, rules: [{ dayOfWeek: "TUESDAY", startTime: "09:00", endTime: "14:00", slotMinutes: 30 }] };
      const created = await h.call("ADMIN", "mutation($i: ScheduleTemplateInput!) { createScheduleTemplate(input: $i) { id name } }", { i: input });
      const id = dig(created.data, "createScheduleTemplate", "id");
      if (created.errors?.length || typeof id !== "string")
        return { kind: "stored", answer: created, stored: dig(created.data, "createScheduleTemplate", "name") };
      // Written again by update (a template's own name is no conflict): both must hold the text as sent.
      const answer = await h.call("ADMIN", "mutation($id: ID!, $i: ScheduleTemplateInput!) { updateScheduleTemplate(id: $id, input: $i) { name } }", {
        id,
        i: input,
      });
      return {
        kind: "stored",
        answer,
        stored: allHold({ created: dig(created.data, "createScheduleTemplate", "name"), updated: dig(answer.data, "updateScheduleTemplate", "name") }, text),
      };
    },
  },
  {
    covers: ["Mutation.addTimeOff.reason"],
    async run(h, text) {
      const from = h.freshDay();
      const to = new Date(Date.parse(from) + 3_600_000).toISOString();
      const answer = await h.call(
        "ADMIN",
        "mutation($d: ID!, $f: DateTime!, $t: DateTime!, $r: String) { addTimeOff(doctorId: $d, from: $f, to: $t, reason: $r) { reason } }",
        {
          d: h.fx.doctor.id,
          f: from,
          t: to,
          r: text,
        },
      );
      return { kind: "stored", answer, stored: dig(answer.data, "addTimeOff", "reason") };
    },
  },
  {
    // Each on a doctor of its own, made for the case: deactivating an inactive doctor keeps the first reason, and
    // the fixture doctor must stay bookable. The reason is for staff only (no field returns it): read back from the table.
    covers: ["Mutation.deactivateDoctor.reason"],
    async run(h, text) {
      const created = await must(h, "ADMIN", "mutation($i: CreateDoctorInput!) { createDoctor(input: $i) { id } }", {
        i: { email: freshEmail(), password: "Doctor-password-1", name: "Dr. Leaving Hostile", specialtyCode: "GP", timezone: "Europe/Berlin" },
      });
      const id = dig(created, "createDoctor", "id") as string;
      const answer = await h.call("ADMIN", "mutation($id: ID!, $r: String!) { deactivateDoctor(id: $id, reason: $r) { id active } }", { id, r: text });
      if (answer.errors?.length || dig(answer.data, "deactivateDoctor", "active") !== false) return { kind: "stored", answer, stored: undefined };
      const [row] = await h.readDatabase<{ deactivation_reason: string | null }>("SELECT deactivation_reason FROM doctors.doctors WHERE id = $1::uuid", [id]);
      return { kind: "stored", answer, stored: row?.deactivation_reason };
    },
  },
  {
    covers: ["Mutation.requestAppointment.input.reason"],
    async run(h, text) {
      const slotId = await h.freeSlot("auto");
      const answer = await h.call(
        "PATIENT",
        "mutation($i: RequestAppointmentInput!) { requestAppointment(input: $i) { ... on Appointment { reason } ... on SlotUnavailable { message } } }",
        {
          i: { slotId, reason: text },
        },
      );
      return { kind: "stored", answer, stored: dig(answer.data, "requestAppointment", "reason") };
    },
  },
  // the reason a change of an appointment gives, read back from its history
  ...(
    [
      { field: "rejectAppointment", caller: "ADMIN", state: "PENDING", action: "REJECT" },
      { field: "cancelAppointment", caller: "PATIENT", state: "BOOKED", action: "CANCEL" },
    ] as const
  ).map(({ field, caller, state, action }): DataTextSpec => ({
    covers: [`Mutation.${field}.reason`],
    async run(h, text) {
      const id = await h.appointment(state);
      const answer = await h.call(caller, `mutation($id: ID!, $r: String) { ${field}(id: $id, reason: $r) { history { action reason } } }`, { id, r: text });
      return { kind: "stored", answer, stored: history(answer, field, action) };
    },
  })),
  {
    covers: ["Mutation.overbookAppointment.input.reason"],
    async run(h, text) {
      const slotId = await h.freeSlot("auto");
      const answer = await h.call("ADMIN", "mutation($i: OverbookInput!) { overbookAppointment(input: $i) { reason } }", {
        i: { slotId, patientId: h.fx.patient.id, reason: text },
      });
      return { kind: "stored", answer, stored: dig(answer.data, "overbookAppointment", "reason") };
    },
  },
  {
    covers: ["Mutation.submitFeedback.comment"],
    async run(h, text) {
      const id = await h.appointment("FULFILLED");
      const answer = await h.call(
        "PATIENT",
        "mutation($id: ID!, $c: String) { submitFeedback(appointmentId: $id, rating: 4, comment: $c) { feedback { comment } } }",
        { id, c: text },
      );
      return { kind: "stored", answer, stored: dig(answer.data, "submitFeedback", "feedback", "comment") };
    },
  },
  {
    covers: ["Mutation.hideFeedbackComment.reason"],
    async run(h, text) {
      const id = await h.appointment("FULFILLED");
      await must(h, "PATIENT", 'mutation($id: ID!) { submitFeedback(appointmentId: $id, rating: 1, comment: "Rude at the desk") { id } }', { id });
      const answer = await h.call(
        "ADMIN",
        "mutation($id: ID!, $r: String!) { hideFeedbackComment(appointmentId: $id, reason: $r) { feedback { hidden hiddenReason } } }",
        { id, r: text },
      );
      return { kind: "stored", answer, stored: dig(answer.data, "hideFeedbackComment", "feedback", "hiddenReason") };
    },
  },
  // billing: a refund's reason, one cent of the fixture payment each time
  {
    covers: ["Mutation.refundPayment.reason"],
    async run(h, text) {
      const answer = await h.call(
        "ADMIN",
        "mutation($p: ID!, $a: MoneyInput!, $r: String!) { refundPayment(paymentId: $p, amount: $a, reason: $r) { kind reason } }",
        { p: h.fx.paymentId, a: { amountMinor: 1, currency: "EUR" }, r: text },
      );
      return { kind: "stored", answer, stored: dig(answer.data, "refundPayment", "reason") };
    },
  },
  {
    covers: ["Mutation.issueCreditNote.reason"],
    async run(h, text) {
      const invoiceId = h.fx.creditableInvoiceIds.pop();
      if (!invoiceId) throw new Error("no creditable invoice left: make more in the fixtures");
      const answer = await h.call("ADMIN", "mutation($i: ID!, $r: String!) { issueCreditNote(invoiceId: $i, reason: $r) { kind reason } }", {
        i: invoiceId,
        r: text,
      });
      return { kind: "stored", answer, stored: dig(answer.data, "issueCreditNote", "reason") };
    },
  },
  // clinical: each text by the role that writes it, read back by one who may read it (its author, the treating doctor)
  {
    covers: ["Mutation.performExamination.result"],
    async run(h, text) {
      const id = await freshExamination(h);
      const answer = await h.call("EXAMINER", "mutation($id: ID!, $r: String!) { performExamination(id: $id, result: $r) { result } }", { id, r: text });
      return { kind: "stored", answer, stored: dig(answer.data, "performExamination", "result") };
    },
  },
  {
    covers: ["Mutation.cancelExamination.reason"],
    async run(h, text) {
      const id = await freshExamination(h);
      const answer = await h.call("EXAMINER", "mutation($id: ID!, $r: String!) { cancelExamination(id: $id, reason: $r) { cancelReason } }", { id, r: text });
      return { kind: "stored", answer, stored: dig(answer.data, "cancelExamination", "cancelReason") };
    },
  },
  {
    covers: ["Mutation.finishEncounter.summary"],
    async run(h, text) {
      const id = await freshEncounter(h, true);
      const answer = await h.call("DOCTOR", "mutation($id: ID!, $s: String) { finishEncounter(id: $id, summary: $s) { summary } }", { id, s: text });
      return { kind: "stored", answer, stored: dig(answer.data, "finishEncounter", "summary") };
    },
  },
  {
    covers: ["Mutation.refuseEncounter.reason"],
    async run(h, text) {
      const id = await freshEncounter(h, true);
      const answer = await h.call("DOCTOR", "mutation($id: ID!, $r: String!) { refuseEncounter(id: $id, reason: $r) { refusalReason } }", { id, r: text });
      return { kind: "stored", answer, stored: dig(answer.data, "refuseEncounter", "refusalReason") };
    },
  },
  {
    covers: [
      "Mutation.saveRecordDraft.input.complaints",
      "Mutation.saveRecordDraft.input.diagnosis",
      "Mutation.saveRecordDraft.input.prescriptions[]",
      "Mutation.saveRecordDraft.input.notes",
    ],
    async run(h, text) {
      const encounterId = await freshEncounter(h, false);
      const answer = await h.call(
        "DOCTOR",
        "mutation($e: ID!, $i: RecordInput!) { saveRecordDraft(encounterId: $e, input: $i) { complaints diagnosis prescriptions notes } }",
        { e: encounterId, i: { complaints: text, diagnosis: text, prescriptions: [text], notes: text } },
      );
      return { kind: "stored", answer, stored: allHold(dig(answer.data, "saveRecordDraft"), text) };
    },
  },
  {
    covers: [
      "Mutation.amendRecord.input.complaints",
      "Mutation.amendRecord.input.diagnosis",
      "Mutation.amendRecord.input.prescriptions[]",
      "Mutation.amendRecord.input.notes",
      "Mutation.amendRecord.reason",
    ],
    async run(h, text) {
      const id = await signedRecord(h);
      const answer = await h.call(
        "DOCTOR",
        "mutation($id: ID!, $i: RecordInput!, $r: String!) { amendRecord(id: $id, input: $i, reason: $r) { complaints diagnosis prescriptions notes amendReason } }",
        { id, i: { complaints: text, diagnosis: text, prescriptions: [text], notes: text }, r: text },
      );
      return { kind: "stored", answer, stored: allHold(dig(answer.data, "amendRecord"), text) };
    },
  },
];

/** `text` when every field of `entry` (list items too) holds it, else the first value that does not (undefined without an entry). */
function allHold(entry: unknown, text: string): unknown {
  if (!entry || typeof entry !== "object") return undefined;
  return (
    Object.values(entry as Record<string, unknown>)
      .flatMap((v) => (Array.isArray(v) ? (v.length ? v : [v]) : [v]))
      .find((v) => v !== text) ?? text
  );
}

/** A fixture step of a data-text case: it must succeed. */
async function must(h: Harness, caller: Caller, query: string, variables: Record<string, unknown>): Promise<Record<string, unknown>> {
  const answer = await h.call(caller, query, variables);
  if (answer.errors?.length || !answer.data) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(answer.errors ?? answer).slice(0, 200)}`);
  return answer.data;
}

/** A new walk-in of the fixture patient with the fixture doctor, registered by reception; started by the doctor when asked. */
async function freshEncounter(h: Harness, started: boolean): Promise<string> {
  const walkIn = await must(h, "RECEPTIONIST", "mutation($p: ID!, $d: ID!) { registerWalkIn(patientId: $p, doctorId: $d) { id } }", {
    p: h.fx.patient.id,
    d: h.fx.doctor.id,
  });
  const id = dig(walkIn, "registerWalkIn", "id") as string;
  if (started) await must(h, "DOCTOR", "mutation($id: ID!) { startEncounter(id: $id) { id } }", { id });
  return id;
}

/** An ORDERED examination of a new encounter. */
async function freshExamination(h: Harness): Promise<string> {
  const encounterId = await freshEncounter(h, true);
  const ordered = await must(h, "DOCTOR", "mutation($e: ID!, $s: ID!) { orderExamination(encounterId: $e, serviceId: $s) { id } }", {
    e: encounterId,
    s: h.fx.examServiceId,
  });
  return dig(ordered, "orderExamination", "id") as string;
}

/** A SIGNED record entry of a new encounter. */
async function signedRecord(h: Harness): Promise<string> {
  const encounterId = await freshEncounter(h, false);
  const draft = await must(h, "DOCTOR", "mutation($e: ID!, $i: RecordInput!) { saveRecordDraft(encounterId: $e, input: $i) { id } }", {
    e: encounterId,
    i: { complaints: "Headache" },
  });
  const id = dig(draft, "saveRecordDraft", "id") as string;
  await must(h, "DOCTOR", "mutation($id: ID!) { signRecord(id: $id) { id } }", { id });
  return id;
}

/** Text slots of mutations and queries that are neither formatted nor covered by DATA_TEXT (should stay empty). */
export function uncoveredTextSlots(): string[] {
  const covered = new Set([...Object.keys(FORMATTED_TEXT), ...DATA_TEXT.flatMap((s) => s.covers)]);
  return argumentSlots()
    .filter((slot) => kindOf(slot) === "text" && !covered.has(slot.coordinate))
    .map((slot) => slot.coordinate);
}
