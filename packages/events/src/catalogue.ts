/**
 * The event catalogue: the ONE place where event types, their payloads and their streams are defined.
 * `EventCatalogue` gives the compile-time types; `EVENT_SPECS` is the runtime description of the same
 * payloads (the compiler checks it covers every type and every field, with the right optional/nullable
 * flags). It drives payload validation on decode and `schema/events/catalogue.json` (`pnpm events:catalogue`).
 */
import type { StaffAction } from "@clinigraph/platform";

export const STREAMS = {
  appointments: "clinigraph.scheduling.appointments",
  doctors: "clinigraph.doctors",
  clinical: "clinigraph.clinical",
  billing: "clinigraph.billing",
  /** Reads of patient data in subgraphs other than accounts, and staff writes everywhere, collected into accounts' audit log. */
  audit: "clinigraph.audit",
  /** Changes of accounts' users that other subgraphs act on (deactivation, role changes). */
  accounts: "clinigraph.accounts",
} as const;
export type StreamName = (typeof STREAMS)[keyof typeof STREAMS];

/**
 * Payload of every appointment lifecycle event (written by scheduling's outbox). No free text: reasons and
 * feedback comments are PHI, kept sealed by scheduling (ADR 3); a consumer that needs them reads the
 * appointment through the API, with its caller's rights.
 */
export interface AppointmentEventData {
  appointmentId: string;
  patientId: string;
  doctorId: string;
  /** The doctor's user id (accounts keys doctors by user); absent on events written before care relationships existed. */
  doctorUserId?: string;
  serviceId: string | null;
  status: string;
  startsAt: string;
  endsAt: string;
  previousStartsAt?: string;
  actorId: string | null;
  rating?: number;
  /** AppointmentNeedsAttention: why staff should look at it (DOCTOR_DEACTIVATED, SCHEDULE_CHANGED). */
  attentionReason?: string;
}

/** Payload of every encounter event (clinical's outbox). No clinical text travels the bus. */
export interface EncounterEventData {
  encounterId: string;
  patientId: string;
  doctorId: string;
  doctorUserId: string;
  appointmentId: string | null;
  status: string;
  actorId: string | null;
  /** Examinations still ORDERED after the change. */
  pendingExaminations: number;
  /**
   * When the patient arrived (the check-in, or the walk-in's registration): the visit's time, which the event's own
   * time is not when clinical handled a check-in late. Absent on events written before it was added.
   */
  arrivedAt?: string;
}

/** Payload of every examination event (clinical's outbox). */
export interface ExaminationEventData {
  examinationId: string;
  encounterId: string;
  patientId: string;
  doctorId: string;
  doctorUserId: string;
  serviceId: string;
  status: string;
  actorId: string | null;
  orderedAt: string;
  /** Examinations of the encounter still ORDERED after the change (its pending work); absent on events written before it was added. */
  pendingExaminations?: number;
}

/** Someone other than the patient read part of the patient's record in a subgraph other than accounts. */
export interface PatientRecordAccessedData {
  /** Unique per read (the audit entry's id: redelivery writes it once). */
  accessId: string;
  patientId: string;
  actorId: string;
  actorRole: string;
  /** What was read: APPOINTMENT_READ (scheduling); PATIENT_CARD_READ, CLINICAL_RECORD_READ, ENCOUNTER_READ, EXAMINATION_READ (clinical); INVOICE_READ (billing). */
  action: string;
  requestId: string | null;
  at: string;
}

/** Payload of invoice events (billing's outbox): ids, status and amounts in minor units, no free text. */
export interface InvoiceEventData {
  invoiceId: string;
  patientId: string;
  /** The gapless number (e.g. 2026-000123); null while DRAFT. */
  number: string | null;
  status: string;
  totalMinor: number;
  paidMinor: number;
  currency: string;
  encounterId: string | null;
  appointmentId: string | null;
  /** The doctor of the visit. */
  doctorId?: string;
  /** The visit's day (YYYY-MM-DD, the clinic's time zone). */
  visitDate?: string;
  /** INVOICE, or CREDIT_NOTE (negative amounts). */
  kind?: string;
}

