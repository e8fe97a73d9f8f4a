/** addTimeOff (ADMIN or that doctor); DoctorScheduleChanged is written in the same transaction (scheduling blocks the slots). */
import type { Deps } from "./deps.js";
import { doctorNotFound } from "./errors.js";
import { findDoctorOrFail } from "./findDoctor.js";
import type { DoctorRepository } from "./ports.js";
import { requireAdminOrDoctorThemselves } from "./policy.js";
import { validateTimeOff, type TimeOffInput } from "./timeOff.js";
import type { Actor, TimeOff } from "./types.js";

export interface AddTimeOffInput extends TimeOffInput {
  doctorId: string;
}

export interface AddTimeOffDeps extends Pick<Deps, "unitOfWork" | "clock"> {
  doctors: Pick<DoctorRepository, "findById">;
}

export async function addTimeOff(deps: AddTimeOffDeps, actor: Actor, input: AddTimeOffInput): Promise<TimeOff> {
  const doctor = await findDoctorOrFail(deps.doctors, input.doctorId);
  requireAdminOrDoctorThemselves(actor, doctor);
  const timeOff = validateTimeOff(input, deps.clock());
  return deps.unitOfWork.run(async (tx) => {
    if (!(await tx.doctors.lock(doctor.id))) throw doctorNotFound();
    const added = await tx.timeOff.add(doctor.id, timeOff);
    await tx.outbox.append("DoctorScheduleChanged", { doctorId: doctor.id }, deps.clock());
    return added;
  });
}
