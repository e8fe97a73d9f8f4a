import { isUuid } from "@clinigraph/platform";
import { doctorNotFound } from "./errors.js";
import type { DoctorRepository } from "./ports.js";
import type { Doctor } from "./types.js";

/** The doctor a mutation is about, or NOT_FOUND (also for an id that is not a UUID). */
export async function findDoctorOrFail(doctors: Pick<DoctorRepository, "findById">, id: string): Promise<Doctor> {
  const doctor = isUuid(id) ? await doctors.findById(id.toLowerCase()) : null;
  if (!doctor) throw doctorNotFound();
  return doctor;
}
