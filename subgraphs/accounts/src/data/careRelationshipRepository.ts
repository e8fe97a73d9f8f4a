/**
 * The care-relationship projection (`accounts.care_relationships`, ADR 0011) and the per-request loader
 * that answers "does the calling doctor care for this patient?" for every patient of one request with
 * one query (and at most one question to scheduling).
 */
import DataLoader from "dataloader";
import type { Identity } from "@clinigraph/platform";
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
   * Applies an event's relationship once per (consumer, event id): the id is recorded in `accounts.processed_events`
   * in the statement of the effect, so a redelivered event does nothing. False for a duplicate.
   */
  async recordFromEvent(consumer: string, eventId: string, relationship: CareRelationship): Promise<boolean> {
    return (await this.recordFromEvents(consumer, [{ eventId, relationship }])) === 1;
  }

  /**
   * A block of events in one statement (a consumer's block read): the ids not processed yet are recorded, and their
   * relationships written (an existing one keeps its source and the earlier `since`; several events of one pair, the
   * earliest). A concurrent delivery of the same event waits on its processed_events row and then applies nothing.
   * Answers how many events were new.
   */
  async recordFromEvents(consumer: string, items: readonly { eventId: string; relationship: CareRelationship }[]): Promise<number> {
    // By event id: two blocks that share events lock their processed_events rows in the same order (no deadlock).
    const unique = [...new Map(items.map((item) => [item.eventId, item])).values()].sort((a, b) => (a.eventId < b.eventId ? -1 : 1));
    if (unique.length === 0) return 0;
    const rows = await this.db.$queryRaw<{ fresh: number }[]>`
      WITH input AS (
        SELECT * FROM unnest(
          ${unique.map((i) => i.eventId)}::text[],
          ${unique.map((i) => i.relationship.doctorUserId)}::uuid[],
          ${unique.map((i) => i.relationship.patientId)}::uuid[],
          ${unique.map((i) => i.relationship.since.toISOString())}::timestamptz[],
          ${unique.map((i) => i.relationship.source)}::text[]) AS i (event_id, doctor_user_id, patient_id, since, source)
      ), fresh AS (
        INSERT INTO accounts.processed_events (consumer, event_id)
        SELECT ${consumer}, event_id FROM input ON CONFLICT DO NOTHING RETURNING event_id
      ), applied AS (
        INSERT INTO accounts.care_relationships (doctor_user_id, patient_id, since, source)
        SELECT DISTINCT ON (doctor_user_id, patient_id) doctor_user_id, patient_id, since, source
        FROM input JOIN fresh USING (event_id)
        ORDER BY doctor_user_id, patient_id, since
        ON CONFLICT (doctor_user_id, patient_id) DO UPDATE SET since = LEAST(care_relationships.since, EXCLUDED.since)
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM fresh)::int AS fresh, (SELECT count(*) FROM applied)::int AS applied`;
    return rows[0]?.fresh ?? 0;
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