/** Payload of payment events (billing's outbox). */
export interface PaymentEventData {
  paymentId: string;
  /** Null for a prepayment (money paid ahead for `appointmentId`). */
  invoiceId: string | null;
  appointmentId: string | null;
  patientId: string;
  /** PAYMENT or REFUND. */
  kind: string;
  /** CASH, CARD, ONLINE, or CREDIT (spends earlier credit: no money moves, so revenue counts skip it). */
  method: string;
  amountMinor: number;
  currency: string;
  /** What the event changed of its invoice's paid amount (negative for a refund; 0 without an invoice). */
  invoiceAppliedMinor?: number;
}

/** A doctor's bookable time as it stands after a change (public facts of the catalogue, no personal data). */
export interface DoctorScheduleSnapshot {
  /** IANA time zone the rules are local to. */
  timezone: string;
  specialtyCode: string;
  location: string | null;
  rules: {
    dayOfWeek: "MONDAY" | "TUESDAY" | "WEDNESDAY" | "THURSDAY" | "FRIDAY" | "SATURDAY" | "SUNDAY";
    startTime: string;
    endTime: string;
    slotMinutes: number;
  }[];
  /** Time off that ends after the change (UTC, ISO 8601). */
  timeOff: { from: string; to: string }[];
  /**
   * Weekly rules that take over from a later day (a schedule template applied from a date), earliest first:
   * from `from` (YYYY-MM-DD, local to `timezone`) on, `rules` replace the ones above. Absent: none.
   */
  upcoming?: { from: string; rules: DoctorScheduleSnapshot["rules"] }[];
  /** Extra bookable hours outside the weekly rules that end after the change (UTC, ISO 8601). Absent: none. */
  extraHours?: { from: string; to: string; slotMinutes: number }[];
  /** false: the doctor was deactivated (no new slots or bookings). Absent: active. */
  active?: boolean;
}

export interface DoctorScheduleChangedData {
  doctorId: string;
  /** Absent on events written before the schedule was carried. */
  schedule?: DoctorScheduleSnapshot;
}

/** A user's account changed in a way other subgraphs act on (accounts' outbox). */
export interface UserAccountChangedData {
  userId: string;
  /** The user's role after the change. */
  role: string;
  /** UserRoleChanged: the role before. */
  previousRole?: string;
  /** The ADMIN who made the change; null for the system. */
  actorId: string | null;
  at: string;
}

/** A doctor was deactivated or reactivated (doctors' outbox). */
export interface DoctorStatusChangedData {
  doctorId: string;
  doctorUserId: string | null;
  actorId: string | null;
  at: string;
}

/** An entry of the medical services catalogue changed (doctors' outbox). */
export interface MedicalServiceChangedData {
  serviceId: string;
  code: string;
  name: string;
  kind: string;
  durationMinutes: number;
  /** ACTIVE or RETIRED (a retired service cannot be booked or ordered; history keeps it). */
  status: string;
  /** CREATED, UPDATED, RETIRED or RESTORED. */
  change: string;
  actorId: string | null;
}

/** A specialty of the catalogue changed (doctors' outbox). */
export interface SpecialtyChangedData {
  specialtyId: string;
  code: string;
  name: string;
  /** ACTIVE or RETIRED. */
  status: string;
  /** CREATED, UPDATED, RETIRED or RESTORED. */
  change: string;
  actorId: string | null;
}

/** A schedule template was applied to a doctor from a day on (doctors' outbox; one event per doctor). */
export interface ScheduleTemplateAppliedData {
  templateId: string;
  doctorId: string;
  /** The first day (YYYY-MM-DD, local to the doctor's time zone) the template's rules apply. */
  from: string;
  actorId: string | null;
  at: string;
}

/**
 * A write made by staff, reported by the subgraph that made it, kept in accounts' audit log: the staff action log's
 * entry as platform's recorder makes it (actionId, actor and role, action, target, patient, request id, time).
 */
export type StaffActionRecordedData = StaffAction;

