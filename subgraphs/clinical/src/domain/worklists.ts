/**
 * Lists: a doctor's encounters of a day (their worklist), reception's view of everyone's, in the
 * clinic's time zone (a "day" is the clinic's local day, DST-safe through luxon).
 */
import { DateTime } from "luxon";
import { badInput, forbidden } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { requireId } from "./encounters.js";
import type { EncounterFilter } from "./ports.js";
import type { Actor, Encounter, EncounterStatus } from "./types.js";

/** [start, end) of the clinic's local day `date` (the Date scalar: YYYY-MM-DD at UTC midnight), or of today. */
export function clinicDay(deps: Pick<Deps, "clock" | "clinicTimezone">, date: Date | string | null | undefined): { from: Date; to: Date; day: string } {
  const iso = date instanceof Date ? date.toISOString().slice(0, 10) : date;
  const start = iso
    ? DateTime.fromISO(iso, { zone: deps.clinicTimezone }).startOf("day")
    : DateTime.fromJSDate(deps.clock(), { zone: deps.clinicTimezone }).startOf("day");
  if (!start.isValid) throw badInput("date must be a calendar date (YYYY-MM-DD)", "date");
  return { from: start.toJSDate(), to: start.plus({ days: 1 }).toJSDate(), day: start.toISODate()! };
}

export async function listEncounters(
  deps: Pick<Deps, "encounters" | "clock" | "clinicTimezone">,
  actor: Actor,
  input: { doctorId?: string | null; status?: EncounterStatus | null; date?: Date | string | null },
): Promise<Encounter[]> {
  const { from, to } = clinicDay(deps, input.date);
  const filter: EncounterFilter = { from, to };
  // "" is a malformed id, not "any doctor" (only an absent or null doctorId lists everyone's).
  if (input.doctorId !== null && input.doctorId !== undefined) filter.doctorId = requireId(input.doctorId, "doctorId");
  if (actor.role === "DOCTOR")
    filter.doctorUserId = actor.userId; // a doctor's list is their own
  else if (actor.role !== "RECEPTIONIST" && actor.role !== "ADMIN") throw forbidden("Encounter lists are for doctors and reception");
  if (input.status) filter.status = input.status;
  return deps.encounters.list(filter, 1_000);
}
