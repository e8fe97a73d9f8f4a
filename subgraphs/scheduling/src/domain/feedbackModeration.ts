/**
 * Feedback follow-up: ratings summarised (per doctor, per service, over a time range) and comments moderated.
 *
 * - An ADMIN reads every rating and comment, and may hide a comment (a reason required, one line) or show it again.
 *   Both are audited in the appointment's history (HIDE_FEEDBACK / UNHIDE_FEEDBACK, the reason sealed like every
 *   history reason) and serialised on the appointment's row lock; hiding a hidden comment (or unhiding a shown one)
 *   changes nothing and writes no history, so a retried request is harmless.
 * - A hidden comment is shown to administrators and to the patient who wrote it only (the author is not misled about
 *   what they wrote; `hidden` tells them nobody else sees it). The doctor, reception and the doctor's comment list see
 *   no text. The rating still counts in every summary.
 * - Why a comment was hidden, who hid it and when are for administrators: the reason of a moderation entry in an
 *   appointment's history is shown to them only.
 * - A DOCTOR sees their own summary and the comments on their appointments that are not hidden, without the patient
 *   (no appointment id in that list).
 * Summaries count feedback by when it was submitted: [from, to), either bound open.
 */
import { badInput, checkHumanText, conflict, decodeCursor, forbidden, isUuid, notFound, pageSize, toConnection } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { optionalId, requireId } from "./ids.js";
import type { FeedbackRange } from "./ports.js";
import type { Actor, Appointment, AppointmentChange } from "./types.js";

/** History actions of moderation (AppointmentChange.action). */
export const HIDE_FEEDBACK = "HIDE_FEEDBACK";
export const UNHIDE_FEEDBACK = "UNHIDE_FEEDBACK";
const MODERATION_ACTIONS: readonly string[] = [HIDE_FEEDBACK, UNHIDE_FEEDBACK];

export const HIDE_REASON_MIN = 5;
export const HIDE_REASON_MAX = 500;

/** A hidden comment: who hid it, when and why. No row: the comment is shown. */
export interface FeedbackModeration {
  appointmentId: string;
  hiddenAt: Date;
  hiddenBy: string;
  hiddenReason: string;
}

/** A feedback comment as listed (the patient is kept for the read audit, never shown). */
export interface FeedbackComment {
  appointmentId: string;
  patientId: string;
  doctorId: string;
  serviceId: string | null;
  rating: number;
  comment: string;
  submittedAt: Date;
  moderation: FeedbackModeration | null;
}

export interface FeedbackSummary {
  /** Mean rating; null when there is none. */
  average: number | null;
  count: number;
  /** Counts of ratings 1 to 5 (index 0: rating 1). */
  distribution: number[];
}

export interface DoctorFeedback extends FeedbackSummary {
  doctorId: string;
}

export interface ServiceFeedback extends FeedbackSummary {
  serviceId: string | null;
}

/** Appointment.feedback as the caller sees it. */
export interface FeedbackView {
  rating: number;
  comment: string | null;
  submittedAt: Date;
  hidden: boolean;
  hiddenReason: string | null;
}

export const isModerator = (actor: Actor | null): boolean => actor?.role === "ADMIN";

/** The summary of ratings counted per value: `counts[r - 1]` ratings of r. Counts outside 1–5 are an error of the caller. */
export function summarise(counts: readonly number[]): FeedbackSummary {
  const distribution = [0, 1, 2, 3, 4].map((i) => counts[i] ?? 0);
  const count = distribution.reduce((sum, n) => sum + n, 0);
  const total = distribution.reduce((sum, n, i) => sum + n * (i + 1), 0);
  return { average: count === 0 ? null : total / count, count, distribution };
}

/**
 * What the caller sees of an appointment's feedback (null: none given). `moderation` is the comment's moderation
 * (null: shown). Administrators and the patient who wrote it see a hidden comment; nobody else does.
 */