export interface EventCatalogue {
  AppointmentRequested: AppointmentEventData;
  AppointmentBooked: AppointmentEventData;
  AppointmentRejected: AppointmentEventData;
  AppointmentRescheduled: AppointmentEventData;
  AppointmentCancelled: AppointmentEventData;
  AppointmentExpired: AppointmentEventData;
  PatientCheckedIn: AppointmentEventData;
  AppointmentNoShow: AppointmentEventData;
  AppointmentFulfilled: AppointmentEventData;
  AppointmentOverbooked: AppointmentEventData;
  FeedbackSubmitted: AppointmentEventData;
  AppointmentNeedsAttention: AppointmentEventData;
  DoctorScheduleChanged: DoctorScheduleChangedData;
  DoctorDeactivated: DoctorStatusChangedData;
  DoctorReactivated: DoctorStatusChangedData;
  MedicalServiceChanged: MedicalServiceChangedData;
  SpecialtyChanged: SpecialtyChangedData;
  ScheduleTemplateApplied: ScheduleTemplateAppliedData;
  UserDeactivated: UserAccountChangedData;
  UserReactivated: UserAccountChangedData;
  UserRoleChanged: UserAccountChangedData;
  StaffActionRecorded: StaffActionRecordedData;
  PatientRecordAccessed: PatientRecordAccessedData;
  EncounterRegistered: EncounterEventData;
  EncounterStarted: EncounterEventData;
  EncounterFinished: EncounterEventData;
  EncounterRefused: EncounterEventData;
  VisitOutcomeConfirmed: EncounterEventData;
  ExaminationOrdered: ExaminationEventData;
  ExaminationPerformed: ExaminationEventData;
  ExaminationCancelled: ExaminationEventData;
  ExaminationReviewed: ExaminationEventData;
  InvoiceIssued: InvoiceEventData;
  InvoiceVoided: InvoiceEventData;
  PaymentReceived: PaymentEventData;
  PaymentRefunded: PaymentEventData;
}
export type EventType = keyof EventCatalogue;
/** The event types whose payload is exactly `D` (e.g. every appointment event). */
export type EventTypeOf<D> = { [K in EventType]: [EventCatalogue[K], D] extends [D, EventCatalogue[K]] ? K : never }[EventType];
export type AppointmentEventType = EventTypeOf<AppointmentEventData>;
export type EncounterEventType = EventTypeOf<EncounterEventData>;
export type ExaminationEventType = EventTypeOf<ExaminationEventData>;

/** `id`: a non-empty string; `datetime`: an ISO 8601 / RFC 3339 timestamp; `object`: a JSON object (shape in its description). */
export type FieldKind = "id" | "string" | "datetime" | "integer" | "object";

/** A field as described at runtime. */
export interface FieldDescription {
  kind: FieldKind;
  description: string;
  optional?: boolean;
  nullable?: boolean;
}

type Flag<B extends boolean, Name extends string> = B extends true ? { [N in Name]: true } : { [N in Name]?: false };
/** The description of a field of type V: `optional`/`nullable` are required exactly when the type says so. */
export type FieldSpec<V, Optional extends boolean> = { kind: FieldKind; description: string } & Flag<Optional, "optional"> &
  Flag<null extends V ? true : false, "nullable">;
export type PayloadSpec<T> = { [F in keyof T]-?: FieldSpec<T[F], object extends Pick<T, F> ? true : false> };

export interface EventSpec<T> {
  stream: StreamName;
  source: string;
  /** The payload field holding the aggregate id: the envelope's `subject`, the unit of ordering. */
  subject: keyof T & string;
  description: string;
  data: PayloadSpec<T>;
}

