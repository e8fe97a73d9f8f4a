/**
 * Clinical's live feeds (ADR 7, machinery in @clinigraph/events): the clinic board of a day, for the
 * customer-management team, and each doctor's encounter updates (topic per doctor user id).
 */
import type { LiveMessage } from "@clinigraph/events";
import type { BoardEntry, BoardState } from "../domain/board.js";

export const boardTopic = (day: string) => `clinic-board:${day}`;
export const doctorEncounterTopic = (doctorUserId: string) => `encounters:doctor-user:${doctorUserId}`;

/** A board entry as it travels through a feed (JSON: dates as ISO strings). */
export interface BoardEntryJson extends Omit<BoardEntry, "since" | "arrivedAt" | "updatedAt"> {
  since: string;
  arrivedAt: string;
  updatedAt: string;
}

export interface BoardUpdateMessage extends LiveMessage {
  entry: BoardEntryJson;
}

export const boardEntryToJson = (e: BoardEntry): BoardEntryJson => ({
  ...e,
  since: e.since.toISOString(),
  arrivedAt: e.arrivedAt.toISOString(),
  updatedAt: e.updatedAt.toISOString(),
});

export const boardEntryFromJson = (e: BoardEntryJson): BoardEntry => ({
  ...e,
  state: e.state as BoardState,
  since: new Date(e.since),
  arrivedAt: new Date(e.arrivedAt),
  updatedAt: new Date(e.updatedAt),
});

/** Clinical events → the EncounterUpdateType enum of `myEncounterUpdates`. */
export const ENCOUNTER_UPDATE_TYPES: Readonly<Record<string, string>> = {
  EncounterRegistered: "REGISTERED",
  EncounterStarted: "STARTED",
  ExaminationOrdered: "EXAMINATION_ORDERED",
  ExaminationPerformed: "EXAMINATION_PERFORMED",
  ExaminationCancelled: "EXAMINATION_CANCELLED",
  ExaminationReviewed: "EXAMINATION_REVIEWED",
  EncounterFinished: "FINISHED",
  EncounterRefused: "REFUSED",
  VisitOutcomeConfirmed: "OUTCOME_CONFIRMED",
};

export interface EncounterUpdateMessage extends LiveMessage {
  type: string;
  encounterId: string;
  examinationId: string | null;
  /** Who caused the change (null: the system), e.g. the examiner who cancelled. */
  actorId: string | null;
  at: string;
}
