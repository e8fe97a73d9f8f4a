/**
 * The live clinic board (issue 6 §6) for the customer-management team — RECEPTIONIST, ADMIN,
 * STAKEHOLDER — and the doctors' live encounter updates (issue 6 §3: an exam cancelled by the examiner
 * notifies the doctor). Both read feeds fed by the board consumer (`events/board.ts`).
 */
import { liveEvents } from "@clinigraph/events";
import { forbidden } from "@clinigraph/platform";
import type { ClinicalContext } from "../context.js";
import { minutesInState, type BoardEntry } from "../domain/board.js";
import { toBoardEntry } from "../events/board.js";
import type { Actor } from "../domain/types.js";
import { clinicDay } from "../domain/worklists.js";
import { boardEntryFromJson, boardTopic, doctorEncounterTopic, type BoardUpdateMessage, type EncounterUpdateMessage } from "../live/topics.js";
import { loadReadableEncounter } from "./Encounter.js";

const BOARD_ROLES: readonly string[] = ["RECEPTIONIST", "ADMIN", "STAKEHOLDER"];

function assertBoardReader(actor: Actor) {
  if (!BOARD_ROLES.includes(actor.role)) throw forbidden("The clinic board is for reception, administrators and stakeholders");
}

/** The board of a clinic-local day (default: the clinic's today), by arrival. */
export async function clinicBoard(_: unknown, args: { date?: Date | null }, ctx: ClinicalContext): Promise<BoardEntry[]> {
  assertBoardReader(ctx.actor());
  const { day } = clinicDay(ctx.deps, args.date);
  const rows = await ctx.deps.prisma.boardEntry.findMany({
    where: { day: new Date(`${day}T00:00:00.000Z`) },
    orderBy: [{ arrivedAt: "asc" }, { encounterId: "asc" }],
    take: 2_000,
  });
  return rows.map(toBoardEntry);
}

export const BoardSubscription = {
  clinicBoardUpdates: {
    subscribe(_: unknown, args: { date?: Date | null; since?: string | null }, ctx: ClinicalContext) {
      assertBoardReader(ctx.actor());
      const { day } = clinicDay(ctx.deps, args.date);
      return liveEvents(ctx.live.subscribe<BoardUpdateMessage>(boardTopic(day), args.since ?? null));
    },
    resolve: (event: BoardUpdateMessage & { cursor: string }) => ({ cursor: event.cursor, entry: boardEntryFromJson(event.entry) }),
  },
  myEncounterUpdates: {
    subscribe(_: unknown, args: { since?: string | null }, ctx: ClinicalContext) {
      const actor = ctx.actor();
      if (actor.role !== "DOCTOR") throw forbidden("This feed is for doctors");
      return liveEvents(ctx.live.subscribe<EncounterUpdateMessage>(doctorEncounterTopic(actor.userId), args.since ?? null));
    },
    resolve: (event: EncounterUpdateMessage & { cursor: string }) => event,
  },
};

export const ClinicBoardEntry = {
  patient: (e: BoardEntry) => ({ __typename: "Patient", id: e.patientId }),
  doctor: (e: BoardEntry) => ({ __typename: "Doctor", id: e.doctorId }),
  day: (e: BoardEntry) => e.day,
  minutesInState: (e: BoardEntry, _: unknown, ctx: ClinicalContext) => minutesInState(e, ctx.deps.clock()),
  unreviewedExams: (e: BoardEntry) => e.unreviewed,
};

export const EncounterUpdate = {
  /** Read fresh for every update: a subscription's context lives as long as the subscription. */
  async encounter(u: EncounterUpdateMessage, _: unknown, ctx: ClinicalContext) {
    ctx.encounters.clear(u.encounterId);
    ctx.examinationsOf.clear(u.encounterId);
    return loadReadableEncounter(ctx, u.encounterId);
  },
  async examination(u: EncounterUpdateMessage, _: unknown, ctx: ClinicalContext) {
    if (!u.examinationId) return null;
    await loadReadableEncounter(ctx, u.encounterId);
    ctx.examinationsOf.clear(u.encounterId);
    return (await ctx.examinationsOf.load(u.encounterId)).find((x) => x.id === u.examinationId) ?? null;
  },
  /** The doctor's own action (false: someone else's, e.g. the examiner who cancelled, or the system). */
  byMe: (u: EncounterUpdateMessage, _: unknown, ctx: ClinicalContext) => u.actorId !== null && u.actorId === ctx.actor().userId,
};
