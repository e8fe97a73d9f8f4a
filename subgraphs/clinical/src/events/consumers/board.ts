/**
 * The clinic board's consumer (group `clinical-board`) of clinical's own events: keeps the board read model
 * (domain/boardProjection.ts), in order per encounter (events of one encounter share its aggregate id; one
 * consumer handles them in stream order). After each change it publishes the entry to the day's board feed,
 * and every encounter or examination event to the treating doctor's feed. Feeds drop an event id they already
 * have, so a redelivered event is republished safely (which also covers a crash between the commit and the
 * publish).
 */
import { STREAMS, subscribe, type Consumer, type ConsumerOptions, type EncounterEventType, type ExaminationEventType, type LiveFeed } from "@clinigraph/events";
import { isUuid } from "@clinigraph/platform";
import { BOARD_EVENT_TYPES } from "../../domain/board.js";
import { applyToBoard } from "../../domain/boardProjection.js";
import type { Deps } from "../../domain/deps.js";
import {
  boardEntryToJson,
  boardTopic,
  doctorEncounterTopic,
  ENCOUNTER_UPDATE_TYPES,
  type BoardUpdateMessage,
  type EncounterUpdateMessage,
} from "../../live/topics.js";

export const BOARD_GROUP = "clinical-board";
const TYPES = BOARD_EVENT_TYPES as (EncounterEventType | ExaminationEventType)[];

export function startBoardConsumer(options: ConsumerOptions<Deps> & { live: LiveFeed }): Consumer {
  const { deps, live, logger } = options;
  return subscribe({
    ...options,
    consumer: options.consumer ?? "clinical-board-1",
    group: BOARD_GROUP,
    streams: [STREAMS.clinical],
    types: TYPES,
    handler: async (event) => {
      if (!isUuid(event.data.encounterId)) {
        logger.warn({ eventId: event.id, type: event.type }, "clinical event without an encounter id; skipped by the board");
        return;
      }
      const { processed, changed, current } = await applyToBoard(deps, BOARD_GROUP, event);
      // A first delivery publishes what it changed; a redelivery republishes the current entry (dropped if already there).
      const entry = processed ? changed : current;
      if (entry) await live.publish<BoardUpdateMessage>(boardTopic(entry.day), { eventId: event.id, entry: boardEntryToJson(entry) });
      const type = ENCOUNTER_UPDATE_TYPES[event.type];
      if (type && isUuid(event.data.doctorUserId))
        await live.publish<EncounterUpdateMessage>(doctorEncounterTopic(event.data.doctorUserId), {
          eventId: event.id,
          type,
          encounterId: event.data.encounterId,
          examinationId: "examinationId" in event.data ? event.data.examinationId : null,
          actorId: event.data.actorId,
          at: event.time,
        });
    },
  });
}
