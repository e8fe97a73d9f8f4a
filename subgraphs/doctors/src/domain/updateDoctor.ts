/**
 * updateDoctor: ADMIN changes any field; the doctor themselves only bio and location.
 * A field left out stays as it is; null clears an optional field (licenseNumber, bio, location)
 * and is refused for a required one. DoctorScheduleChanged is written in the transaction of the change (scheduling
 * keeps a copy of the profile, services and approval mode).
 */
import { badInput, forbidden } from "@clinigraph/platform";
import { refuseRetired, resolveServices, resolveSpecialty } from "./catalogue.js";
import type { Deps } from "./deps.js";
import { doctorNotFound } from "./errors.js";
import { findDoctorOrFail } from "./findDoctor.js";
import { isAdmin, requireAdminOrDoctorThemselves, SELF_EDITABLE_FIELDS } from "./policy.js";
import type { CatalogueRepository, DoctorPatch, DoctorRepository } from "./ports.js";
import { optionalText, requiredText, TEXT_LIMITS } from "./text.js";
import { normalizeTimeZone } from "./timezone.js";
import type { Actor, Doctor } from "./types.js";

export interface UpdateDoctorInput {
  name?: string | null;
  specialtyCode?: string | null;
  licenseNumber?: string | null;
  bio?: string | null;
  location?: string | null;
  timezone?: string | null;
  serviceCodes?: readonly string[] | null;
  autoApprove?: boolean | null;
}

export interface UpdateDoctorDeps extends Pick<Deps, "unitOfWork" | "clock"> {
  catalogue: Pick<CatalogueRepository, "findSpecialtyByCode" | "servicesByCodes">;
  doctors: Pick<DoctorRepository, "findById">;
}

const given = <K extends keyof UpdateDoctorInput>(input: UpdateDoctorInput, key: K) => input[key] !== undefined;

function required<T>(value: T | null | undefined, field: string): T {
  if (value === null || value === undefined) throw badInput("This field cannot be null", field);
  return value;
}

export async function updateDoctor(deps: UpdateDoctorDeps, actor: Actor, { id, input }: { id: string; input: UpdateDoctorInput }): Promise<Doctor> {
  const doctor = await findDoctorOrFail(deps.doctors, id);
  requireAdminOrDoctorThemselves(actor, doctor);
  if (!isAdmin(actor)) {
    const others = (Object.keys(input) as (keyof UpdateDoctorInput)[]).filter((key) => given(input, key) && !SELF_EDITABLE_FIELDS.has(key));
    if (others.length) throw forbidden("Doctors can change only their bio and location");
  }

  const patch: DoctorPatch = {};
  if (given(input, "name")) patch.name = requiredText(required(input.name, "input.name"), "input.name", TEXT_LIMITS.name);
  if (given(input, "licenseNumber")) patch.licenseNumber = optionalText(input.licenseNumber, "input.licenseNumber", TEXT_LIMITS.licenseNumber);
  if (given(input, "bio")) patch.bio = optionalText(input.bio, "input.bio", TEXT_LIMITS.bio);
  if (given(input, "location")) patch.location = optionalText(input.location, "input.location", TEXT_LIMITS.location);
  if (given(input, "timezone")) patch.timezone = normalizeTimeZone(required(input.timezone, "input.timezone"), "input.timezone");
  if (given(input, "autoApprove")) patch.autoApprove = required(input.autoApprove, "input.autoApprove");
  if (given(input, "specialtyCode")) {
    patch.specialtyId = (await resolveSpecialty(deps.catalogue, required(input.specialtyCode, "input.specialtyCode"), "input.specialtyCode")).id;
  }
  const serviceIds = given(input, "serviceCodes")
    ? (await resolveServices(deps.catalogue, required(input.serviceCodes, "input.serviceCodes"), "input.serviceCodes")).map((s) => s.id)
    : undefined;

  return deps.unitOfWork.run(async (tx) => {
    // Catalogue rows before the doctor's (the lock order retirements follow too).
    await refuseRetired(tx, { specialtyId: patch.specialtyId, serviceIds });
    if (!(await tx.doctors.lock(doctor.id))) throw doctorNotFound();
    const updated = await tx.doctors.change(doctor.id, patch, serviceIds);
    await tx.outbox.append("DoctorScheduleChanged", { doctorId: doctor.id }, deps.clock());
    return updated;
  });
}