const appointmentData: PayloadSpec<AppointmentEventData> = {
  appointmentId: { kind: "id", description: "The appointment (aggregate id)" },
  patientId: { kind: "id", description: "The patient's user id" },
  doctorId: { kind: "id", description: "The doctor" },
  doctorUserId: { kind: "id", optional: true, description: "The doctor's user id (accounts); absent on events written before care relationships existed" },
  serviceId: { kind: "id", nullable: true, description: "The booked service, if any" },
  status: { kind: "string", description: "Appointment status after the change (REQUESTED, BOOKED, ...)" },
  startsAt: { kind: "datetime", description: "Start of the appointment" },
  endsAt: { kind: "datetime", description: "End of the appointment" },
  previousStartsAt: { kind: "datetime", optional: true, description: "Start before a reschedule" },
  actorId: { kind: "id", nullable: true, description: "User who caused the change; null for the system" },
  rating: { kind: "integer", optional: true, description: "Feedback rating" },
  attentionReason: {
    kind: "string",
    optional: true,
    description: "AppointmentNeedsAttention: why staff should look at it (DOCTOR_DEACTIVATED, SCHEDULE_CHANGED)",
  },
};

/** The specs of a family of events sharing stream, source, subject and payload: each takes only its description. */
const family =
  <T>(stream: StreamName, source: string, subject: keyof T & string, data: PayloadSpec<T>) =>
  (description: string): EventSpec<T> => ({ stream, source, subject, description, data });

const appointment = family(STREAMS.appointments, "clinigraph/scheduling", "appointmentId", appointmentData);

const encounterData: PayloadSpec<EncounterEventData> = {
  encounterId: { kind: "id", description: "The encounter (aggregate id)" },
  patientId: { kind: "id", description: "The patient's user id" },
  doctorId: { kind: "id", description: "The treating doctor" },
  doctorUserId: { kind: "id", description: "The treating doctor's user id" },
  appointmentId: { kind: "id", nullable: true, description: "The checked-in appointment; null for a walk-in" },
  status: { kind: "string", description: "Encounter status after the change (ARRIVED, IN_PROGRESS, FINISHED, REFUSED)" },
  actorId: { kind: "id", nullable: true, description: "User who caused the change; null for the system" },
  pendingExaminations: { kind: "integer", description: "Examinations still ORDERED after the change" },
  arrivedAt: {
    kind: "string",
    optional: true,
    description: "When the patient arrived (check-in or walk-in registration), ISO 8601: the visit's time, even when the event was written later",
  },
};

const encounter = family(STREAMS.clinical, "clinigraph/clinical", "encounterId", encounterData);

const examinationData: PayloadSpec<ExaminationEventData> = {
  examinationId: { kind: "id", description: "The examination order" },
  encounterId: { kind: "id", description: "Its encounter (aggregate id: events of one visit stay in order)" },
  patientId: { kind: "id", description: "The patient's user id" },
  doctorId: { kind: "id", description: "The ordering (treating) doctor" },
  doctorUserId: { kind: "id", description: "The ordering doctor's user id" },
  serviceId: { kind: "id", description: "The medical service examined" },
  status: { kind: "string", description: "Examination status after the change (ORDERED, PERFORMED, CANCELLED, REVIEWED)" },
  actorId: { kind: "id", nullable: true, description: "User who caused the change; null for the system" },
  orderedAt: { kind: "datetime", description: "When it was ordered" },
  pendingExaminations: { kind: "integer", optional: true, description: "Examinations of the encounter still ORDERED after the change (its pending work)" },
};

const examination = family(STREAMS.clinical, "clinigraph/clinical", "encounterId", examinationData);

const invoiceData: PayloadSpec<InvoiceEventData> = {
  invoiceId: { kind: "id", description: "The invoice (aggregate id)" },
  patientId: { kind: "id", description: "The patient's user id" },
  number: { kind: "string", nullable: true, description: "The invoice number (gapless per year, e.g. 2026-000123); null while DRAFT" },
  status: { kind: "string", description: "Invoice status after the change (DRAFT, ISSUED, PARTIALLY_PAID, PAID, VOID)" },
  totalMinor: { kind: "integer", description: "Total in minor units of the currency" },
  paidMinor: { kind: "integer", description: "Paid so far (net of refunds), minor units" },
  currency: { kind: "string", description: "ISO 4217 currency" },
  encounterId: { kind: "id", nullable: true, description: "The visit (encounter) invoiced" },
  appointmentId: { kind: "id", nullable: true, description: "The appointment of the visit; null for a walk-in" },
  doctorId: { kind: "id", optional: true, description: "The doctor of the visit" },
  visitDate: { kind: "string", optional: true, description: "The visit's day, YYYY-MM-DD in the clinic's time zone" },
  kind: { kind: "string", optional: true, description: "INVOICE, or CREDIT_NOTE (the negative of the invoice it voids)" },
};
const invoice = family(STREAMS.billing, "clinigraph/billing", "invoiceId", invoiceData);