export function feedbackView(
  actor: Actor | null,
  appointment: Pick<Appointment, "patientId" | "feedbackRating" | "feedbackComment" | "feedbackAt">,
  moderation: FeedbackModeration | null,
): FeedbackView | null {
  if (appointment.feedbackAt === null || appointment.feedbackRating === null) return null;
  const hidden = moderation !== null;
  const author = actor?.role === "PATIENT" && actor.userId === appointment.patientId;
  return {
    rating: appointment.feedbackRating,
    comment: !hidden || isModerator(actor) || author ? appointment.feedbackComment : null,
    submittedAt: appointment.feedbackAt,
    hidden,
    hiddenReason: isModerator(actor) ? (moderation?.hiddenReason ?? null) : null,
  };
}

/** A history entry as the caller sees it: the reason of a moderation entry is for administrators. */
export function visibleChange(actor: Actor | null, change: AppointmentChange): AppointmentChange {
  return MODERATION_ACTIONS.includes(change.action) && !isModerator(actor) ? { ...change, reason: null } : change;
}

/** The reason for hiding: trimmed, 5 to 500 characters, one line. */
export function hideReason(raw: string | null | undefined): string {
  const reason = checkHumanText(raw?.trim() ?? "", "reason", { singleLine: true });
  if (reason.length < HIDE_REASON_MIN) throw badInput(`Give the reason for hiding the comment (at least ${HIDE_REASON_MIN} characters)`, "reason");
  if (reason.length > HIDE_REASON_MAX) throw badInput(`At most ${HIDE_REASON_MAX} characters`, "reason");
  return reason;
}

/** [from, to) of submission times, either bound open; `to` after `from` when both are given. */
export function feedbackRange(args: { from?: Date | null; to?: Date | null }): FeedbackRange {
  const from = args.from ?? null;
  const to = args.to ?? null;
  if (from && to && to <= from) throw badInput("`to` must be after `from`", "to");
  return { from, to };
}

/** The key a comment cursor encodes: [submittedAt, appointmentId]. BAD_USER_INPUT when it is not one. */
export function commentCursor(after: string | null | undefined): { submittedAt: Date; appointmentId: string } | null {
  const key = decodeCursor(after, 2);
  if (!key) return null;
  const [submittedAt, appointmentId] = key;
  if (typeof submittedAt !== "string" || Number.isNaN(Date.parse(submittedAt)) || !isUuid(appointmentId)) throw badInput("Invalid cursor", "after");
  return { submittedAt: new Date(submittedAt), appointmentId };
}

const commentKey = (c: FeedbackComment) => [c.submittedAt.toISOString(), c.appointmentId];

function assertModerator(actor: Actor): void {
  if (!isModerator(actor)) throw forbidden("Only an administrator may do this");
}

/** The doctor's own Doctor id; FORBIDDEN for anyone else. Null: a doctor scheduling has no profile of (nothing rated). */
function ownDoctor(actor: Actor): string | null {
  if (actor.role !== "DOCTOR") throw forbidden("This is for doctors");
  return actor.doctorId;
}

type FeedbackDeps = Pick<Deps, "feedback">;

export async function feedbackSummary(
  deps: FeedbackDeps,
  actor: Actor,
  args: { doctorId?: string | null; serviceId?: string | null; from?: Date | null; to?: Date | null },
): Promise<FeedbackSummary> {
  assertModerator(actor);
  const doctorId = optionalId(args.doctorId, "doctorId");
  const serviceId = optionalId(args.serviceId, "serviceId");
  return summarise(await deps.feedback.ratingCounts({ doctorId, serviceId, ...feedbackRange(args) }));
}

export async function myFeedbackSummary(deps: FeedbackDeps, actor: Actor, args: { from?: Date | null; to?: Date | null }): Promise<FeedbackSummary> {
  const doctorId = ownDoctor(actor);
  const range = feedbackRange(args);
  return summarise(doctorId ? await deps.feedback.ratingCounts({ doctorId, serviceId: null, ...range }) : []);
}

