/**
 * The live clinic board for the customer-management team — RECEPTIONIST, ADMIN, STAKEHOLDER — and the doctors'
 * live encounter updates (an exam cancelled by the examiner notifies the doctor). Both read feeds fed by the board
 * consumer (events/consumers/board.ts).
 *
 * Every delivered event passes the read policy at delivery time (on `since` replay and live alike) and is
 * audited as a request of its own; an event the subscriber may not read now is skipped, the feed goes on.
 */
import { admitted, liveEvents } from "@clinigraph/events";
import { forbidden } from "@clinigraph/platform";
import { clinicBoardDay } from "../domain/boardProjection.js";
import { canReadEncounter, ENCOUNTER_READ } from "../domain/policy.js";
import type { SubscriptionResolvers } from "../generated/graphql.js";
import { boardEntryFromJson, boardTopic, doctorEncounterTopic, type BoardUpdateMessage, type EncounterUpdateMessage } from "../live/topics.js";
import type { EncounterUpdateModel } from "./mappers.js";

/** Board rows are for the board's roles, every row (checked once: the role is the subscription's); each delivered row is an audited read. */
const clinicBoardUpdates: SubscriptionResolvers["clinicBoardUpdates"] = {
  async subscribe(_, args, ctx) {
    const day = clinicBoardDay(ctx.deps, await ctx.actor(), args);
    return admitted(liveEvents(ctx.live.subscribe<BoardUpdateMessage>(boardTopic(day), args.since ?? null)), async (event) => {
      ctx.reads.nextRequest();
      const entry = boardEntryFromJson(event.entry);
      await ctx.reads.record(ENCOUNTER_READ, [entry.patientId]);
      return { clinicBoardUpdates: { cursor: event.cursor, entry } };
    });
  },
};

/** The doctor's encounters, each read fresh at delivery under the same policy as `encounter(id)`: one the doctor may no longer read is skipped. */
const myEncounterUpdates: SubscriptionResolvers["myEncounterUpdates"] = {
  async subscribe(_, args, ctx) {
    const actor = await ctx.actor();
    if (actor.role !== "DOCTOR") throw forbidden("This feed is for doctors");
    const { loaders } = ctx;
    const feed = liveEvents(ctx.live.subscribe<EncounterUpdateMessage>(doctorEncounterTopic(actor.userId), args.since ?? null));
    return admitted(feed, async (event): Promise<{ myEncounterUpdates: EncounterUpdateModel } | null> => {
      ctx.reads.nextRequest(); // a subscription's context lives as long as the subscription: each event is read (and audited) afresh
      loaders.encounters.clear(event.encounterId);
      loaders.examinationsOf.clear(event.encounterId);
      loaders.careWith.clearAll();
      const encounter = await loaders.encounters.load(event.encounterId);
      if (!encounter || !canReadEncounter(actor, encounter, await loaders.careWith.load(encounter.patientId))) return null;
      return { myEncounterUpdates: { ...event, encounter } };
    });
  },
};

export const Subscription: SubscriptionResolvers = { clinicBoardUpdates, myEncounterUpdates };
