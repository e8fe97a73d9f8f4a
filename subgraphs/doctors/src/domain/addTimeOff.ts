/** addTimeOff (ADMIN or that doctor). */
import type { Identity } from "@clinigraph/platform";
import type { DoctorRepository } from "../data/doctorRepository.js";
import type { UnitOfWork } from "../data/unitOfWork.js";
import { doctorNotFound } from "./errors.js";
import { findDoctorOrFail } from "./findDoctor.js";
import { requireAdminOrDoctorThemselves } from "./permissions.js";
import { validateTimeOff, type TimeOffInput } from "./timeOff.js";
import type { TimeOff } from "./types.js";

export interface AddTimeOffDeps {
  doctors: Pick<DoctorRepository, "findById">;
  unitOfWork: UnitOfWork;
  clock: () => Date;
}

export async function addTimeOff(caller: Identity, doctorId: string, input: TimeOffInput, deps: AddTimeOffDeps): Promise<TimeOff> {
  const doctor = await findDoctorOrFail(deps.doctors, doctorId);
  requireAdminOrDoctorThemselves(caller, doctor);
  const timeOff = validateTimeOff(input, deps.clock());
  return deps.unitOfWork.run(async (tx) => {
    if (!(await tx.doctors.lock(doctor.id))) throw doctorNotFound();
    const added = await tx.timeOff.add(doctor.id, timeOff);
    // Future: tx.outbox.append(doctorTimeOffAdded(...)) — same transaction.
    return added;
  });
}
