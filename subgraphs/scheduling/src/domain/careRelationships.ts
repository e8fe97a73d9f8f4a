/**
 * Care relationships as scheduling knows them (ADR 0011): a doctor has one with a patient who has an
 * appointment with them, in any status. Accounts keeps a projection of this from the appointment events
 * and asks here (`myCareRelationships`, with the doctor's own identity) for patients its projection has
 * not seen yet, e.g. while the event of a request that just arrived on the doctor's live feed is in flight.
 */
import { badInput, forbidden } from "@clinigraph/platform";
import { requireId } from "./ids.js";
import type { Deps } from "./deps.js";
import type { Actor } from "./types.js";

/** Most patient ids one call may ask about (callers split larger sets). */
export const MAX_CARE_QUERY_IDS = 500;

/** Of `patientIds`, those who have an appointment with the calling doctor (any of their doctor profiles). */
export async function myCareRelationships(deps: Pick<Deps, "appointments">, actor: Actor, patientIds: readonly string[]): Promise<string[]> {
  if (actor.role !== "DOCTOR") throw forbidden("Only doctors have care relationships");
  if (patientIds.length > MAX_CARE_QUERY_IDS) throw badInput(`At most ${MAX_CARE_QUERY_IDS} patient ids per call`, "patientIds");
  const ids = [...new Set(patientIds.map((id) => requireId(id, "patientIds")))];
  if (ids.length === 0) return [];
  return deps.appointments.patientsOfDoctorUser(actor.userId, ids);
}
