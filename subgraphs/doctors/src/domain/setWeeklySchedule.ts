/** setWeeklySchedule (ADMIN or that doctor): replaces all of the doctor's rules and announces it, in one transaction. */
import type { Deps } from "./deps.js";
import { doctorNotFound } from "./errors.js";
import { findDoctorOrFail } from "./findDoctor.js";
import type { DoctorRepository } from "./ports.js";
import { requireAdminOrDoctorThemselves } from "./policy.js";
import { parseWeeklySchedule, type ScheduleRuleInput } from "./scheduleRules.js";
import type { Actor, Doctor, ScheduleRule } from "./types.js";

export interface SetWeeklyScheduleInput {
  doctorId: string;
  rules: readonly ScheduleRuleInput[];
}

export interface SetWeeklyScheduleDeps extends Pick<Deps, "unitOfWork" | "clock"> {
  doctors: Pick<DoctorRepository, "findById">;
}

export async function setWeeklySchedule(
  deps: SetWeeklyScheduleDeps,
  actor: Actor,
  input: SetWeeklyScheduleInput,
): Promise<{ doctor: Doctor; rules: ScheduleRule[] }> {
  const doctor = await findDoctorOrFail(deps.doctors, input.doctorId);
  requireAdminOrDoctorThemselves(actor, doctor);
  const rules = parseWeeklySchedule(input.rules);
  await deps.unitOfWork.run(async (tx) => {
    if (!(await tx.doctors.lock(doctor.id))) throw doctorNotFound();
    await tx.schedules.replace(doctor.id, rules);
    await tx.outbox.append("DoctorScheduleChanged", { doctorId: doctor.id }, deps.clock());
  });
  return { doctor, rules };
}
