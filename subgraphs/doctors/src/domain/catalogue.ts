/**
 * Looks catalogue codes up for a doctor: an unknown code is the caller's mistake (BAD_USER_INPUT), and so is a
 * RETIRED one (a retired specialty or service is no longer given to doctors). The check is repeated inside the
 * doctor's transaction (`refuseRetired`), which share-locks the entries so that a concurrent retirement either waits
 * for it or is seen by it.
 */
import { badInput } from "@clinigraph/platform";
import type { CatalogueRepository, CatalogueWrites } from "./ports.js";
import type { MedicalService, Specialty } from "./types.js";

const quoted = (codes: readonly string[]) =>
  codes
    .slice(0, 10)
    .map((c) => `"${c.slice(0, 40)}"`)
    .join(", ");

export async function resolveSpecialty(catalogue: Pick<CatalogueRepository, "findSpecialtyByCode">, code: string, field: string): Promise<Specialty> {
  const specialty = await catalogue.findSpecialtyByCode(code.trim());
  if (!specialty) throw badInput(`Unknown specialty code "${code.trim().slice(0, 40)}"`, field);
  if (specialty.status === "RETIRED") throw badInput(`The specialty "${specialty.code}" is retired`, field);
  return specialty;
}

/** Resolves every code (duplicates ignored), or fails naming the unknown or retired ones. */
export async function resolveServices(
  catalogue: Pick<CatalogueRepository, "servicesByCodes">,
  codes: readonly string[],
  field: string,
): Promise<MedicalService[]> {
  const wanted = [...new Set(codes.map((c) => c.trim()))];
  if (wanted.length === 0) return [];
  const services = await catalogue.servicesByCodes(wanted);
  const known = new Set(services.map((s) => s.code));
  const unknown = wanted.filter((code) => !known.has(code));
  if (unknown.length) throw badInput(`Unknown medical service code(s): ${quoted(unknown)}`, field);
  const retired = services.filter((s) => s.status === "RETIRED").map((s) => s.code);
  if (retired.length) throw badInput(`Retired medical service(s): ${quoted(retired)}`, field);
  return services;
}

/** Inside the doctor's transaction, before the doctor's row is locked or written: the entries are still ACTIVE. */
export async function refuseRetired(
  tx: { catalogue: Pick<CatalogueWrites, "retiredAmong"> },
  entries: { specialtyId?: string | undefined; serviceIds?: readonly string[] | undefined },
): Promise<void> {
  const serviceIds = entries.serviceIds ?? [];
  if (!entries.specialtyId && serviceIds.length === 0) return;
  const retired = await tx.catalogue.retiredAmong(entries.specialtyId ? [entries.specialtyId] : [], serviceIds);
  if (retired.specialties.length) throw badInput(`The specialty "${retired.specialties[0]!.code}" is retired`, "input.specialtyCode");
  if (retired.services.length) throw badInput(`Retired medical service(s): ${quoted(retired.services.map((s) => s.code))}`, "input.serviceCodes");
}
