/** submitFeedback: the patient rates a FULFILLED appointment once (1–5, optional comment). */
import { badInput, conflict } from "@clinigraph/platform";
import { BookingStore } from "../data/bookingStore.js";
import { seal } from "../data/mappers.js";
import { inTransaction } from "../data/transaction.js";
import { appointmentPayload, recordEvent } from "../events/outbox.js";
import type { SchedulingDeps } from "./deps.js";
import { optionalText, requireId } from "./ids.js";
import { lockForAction } from "./transitions.js";
import type { Actor, Appointment } from "./types.js";

export async function submitFeedback(deps: SchedulingDeps, actor: Actor, rawId: string, rating: number, rawComment?: string | null): Promise<Appointment> {
  const id = requireId(rawId, "appointmentId");
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw badInput("Rating must be a whole number from 1 to 5", "rating");
  const comment = optionalText(rawComment, "comment", 2000);
  const now = deps.clock();
  return inTransaction(deps.prisma, async (tx) => {
    const store = new BookingStore(tx, deps.cipher);
    await lockForAction(store, actor, id, "SUBMIT_FEEDBACK", now);
    const result = await tx.appointment.updateMany({
      where: { id, status: "FULFILLED", feedbackAt: null },
      data: { feedbackRating: rating, feedbackCommentEnc: seal(deps.cipher, comment), feedbackAt: now, updatedAt: now },
    });
    if (result.count !== 1) throw conflict("Feedback was already given", "FEEDBACK_ALREADY_GIVEN");
    const after = (await store.lockAppointment(id))!;
    await recordEvent(tx, "FeedbackSubmitted", appointmentPayload(after, actor.userId, { rating }), now);
    return after;
  });
}
