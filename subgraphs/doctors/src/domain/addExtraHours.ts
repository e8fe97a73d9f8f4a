/**
 * addExtraHours (ADMIN or that doctor): bookable time outside the weekly rules, a UTC range cut into slots of
 * `slotMinutes` from its start (a whole number of them; at most a day). Scheduling adds them as free slots (where the
 * weekly rules make none; time off still blocks them). DoctorScheduleChanged is written in the same transaction.
 */
import { badInput } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { doctorNotFound } from "./errors.js";
import { findDoctorOrFail } from "./findDoctor.js";
import type { DoctorRepository } from "./ports.js";
import { requireAdminOrDoctorThemselves } from "./policy.js";
import { MAX_SLOT_MINUTES, MIN_SLOT_MINUTES } from "./scheduleRules.js";
import type { Actor, ExtraHours } from "./types.js";

export const MAX_EXTRA_HOURS_MINUTES = 24 * 60;
const MINUTE_MS = 60_000;

export interface AddExtraHoursInput {
  doctorId: string;
  from: Date;
  to: Date;
  slotMinutes: number;
}

export interface AddExtraHoursDeps extends Pick<Deps, "unitOfWork" | "clock"> {
  doctors: Pick<DoctorRepository, "findById">;
}

export function validateExtraHours(input: Omit<AddExtraHoursInput, "doctorId">, now: Date): { startsAt: Date; endsAt: Date; slotMinutes: number } {
  const { from, to, slotMinutes } = input;
  if (Number.isNaN(from.getTime())) throw badInput("Invalid start", "from");
  if (Number.isNaN(to.getTime())) throw badInput("Invalid end", "to");
  if (from.getTime() % MINUTE_MS !== 0) throw badInput("Extra hours start on a whole minute", "from");
  if (to.getTime() <= from.getTime()) throw badInput("Extra hours must end after they start", "to");
  if (to.getTime() <= now.getTime()) throw badInput("Extra hours must end in the future", "to");
  if (!Number.isInteger(slotMinutes) || slotMinutes < MIN_SLOT_MINUTES || slotMinutes > MAX_SLOT_MINUTES) {
    throw badInput(`Slots last between ${MIN_SLOT_MINUTES} and ${MAX_SLOT_MINUTES} minutes`, "slotMinutes");
  }
  const minutes = (to.getTime() - from.getTime()) / MINUTE_MS;
  if (minutes > MAX_EXTRA_HOURS_MINUTES) throw badInput(`Extra hours last at most ${MAX_EXTRA_HOURS_MINUTES / 60} hours`, "to");
  if (minutes % slotMinutes !== 0) throw badInput(`The range does not divide into whole ${slotMinutes}-minute slots`, "slotMinutes");
  return { startsAt: from, endsAt: to, slotMinutes };
}

export async function addExtraHours(deps: AddExtraHoursDeps, actor: Actor, input: AddExtraHoursInput): Promise<ExtraHours> {
  const doctor = await findDoctorOrFail(deps.doctors, input.doctorId);
  requireAdminOrDoctorThemselves(actor, doctor);
  const extra = validateExtraHours(input, deps.clock());
  return deps.unitOfWork.run(async (tx) => {
    if (!(await tx.doctors.lock(doctor.id))) throw doctorNotFound();
    const added = await tx.extraHours.add(doctor.id, extra);
    await tx.outbox.append("DoctorScheduleChanged", { doctorId: doctor.id }, deps.clock());
    return added;
  });
}
