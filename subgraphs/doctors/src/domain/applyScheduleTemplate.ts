/**
 * applyScheduleTemplate (ADMIN): from `from` (a local day of each doctor's time zone, today or later) on, the doctors
 * follow the template's rules (its windows with the breaks cut out); until the day before, what they had. All doctors
 * or none, in one transaction: each doctor's row is locked (in id order, so two applications cannot deadlock), the
 * versions in force by today are folded into the base rules, the versions from `from` on are replaced by the
 * template's, and ScheduleTemplateApplied then DoctorScheduleChanged (with the upcoming versions) are written for the
 * doctor. Time off and extra hours stay as they are.
 */
import type { Deps } from "./deps.js";
import { doctorNotFound } from "./errors.js";
import type { DoctorRepository } from "./ports.js";
import { requireAdmin } from "./policy.js";
import { findTemplateOrFail } from "./scheduleTemplateCrud.js";
import { effectiveRules } from "./scheduleTemplates.js";
import { checkFromDay, findDoctorsOrFail, isoDay, localToday } from "./scheduleVersions.js";
import type { Actor, Doctor } from "./types.js";

export interface ApplyScheduleTemplateInput {
  templateId: string;
  doctorIds: readonly string[];
  from: Date;
}

export interface ApplyScheduleTemplateDeps extends Pick<Deps, "unitOfWork" | "clock" | "templates"> {
  doctors: Pick<DoctorRepository, "findByIds">;
}

export async function applyScheduleTemplate(deps: ApplyScheduleTemplateDeps, actor: Actor, input: ApplyScheduleTemplateInput): Promise<Doctor[]> {
  requireAdmin(actor);
  const template = await findTemplateOrFail(deps.templates, input.templateId);
  const from = isoDay(input.from);
  const doctors = await findDoctorsOrFail(deps.doctors, input.doctorIds);
  const now = deps.clock();
  for (const doctor of doctors) checkFromDay(from, doctor, now);
  const rules = effectiveRules(template.rules, template.breaks, "template.rules");

  await deps.unitOfWork.run(async (tx) => {
    for (const doctor of [...doctors].sort((a, b) => a.id.localeCompare(b.id))) {
      if (!(await tx.doctors.lock(doctor.id))) throw doctorNotFound();
      await tx.versions.fold(doctor.id, localToday(now, doctor.timezone));
      await tx.versions.replaceFrom(doctor.id, from, rules, template.id);
      await tx.outbox.append(
        "ScheduleTemplateApplied",
        { templateId: template.id, doctorId: doctor.id, from, actorId: actor.userId, at: now.toISOString() },
        now,
      );
      await tx.outbox.append("DoctorScheduleChanged", { doctorId: doctor.id }, now);
    }
  });
  return doctors;
}
