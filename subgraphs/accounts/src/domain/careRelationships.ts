/**
 * Care relationships (issue 5, ADR 0011): a DOCTOR may read a patient's profile only when they have one.
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

/** `appointment`: learnt from an appointment event; `appointment-check`: confirmed by scheduling on a miss. */
export type CareSource = "appointment" | "appointment-check" | "encounter";

export interface CareRelationship {
  doctorUserId: string;
  patientId: string;
  since: Date;
  source: CareSource;
}

/** The projection. */
export interface CareRelationshipStore {
  /** Of `patientIds`, those the doctor (user id) has a relationship with. */
  known(doctorUserId: string, patientIds: readonly string[]): Promise<Set<string>>;
  /** Adds relationships; an existing one keeps its source and the earlier `since`. */
  record(relationships: readonly CareRelationship[]): Promise<void>;
}

/** Scheduling, the source of truth. */
export interface CareRelationshipSource {
  /** Of `patientIds`, those with an appointment with `doctor` (asked with the doctor's identity). Throws when it cannot answer. */
  confirm(doctor: Identity, patientIds: readonly string[]): Promise<string[]>;
}

export interface CareRelationshipDeps {
  store: CareRelationshipStore;
  scheduling: CareRelationshipSource;
  logger: Pick<Logger, "warn">;
  clock: () => Date;
}

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
  const found = await deps.store.known(doctorUserId, ids);
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
    await deps.store.record(fresh.map((patientId) => ({ doctorUserId, patientId, since, source: "appointment-check" as const })));
    for (const id of fresh) found.add(id);
  }
  return found;
}
