/**
 * Lists: a doctor's encounters of a day (their worklist), reception's view of everyone's, in the
 * clinic's time zone (a "day" is the clinic's local day, DST-safe through luxon).
 */
import { DateTime } from "luxon";
import { badInput, forbidden } from "@clinigraph/platform";
import type { Prisma } from "../data/prisma.js";
import { toEncounter } from "../data/mappers.js";
import type { ClinicalDeps } from "./deps.js";
import { requireId } from "./encounters.js";
import type { Actor, Encounter, EncounterStatus } from "./types.js";

/** [start, end) of the clinic's local day `date` (the Date scalar: YYYY-MM-DD at UTC midnight), or of today. */
export function clinicDay(deps: Pick<ClinicalDeps, "clock" | "clinicTimezone">, date: Date | string | null | undefined): { from: Date; to: Date; day: string } {
  const iso = date instanceof Date ? date.toISOString().slice(0, 10) : date;
  const start = iso
    ? DateTime.fromISO(iso, { zone: deps.clinicTimezone }).startOf("day")
    : DateTime.fromJSDate(deps.clock(), { zone: deps.clinicTimezone }).startOf("day");
  if (!start.isValid) throw badInput("date must be a calendar date (YYYY-MM-DD)", "date");
  return { from: start.toJSDate(), to: start.plus({ days: 1 }).toJSDate(), day: start.toISODate()! };
}

export async function listEncounters(
  deps: ClinicalDeps,
  actor: Actor,
  args: { doctorId?: string | null; status?: EncounterStatus | null; date?: Date | string | null },
): Promise<Encounter[]> {
  const { from, to } = clinicDay(deps, args.date);
  const where: Prisma.EncounterWhereInput = { arrivedAt: { gte: from, lt: to } };
  // "" is a malformed id, not "any doctor" (only an absent or null doctorId lists everyone's).
  if (args.doctorId !== null && args.doctorId !== undefined) where.doctorId = requireId(args.doctorId, "doctorId");
  if (actor.role === "DOCTOR")
    where.doctorUserId = actor.userId; // a doctor's list is their own
  else if (actor.role !== "RECEPTIONIST" && actor.role !== "ADMIN") throw forbidden("Encounter lists are for doctors and reception");
  if (args.status) where.status = args.status;
  const rows = await deps.prisma.encounter.findMany({ where, orderBy: [{ arrivedAt: "asc" }, { id: "asc" }], take: 1_000 });
  return rows.map((r) => toEncounter(deps.cipher, r));
}
