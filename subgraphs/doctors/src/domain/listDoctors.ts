/**
 * doctors(filter, first, after): public search, keyset-paginated by (name, id). Filters combine
 * (AND). An unknown specialty code or service id is the caller's mistake: BAD_USER_INPUT.
 */
import { badInput, isUuid, decodeCursor, pageSize, toConnection, type Connection } from "@clinigraph/platform";
import { resolveSpecialty } from "./catalogue.js";
import type { CatalogueRepository, DoctorListFilter, DoctorPosition, DoctorRepository } from "./ports.js";
import { TEXT_LIMITS } from "./text.js";
import type { Doctor } from "./types.js";

export interface DoctorFilterInput {
  specialty?: string | null;
  serviceId?: string | null;
  location?: string | null;
  name?: string | null;
}

export interface ListDoctorsDeps {
  catalogue: Pick<CatalogueRepository, "findSpecialtyByCode" | "servicesByIds">;
  doctors: Pick<DoctorRepository, "list">;
}

function searchTerm(value: string | null | undefined, field: string): string | undefined {
  const term = value?.trim();
  if (!term) return undefined;
  if (term.length > TEXT_LIMITS.location) throw badInput(`At most ${TEXT_LIMITS.location} characters`, field);
  return term;
}

export function parseDoctorCursor(after: string | null | undefined): DoctorPosition | null {
  const key = decodeCursor(after, 2);
  if (!key) return null;
  const [name, id] = key;
  if (typeof name !== "string" || !isUuid(id)) throw badInput("Invalid cursor", "after");
  return { name, id };
}

export async function resolveDoctorFilter(input: DoctorFilterInput | null | undefined, catalogue: ListDoctorsDeps["catalogue"]): Promise<DoctorListFilter> {
  const filter: DoctorListFilter = {};
  if (!input) return filter;
  if (input.specialty?.trim()) filter.specialtyId = (await resolveSpecialty(catalogue, input.specialty, "filter.specialty")).id;
  if (input.serviceId !== null && input.serviceId !== undefined) {
    const [service] = isUuid(input.serviceId) ? await catalogue.servicesByIds([input.serviceId.toLowerCase()]) : [];
    if (!service) throw badInput("Unknown medical service", "filter.serviceId");
    filter.serviceId = service.id;
  }
  const location = searchTerm(input.location, "filter.location");
  if (location) filter.location = location;
  const name = searchTerm(input.name, "filter.name");
  if (name) filter.name = name;
  return filter;
}

export interface ListDoctorsInput {
  filter?: DoctorFilterInput | null;
  first?: number | null;
  after?: string | null;
}

/** A public read: anybody may search, signed in or not, so it takes no actor. */
export async function listDoctors(deps: ListDoctorsDeps, input: ListDoctorsInput): Promise<Connection<Doctor>> {
  const first = pageSize(input.first);
  const after = parseDoctorCursor(input.after);
  const filter = await resolveDoctorFilter(input.filter, deps.catalogue);
  const rows = await deps.doctors.list(filter, after, first + 1);
  return toConnection(rows, first, (d) => [d.name, d.id], after !== null);
}