const paymentData: PayloadSpec<PaymentEventData> = {
  paymentId: { kind: "id", description: "The payment or refund" },
  invoiceId: { kind: "id", nullable: true, description: "Its invoice; null for a prepayment (paid ahead for appointmentId)" },
  appointmentId: { kind: "id", nullable: true, description: "A prepayment's appointment; null otherwise" },
  patientId: { kind: "id", description: "The patient's user id (aggregate id: one patient's account events stay in order)" },
  kind: { kind: "string", description: "PAYMENT or REFUND" },
  method: { kind: "string", description: "CASH, CARD, ONLINE, or CREDIT (spends earlier credit: no money moves; revenue counts skip it)" },
  amountMinor: { kind: "integer", description: "Amount in minor units" },
  currency: { kind: "string", description: "ISO 4217 currency" },
  invoiceAppliedMinor: {
    kind: "integer",
    optional: true,
    description: "What the event changed of its invoice's paid amount, minor units (negative for a refund; 0 without an invoice)",
  },
};
const payment = family(STREAMS.billing, "clinigraph/billing", "patientId", paymentData);

const userAccountData: PayloadSpec<UserAccountChangedData> = {
  userId: { kind: "id", description: "The user (aggregate id)" },
  role: { kind: "string", description: "The user's role after the change" },
  previousRole: { kind: "string", optional: true, description: "UserRoleChanged: the role before" },
  actorId: { kind: "id", nullable: true, description: "The ADMIN who made the change; null for the system" },
  at: { kind: "datetime", description: "When" },
};
const userAccount = family(STREAMS.accounts, "clinigraph/accounts", "userId", userAccountData);

const doctorStatusData: PayloadSpec<DoctorStatusChangedData> = {
  doctorId: { kind: "id", description: "The doctor (aggregate id)" },
  doctorUserId: { kind: "id", nullable: true, description: "The doctor's accounts user" },
  actorId: { kind: "id", nullable: true, description: "Who made the change; null for the system (e.g. the user's deactivation in accounts)" },
  at: { kind: "datetime", description: "When" },
};
const doctorStatus = family(STREAMS.doctors, "clinigraph/doctors", "doctorId", doctorStatusData);

