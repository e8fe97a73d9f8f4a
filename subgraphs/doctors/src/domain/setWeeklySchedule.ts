/**
 * setWeeklySchedule (ADMIN or that doctor): replaces the doctor's rules from today on and announces it, in one
 * transaction. Versions already in force (a template applied from today or earlier) are superseded and deleted;
 * upcoming versions (a template applied from a later day) stay and still take over on their day.
 */
import type { Deps } from "./deps.js";
import { doctorNotFound } from "./errors.js";
import { findDoctorOrFail } from "./findDoctor.js";
import type { DoctorRepository } from "./ports.js";
import { requireAdminOrDoctorThemselves } from "./policy.js";
import { parseWeeklySchedule, type ScheduleRuleInput } from "./scheduleRules.js";
import { localToday } from "./scheduleVersions.js";
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
    await tx.versions.dropUntil(doctor.id, localToday(deps.clock(), doctor.timezone));
    await tx.schedules.replace(doctor.id, rules);
    await tx.outbox.append("DoctorScheduleChanged", { doctorId: doctor.id }, deps.clock());
  });
  return { doctor, rules };
}
