import { badInput, forbidden } from "@clinigraph/platform";
import type { ClinicalContext } from "../context.js";
import { requireId } from "../domain/encounters.js";

const MAX_IDS = 500;

/** Of `patientIds`, those the calling doctor has an encounter with: accounts asks this on a miss of its projection. */
export async function myEncounterPatients(_: unknown, args: { patientIds: string[] }, ctx: ClinicalContext): Promise<string[]> {
  const actor = ctx.actor();
  if (actor.role !== "DOCTOR") throw forbidden("For doctors");
  if (args.patientIds.length > MAX_IDS) throw badInput(`At most ${MAX_IDS} patient ids`, "patientIds");
  const ids = [...new Set(args.patientIds.map((id) => requireId(id, "patientIds")))];
  if (ids.length === 0) return [];
  const rows = await ctx.deps.prisma.encounter.findMany({
    where: { doctorUserId: actor.userId, patientId: { in: ids } },
    select: { patientId: true },
    distinct: ["patientId"],
  });
  return rows.map((r) => r.patientId);
}
