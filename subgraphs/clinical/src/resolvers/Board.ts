/**
 * The live clinic board (issue 6 §6) for the customer-management team — RECEPTIONIST, ADMIN,
 * STAKEHOLDER — and the doctors' live encounter updates (issue 6 §3: an exam cancelled by the examiner
 * notifies the doctor). Both read feeds fed by the board consumer (`events/board.ts`).
 *
 * Every delivered event passes the read policy at delivery time (on `since` replay and live alike) and is
 * audited as a request of its own; an event the subscriber may not read now is skipped, the feed goes on.
 */
import { admitted, liveEvents } from "@clinigraph/events";
import { forbidden } from "@clinigraph/platform";
import type { ClinicalContext } from "../context.js";
import { ENCOUNTER_READ, EXAMINATION_READ } from "../data/accessAudit.js";
import { minutesInState, type BoardEntry } from "../domain/board.js";
import { canReadEncounter } from "../domain/policy.js";
import { toBoardEntry } from "../events/board.js";
import type { Actor, Encounter } from "../domain/types.js";
import { clinicDay } from "../domain/worklists.js";
import { boardEntryFromJson, boardTopic, doctorEncounterTopic, type BoardUpdateMessage, type EncounterUpdateMessage } from "../live/topics.js";

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
  const entries = rows.map(toBoardEntry);
  // One audit event per patient on the board.
  await ctx.reads.record(
    ENCOUNTER_READ,
    entries.map((e) => e.patientId),
  );
  return entries;
}

/** A doctor's encounter update as delivered: with the encounter as read (and checked) at delivery. */
type EncounterUpdateEvent = EncounterUpdateMessage & { cursor: string; encounter: Encounter };

export const BoardSubscription = {
  clinicBoardUpdates: {
    /** Board rows are for the board's roles, every row (checked once: the role is the subscription's); each delivered row is an audited read. */
    subscribe(_: unknown, args: { date?: Date | null; since?: string | null }, ctx: ClinicalContext) {
      assertBoardReader(ctx.actor());
      const { day } = clinicDay(ctx.deps, args.date);
      return admitted(liveEvents(ctx.live.subscribe<BoardUpdateMessage>(boardTopic(day), args.since ?? null)), async (event) => {
        ctx.reads.nextRequest();
        const entry = boardEntryFromJson(event.entry);
        await ctx.reads.record(ENCOUNTER_READ, [entry.patientId]);
        return { cursor: event.cursor, entry };
      });
    },
    resolve: (event: { cursor: string; entry: BoardEntry }) => event,
  },
  myEncounterUpdates: {
    /** The doctor's encounters, each read fresh at delivery under the same policy as `encounter(id)`: one the doctor may no longer read is skipped. */
    subscribe(_: unknown, args: { since?: string | null }, ctx: ClinicalContext) {
      const actor = ctx.actor();
      if (actor.role !== "DOCTOR") throw forbidden("This feed is for doctors");
      const feed = liveEvents(ctx.live.subscribe<EncounterUpdateMessage>(doctorEncounterTopic(actor.userId), args.since ?? null));
      return admitted(feed, async (event): Promise<EncounterUpdateEvent | null> => {
        ctx.reads.nextRequest(); // a subscription's context lives as long as the subscription: each event is read (and audited) afresh
        ctx.encounters.clear(event.encounterId);
        ctx.examinationsOf.clear(event.encounterId);
        ctx.careWith.clearAll();
        const encounter = await ctx.encounters.load(event.encounterId);
        if (!encounter || !canReadEncounter(actor, encounter, await ctx.careWith.load(encounter.patientId))) return null;
        return { ...event, encounter };
      });
    },
    resolve: (event: EncounterUpdateEvent) => event,
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
  /** The encounter as read (and checked) when the update was delivered. */
  async encounter(u: EncounterUpdateEvent, _: unknown, ctx: ClinicalContext) {
    await ctx.reads.record(ENCOUNTER_READ, [u.encounter.patientId]);
    return u.encounter;
  },
  async examination(u: EncounterUpdateEvent, _: unknown, ctx: ClinicalContext) {
    if (!u.examinationId) return null;
    const [examinations] = await Promise.all([ctx.examinationsOf.load(u.encounterId), ctx.reads.record(EXAMINATION_READ, [u.encounter.patientId])]);
    return examinations.find((x) => x.id === u.examinationId) ?? null;
  },
  /** The doctor's own action (false: someone else's, e.g. the examiner who cancelled, or the system). */
  byMe: (u: EncounterUpdateMessage, _: unknown, ctx: ClinicalContext) => u.actorId !== null && u.actorId === ctx.actor().userId,
};
