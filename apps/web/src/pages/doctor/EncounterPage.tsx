import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useMutation, useQuery } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage, Loading } from "../../components/ErrorMessage";
import { LiveIndicator, useOnLiveConnected } from "../../components/Live";
import { formatDateTime } from "../../lib/time";
import {
  DoctorCancelExaminationDocument,
  DoctorEncounterDocument,
  FinishEncounterDocument,
  MyDoctorDocument,
  OrderableServicesDocument,
  OrderExaminationDocument,
  RefuseEncounterDocument,
  ReviewExaminationDocument,
  StartEncounterDocument,
  type DoctorExaminationFieldsFragment,
} from "../../generated/operations";
import { EncounterStatusBadge, ExaminationStatusBadge } from "./badges";
import { encounterActions, ORDERABLE_KINDS } from "./encounterModel";
import { useEncounterFeed } from "./live";
import { RecordEditor, RecordView } from "./RecordParts";

const preWrap = { whiteSpace: "pre-wrap" as const };

/** One examination: what, where it stands (with the times), the result or why it was cancelled; review or cancel it. */
function ExaminationItem({
  x,
  timezone,
  busy,
  onReview,
  onCancel,
}: {
  x: DoctorExaminationFieldsFragment;
  timezone: string;
  busy: boolean;
  onReview(): void;
  onCancel(reason: string): Promise<boolean>;
}) {
  const { t, i18n } = useTranslation("doctor");
  const language = i18n.language;
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState("");
  const canReview = x.allowedTransitions.includes("REVIEW");
  const canCancel = x.allowedTransitions.includes("CANCEL");
  return (
    <li className="card" data-testid="examination">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <div>
          <strong>{x.service.name}</strong> <span className="small muted">{t(`kind.${x.service.kind}`, { defaultValue: x.service.kind })}</span>
          <div className="row small">
            <ExaminationStatusBadge status={x.status} />
            <span className="muted">{t("examinations.orderedAt", { at: formatDateTime(x.orderedAt, timezone, language) })}</span>
            {x.performedAt ? <span className="muted">{t("examinations.performedAt", { at: formatDateTime(x.performedAt, timezone, language) })}</span> : null}
            {x.reviewedAt ? <span className="muted">{t("examinations.reviewedAt", { at: formatDateTime(x.reviewedAt, timezone, language) })}</span> : null}
            {x.cancelledAt ? <span className="muted">{t("examinations.cancelledAt", { at: formatDateTime(x.cancelledAt, timezone, language) })}</span> : null}
          </div>
        </div>
        <div className="row">
          {canReview ? (
            <button type="button" disabled={busy} onClick={onReview}>
              {t("examinations.review", { service: x.service.name })}
            </button>
          ) : null}
          {canCancel ? (
            <button type="button" className="secondary" aria-expanded={cancelling} onClick={() => setCancelling((v) => !v)}>
              {t("examinations.cancel")}
            </button>
          ) : null}
        </div>
      </div>
      {x.status === "ORDERED" ? <p className="small muted">{t("examinations.waiting")}</p> : null}
      {x.result ? (
        <div>
          <h4 style={{ margin: "var(--space-2) 0 var(--space-1)" }}>{t("examinations.result")}</h4>
          <p style={{ ...preWrap, margin: 0 }}>{x.result}</p>
          {x.status === "PERFORMED" ? <p className="small">{t("examinations.toReview")}</p> : null}
        </div>
      ) : null}
      {x.cancelReason ? <p className="small">{t("examinations.cancelReason", { reason: x.cancelReason })}</p> : null}
      {cancelling && canCancel ? (
        <form
          className="form-inline"
          onSubmit={(e) => {
            e.preventDefault();
            void onCancel(reason).then((ok) => {
              if (ok) {
                setCancelling(false);
                setReason("");
              }
            });
          }}
        >
          <div className="field">
            <label htmlFor={`cancel-${x.id}`}>{t("examinations.cancelReasonLabel")}</label>
            <input id={`cancel-${x.id}`} value={reason} onChange={(e) => setReason(e.target.value)} required autoFocus />
          </div>
          <button type="submit" className="danger" disabled={busy || !reason.trim()}>
            {t("examinations.confirmCancel")}
          </button>
        </form>
      ) : null}
    </li>
  );
}

/**
 * One encounter, as the doctor works through the visit: start it, order examinations and see their results arrive
 * live, review them, write and sign the note, then finish (with a summary) or refuse treatment (with a reason). Only
 * what the API allows now is offered.
 */
