/**
 * Pulling doctors' schedules: on demand (doctors' DoctorScheduleChanged events, or an admin or the doctor asks) and
 * periodically for everyone (catches missed or dead-lettered events and rolls the horizon forward).
 */
import { forbidden, notFound, type Logger } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { requireId } from "./ids.js";
import { syncDoctor, type SyncResult } from "./syncDoctor.js";
import type { Actor } from "./types.js";

/**
 * Re-reads one doctor from the doctors subgraph and syncs their slots; null when the doctors subgraph does not know
 * the doctor. Idempotent: the sync converges on the doctor's current state, however often (or late) it runs.
 */
export async function resyncDoctor(deps: Pick<Deps, "doctors" | "unitOfWork" | "clock" | "rules">, doctorId: string): Promise<SyncResult | null> {
  const snapshot = await deps.doctors.fetchDoctor(doctorId);
  return snapshot ? syncDoctor(deps, snapshot) : null;
}

/** Re-reads one doctor from the doctors subgraph and syncs their slots (NOT_FOUND when doctors does not know them). */
export async function syncDoctorFromSource(
  deps: Pick<Deps, "doctors" | "unitOfWork" | "clock" | "rules">,
  _actor: Actor | null,
  doctorId: string,
): Promise<SyncResult> {
  const result = await resyncDoctor(deps, doctorId);
  if (!result) throw notFound("Unknown doctor");
  return result;
}

/**
 * syncDoctorSlots: an admin, or the doctor for themselves. A doctor not synced here yet may pull only their own
 * schedule: the doctors subgraph says whose it is.
 */
export async function syncDoctorSlots(deps: Deps, actor: Actor, rawDoctorId: string): Promise<true> {
  const doctorId = requireId(rawDoctorId, "doctorId");
  if (actor.role === "ADMIN" || (actor.role === "DOCTOR" && actor.doctorId === doctorId)) {
    await syncDoctorFromSource(deps, actor, doctorId);
    return true;
  }
  if (actor.role !== "DOCTOR" || actor.doctorId !== null) throw forbidden();
  const snapshot = await deps.doctors.fetchDoctor(doctorId);
  if (!snapshot || snapshot.userId !== actor.userId) throw forbidden();
  await syncDoctor(deps, snapshot);
  return true;
}

export async function reconcileAllDoctors(deps: Pick<Deps, "doctors" | "unitOfWork" | "clock" | "rules">, logger: Logger): Promise<number> {
  let count = 0;
  for await (const snapshot of deps.doctors.fetchAllDoctors()) {
    try {
      await syncDoctor(deps, snapshot);
      count++;
    } catch (err) {
      logger.error({ err, doctorId: snapshot.id }, "slot sync failed for a doctor");
    }
  }
  return count;
}
