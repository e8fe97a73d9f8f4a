/**
 * The live clinic board (CQRS read model): where each patient of the day stands and since
 * when, derived from clinical's events only. `applyBoardEvent` is pure: the current entry (or none) and
 * one event give the next entry, or null when the event changes nothing. The consumer
 * (`events/consumers/board.ts`, through boardProjection.ts) stores the result; queries and subscriptions read it.
 *
 * States: WAITING (registered: check-in or walk-in) → WITH_DOCTOR (started) ⇄ AT_EXAMINATION (an
 * examination is ORDERED) ⇄ AWAITING_REVIEW (results PERFORMED, not yet REVIEWED) → FINISHED | REFUSED →
 * CONFIRMED (reception closed the visit). The three states with the doctor follow the exam counts.
 */
import { DateTime } from "luxon";
import type { EncounterEventData, ExaminationEventData } from "@clinigraph/events";

export type BoardState = "WAITING" | "WITH_DOCTOR" | "AT_EXAMINATION" | "AWAITING_REVIEW" | "FINISHED" | "REFUSED" | "CONFIRMED";

export interface BoardEntry {
  encounterId: string;
  appointmentId: string | null;
  /** The clinic-local day of the arrival (YYYY-MM-DD). */
  day: string;
  patientId: string;
  doctorId: string;
  state: BoardState;
  /** When the entry entered `state` (the event's time). */
  since: Date;
  arrivedAt: Date;
  /** ORDERED examinations still to be performed. */
  pendingExams: number;
  /** PERFORMED examinations awaiting the doctor's review. */
  unreviewed: number;
  updatedAt: Date;
}

export interface BoardEvent {
  type: string;
  time: Date;
  data: EncounterEventData | ExaminationEventData;
}

/** Encounter lifecycle order: an event never moves an entry back (a replayed dead letter arrives late). */
const RANK: Record<BoardState, number> = {
  WAITING: 0,
  WITH_DOCTOR: 1,
  AT_EXAMINATION: 1,
  AWAITING_REVIEW: 1,
  FINISHED: 2,
  REFUSED: 2,
  CONFIRMED: 3,
};

const LIFECYCLE: Readonly<Record<string, BoardState>> = {
  EncounterRegistered: "WAITING",
  EncounterStarted: "WITH_DOCTOR",
  EncounterFinished: "FINISHED",
  EncounterRefused: "REFUSED",
  VisitOutcomeConfirmed: "CONFIRMED",
};

/** How each examination event moves the counts: [ORDERED delta, PERFORMED-unreviewed delta]. */
const EXAM_DELTAS: Readonly<Record<string, readonly [number, number]>> = {
  ExaminationOrdered: [1, 0],
  ExaminationPerformed: [-1, 1],
  ExaminationCancelled: [-1, 0], // only ORDERED examinations can be cancelled
  ExaminationReviewed: [0, -1],
};

export const BOARD_EVENT_TYPES: readonly string[] = [...Object.keys(LIFECYCLE), ...Object.keys(EXAM_DELTAS)];

/** With the doctor, the exam counts tell which of the three states. */
export function withDoctorState(pendingExams: number, unreviewed: number): BoardState {
  if (pendingExams > 0) return "AT_EXAMINATION";
  if (unreviewed > 0) return "AWAITING_REVIEW";
  return "WITH_DOCTOR";
}

export function clinicLocalDay(at: Date, clinicTimezone: string): string {
  return DateTime.fromJSDate(at, { zone: clinicTimezone }).toISODate()!;
}

/** The next board entry after `event`, or null when the event changes nothing (unknown type, stale, redelivered registration). */
export function applyBoardEvent(current: BoardEntry | null, event: BoardEvent, clinicTimezone: string): BoardEntry | null {
  const target = LIFECYCLE[event.type];
  const deltas = EXAM_DELTAS[event.type];
  if (!target && !deltas) return null;
  if (current && event.type === "EncounterRegistered") return null; // registered once; a replay changes nothing
  const { data } = event;
  const base: BoardEntry = current ?? {
    encounterId: data.encounterId,
    appointmentId: "appointmentId" in data ? data.appointmentId : null,
    day: clinicLocalDay(event.time, clinicTimezone),
    patientId: data.patientId,
    doctorId: data.doctorId,
    state: "WAITING",
    since: event.time,
    arrivedAt: event.time,
    pendingExams: 0,
    unreviewed: 0,
    updatedAt: event.time,
  };
  let pendingExams = base.pendingExams + (deltas?.[0] ?? 0);
  let unreviewed = base.unreviewed + (deltas?.[1] ?? 0);
  // The producer's count of ORDERED examinations after the change is authoritative when the event has it.
  if (typeof data.pendingExaminations === "number") pendingExams = data.pendingExaminations;
  pendingExams = Math.max(0, pendingExams);
  unreviewed = Math.max(0, unreviewed);

  // Examination work implies the doctor has started; lifecycle events move forward only.
  const wanted = target ?? (RANK[base.state] === 0 ? "WITH_DOCTOR" : base.state);
  let state = RANK[wanted] >= RANK[base.state] ? wanted : base.state;
  if (RANK[state] === 1) state = withDoctorState(pendingExams, unreviewed);

  if (current && state === current.state && pendingExams === current.pendingExams && unreviewed === current.unreviewed) return null;
  return {
    ...base,
    state,
    since: current && state === current.state ? current.since : event.time,
    pendingExams,
    unreviewed,
    updatedAt: event.time,
  };
}

/** Whole minutes the entry has been in its state, on the clinic's clock. */
export function minutesInState(entry: Pick<BoardEntry, "since">, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - entry.since.getTime()) / 60_000));
}
