/**
 * The fact tables as batches write them: each change as a row of its table (column names), how two changes of one
 * fact fold into one (in stream order, as the SQL merge would apply them one after the other), and the SQL that
 * inserts a batch of rows from one JSON parameter (`json_populate_recordset` over the table's own row type, so every
 * column keeps its type) and merges it with what is stored. Live events (factRepository.ts) and imports
 * (importRepository.ts) write appointment facts with the same row.
 */
import {
  statusRank,
  type AppointmentChange,
  type ExaminationChange,
  type FactWrite,
  type InvoiceChange,
  type PaymentChange,
  type VisitChange,
} from "../domain/types.js";

export type Row = Record<string, string | number | boolean | null | Date>;

const earliest = (a: Row[string] | undefined, b: Row[string] | undefined): Row[string] =>
  a == null ? (b ?? null) : b == null ? a : (a as Date) <= (b as Date) ? a : b;
/** Folds rows with the same key (in stream order) into one, as the SQL merge would one after the other. */
export function foldByKey(rows: Row[], key: string, merge: (earlier: Row, later: Row) => Row): Row[] {
  const folded = new Map<string, Row>();
  for (const row of rows) {
    const id = row[key] as string;
    const before = folded.get(id);
    folded.set(id, before ? merge(before, row) : row);
  }
  // Rows in key order: concurrent writers lock them in the same order (no deadlock).
  return [...folded.values()].sort((x, y) => ((x[key] as string) < (y[key] as string) ? -1 : 1));
}

// --- appointments: the earliest report of each step; the status (and what it brings) of the latest event ---
const APPOINTMENT_STEPS = ["requested_at", "answered_at", "booked_at", "checked_in_at"];
/** Columns that come with the status: the latest event's. */
const APPOINTMENT_STATUS = [
  "status",
  "status_at",
  "status_rank",
  "status_event_id",
  "patient_key",
  "doctor_id",
  "specialty_code",
  "service_id",
  "service_code",
  "location",
  "visit_date",
  "starts_at",
  "ends_at",
];
const APPOINTMENT_COLUMNS = [
  "appointment_key",
  "source",
  "source_id",
  ...APPOINTMENT_STATUS,
  ...APPOINTMENT_STEPS,
  "needs_approval",
  "rating",
  "amount_minor",
  "currency",
];

/** (status_at, status_rank, status_event_id) compared: later, then further along, then the greater event id (bytewise). */
function laterStatus(a: Row, b: Row): boolean {
  const at = (b.status_at as Date).getTime() - (a.status_at as Date).getTime();
  if (at !== 0) return at > 0;
  if (b.status_rank !== a.status_rank) return (b.status_rank as number) > (a.status_rank as number);
  return (b.status_event_id as string) > (a.status_event_id as string);
}

function mergeAppointments(a: Row, b: Row): Row {
  const merged: Row = { ...a };
  for (const column of APPOINTMENT_STEPS) merged[column] = earliest(a[column], b[column]);
  if (laterStatus(a, b)) for (const column of APPOINTMENT_STATUS) merged[column] = b[column]!;
  merged.needs_approval = Boolean(a.needs_approval) || Boolean(b.needs_approval);
  merged.rating = a.rating ?? b.rating ?? null;
  return merged;
}

export const appointmentRow = (c: AppointmentChange): Row => ({
  appointment_key: c.appointmentKey,
  source: c.source,
  source_id: c.sourceId,
  patient_key: c.patientKey,
  doctor_id: c.doctorId,
  specialty_code: c.specialtyCode,
  service_id: c.serviceId,
  service_code: c.serviceCode,
  location: c.location,
  visit_date: c.visitDate,
  starts_at: c.startsAt,
  ends_at: c.endsAt,
  requested_at: c.requestedAt,
  answered_at: c.answeredAt,
  booked_at: c.bookedAt,
  checked_in_at: c.checkedInAt,
  needs_approval: c.needsApproval,
  status: c.status,
  status_at: c.statusAt,
  status_rank: statusRank(c.status),
  status_event_id: c.statusEventId,
  rating: c.rating,
  amount_minor: c.amountMinor,
  currency: c.currency,
});

