/**
 * createDoctor (ADMIN): every input is validated before the first side effect; then the DOCTOR user
 * is linked or created in accounts, then the doctor row and its services are written in one
 * transaction. If that last write fails after accounts created the user, the user stays (accounts
 * owns it) and the administrator can retry with its id as `userId`.
 * A user who already is a doctor: CONFLICT (checked first, and by the unique index on user_id).
 * DoctorScheduleChanged is written in the transaction of the doctor row, so scheduling learns of the new doctor.
 */
import { refuseRetired, resolveServices, resolveSpecialty } from "./catalogue.js";
import type { Deps } from "./deps.js";
import { obtainDoctorUser, planAccount, type AccountInput } from "./doctorAccount.js";
import type { CatalogueRepository, DoctorRepository } from "./ports.js";
import { requireAdmin } from "./policy.js";
import { optionalText, requiredText, TEXT_LIMITS } from "./text.js";
import { normalizeTimeZone } from "./timezone.js";
import type { Actor, Doctor } from "./types.js";

export interface CreateDoctorInput extends AccountInput {
  name: string;
  specialtyCode: string;
  licenseNumber?: string | null;
  bio?: string | null;
  location?: string | null;
  timezone: string;
  serviceCodes?: readonly string[] | null;
  autoApprove?: boolean | null;
}

export interface CreateDoctorDeps extends Pick<Deps, "unitOfWork" | "accounts" | "clock"> {
  catalogue: Pick<CatalogueRepository, "findSpecialtyByCode" | "servicesByCodes">;
  doctors: Pick<DoctorRepository, "findByUserId">;
}

export async function createDoctor(deps: CreateDoctorDeps, actor: Actor, input: CreateDoctorInput): Promise<Doctor> {
  requireAdmin(actor);
  const name = requiredText(input.name, "input.name", TEXT_LIMITS.name);
  const licenseNumber = optionalText(input.licenseNumber, "input.licenseNumber", TEXT_LIMITS.licenseNumber);
  const bio = optionalText(input.bio, "input.bio", TEXT_LIMITS.bio);
  const location = optionalText(input.location, "input.location", TEXT_LIMITS.location);
  const timezone = normalizeTimeZone(input.timezone, "input.timezone");
  const plan = planAccount(input);
  const specialty = await resolveSpecialty(deps.catalogue, input.specialtyCode, "input.specialtyCode");
  const services = await resolveServices(deps.catalogue, input.serviceCodes ?? [], "input.serviceCodes");

  const userId = await obtainDoctorUser(deps, actor, { plan, name });
  const data = { userId, name, specialtyId: specialty.id, licenseNumber, bio, location, timezone, autoApprove: input.autoApprove ?? true };
  // The unique index on user_id is the last line against a concurrent createDoctor for the same user.
  return deps.unitOfWork.run(async (tx) => {
    // A specialty or service retired since it was looked up is refused here (a retirement waits for this transaction).
    await refuseRetired(tx, { specialtyId: specialty.id, serviceIds: services.map((s) => s.id) });
    const doctor = await tx.doctors.add(
      data,
      services.map((s) => s.id),
    );
    await tx.outbox.append("DoctorScheduleChanged", { doctorId: doctor.id }, deps.clock());
    return doctor;
  });
}
