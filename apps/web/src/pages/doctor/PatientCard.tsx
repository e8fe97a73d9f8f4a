import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useQuery } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage } from "../../components/ErrorMessage";
import { QueryState } from "../../components/QueryState";
import { formatDateTime, locale } from "../../lib/time";
import { DoctorPatientCardDocument, MyDoctorDocument, type DoctorPatientCardQuery } from "../../generated/operations";
import { EncounterStatusBadge, ExaminationStatusBadge } from "./badges";
import { RecordView } from "./RecordParts";

type Card = NonNullable<DoctorPatientCardQuery["patientCard"]>;
type CardRecord = Card["records"][number];
type CardExamination = Card["examinations"][number];

export interface HistoryVisit {
  encounter: Card["encounters"][number] | null;
  records: CardRecord[];
  examinations: CardExamination[];
}

/** The card's history by visit, newest first; entries of no listed visit come last (one group, encounter null). */
export function historyByVisit(card: Pick<Card, "encounters" | "records" | "examinations">): HistoryVisit[] {
  const visits = [...card.encounters]
    .sort((a, b) => b.arrivedAt.localeCompare(a.arrivedAt))
    .map((encounter): HistoryVisit => ({ encounter, records: [], examinations: [] }));
  const byId = new Map(visits.map((v) => [v.encounter!.id, v]));
  const other: HistoryVisit = { encounter: null, records: [], examinations: [] };
  for (const r of card.records) (byId.get(r.encounter?.id ?? "") ?? other).records.push(r);
  for (const x of [...card.examinations].sort((a, b) => a.orderedAt.localeCompare(b.orderedAt))) (byId.get(x.encounter.id) ?? other).examinations.push(x);
  return other.records.length || other.examinations.length ? [...visits, other] : visits;
}

function ageOn(dateOfBirth: string, now = new Date()): number {
  const [y, m, d] = dateOfBirth.slice(0, 10).split("-").map(Number) as [number, number, number];
  let age = now.getUTCFullYear() - y;
  if (now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d)) age -= 1;
  return age;
}

/**
 * A patient's card for their doctor: who they are and their history visit by visit (newest first) — status and
 * outcome, the notes (drafts, signed and amended versions), examinations with their results. Times are in the zone of
 * the doctor of each visit.
 */
export function PatientCard() {
  const { t, i18n } = useTranslation("doctor");
  const language = i18n.language;
  const { id = "" } = useParams();
  const me = useQuery(MyDoctorDocument);
  const query = useQuery(DoctorPatientCardDocument, { variables: { patientId: id }, fetchPolicy: "cache-and-network" });
  const card = query.data?.patientCard;
  const ownZone = me.data?.myDoctor?.timezone ?? "UTC";
  const patient = card?.patient;

  return (
    <Page title={patient ? t("card.titleWith", { name: patient.name }) : t("card.title")}>
      <QueryState result={query} />
      {query.data && !card ? <ErrorMessage error={new Error(t("card.unavailable"))} onRetry={() => void query.refetch()} /> : null}
      {patient ? (
        <section className="card" aria-label={t("card.patient")}>
          <ul className="plain">
            <li>
              <strong>{patient.name}</strong>
            </li>
            {patient.dateOfBirth ? (
              <li>
                {t("card.born", {
                  date: new Intl.DateTimeFormat(locale(language), { dateStyle: "long", timeZone: "UTC" }).format(new Date(patient.dateOfBirth.slice(0, 10))),
                  age: ageOn(patient.dateOfBirth),
                })}
              </li>
            ) : null}
            {patient.gender ? <li>{t(`gender.${patient.gender}`, { defaultValue: patient.gender })}</li> : null}
          </ul>
        </section>
      ) : null}
      {card ? (
        <section aria-labelledby="history-heading">
          <h2 id="history-heading">{t("card.history")}</h2>
          {card.encounters.length === 0 && card.records.length === 0 && card.examinations.length === 0 ? <p className="muted">{t("card.empty")}</p> : null}
          {historyByVisit(card).map((visit) => {
            const e = visit.encounter;
            const tz = e?.doctor.timezone ?? ownZone;
            const headingId = `visit-${e?.id ?? "other"}`;
            return (
              <article className="card" key={e?.id ?? "other"} aria-labelledby={headingId} data-testid="card-visit">
                <h3 id={headingId} style={{ marginTop: 0 }}>
                  {e ? formatDateTime(e.arrivedAt, tz, language) : t("card.otherEntries")}
                </h3>
                {e ? (
                  <div className="row small">
                    <EncounterStatusBadge status={e.status} />
                    <span>{t("card.withDoctor", { name: e.doctor.name })}</span>
                    {e.appointment?.service ? <span className="muted">{e.appointment.service.name}</span> : null}
                    <Link to={`/doctor/encounters/${e.id}`}>{t("card.openEncounter")}</Link>
                  </div>
                ) : null}
                {e?.summary ? (
                  <p style={{ whiteSpace: "pre-wrap" }}>
                    <strong>{t("encounter.summary")}:</strong> {e.summary}
                  </p>
                ) : null}
                {e?.refusalReason ? (
                  <p style={{ whiteSpace: "pre-wrap" }}>
                    <strong>{t("encounter.refusalReason")}:</strong> {e.refusalReason}
                  </p>
                ) : null}
                {visit.records.length ? (
                  <>
                    <h4>{t("record.title")}</h4>
                    {visit.records.map((r) => (
                      <RecordView key={r.id} record={r} timezone={tz} />
                    ))}
                  </>
                ) : null}
                {visit.examinations.length ? (
                  <>
                    <h4>{t("examinations.title")}</h4>
                    <ul>
                      {visit.examinations.map((x) => (
                        <li key={x.id}>
                          <div className="row">
                            <strong>{x.service.name}</strong>
                            <ExaminationStatusBadge status={x.status} />
                            <span className="small muted">{formatDateTime(x.performedAt ?? x.cancelledAt ?? x.orderedAt, tz, language)}</span>
                          </div>
                          {x.result ? <p style={{ whiteSpace: "pre-wrap", margin: 0 }}>{x.result}</p> : null}
                          {x.cancelReason ? <p className="small">{t("examinations.cancelReason", { reason: x.cancelReason })}</p> : null}
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
              </article>
            );
          })}
        </section>
      ) : null}
    </Page>
  );
}
