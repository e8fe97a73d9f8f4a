import type { ReactNode } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useQuery } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { useSession } from "../../auth";
import { browserZone, formatDateTime } from "../../lib/time";
import { MyCardDocument, type MyCardQuery } from "../../generated/operations";

type CardData = NonNullable<MyCardQuery["patientCard"]>;
type Encounter = CardData["encounters"][number];
type Entry = CardData["records"][number];
type Examination = CardData["examinations"][number];

/**
 * My card: every visit (newest first) with the doctor's signed records and the examinations ordered there. The API
 * gives the patient signed entries only (never drafts) and an examination's result only once the ordering doctor
 * reviewed it. A patient's id is their user's id.
 */
export function MyCard() {
  const { t } = useTranslation("patient");
  const current = useSession();
  const patientId = current?.user.id ?? "";
  const card = useQuery(MyCardDocument, { variables: { patientId }, skip: !patientId, fetchPolicy: "cache-and-network" });
  const data = card.data?.patientCard;

  return (
    <Page title={t("card.title")}>
      <QueryState result={card} />
      {card.data && !data ? (
        <div className="alert" role="alert">
          {t("card.unavailable")}{" "}
          <button type="button" className="secondary" onClick={() => void card.refetch()}>
            {t("retry", { ns: "common" })}
          </button>
        </div>
      ) : null}
      {data ? <CardContent card={data} /> : null}
    </Page>
  );
}

function CardContent({ card }: { card: CardData }) {
  const { t } = useTranslation("patient");
  if (card.encounters.length === 0 && card.records.length === 0 && card.examinations.length === 0)
    return (
      <div className="card">
        <p>{t("card.empty")}</p>
        <Link to="/patient">{t("appointments.findDoctor")}</Link>
      </div>
    );
  const encounterIds = new Set(card.encounters.map((e) => e.id));
  const encounters = [...card.encounters].sort((a, b) => b.arrivedAt.localeCompare(a.arrivedAt));
  const looseRecords = card.records.filter((r) => !r.encounter || !encounterIds.has(r.encounter.id));
  const looseExams = card.examinations.filter((x) => !encounterIds.has(x.encounter.id));
  return (
    <>
      <section aria-labelledby="visits-heading">
        <h2 id="visits-heading">{t("card.visits")}</h2>
        {encounters.length === 0 ? <p className="muted">{t("card.noVisits")}</p> : null}
        <ul className="plain">
          {encounters.map((encounter) => (
            <li key={encounter.id}>
              <Visit
                encounter={encounter}
                records={card.records.filter((r) => r.encounter?.id === encounter.id)}
                examinations={card.examinations.filter((x) => x.encounter.id === encounter.id)}
              />
            </li>
          ))}
        </ul>
      </section>
      {looseRecords.length || looseExams.length ? (
        <section aria-labelledby="other-heading">
          <h2 id="other-heading">{t("card.other")}</h2>
          <div className="card stack">
            <Records records={looseRecords} zone={browserZone()} />
            <Examinations examinations={looseExams} zone={browserZone()} />
          </div>
        </section>
      ) : null}
    </>
  );
}

function Visit({ encounter, records, examinations }: { encounter: Encounter; records: Entry[]; examinations: Examination[] }) {
  const { t, i18n } = useTranslation("patient");
  const zone = encounter.doctor.timezone;
  const headingId = `visit-${encounter.id}`;
  return (
    <article className="card stack" aria-labelledby={headingId}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h3 id={headingId} style={{ margin: 0 }}>
          {formatDateTime(encounter.arrivedAt, zone, i18n.language)}
        </h3>
        <span className="status">{t(`card.encounterStatus.${encounter.status}`, { defaultValue: encounter.status })}</span>
      </div>
      <div>
        {encounter.doctor.name} · {encounter.doctor.specialty.name}
        {encounter.appointment ? (
          <>
            {" · "}
            <Link to={`/patient/appointments/${encounter.appointment.id}`}>{t("card.appointment")}</Link>
          </>
        ) : null}
      </div>
      {encounter.summary ? (
        <p>
          <strong>{t("card.summary")}:</strong> {encounter.summary}
        </p>
      ) : null}
      {encounter.refusalReason ? (
        <p>
          <strong>{t("card.refusal")}:</strong> {encounter.refusalReason}
        </p>
      ) : null}
      <Records records={records} zone={zone} />
      <Examinations examinations={examinations} zone={zone} />
    </article>
  );
}

function Records({ records, zone }: { records: Entry[]; zone: string }) {
  const { t, i18n } = useTranslation("patient");
  if (records.length === 0) return null;
  return (
    <div>
      <h4>{t("card.records")}</h4>
      <ul className="plain stack">
        {[...records]
          .sort((a, b) => (b.signedAt ?? b.createdAt).localeCompare(a.signedAt ?? a.createdAt))
          .map((r) => (
            <li key={r.id}>
              <dl style={{ margin: 0 }}>
                {r.diagnosis || r.diagnosisCode ? (
                  <Item label={t("card.diagnosis")}>
                    {r.diagnosis ?? ""}
                    {r.diagnosisCode ? ` (${r.diagnosisCode})` : ""}
                  </Item>
                ) : null}
                {r.complaints ? <Item label={t("card.complaints")}>{r.complaints}</Item> : null}
                {r.prescriptions.length ? (
                  <Item label={t("card.prescriptions")}>
                    <ul>
                      {r.prescriptions.map((p, i) => (
                        <li key={i}>{p}</li>
                      ))}
                    </ul>
                  </Item>
                ) : null}
                {r.notes ? <Item label={t("card.notes")}>{r.notes}</Item> : null}
              </dl>
              <p className="small muted" style={{ margin: 0 }}>
                {r.status === "AMENDED" ? t("card.amended", { version: r.version }) : t("card.signed")}
                {r.signedAt ? ` · ${formatDateTime(r.signedAt, zone, i18n.language)}` : ""}
                {r.amendReason ? ` · ${t("card.amendReason")}: ${r.amendReason}` : ""}
              </p>
            </li>
          ))}
      </ul>
    </div>
  );
}

function Examinations({ examinations, zone }: { examinations: Examination[]; zone: string }) {
  const { t, i18n } = useTranslation("patient");
  if (examinations.length === 0) return null;
  return (
    <div>
      <h4>{t("card.examinations")}</h4>
      <ul className="plain stack">
        {[...examinations]
          .sort((a, b) => b.orderedAt.localeCompare(a.orderedAt))
          .map((x) => (
            <li key={x.id}>
              <div className="row">
                <strong>{x.service.name}</strong>
                <span className="status">{t(`card.examStatus.${x.status}`, { defaultValue: x.status })}</span>
                <span className="small muted">{formatDateTime(x.reviewedAt ?? x.performedAt ?? x.orderedAt, zone, i18n.language)}</span>
              </div>
              {x.result ? (
                <p style={{ whiteSpace: "pre-wrap", margin: "var(--space-1) 0 0" }}>
                  <strong>{t("card.result")}:</strong> {x.result}
                </p>
              ) : x.status === "PERFORMED" ? (
                <p className="small muted">{t("card.resultPending")}</p>
              ) : null}
              {x.cancelReason ? <p className="small">{t("card.cancelReason", { reason: x.cancelReason })}</p> : null}
            </li>
          ))}
      </ul>
    </div>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt style={{ fontWeight: 600, display: "inline" }}>{label}: </dt>
      <dd style={{ display: "inline", margin: 0 }}>{children}</dd>
    </div>
  );
}
