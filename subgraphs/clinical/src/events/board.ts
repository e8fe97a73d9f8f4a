/**
 * The clinic board's consumer (group `clinical-board`) of clinical's own events: keeps
 * `clinical.board_entries` (the read model) with `applyBoardEvent`, idempotently (the event id is recorded
 * in `processed_events` in the transaction of the change) and in order per encounter (events of one
 * encounter share its aggregate id; one consumer handles them in stream order). After each change it
 * publishes the entry to the day's board feed, and every encounter or examination event to the treating
 * doctor's feed. Feeds drop an event id they already have, so a redelivered event is republished safely
 * (which also covers a crash between the commit and the publish).
 */
import { STREAMS, isEvent, type Consumer, type EncounterEventType, type EventBus, type ExaminationEventType, type LiveFeed } from "@clinigraph/events";
import { isUuid, type Logger, inTransaction } from "@clinigraph/platform";
import type { Tx } from "../data/prisma.js";
import { applyBoardEvent, BOARD_EVENT_TYPES, type BoardEntry } from "../domain/board.js";
import type { ClinicalDeps } from "../domain/deps.js";
import {
  boardEntryToJson,
  boardTopic,
  doctorEncounterTopic,
  ENCOUNTER_UPDATE_TYPES,
  type BoardUpdateMessage,
  type EncounterUpdateMessage,
} from "../live/topics.js";

export const BOARD_GROUP = "clinical-board";
const TYPES = BOARD_EVENT_TYPES as (EncounterEventType | ExaminationEventType)[];

const dayDate = (day: string) => new Date(`${day}T00:00:00.000Z`);

type BoardRow = Awaited<ReturnType<Tx["boardEntry"]["findUnique"]>>;

export function toBoardEntry(row: NonNullable<BoardRow>): BoardEntry {
  return {
    encounterId: row.encounterId,
    appointmentId: row.appointmentId,
    day: row.day.toISOString().slice(0, 10),
    patientId: row.patientId,
    doctorId: row.doctorId,
    state: row.state,
    since: row.since,
    arrivedAt: row.arrivedAt,
    pendingExams: row.pendingExams,
    unreviewed: row.unreviewed,
    updatedAt: row.updatedAt,
  };
}

/** Applies one event to the board in one transaction; `changed` is null when it was already processed or changed nothing. */
export async function applyToBoard(
  deps: Pick<ClinicalDeps, "prisma" | "clinicTimezone">,
  event: { id: string; type: string; time: string; data: Parameters<typeof applyBoardEvent>[1]["data"] },
): Promise<{ processed: boolean; changed: BoardEntry | null; current: BoardEntry | null }> {
  const encounterId = event.data.encounterId;
  return inTransaction(deps.prisma, async (tx) => {
    const fresh = await tx.$executeRaw`INSERT INTO clinical.processed_events (consumer, event_id) VALUES (${BOARD_GROUP}, ${event.id}) ON CONFLICT DO NOTHING`;
    await tx.$queryRaw`SELECT 1 FROM clinical.board_entries WHERE encounter_id = ${encounterId}::uuid FOR UPDATE`;
    const row = await tx.boardEntry.findUnique({ where: { encounterId } });
    const current = row ? toBoardEntry(row) : null;
    if (fresh === 0) return { processed: false, changed: null, current };
    const next = applyBoardEvent(current, { type: event.type, time: new Date(event.time), data: event.data }, deps.clinicTimezone);
    if (!next) return { processed: true, changed: null, current };
    const values = { ...next, day: dayDate(next.day) };
    await tx.boardEntry.upsert({ where: { encounterId }, create: values, update: values });
    return { processed: true, changed: next, current: next };
  });
}

export function startBoardConsumer(options: {
  bus: EventBus;
  deps: ClinicalDeps;
  live: LiveFeed;
  logger: Logger;
  namespace?: string;
  consumer?: string;
}): Consumer {
  const { deps, live, logger } = options;
  return options.bus.consume({
    stream: `${options.namespace ?? ""}${STREAMS.clinical}`,
    group: BOARD_GROUP,
    consumer: options.consumer ?? "clinical-board-1",
    blockMs: 1_000,
    handler: async (event) => {
      if (!isEvent(event, ...TYPES)) return;
      if (!isUuid(event.data.encounterId)) {
        logger.warn({ eventId: event.id, type: event.type }, "clinical event without an encounter id; skipped by the board");
        return;
      }
      const { processed, changed, current } = await applyToBoard(deps, event);
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