const NEWER_STATUS = `(EXCLUDED.status_at, EXCLUDED.status_rank, EXCLUDED.status_event_id COLLATE "C") > (f.status_at, f.status_rank, f.status_event_id COLLATE "C")`;
const APPOINTMENT_MERGE = [
  ...APPOINTMENT_STEPS.map((c) => `${c} = LEAST(f.${c}, EXCLUDED.${c})`),
  "needs_approval = f.needs_approval OR EXCLUDED.needs_approval",
  "rating = COALESCE(f.rating, EXCLUDED.rating)",
  ...APPOINTMENT_STATUS.map((c) => `${c} = CASE WHEN ${NEWER_STATUS} THEN EXCLUDED.${c} ELSE f.${c} END`),
  "updated_at = now()",
].join(", ");

// --- visits: the earliest report of each step; the day of the arrival ---
const VISIT_STEP_COLUMNS = {
  registeredAt: "registered_at",
  startedAt: "started_at",
  finishedAt: "finished_at",
  refusedAt: "refused_at",
  confirmedAt: "confirmed_at",
} as const;
const VISIT_STEPS = Object.values(VISIT_STEP_COLUMNS);
const VISIT_COLUMNS = ["encounter_key", "appointment_key", "patient_key", "doctor_id", "specialty_code", "location", "visit_date", ...VISIT_STEPS];

const visitRow = (c: VisitChange): Row => ({
  encounter_key: c.encounterKey,
  appointment_key: c.appointmentKey,
  patient_key: c.patientKey,
  doctor_id: c.doctorId,
  specialty_code: c.specialtyCode,
  location: c.location,
  visit_date: c.visitDate,
  ...Object.fromEntries(VISIT_STEPS.map((column) => [column, column === VISIT_STEP_COLUMNS[c.step] ? c.at : null])),
});

function mergeVisits(a: Row, b: Row): Row {
  const merged: Row = { ...a };
  for (const column of VISIT_STEPS) merged[column] = earliest(a[column], b[column]);
  if (b.registered_at != null) merged.visit_date = b.visit_date!;
  return merged;
}

// --- examinations: the earliest report of each step ---
const EXAMINATION_STEPS = ["performed_at", "cancelled_at", "reviewed_at"];
const EXAMINATION_COLUMNS = [
  "examination_key",
  "encounter_key",
  "patient_key",
  "doctor_id",
  "specialty_code",
  "location",
  "service_id",
  "service_code",
  "visit_date",
  "ordered_at",
  ...EXAMINATION_STEPS,
];

const examinationRow = (c: ExaminationChange): Row => ({
  examination_key: c.examinationKey,
  encounter_key: c.encounterKey,
  patient_key: c.patientKey,
  doctor_id: c.doctorId,
  specialty_code: c.specialtyCode,
  location: c.location,
  service_id: c.serviceId,
  service_code: c.serviceCode,
  visit_date: c.visitDate,
  ordered_at: c.orderedAt,
  performed_at: c.step === "performedAt" ? c.at : null,
  cancelled_at: c.step === "cancelledAt" ? c.at : null,
  reviewed_at: c.step === "reviewedAt" ? c.at : null,
});

function mergeExaminations(a: Row, b: Row): Row {
  const merged: Row = { ...a };
  for (const column of EXAMINATION_STEPS) merged[column] = earliest(a[column], b[column]);
  return merged;
}

// --- invoices (voided once voided) and payments (each once) ---
const INVOICE_COLUMNS = [
  "invoice_key",
  "appointment_key",
  "patient_key",
  "doctor_id",
  "specialty_code",
  "location",
  "visit_date",
  "kind",
  "total_minor",
  "currency",
  "voided",
];
const invoiceRow = (c: InvoiceChange): Row => ({
  invoice_key: c.invoiceKey,
  appointment_key: c.appointmentKey,
  patient_key: c.patientKey,
  doctor_id: c.doctorId,
  specialty_code: c.specialtyCode,
  location: c.location,
  visit_date: c.visitDate,
  kind: c.kind,
  total_minor: c.totalMinor,
  currency: c.currency,
  voided: c.voided,
});
const mergeInvoices = (a: Row, b: Row): Row => ({ ...a, voided: Boolean(a.voided) || Boolean(b.voided) });

