/**
 * Pulling doctors' schedules: on demand (doctors notifies scheduling after a schedule change, or an
 * admin asks) and periodically for everyone (catches missed notifications and rolls the horizon forward).
 */
import { notFound, type Logger } from "@clinigraph/platform";
import type { DoctorsClient } from "../data/doctorsClient.js";
import type { SchedulingDeps } from "./deps.js";
import { syncDoctor, type SyncResult } from "./syncDoctor.js";
import type { Actor } from "./types.js";

export async function syncDoctorFromSource(deps: SchedulingDeps, doctors: DoctorsClient, doctorId: string, _actor?: Actor): Promise<SyncResult> {
  const snapshot = await doctors.fetchDoctor(doctorId);
  if (!snapshot) throw notFound("Unknown doctor");
  return syncDoctor(deps, snapshot);
}

export async function reconcileAllDoctors(deps: SchedulingDeps, doctors: DoctorsClient, logger: Logger): Promise<number> {
  let count = 0;
  for await (const snapshot of doctors.fetchAllDoctors()) {
    try {
      await syncDoctor(deps, snapshot);
      count++;
    } catch (err) {
      logger.error({ err, doctorId: snapshot.id }, "slot sync failed for a doctor");
    }
  }
  return count;
}
