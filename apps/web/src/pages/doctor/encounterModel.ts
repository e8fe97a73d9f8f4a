/**
 * What the encounter page offers, from what the API says the caller may do (`allowedTransitions`) and the visit's
 * record: the page shows only these actions, so a button never leads to a refusal the state could have foretold.
 */

/** Service kinds the API accepts for `orderExamination` (diagnostic services with a result to review). */
export const ORDERABLE_KINDS: readonly string[] = ["LAB_TEST", "IMAGING"];

export interface EncounterState {
  status: string;
  allowedTransitions: readonly string[];
  pendingExaminations: number;
  records?: readonly { id: string; status: string }[] | null;
}

export interface EncounterActions {
  start: boolean;
  order: boolean;
  finish: boolean;
  refuse: boolean;
  /** FINISH would be possible but examinations are still ORDERED (wait for them or cancel them). */
  finishWaitsForExaminations: boolean;
  /** The treating doctor writes (or goes on writing) the visit's draft: the encounter is open and the note not signed. */
  editRecord: boolean;
  /** The draft can be signed (by its author, the treating doctor). */
  signRecord: boolean;
  /** The visit's note (the treating doctor's entry), if written. */
  record: { id: string; status: string } | null;
}

/** The visit's note: the treating doctor has at most one entry per encounter. */
export function visitRecord<R extends { id: string; status: string }>(records: readonly R[] | null | undefined): R | null {
  if (!records?.length) return null;
  return records.find((r) => r.status === "DRAFT") ?? records[0] ?? null;
}

/** `treating`: the signed-in doctor is this encounter's doctor (only they act on it). */
export function encounterActions(encounter: EncounterState, treating: boolean): EncounterActions {
  const allowed = new Set(encounter.allowedTransitions);
  const record = visitRecord(encounter.records);
  const open = encounter.status === "ARRIVED" || encounter.status === "IN_PROGRESS";
  return {
    start: allowed.has("START"),
    order: allowed.has("ORDER_EXAMINATION"),
    finish: allowed.has("FINISH"),
    refuse: allowed.has("REFUSE"),
    finishWaitsForExaminations: treating && encounter.status === "IN_PROGRESS" && !allowed.has("FINISH") && encounter.pendingExaminations > 0,
    editRecord: treating && open && (record === null || record.status === "DRAFT"),
    signRecord: treating && record?.status === "DRAFT",
    record,
  };
}

export interface RecordForm {
  complaints: string;
  diagnosisCode: string;
  diagnosis: string;
  /** One prescription a line. */
  prescriptions: string;
  notes: string;
}

export function recordForm(
  record: {
    complaints?: string | null;
    diagnosisCode?: string | null;
    diagnosis?: string | null;
    prescriptions?: readonly string[];
    notes?: string | null;
  } | null,
): RecordForm {
  return {
    complaints: record?.complaints ?? "",
    diagnosisCode: record?.diagnosisCode ?? "",
    diagnosis: record?.diagnosis ?? "",
    prescriptions: (record?.prescriptions ?? []).join("\n"),
    notes: record?.notes ?? "",
  };
}

/** The form as a RecordInput: every field sent (a blank one clears it), one prescription per non-empty line. */
export function recordInput(form: RecordForm) {
  const text = (value: string) => (value.trim() ? value.trim() : null);
  return {
    complaints: text(form.complaints),
    diagnosisCode: text(form.diagnosisCode)?.toUpperCase() ?? null,
    diagnosis: text(form.diagnosis),
    prescriptions: form.prescriptions
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean),
    notes: text(form.notes),
  };
}

/** Whether the form says something other than the saved note. */
export function recordChanged(form: RecordForm, saved: Parameters<typeof recordForm>[0]): boolean {
  return JSON.stringify(recordInput(form)) !== JSON.stringify(recordInput(recordForm(saved)));
}

/** The form says something (the API refuses a note with every field empty). */
export function recordHasContent(form: RecordForm): boolean {
  const input = recordInput(form);
  return Boolean(input.complaints || input.diagnosisCode || input.diagnosis || input.notes || input.prescriptions.length);
}
