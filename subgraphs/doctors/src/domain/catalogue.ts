/** Looks catalogue codes up; an unknown code is the caller's mistake (BAD_USER_INPUT). */
import { badInput } from "@clinigraph/platform";
import type { CatalogueRepository } from "./ports.js";
import type { MedicalService, Specialty } from "./types.js";

export async function resolveSpecialty(catalogue: Pick<CatalogueRepository, "findSpecialtyByCode">, code: string, field: string): Promise<Specialty> {
  const specialty = await catalogue.findSpecialtyByCode(code.trim());
  if (!specialty) throw badInput(`Unknown specialty code "${code.trim().slice(0, 40)}"`, field);
  return specialty;
}

/** Resolves every code (duplicates ignored), or fails naming the unknown ones. */
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
  if (unknown.length)
    throw badInput(
      `Unknown medical service code(s): ${unknown
        .slice(0, 10)
        .map((c) => `"${c.slice(0, 40)}"`)
        .join(", ")}`,
      field,
    );
  return services;
}
