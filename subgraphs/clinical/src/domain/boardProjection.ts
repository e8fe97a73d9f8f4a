/**
 * Keeps the clinic board (clinical.board_entries) from clinical's own events with `applyBoardEvent`,
 * idempotently (the event id is claimed in the transaction of the change) and in order per encounter.
 */
import { forbidden } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { applyBoardEvent, type BoardEntry, type BoardEvent } from "./board.js";
import type { Actor } from "./types.js";
import { clinicDay } from "./worklists.js";

export interface BoardEventDelivery {
  id: string;
  type: string;
  time: string;
  data: BoardEvent["data"];
}

/** Applies one event to the board in one transaction; `changed` is null when it was already processed or changed nothing. */
export async function applyToBoard(
  deps: Pick<Deps, "unitOfWork" | "clinicTimezone">,
  consumer: string,
  event: BoardEventDelivery,
): Promise<{ processed: boolean; changed: BoardEntry | null; current: BoardEntry | null }> {
  return deps.unitOfWork.run(async (tx) => {
    const fresh = await tx.processed.claim(consumer, event.id);
    const current = await tx.board.lock(event.data.encounterId);
    if (!fresh) return { processed: false, changed: null, current };
    const next = applyBoardEvent(current, { type: event.type, time: new Date(event.time), data: event.data }, deps.clinicTimezone);
    if (!next) return { processed: true, changed: null, current };
    await tx.board.save(next);
    return { processed: true, changed: next, current: next };
  });
}

const BOARD_ROLES: readonly string[] = ["RECEPTIONIST", "ADMIN", "STAKEHOLDER"];

/** The clinic-local day (YYYY-MM-DD) of the board a member of the customer-management team asks for (default: today). */
export function clinicBoardDay(deps: Pick<Deps, "clock" | "clinicTimezone">, actor: Actor, input: { date?: Date | null }): string {
  if (!BOARD_ROLES.includes(actor.role)) throw forbidden("The clinic board is for reception, administrators and stakeholders");
  return clinicDay(deps, input.date).day;
}

/** The board of a clinic-local day (default: the clinic's today), by arrival. */
export const clinicBoard = (deps: Pick<Deps, "board" | "clock" | "clinicTimezone">, actor: Actor, input: { date?: Date | null }): Promise<BoardEntry[]> =>
  deps.board.ofDay(clinicBoardDay(deps, actor, input), 2_000);
