/**
 * Transactional outbox: every state change writes its event in the same transaction (the Outbox port of
 * domain/ports.ts), all of a transaction's events in one statement just before COMMIT (@clinigraph/events
 * `createTransactionOutbox`); the relay moves the rows to the event bus, woken by the NOTIFY sent at commit.
 */
import { createTransactionOutbox, outboxChannel, type EncounterEventData, type ExaminationEventData, type TransactionOutbox } from "@clinigraph/events";
import type { Sql } from "@clinigraph/platform";
import type { ClinicalEventType } from "../domain/ports.js";

/** The relay LISTENs here; PostgreSQL delivers the notification when the transaction commits. */
export const OUTBOX_CHANNEL = outboxChannel("clinical");

/** The outbox of one transaction; the unit of work calls `flush` before COMMIT. */
export type ClinicalOutbox = TransactionOutbox<ClinicalEventType, EncounterEventData | ExaminationEventData>;

export const createOutbox = (tx: Sql): ClinicalOutbox => createTransactionOutbox(tx, { service: "clinical", aggregateId: (payload) => payload.encounterId });