const PAYMENT_COLUMNS = ["payment_key", "invoice_key", "appointment_key", "kind", "method", "cash_minor", "applied_minor", "at"];
const paymentRow = (c: PaymentChange): Row => ({
  payment_key: c.paymentKey,
  invoice_key: c.invoiceKey,
  appointment_key: c.appointmentKey,
  kind: c.kind,
  method: c.method,
  cash_minor: c.cashMinor,
  applied_minor: c.appliedMinor,
  at: c.at,
});

export interface FactTable<C> {
  table: string;
  key: string;
  columns: readonly string[];
  row: (change: C) => Row;
  merge: (earlier: Row, later: Row) => Row;
  /** What a row whose key is stored does (`ON CONFLICT …`; the stored row is `f`). */
  onConflict: string;
  /** The table has updated_at (the database's clock). */
  stamped: boolean;
}

type Change<K extends FactWrite["kind"]> = Extract<FactWrite, { kind: K }>["change"];

export const FACT_TABLES: { [K in FactWrite["kind"]]: FactTable<Change<K>> } = {
  appointment: {
    table: "appointment_facts",
    key: "appointment_key",
    columns: APPOINTMENT_COLUMNS,
    row: appointmentRow,
    merge: mergeAppointments,
    onConflict: `ON CONFLICT (appointment_key) DO UPDATE SET ${APPOINTMENT_MERGE}`,
    stamped: true,
  },
  visit: {
    table: "visit_facts",
    key: "encounter_key",
    columns: VISIT_COLUMNS,
    row: visitRow,
    merge: mergeVisits,
    onConflict: `ON CONFLICT (encounter_key) DO UPDATE SET ${[
      ...VISIT_STEPS.map((c) => `${c} = LEAST(f.${c}, EXCLUDED.${c})`),
      "visit_date = CASE WHEN EXCLUDED.registered_at IS NOT NULL THEN EXCLUDED.visit_date ELSE f.visit_date END",
      "updated_at = now()",
    ].join(", ")}`,
    stamped: true,
  },
  examination: {
    table: "examination_facts",
    key: "examination_key",
    columns: EXAMINATION_COLUMNS,
    row: examinationRow,
    merge: mergeExaminations,
    onConflict: `ON CONFLICT (examination_key) DO UPDATE SET ${[...EXAMINATION_STEPS.map((c) => `${c} = LEAST(f.${c}, EXCLUDED.${c})`), "updated_at = now()"].join(", ")}`,
    stamped: true,
  },
  invoice: {
    table: "invoice_facts",
    key: "invoice_key",
    columns: INVOICE_COLUMNS,
    row: invoiceRow,
    merge: mergeInvoices,
    onConflict: "ON CONFLICT (invoice_key) DO UPDATE SET voided = f.voided OR EXCLUDED.voided, updated_at = now()",
    stamped: true,
  },
  payment: {
    table: "payment_facts",
    key: "payment_key",
    columns: PAYMENT_COLUMNS,
    row: paymentRow,
    merge: (earlier) => earlier,
    onConflict: "ON CONFLICT (payment_key) DO NOTHING",
    stamped: false,
  },
};

/** INSERT … SELECT of the table's rows from the JSON array `$1`, then `onConflict` (the stored row is `f`). */
export function insertFromJson(spec: Pick<FactTable<never>, "table" | "columns" | "stamped">, onConflict: string): string {
  const stamp = spec.stamped ? ", updated_at" : "";
  return `INSERT INTO analytics.${spec.table} AS f (${spec.columns.join(", ")}${stamp})
    SELECT ${spec.columns.map((c) => `r.${c}`).join(", ")}${spec.stamped ? ", now()" : ""}
      FROM json_populate_recordset(NULL::analytics.${spec.table}, $1::json) r
    ${onConflict}`;
}
