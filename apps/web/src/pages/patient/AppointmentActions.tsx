import { useId, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useMutation } from "@apollo/client/react";
import { ErrorMessage } from "../../components/ErrorMessage";
import { CancelAppointmentDocument, SubmitFeedbackDocument, type AppointmentFieldsFragment } from "../../generated/operations";

/** The longest comment and cancellation reason the API takes. */
export const MAX_COMMENT = 2000;
export const MAX_CANCEL_REASON = 1000;

type Feedback = { rating: number; comment?: string | null } | null | undefined;

/**
 * What the patient may do with an appointment, from its `allowedTransitions` (the API decides): reschedule (a page
 * with the doctor's week), cancel (with a reason, after a confirm step), and rate a fulfilled visit once.
 */
export function AppointmentActions({ appointment, feedback }: { appointment: AppointmentFieldsFragment; feedback?: Feedback }) {
  const { t } = useTranslation("patient");
  const [open, setOpen] = useState<"cancel" | "feedback" | null>(null);
  const [sent, setSent] = useState<FeedbackValue | null>(null);
  const given = feedback ?? sent;
  const allowed = new Set(appointment.allowedTransitions);
  const canReschedule = allowed.has("RESCHEDULE");
  const canCancel = allowed.has("CANCEL");
  const canRate = allowed.has("SUBMIT_FEEDBACK");
  return (
    <div className="stack">
      {given ? (
        <p className="small" role="status">
          {t("feedback.yours", { rating: given.rating })}
          {given.comment ? ` — “${given.comment}”` : ""}
        </p>
      ) : null}
      {canReschedule || canCancel || canRate ? (
        <div className="row">
          {canReschedule ? (
            <Link className="button secondary" to={`/patient/appointments/${appointment.id}/reschedule`}>
              {t("actions.reschedule")}
            </Link>
          ) : null}
          {canCancel && open !== "cancel" ? (
            <button type="button" className="secondary" onClick={() => setOpen("cancel")}>
              {t("actions.cancel")}
            </button>
          ) : null}
          {canRate && open !== "feedback" ? (
            <button type="button" className="secondary" onClick={() => setOpen("feedback")}>
              {t("actions.rate")}
            </button>
          ) : null}
        </div>
      ) : null}
      {open === "cancel" && canCancel ? <CancelForm appointmentId={appointment.id} onClose={() => setOpen(null)} /> : null}
      {open === "feedback" && canRate ? <FeedbackForm appointmentId={appointment.id} onClose={() => setOpen(null)} onSubmitted={setSent} /> : null}
    </div>
  );
}

/** Cancelling asks for a reason (optional) and a second, explicit press. */
function CancelForm({ appointmentId, onClose }: { appointmentId: string; onClose(): void }) {
  const { t } = useTranslation(["patient", "common"]);
  const id = useId();
  const [reason, setReason] = useState("");
  const [cancel, cancelling] = useMutation(CancelAppointmentDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { data } = await cancel({ variables: { id: appointmentId, reason: reason.trim() || null } }).catch(() => ({ data: undefined }));
    if (data) onClose();
  }

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t("cancel.title")}</h3>
      <div className="field">
        <label htmlFor={`${id}-reason`}>{t("cancel.reason")}</label>
        <textarea id={`${id}-reason`} maxLength={MAX_CANCEL_REASON} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
      </div>
      <ErrorMessage error={cancelling.error} />
      <div className="row">
        <button type="submit" className="danger" disabled={cancelling.loading}>
          {t("cancel.confirm")}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          {t("cancel.keep")}
        </button>
      </div>
    </form>
  );
}

export interface FeedbackValue {
  rating: number;
  comment: string | null;
}

/** A rating from 1 to 5 (radio buttons) and an optional comment; nothing is sent without a rating. */
export function FeedbackForm({ appointmentId, onClose, onSubmitted }: { appointmentId: string; onClose(): void; onSubmitted?(value: FeedbackValue): void }) {
  const { t } = useTranslation(["patient", "common"]);
  const id = useId();
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState("");
  const [missing, setMissing] = useState(false);
  const [submit, submitting] = useMutation(SubmitFeedbackDocument);

  async function send(event: FormEvent) {
    event.preventDefault();
    if (rating === null) {
      setMissing(true);
      document.getElementById(`${id}-rating-1`)?.focus();
      return;
    }
    const value = { rating, comment: comment.trim() || null };
    const { data } = await submit({ variables: { appointmentId, ...value } }).catch(() => ({ data: undefined }));
    if (!data) return;
    onSubmitted?.(value);
    onClose();
  }

  return (
    <form className="card" onSubmit={(e) => void send(e)} aria-labelledby={`${id}-heading`} noValidate>
      <h3 id={`${id}-heading`}>{t("feedback.title")}</h3>
      <fieldset className="field" aria-describedby={missing ? `${id}-missing` : undefined}>
        <legend>{t("feedback.rating")}</legend>
        <div className="row">
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} htmlFor={`${id}-rating-${n}`} className="row" style={{ fontWeight: 400, gap: "var(--space-1)" }}>
              <input
                type="radio"
                id={`${id}-rating-${n}`}
                name={`${id}-rating`}
                value={n}
                checked={rating === n}
                onChange={() => {
                  setRating(n);
                  setMissing(false);
                }}
                style={{ width: "auto", minHeight: 0 }}
              />
              {t(`feedback.stars.${n}`)}
            </label>
          ))}
        </div>
        {missing ? (
          <p id={`${id}-missing`} role="alert" className="small">
            {t("feedback.ratingRequired")}
          </p>
        ) : null}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-comment`}>{t("feedback.comment")}</label>
        <textarea id={`${id}-comment`} maxLength={MAX_COMMENT} value={comment} onChange={(e) => setComment(e.target.value)} />
      </div>
      <ErrorMessage error={submitting.error} />
      <div className="row">
        <button type="submit" disabled={submitting.loading}>
          {t("feedback.submit")}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          {t("cancel", { ns: "common" })}
        </button>
      </div>
    </form>
  );
}
