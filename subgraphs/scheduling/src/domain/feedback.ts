/** submitFeedback: the patient rates a FULFILLED appointment once (1–5, optional comment). */
import { badInput, conflict } from "@clinigraph/platform";
import { appointmentPayload } from "./appointmentEvents.js";
import type { Deps } from "./deps.js";
import { optionalText, requireId } from "./ids.js";
import { lockForAction } from "./transitions.js";
import type { Actor, Appointment } from "./types.js";

export async function submitFeedback(deps: Deps, actor: Actor, rawId: string, rating: number, rawComment?: string | null): Promise<Appointment> {
  const id = requireId(rawId, "appointmentId");
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw badInput("Rating must be a whole number from 1 to 5", "rating");
  const comment = optionalText(rawComment, "comment", 2000);
  const now = deps.clock();
  return deps.unitOfWork.run(async (tx) => {
    await lockForAction(tx, actor, id, "SUBMIT_FEEDBACK", now);
    if (!(await tx.appointments.recordFeedback(id, { rating, comment }, now))) throw conflict("Feedback was already given", "FEEDBACK_ALREADY_GIVEN");
    const after = (await tx.appointments.lock(id))!;
    await tx.outbox.append("FeedbackSubmitted", appointmentPayload(after, actor.userId, { rating }), now);
    return after;
  });
}
