/**
 * The care-relationship projection (`accounts.care_relationships`, ADR 0011) and the per-request loader
 * that answers "does the calling doctor care for this patient?" for every patient of one request with
 * one query (and at most one question to scheduling).
 */
import DataLoader from "dataloader";
import { inTransaction, type Identity } from "@clinigraph/platform";
import { findCareRelationships, type CareRelationshipDeps } from "../domain/careRelationships.js";
import type { CareRelationshipStore } from "../domain/ports.js";
import type { CareRelationship } from "../domain/types.js";
import type { PrismaClient } from "./prisma.js";

type Executor = Pick<PrismaClient, "$executeRaw">;

async function upsert(db: Executor, relationships: readonly CareRelationship[]): Promise<void> {
  if (relationships.length === 0) return;
  await db.$executeRaw`
    INSERT INTO accounts.care_relationships (doctor_user_id, patient_id, since, source)
    SELECT * FROM unnest(
      ${relationships.map((r) => r.doctorUserId)}::uuid[],
      ${relationships.map((r) => r.patientId)}::uuid[],
      ${relationships.map((r) => r.since.toISOString())}::timestamptz[],
      ${relationships.map((r) => r.source)}::text[])
    ON CONFLICT (doctor_user_id, patient_id) DO UPDATE SET since = LEAST(care_relationships.since, EXCLUDED.since)`;
}

export class CareRelationshipRepository implements CareRelationshipStore {
  constructor(private readonly db: PrismaClient) {}

  async known(doctorUserId: string, patientIds: readonly string[]): Promise<Set<string>> {
    if (patientIds.length === 0) return new Set();
    const rows = await this.db.careRelationship.findMany({ where: { doctorUserId, patientId: { in: [...patientIds] } }, select: { patientId: true } });
    return new Set(rows.map((row) => row.patientId));
  }

  record(relationships: readonly CareRelationship[]): Promise<void> {
    return upsert(this.db, relationships);
  }

  /**
   * Applies an event's relationship once per (consumer, event id): the id is recorded in
   * `accounts.processed_events` in the transaction of the effect, so a redelivered event does nothing.
   * Returns false for a duplicate.
   */
  recordFromEvent(consumer: string, eventId: string, relationship: CareRelationship): Promise<boolean> {
    return inTransaction(this.db, async (tx) => {
      const fresh = await tx.$executeRaw`
        INSERT INTO accounts.processed_events (consumer, event_id) VALUES (${consumer}, ${eventId}) ON CONFLICT DO NOTHING`;
      if (fresh === 0) return false;
      await upsert(tx, [relationship]);
      return true;
    });
  }

  /** Every relationship of a patient (tests, support). */
  ofPatient(patientId: string): Promise<CareRelationship[]> {
    return this.db.careRelationship.findMany({ where: { patientId }, orderBy: { since: "asc" } }) as Promise<CareRelationship[]>;
  }
}

/** Per request: patient id → whether the caller (a doctor) has a care relationship with them; false for anyone else. */
export function createCareRelationshipLoader(deps: CareRelationshipDeps, identity: Identity) {
  return new DataLoader<string, boolean>(async (patientIds) => {
    const found = await findCareRelationships(deps, identity, patientIds);
    return patientIds.map((id) => found.has(id.toLowerCase()));
  });
}