export const EVENT_SPECS: { [K in EventType]: EventSpec<EventCatalogue[K]> } = {
  AppointmentRequested: appointment("A patient requested an appointment (or the waitlist did)"),
  AppointmentBooked: appointment("An appointment was confirmed"),
  AppointmentRejected: appointment("A requested appointment was rejected"),
  AppointmentRescheduled: appointment("An appointment moved to another time"),
  AppointmentCancelled: appointment("An appointment was cancelled"),
  AppointmentExpired: appointment("A hold or request expired"),
  PatientCheckedIn: appointment("The patient checked in at reception"),
  AppointmentNoShow: appointment("The patient did not come"),
  AppointmentFulfilled: appointment("The appointment took place"),
  AppointmentOverbooked: appointment("An appointment was booked over capacity"),
  FeedbackSubmitted: appointment("The patient rated the appointment"),
  AppointmentNeedsAttention: appointment(
    "Staff should look at an upcoming appointment: its doctor was deactivated, or the doctor's schedule no longer covers it (attentionReason says which)",
  ),
  DoctorDeactivated: doctorStatus("A doctor was deactivated: hidden from search, no new slots or bookings; history stays"),
  DoctorReactivated: doctorStatus("A deactivated doctor was reactivated"),
  MedicalServiceChanged: {
    stream: STREAMS.doctors,
    source: "clinigraph/doctors",
    subject: "serviceId",
    description: "A medical service of the catalogue was created, renamed or changed, retired or restored",
    data: {
      serviceId: { kind: "id", description: "The service (aggregate id)" },
      code: { kind: "string", description: "Its stable code, e.g. IMG_XRAY" },
      name: { kind: "string", description: "Its name after the change" },
      kind: { kind: "string", description: "CONSULTATION, CHECKUP, LAB_TEST, IMAGING, PROCEDURE or OPERATION" },
      durationMinutes: { kind: "integer", description: "Default length of an appointment for it" },
      status: { kind: "string", description: "ACTIVE or RETIRED (a retired service cannot be booked or ordered; history keeps it)" },
      change: { kind: "string", description: "CREATED, UPDATED, RETIRED or RESTORED" },
      actorId: { kind: "id", nullable: true, description: "The ADMIN who made the change" },
    },
  },
  SpecialtyChanged: {
    stream: STREAMS.doctors,
    source: "clinigraph/doctors",
    subject: "specialtyId",
    description: "A specialty of the catalogue was created, renamed, retired or restored",
    data: {
      specialtyId: { kind: "id", description: "The specialty (aggregate id)" },
      code: { kind: "string", description: "Its stable code, e.g. CARD" },
      name: { kind: "string", description: "Its name after the change" },
      status: { kind: "string", description: "ACTIVE or RETIRED" },
      change: { kind: "string", description: "CREATED, UPDATED, RETIRED or RESTORED" },
      actorId: { kind: "id", nullable: true, description: "The ADMIN who made the change" },
    },
  },
  ScheduleTemplateApplied: {
    stream: STREAMS.doctors,
    source: "clinigraph/doctors",
    subject: "doctorId",
    description: "A schedule template was applied to a doctor from a day on (the DoctorScheduleChanged that follows carries the resulting schedule)",
    data: {
      templateId: { kind: "id", description: "The template" },
      doctorId: { kind: "id", description: "The doctor (aggregate id)" },
      from: { kind: "string", description: "First day the template applies, YYYY-MM-DD local to the doctor's time zone" },
      actorId: { kind: "id", nullable: true, description: "The ADMIN who applied it" },
      at: { kind: "datetime", description: "When" },
    },
  },
  UserDeactivated: userAccount("An ADMIN deactivated a user: sign-in refused, sessions ended"),
  UserReactivated: userAccount("An ADMIN reactivated a deactivated user"),
  UserRoleChanged: userAccount("An ADMIN changed a user's role"),
  StaffActionRecorded: {
    stream: STREAMS.audit,
    source: "clinigraph/doctors",
    subject: "actionId",
    description: "Staff changed something (a mutation by a staff role, or a named privileged action); accounts keeps it in its audit log",
    data: {
      actionId: { kind: "id", description: "Unique per action; the audit entry's id" },
      actorId: { kind: "id", description: "Who did it (user id)" },
      actorRole: { kind: "string", description: "Their role" },
      action: { kind: "string", description: "The mutation's name (e.g. updateDoctor), or a named action" },
      targetType: { kind: "string", nullable: true, description: "The kind of thing changed (Doctor, Appointment, MedicalService…)" },
      targetId: { kind: "id", nullable: true, description: "The thing changed" },
      patientId: { kind: "id", nullable: true, description: "The patient concerned, when there is one" },
      requestId: { kind: "string", nullable: true, description: "The router's request id" },
      at: { kind: "datetime", description: "When" },
    },
  },
  DoctorScheduleChanged: {
    stream: STREAMS.doctors,
    source: "clinigraph/doctors",
    subject: "doctorId",
    description: "A doctor's bookable time may have changed: created, profile or services updated, weekly schedule set, time off added",
    data: {
      doctorId: { kind: "id", description: "The doctor (aggregate id)" },
      schedule: {
        kind: "object",
        optional: true,
        description:
          "The doctor's bookable time after the change: timezone, specialtyCode, location, rules (dayOfWeek, startTime, endTime, slotMinutes) and the time off ending after it (from, to); absent on events written before it was carried",
      },
    },
  },
  EncounterRegistered: encounter("Reception registered the arriving patient (check-in or walk-in): the patient is on the doctor's list"),
  EncounterStarted: encounter("The doctor started seeing the patient"),
  EncounterFinished: encounter("The doctor finished the treatment"),
  EncounterRefused: encounter("The doctor refused the treatment"),
  VisitOutcomeConfirmed: encounter("Reception confirmed the visit's outcome: the visit is closed"),
  ExaminationOrdered: examination("The treating doctor ordered an examination"),
  ExaminationPerformed: examination("The examiner performed the examination and recorded the result"),
  ExaminationCancelled: examination("The examination was cancelled (examiner or ordering doctor, or the treatment was refused)"),
  ExaminationReviewed: examination("The ordering doctor reviewed the result"),
  InvoiceIssued: invoice("An invoice was issued (numbered, immutable from now on)"),
  InvoiceVoided: invoice("An invoice was voided"),
  PaymentReceived: payment("A payment was recorded: against an invoice (desk, online, or the patient's credit), or ahead of an appointment"),
  PaymentRefunded: payment("A payment was refunded (in part or whole)"),
  PatientRecordAccessed: {
    stream: STREAMS.audit,
    source: "clinigraph/scheduling",
    subject: "accessId",
    description: "Staff read part of a patient's record outside accounts (scheduling, clinical; accounts keeps it in its audit log)",
    data: {
      accessId: { kind: "id", description: "Unique per read; the audit entry's id" },
      patientId: { kind: "id", description: "Whose record was read" },
      actorId: { kind: "id", description: "Who read it (user id)" },
      actorRole: { kind: "string", description: "The reader's role" },
      action: {
        kind: "string",
        description:
          "What was read: APPOINTMENT_READ (scheduling); PATIENT_CARD_READ, CLINICAL_RECORD_READ, ENCOUNTER_READ, EXAMINATION_READ (clinical); INVOICE_READ (billing)",
      },
      requestId: { kind: "string", nullable: true, description: "The router's request id" },
      at: { kind: "datetime", description: "When it was read" },
    },
  },
};

