/**
 * Care relationships (ADR 0011): a DOCTOR may read a patient's profile only when they have one.
 *
 * What creates one: an appointment of the patient with the doctor, in ANY status — requested (PENDING),
 * booked, checked in, fulfilled, no-show, cancelled, and also a request the doctor rejected or let expire.
 * The request is the patient's (or reception's) act of addressing that doctor, who sees it on their
 * calendar and live feed for good; doctors cannot create appointments themselves. Later, a clinical
 * encounter will create one as well. Relationships are never withdrawn by a later status (see the ADR
 * for why rejected and expired requests are not excluded).
 *
 * How accounts knows: a projection (`accounts.care_relationships`) of scheduling's appointment events;
 * on a miss, scheduling is asked synchronously with the doctor's own identity for all patients of the
 * request at once, and what it confirms is stored. If scheduling cannot answer, the projection's answer
 * stands (fail closed) and it is logged.
 */
import { APPOINTMENT_EVENT_TYPES, isEvent, type EventEnvelope } from "@clinigraph/events";
import { isUuid, type Identity, type Logger } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import type { CareRelationshipStore } from "./ports.js";
import type { CareRelationship } from "./types.js";

/** What finding care relationships needs: the projection's reads and writes, the sources, a logger, the clock. */
export type CareRelationshipDeps = Pick<Deps, "scheduling" | "clock"> & {
  careRelationships: Pick<CareRelationshipStore, "known" | "record">;
  logger: Pick<Logger, "warn">;
};

/**
 * The relationship an event creates, or null: appointment events (scheduling) and encounter registrations
 * (clinical: check-ins and walk-ins); other events, and events written before `doctorUserId` existed, none.
 */
export function careRelationshipFromEvent(event: EventEnvelope): CareRelationship | null {
  if (isEvent(event, "EncounterRegistered")) {
    const { doctorUserId, patientId } = event.data;
    if (!isUuid(doctorUserId) || !isUuid(patientId)) return null;
    return { doctorUserId: doctorUserId.toLowerCase(), patientId: patientId.toLowerCase(), since: new Date(event.time), source: "encounter" };
  }
  if (!isEvent(event, ...APPOINTMENT_EVENT_TYPES)) return null;
  const { doctorUserId, patientId } = event.data;
  if (!doctorUserId || !isUuid(doctorUserId) || !isUuid(patientId)) return null; // older events: scheduling answers for them on a miss
  return { doctorUserId: doctorUserId.toLowerCase(), patientId: patientId.toLowerCase(), since: new Date(event.time), source: "appointment" };
}

/**
 * Of `patientIds`, those `doctor` has a care relationship with: the projection first, then one question
 * to scheduling for all misses; confirmed ones are stored. Scheduling failing leaves the misses refused.
 */
export async function findCareRelationships(deps: CareRelationshipDeps, doctor: Identity, patientIds: readonly string[]): Promise<Set<string>> {
  const doctorUserId = doctor.userId;
  if (doctor.role !== "DOCTOR" || !doctorUserId) return new Set();
  const ids = [...new Set(patientIds.filter(isUuid).map((id) => id.toLowerCase()))];
  if (ids.length === 0) return new Set();
  const found = await deps.careRelationships.known(doctorUserId, ids);
  const misses = ids.filter((id) => !found.has(id));
  if (misses.length === 0) return found;
  let confirmed: string[];
  try {
    confirmed = await deps.scheduling.confirm(doctor, misses);
  } catch (err) {
    deps.logger.warn(
      { err, doctorUserId, patients: misses.length, requestId: doctor.requestId },
      "scheduling could not confirm care relationships; refusing what the projection does not know",
    );
    return found;
  }
  const asked = new Set(misses);
  const fresh = [...new Set(confirmed.map((id) => id.toLowerCase()))].filter((id) => asked.has(id));
  if (fresh.length > 0) {
    const since = deps.clock();
    await deps.careRelationships.record(fresh.map((patientId) => ({ doctorUserId, patientId, since, source: "appointment-check" as const })));
    for (const id of fresh) found.add(id);
  }
  return found;
}

/**
 * Applies the relationship an event creates, once per (consumer group, event id): a redelivered event does nothing.
 * False when the event creates none or was applied already.
 */
export async function recordCareFromEvent(deps: Pick<Deps, "careRelationships">, group: string, event: EventEnvelope): Promise<boolean> {
  const relationship = careRelationshipFromEvent(event);
  if (!relationship) return false;
  return deps.careRelationships.recordFromEvent(group, event.id, relationship);
}

/** `recordCareFromEvent` for a block of events (a consumer's block read) in one write; how many created or refreshed one. */
export async function recordCareFromEvents(deps: Pick<Deps, "careRelationships">, group: string, events: readonly EventEnvelope[]): Promise<number> {
  const items = events.flatMap((event) => {
    const relationship = careRelationshipFromEvent(event);
    return relationship ? [{ eventId: event.id, relationship }] : [];
  });
  return items.length ? deps.careRelationships.recordFromEvents(group, items) : 0;
}