export async function feedbackByDoctor(deps: FeedbackDeps, actor: Actor, args: { from?: Date | null; to?: Date | null }): Promise<DoctorFeedback[]> {
  assertModerator(actor);
  const groups = await deps.feedback.ratingCountsBy("doctor", feedbackRange(args));
  return ranked(groups.map((g) => ({ doctorId: g.key!, ...summarise(g.counts) })));
}

export async function feedbackByService(deps: FeedbackDeps, actor: Actor, args: { from?: Date | null; to?: Date | null }): Promise<ServiceFeedback[]> {
  assertModerator(actor);
  const groups = await deps.feedback.ratingCountsBy("service", feedbackRange(args));
  return ranked(groups.map((g) => ({ serviceId: g.key, ...summarise(g.counts) })));
}

/** Most rated first; ties by id (no service last), so the order is stable. */
function ranked<T extends FeedbackSummary & ({ doctorId: string } | { serviceId: string | null })>(rows: T[]): T[] {
  const idOf = (row: T) => ("doctorId" in row ? row.doctorId : row.serviceId) ?? "~";
  return rows.sort((a, b) => b.count - a.count || (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
}

export async function feedbackComments(
  deps: FeedbackDeps,
  actor: Actor,
  args: { doctorId?: string | null; serviceId?: string | null; includeHidden?: boolean | null; first?: number | null; after?: string | null },
) {
  assertModerator(actor);
  const first = pageSize(args.first);
  const doctorId = optionalId(args.doctorId, "doctorId");
  const serviceId = optionalId(args.serviceId, "serviceId");
  const after = commentCursor(args.after);
  const rows = await deps.feedback.comments({ doctorId, serviceId, includeHidden: args.includeHidden === true, after, take: first + 1 });
  return toConnection(rows, first, commentKey, after !== null);
}

export async function myFeedbackComments(deps: FeedbackDeps, actor: Actor, args: { first?: number | null; after?: string | null }) {
  const doctorId = ownDoctor(actor);
  const first = pageSize(args.first);
  const after = commentCursor(args.after);
  const rows = doctorId ? await deps.feedback.comments({ doctorId, serviceId: null, includeHidden: false, after, take: first + 1 }) : [];
  return toConnection(rows, first, commentKey, after !== null);
}

/** Locks the appointment and checks it has a comment to moderate. */
async function lockCommented(tx: Parameters<Parameters<Deps["unitOfWork"]["run"]>[0]>[0], id: string): Promise<Appointment> {
  const appointment = await tx.appointments.lock(id);
  if (!appointment) throw notFound("Appointment not found");
  if (appointment.feedbackAt === null || appointment.feedbackComment === null) throw conflict("This appointment has no feedback comment", "INVALID_STATE");
  return appointment;
}

export async function hideFeedbackComment(deps: Deps, actor: Actor, rawId: string, rawReason: string): Promise<Appointment> {
  assertModerator(actor);
  const id = requireId(rawId, "appointmentId");
  const reason = hideReason(rawReason);
  const now = deps.clock();
  return deps.unitOfWork.run(async (tx) => {
    const appointment = await lockCommented(tx, id);
    if (await tx.feedback.hide({ appointmentId: id, hiddenAt: now, hiddenBy: actor.userId, hiddenReason: reason })) {
      const status = appointment.status;
      await tx.history.record(id, { action: HIDE_FEEDBACK, actorId: actor.userId, actorRole: actor.role, fromStatus: status, toStatus: status, reason }, now);
    }
    return appointment;
  });
}

export async function unhideFeedbackComment(deps: Deps, actor: Actor, rawId: string): Promise<Appointment> {
  assertModerator(actor);
  const id = requireId(rawId, "appointmentId");
  const now = deps.clock();
  return deps.unitOfWork.run(async (tx) => {
    const appointment = await lockCommented(tx, id);
    if (await tx.feedback.unhide(id)) {
      const status = appointment.status;
      await tx.history.record(id, { action: UNHIDE_FEEDBACK, actorId: actor.userId, actorRole: actor.role, fromStatus: status, toStatus: status }, now);
    }
    return appointment;
  });
}
