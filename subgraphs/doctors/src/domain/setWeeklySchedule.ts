/** setWeeklySchedule (ADMIN or that doctor): replaces all of the doctor's rules in one transaction. */
import type { Identity } from "@clinigraph/platform";
import type { DoctorRepository } from "../data/doctorRepository.js";
import type { UnitOfWork } from "../data/unitOfWork.js";
import { doctorNotFound } from "./errors.js";
import { findDoctorOrFail } from "./findDoctor.js";
import { requireAdminOrDoctorThemselves } from "./permissions.js";
import { parseWeeklySchedule, type ScheduleRuleInput } from "./scheduleRules.js";
import type { Doctor, ScheduleRule } from "./types.js";

export interface SetWeeklyScheduleDeps {
  doctors: Pick<DoctorRepository, "findById">;
  unitOfWork: UnitOfWork;
}

export async function setWeeklySchedule(
  caller: Identity,
  doctorId: string,
  inputs: readonly ScheduleRuleInput[],
  deps: SetWeeklyScheduleDeps,
): Promise<{ doctor: Doctor; rules: ScheduleRule[] }> {
  const doctor = await findDoctorOrFail(deps.doctors, doctorId);
  requireAdminOrDoctorThemselves(caller, doctor);
  const rules = parseWeeklySchedule(inputs);
  await deps.unitOfWork.run(async (tx) => {
    if (!(await tx.doctors.lock(doctor.id))) throw doctorNotFound();
    await tx.schedules.replace(doctor.id, rules);
    // Future: tx.outbox.append(weeklyScheduleChanged(doctor, rules)) — same transaction.
  });
  return { doctor, rules };
}