export const EVENT_TYPES = Object.keys(EVENT_SPECS) as EventType[];

/**
 * scheduling's appointment lifecycle events (the appointments stream), for its consumers. AppointmentNeedsAttention
 * travels the same stream but changes no status (a flag for staff and a notice to the patient): consumers of the
 * lifecycle do not get it; those that act on it subscribe to it by name.
 */
export const APPOINTMENT_EVENT_TYPES = EVENT_TYPES.filter(
  (type) => EVENT_SPECS[type].stream === STREAMS.appointments && type !== "AppointmentNeedsAttention",
) as AppointmentEventType[];

export const isEventType = (type: string): type is EventType => Object.hasOwn(EVENT_SPECS, type);

/** The stream a catalogue event type is published to (throws for a type missing from the catalogue). */
export function streamOf(type: string): StreamName {
  if (!isEventType(type)) throw new Error(`Event type ${type} is not in the catalogue`);
  return EVENT_SPECS[type].stream;
}

/** Checks a payload against its description; returns the first problem, or null. Unknown extra fields are allowed. */
export function validateEventData(type: EventType, data: unknown): string | null {
  if (typeof data !== "object" || data === null || Array.isArray(data)) return `${type}: data must be an object`;
  for (const [name, spec] of Object.entries(EVENT_SPECS[type].data) as [string, FieldDescription][]) {
    const value = (data as Record<string, unknown>)[name];
    if (value === undefined) {
      if (!spec.optional) return `${type}: data.${name} is missing`;
    } else if (value === null) {
      if (!spec.nullable) return `${type}: data.${name} must not be null`;
    } else if (!matchesKind(spec.kind, value)) {
      return `${type}: data.${name} must be ${spec.kind === "integer" ? "an integer" : `a ${spec.kind}`}`;
    }
  }
  return null;
}

function matchesKind(kind: FieldKind, value: unknown): boolean {
  switch (kind) {
    case "integer":
      return Number.isInteger(value);
    case "datetime":
      return typeof value === "string" && !Number.isNaN(Date.parse(value));
    case "id":
      return typeof value === "string" && value !== "";
    case "string":
      return typeof value === "string";
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
  }
}