export function EncounterPage() {
  const { t, i18n } = useTranslation("doctor");
  const language = i18n.language;
  const { id = "" } = useParams();
  const me = useQuery(MyDoctorDocument);
  const query = useQuery(DoctorEncounterDocument, { variables: { id }, fetchPolicy: "cache-and-network" });
  const encounter = query.data?.encounter;
  const services = useQuery(OrderableServicesDocument, { skip: !encounter?.allowedTransitions.includes("ORDER_EXAMINATION") });
  const [announcement, setAnnouncement] = useState("");
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [serviceId, setServiceId] = useState("");
  const [summary, setSummary] = useState("");
  const [refusing, setRefusing] = useState(false);
  const [refusal, setRefusal] = useState("");

  const feed = useEncounterFeed((update) => {
    if (update.encounter.id !== id) return;
    const service = update.examination?.service.name ?? "";
    if (update.type === "EXAMINATION_PERFORMED" && !update.byMe) setAnnouncement(t("encounter.resultArrived", { service }));
    else if (update.type === "EXAMINATION_CANCELLED" && !update.byMe) setAnnouncement(t("encounter.examinationCancelled", { service }));
    else if (update.type === "OUTCOME_CONFIRMED") setAnnouncement(t("encounter.outcomeConfirmed"));
  });
  useOnLiveConnected(() => void query.refetch());

  const [start] = useMutation(StartEncounterDocument);
  const [order] = useMutation(OrderExaminationDocument);
  const [review] = useMutation(ReviewExaminationDocument);
  const [cancelExamination] = useMutation(DoctorCancelExaminationDocument);
  const [finish] = useMutation(FinishEncounterDocument);
  const [refuse] = useMutation(RefuseEncounterDocument);

  /** Runs one action: its error shown (and the encounter read again, it may have changed meanwhile), or `done` announced. */
  async function act(action: () => Promise<unknown>, done: string): Promise<boolean> {
    setBusy(true);
    setActionError(null);
    try {
      await action();
      setAnnouncement(done);
      return true;
    } catch (err) {
      setActionError(err);
      void query.refetch();
      return false;
    } finally {
      setBusy(false);
    }
  }

  const loading = me.loading || (query.loading && !query.data);
  if (!encounter) {
    return (
      <Page title={t("encounter.title")}>
        {loading ? <Loading /> : null}
        <ErrorMessage error={query.error ?? me.error} onRetry={() => void query.refetch()} />
        {query.data && !encounter ? <p>{t("encounter.notFound")}</p> : null}
        <p>
          <Link to="/doctor/encounters">{t("encounter.backToList")}</Link>
        </p>
      </Page>
    );
  }

  const timezone = encounter.doctor.timezone;
  const treating = me.data?.myDoctor?.id === encounter.doctor.id;
  const actions = encounterActions(encounter, treating);
  const record = actions.record ? (encounter.records.find((r) => r.id === actions.record!.id) ?? null) : null;
  const orderable = (services.data?.medicalServices ?? []).filter((s) => ORDERABLE_KINDS.includes(s.kind));
  const open = encounter.status === "ARRIVED" || encounter.status === "IN_PROGRESS";

  return (
    <Page title={t("encounter.titleWith", { name: encounter.patient.name })} actions={<LiveIndicator />}>
      <p className="row">
        <Link to="/doctor/encounters">{t("encounter.backToList")}</Link>
        <Link to={`/doctor/patients/${encounter.patient.id}`}>{t("encounter.patientCard", { name: encounter.patient.name })}</Link>
      </p>
      <section className="card" aria-labelledby="visit-heading">
        <h2 id="visit-heading" style={{ marginTop: 0 }}>
          {t("encounter.visit")} <EncounterStatusBadge status={encounter.status} />
        </h2>
        <ul className="plain small">
          <li>{t("encounter.arrivedAt", { at: formatDateTime(encounter.arrivedAt, timezone, language) })}</li>
          {encounter.appointment ? (
            <li>
              {t("encounter.appointmentAt", { at: formatDateTime(encounter.appointment.startsAt, timezone, language) })}
              {encounter.appointment.service ? ` · ${encounter.appointment.service.name}` : ""}
            </li>
          ) : (
            <li>{t("encounters.walkIn")}</li>
          )}
          {encounter.appointment?.reason ? <li>{t("encounter.reason", { reason: encounter.appointment.reason })}</li> : null}
          {encounter.startedAt ? <li>{t("encounter.startedAt", { at: formatDateTime(encounter.startedAt, timezone, language) })}</li> : null}
          {encounter.endedAt ? <li>{t("encounter.endedAt", { at: formatDateTime(encounter.endedAt, timezone, language) })}</li> : null}
          {encounter.outcomeConfirmedAt ? (
            <li>{t("encounter.outcomeConfirmedAt", { at: formatDateTime(encounter.outcomeConfirmedAt, timezone, language) })}</li>
          ) : null}
        </ul>
        {encounter.summary ? (
          <p style={preWrap}>
            <strong>{t("encounter.summary")}:</strong> {encounter.summary}
          </p>
        ) : null}
        {encounter.refusalReason ? (
          <p style={preWrap}>
            <strong>{t("encounter.refusalReason")}:</strong> {encounter.refusalReason}
          </p>
        ) : null}
        {!treating && me.data ? <p className="small muted">{t("encounter.notYours")}</p> : null}
        <div className="row">
          {actions.start ? (
            <button type="button" disabled={busy} onClick={() => void act(() => start({ variables: { id } }), t("encounter.startedAnnouncement"))}>
              {t("encounter.start")}
            </button>
          ) : null}
          {actions.refuse ? (
            <button type="button" className="secondary" aria-expanded={refusing} onClick={() => setRefusing((v) => !v)}>
              {t("encounter.refuse")}
            </button>
          ) : null}
        </div>
        {refusing && actions.refuse ? (
          <form
            className="form-inline"
            style={{ marginTop: "var(--space-3)" }}
            onSubmit={(e) => {
              e.preventDefault();
              void act(() => refuse({ variables: { id, reason: refusal.trim() } }), t("encounter.refusedAnnouncement")).then((ok) => ok && setRefusing(false));
            }}
          >
            <div className="field">
              <label htmlFor="refusal-reason">{t("encounter.refusalReasonLabel")}</label>
              <input id="refusal-reason" value={refusal} onChange={(e) => setRefusal(e.target.value)} required autoFocus />
            </div>
            <button type="submit" className="danger" disabled={busy || !refusal.trim()}>
              {t("encounter.confirmRefuse")}
            </button>
          </form>
        ) : null}
      </section>

      <p role="status" aria-live="polite" className="small">
        {announcement}
      </p>
      <ErrorMessage error={actionError ?? feed.error} />
      {query.error ? <ErrorMessage error={query.error} onRetry={() => void query.refetch()} /> : null}

      <section aria-labelledby="exams-heading">
        <h2 id="exams-heading">{t("examinations.title")}</h2>
        {actions.order ? (
          <form
            className="form-inline card"
            onSubmit={(e) => {
              e.preventDefault();
              const service = orderable.find((s) => s.id === serviceId);
              if (!service) return;
              void act(() => order({ variables: { encounterId: id, serviceId } }), t("examinations.orderedAnnouncement", { service: service.name })).then(
                (ok) => ok && setServiceId(""),
              );
            }}
          >
            <div className="field">
              <label htmlFor="order-service">{t("examinations.service")}</label>
              <select id="order-service" value={serviceId} onChange={(e) => setServiceId(e.target.value)} required>
                <option value="">{services.loading ? t("loading", { ns: "common" }) : t("examinations.choose")}</option>
                {ORDERABLE_KINDS.map((kind) => {
                  const ofKind = orderable.filter((s) => s.kind === kind);
                  return ofKind.length ? (
                    <optgroup key={kind} label={t(`kind.${kind}`, { defaultValue: kind })}>
                      {ofKind.map((s) => (
                        <option key={s.id} value={s.id}>
                          {s.name}
                        </option>
                      ))}
                    </optgroup>
                  ) : null;
                })}
              </select>
            </div>
            <button type="submit" disabled={busy || !serviceId}>
              {t("examinations.order")}
            </button>
            <ErrorMessage error={services.error} onRetry={() => void services.refetch()} />
          </form>
        ) : null}
        <div aria-live="polite" aria-relevant="additions text">
          {encounter.examinations.length === 0 ? <p className="muted">{t("examinations.none")}</p> : null}
          <ul className="plain">
            {encounter.examinations.map((x) => (
              <ExaminationItem
                key={x.id}
                x={x}
                timezone={timezone}
                busy={busy}
                onReview={() => void act(() => review({ variables: { id: x.id } }), t("examinations.reviewedAnnouncement", { service: x.service.name }))}
                onCancel={(reason) =>
                  act(
                    () => cancelExamination({ variables: { id: x.id, reason: reason.trim() } }),
                    t("examinations.cancelledAnnouncement", { service: x.service.name }),
                  )
                }
              />
            ))}
          </ul>
        </div>
      </section>

      <section aria-labelledby="record-heading">
        <h2 id="record-heading">{t("record.title")}</h2>
        {actions.editRecord ? (
          <div className="card">
            <RecordEditor key={id} encounterId={id} record={record} editable signable={actions.signRecord} onDone={setAnnouncement} />
          </div>
        ) : record ? (
          <div className="card">
            <RecordView record={record} timezone={timezone} />
            {actions.signRecord ? <RecordEditor key={id} encounterId={id} record={record} editable={false} signable onDone={setAnnouncement} /> : null}
          </div>
        ) : (
          <p className="muted">{open ? t("record.notYet") : t("record.none")}</p>
        )}
      </section>

      {actions.finish || actions.finishWaitsForExaminations ? (
        <section aria-labelledby="finish-heading">
          <h2 id="finish-heading">{t("encounter.finishTitle")}</h2>
          {actions.finishWaitsForExaminations ? (
            <p className="alert info">{t("encounter.finishWaits", { count: encounter.pendingExaminations })}</p>
          ) : (
            <form
              className="card"
              onSubmit={(e) => {
                e.preventDefault();
                void act(() => finish({ variables: { id, summary: summary.trim() || null } }), t("encounter.finishedAnnouncement"));
              }}
            >
              {record?.status === "DRAFT" ? <p className="alert info">{t("encounter.draftNotSigned")}</p> : null}
              <div className="field">
                <label htmlFor="finish-summary">{t("encounter.summaryLabel")}</label>
                <textarea id="finish-summary" value={summary} onChange={(e) => setSummary(e.target.value)} />
              </div>
              <button type="submit" disabled={busy}>
                {t("encounter.finish")}
              </button>
            </form>
          )}
        </section>
      ) : null}
    </Page>
  );
}
