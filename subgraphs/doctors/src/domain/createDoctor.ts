/**
 * createDoctor (ADMIN): every input is validated before the first side effect; then the DOCTOR user
 * is linked or created in accounts, then the doctor row and its services are written in one
 * transaction. If that last write fails after accounts created the user, the user stays (accounts
 * owns it) and the administrator can retry with its id as `userId`.
 * A user who already is a doctor: CONFLICT (checked first, and by the unique index on user_id).
 */
import type { Identity } from "@clinigraph/platform";
import type { AccountsClient } from "../data/accountsClient.js";
import type { CatalogueRepository } from "../data/catalogueRepository.js";
import type { DoctorRepository } from "../data/doctorRepository.js";
import type { UnitOfWork } from "../data/unitOfWork.js";
import { resolveServices, resolveSpecialty } from "./catalogue.js";
import { obtainDoctorUser, planAccount, type AccountInput } from "./doctorAccount.js";
import { requireAdmin } from "./permissions.js";
import { optionalText, requiredText, TEXT_LIMITS } from "./text.js";
import { normalizeTimeZone } from "./timezone.js";
import type { Doctor } from "./types.js";

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

export interface CreateDoctorDeps {
  catalogue: Pick<CatalogueRepository, "findSpecialtyByCode" | "servicesByCodes">;
  doctors: Pick<DoctorRepository, "findByUserId">;
  unitOfWork: UnitOfWork;
  accounts: AccountsClient;
}

export async function createDoctor(caller: Identity, input: CreateDoctorInput, deps: CreateDoctorDeps): Promise<Doctor> {
  requireAdmin(caller);
  const name = requiredText(input.name, "input.name", TEXT_LIMITS.name);
  const licenseNumber = optionalText(input.licenseNumber, "input.licenseNumber", TEXT_LIMITS.licenseNumber);
  const bio = optionalText(input.bio, "input.bio", TEXT_LIMITS.bio);
  const location = optionalText(input.location, "input.location", TEXT_LIMITS.location);
  const timezone = normalizeTimeZone(input.timezone, "input.timezone");
  const plan = planAccount(input);
  const specialty = await resolveSpecialty(deps.catalogue, input.specialtyCode, "input.specialtyCode");
  const services = await resolveServices(deps.catalogue, input.serviceCodes ?? [], "input.serviceCodes");

  const userId = await obtainDoctorUser(plan, name, caller, deps);
  const data = { userId, name, specialtyId: specialty.id, licenseNumber, bio, location, timezone, autoApprove: input.autoApprove ?? true };
  // The unique index on user_id is the last line against a concurrent createDoctor for the same user.
  return deps.unitOfWork.run((tx) =>
    tx.doctors.create(
      data,
      services.map((s) => s.id),
    ),
  );
}
