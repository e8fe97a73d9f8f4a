import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery, useSubscription } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage, Loading } from "../../components/ErrorMessage";
import { LiveIndicator, useOnLiveConnected } from "../../components/Live";
import { formatDateTime } from "../../lib/time";
import {
  ApproveAppointmentDocument,
  DoctorRequestsDocument,
  MyDoctorDocument,
  PendingRequestsDocument,
  RejectAppointmentDocument,
  type RequestFieldsFragment,
} from "../../generated/operations";

/** A short tone for a new request (Web Audio: no file to load); only after the doctor switched sound on. */
function beep() {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    tone.frequency.value = 880;
    tone.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.15);
  } catch {
    /* no audio device */
  }
}

/**
 * The doctor's home: requests waiting for approval, live. New requests appear without a reload (with the patient's
 * name) and are counted in a badge (and the tab title) until the doctor has looked; approve or reject in place.
 */
export function RequestFeed() {
  const { t, i18n } = useTranslation("doctor");
  const me = useQuery(MyDoctorDocument);
  const doctor = me.data?.myDoctor;
  const pending = useQuery(PendingRequestsDocument, { fetchPolicy: "cache-and-network" });
  const [arrived, setArrived] = useState<RequestFieldsFragment[]>([]);
  const [unseen, setUnseen] = useState(0);
  const [sound, setSound] = useState(false);
  const feed = useSubscription(DoctorRequestsDocument, {
    skip: !doctor,
    variables: { doctorId: doctor?.id ?? "", since: null },
    onData: ({ data }) => {
      const event = data.data?.appointmentRequests;
      if (!event) return;
      // Every event carries the appointment as it is now: a request approved, rejected, cancelled or expired leaves.
      const known = arrived.some((a) => a.id === event.appointment.id);
      setArrived((list) => (known ? list.map((a) => (a.id === event.appointment.id ? event.appointment : a)) : [event.appointment, ...list]));
      if (event.type !== "REQUESTED" || known) return;
      setUnseen((n) => n + 1);
      if (sound) beep();
    },
  });
  useOnLiveConnected(() => void pending.refetch());

  // Waiting requests: those read at load and those the feed brought, each once, as they are now (the cache), soonest first.
  const requests = useMemo(() => {
    const byId = new Map<string, RequestFieldsFragment>();
    for (const a of [...arrived, ...(pending.data?.myAppointments.edges.map((e) => e.node) ?? [])]) byId.set(a.id, a);
    return [...byId.values()].filter((a) => a.status === "PENDING").sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  }, [arrived, pending.data]);

  useEffect(() => {
    const base = t("feed.title");
    document.title = unseen ? `(${unseen}) ${base} · Clinigraph` : `${base} · Clinigraph`;
  }, [unseen, t]);

  // The answer is the appointment as it is now (BOOKED or REJECTED): it replaces the request shown.
  const replace = (next: RequestFieldsFragment | undefined) => next && setArrived((list) => [next, ...list.filter((a) => a.id !== next.id)]);
  const [approve, approving] = useMutation(ApproveAppointmentDocument, { onCompleted: (data) => replace(data.approveAppointment) });
  const [reject, rejecting] = useMutation(RejectAppointmentDocument, { onCompleted: (data) => replace(data.rejectAppointment) });
  const [rejectingId, setRejectingId] = useState<string | null>(null);
  const [reason, setReason] = useState("");

  return (
    <Page
      title={t("feed.title")}
      actions={
        <div className="row">
          <LiveIndicator />
          {unseen ? (
            <button type="button" className="secondary" onClick={() => setUnseen(0)} aria-label={t("feed.newCount", { count: unseen })}>
              <span className="badge" data-testid="new-badge">
                {unseen}
              </span>
              {t("feed.markSeen")}
            </button>
          ) : null}
          <label className="row small" style={{ fontWeight: 400 }}>
            <input type="checkbox" checked={sound} onChange={(e) => setSound(e.target.checked)} style={{ width: "auto", minHeight: 0 }} />
            {t("feed.sound")}
          </label>
        </div>
      }
    >
      {me.loading || (pending.loading && !pending.data) ? <Loading /> : null}
      <ErrorMessage error={me.error ?? pending.error ?? feed.error} onRetry={() => void pending.refetch()} />
      <ErrorMessage error={approving.error ?? rejecting.error} />
      {doctor && !doctor.autoApprove ? null : doctor ? <p className="muted">{t("feed.autoApprove")}</p> : null}
      <section aria-live="polite" aria-label={t("feed.pending")}>
        {requests.length === 0 && pending.data ? <p className="muted">{t("feed.empty")}</p> : null}
        <ul className="plain">
          {requests.map((a) => (
            <li key={a.id} className="card" data-testid="request" data-appointment-id={a.id}>
              <div className="row" style={{ justifyContent: "space-between" }}>
                <div>
                  <strong>{a.patient.name}</strong>
                  <div>{formatDateTime(a.startsAt, a.doctor.timezone, i18n.language)}</div>
                  <div className="small muted">
                    {a.service?.name ?? ""} {a.reason ? `· ${a.reason}` : ""}
                  </div>
                </div>
                <div className="row">
                  <button type="button" disabled={approving.loading} onClick={() => void approve({ variables: { id: a.id } }).catch(() => undefined)}>
                    {t("feed.approve", { name: a.patient.name })}
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => setRejectingId(rejectingId === a.id ? null : a.id)}
                    aria-expanded={rejectingId === a.id}
                  >
                    {t("feed.reject")}
                  </button>
                </div>
              </div>
              {rejectingId === a.id ? (
                <form
                  className="row"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void reject({ variables: { id: a.id, reason: reason || null } })
                      .then(() => {
                        setRejectingId(null);
                        setReason("");
                      })
                      .catch(() => undefined);
                  }}
                >
                  <div className="field" style={{ flex: 1 }}>
                    <label htmlFor={`reason-${a.id}`}>{t("feed.rejectReason")}</label>
                    <input id={`reason-${a.id}`} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
                  </div>
                  <button type="submit" className="danger" disabled={rejecting.loading}>
                    {t("feed.confirmReject")}
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </Page>
  );
}
