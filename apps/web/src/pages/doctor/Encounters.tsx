import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage, Loading } from "../../components/ErrorMessage";
import { LiveIndicator, useOnLiveConnected } from "../../components/Live";
import { addDays, formatDay, formatTime, today, zoneLabel } from "../../lib/time";
import { DoctorEncountersDocument, MyDoctorDocument, type DoctorEncounterSummaryFragment } from "../../generated/operations";
import { EncounterStatusBadge } from "./badges";
import { isDay } from "./calendarModel";
import { useEncounterFeed } from "./live";

/**
 * The doctor's encounters of a day (today by default, the clinic's day), live: a patient registered at reception
 * appears without a reload (and is announced), statuses and pending examinations follow the feed.
 */
export function Encounters() {
  const { t, i18n } = useTranslation("doctor");
  const language = i18n.language;
  const [params, setParams] = useSearchParams();
  const me = useQuery(MyDoctorDocument);
  const doctor = me.data?.myDoctor;
  const timezone = doctor?.timezone ?? "UTC";
  const todayLocal = today(timezone);
  const dateParam = params.get("date");
  const date = isDay(dateParam) ? dateParam : null;
  const shownDay = date ?? todayLocal;
  const isToday = date === null || date === todayLocal;
  const list = useQuery(DoctorEncountersDocument, { variables: { date: isToday ? null : date }, fetchPolicy: "cache-and-network" });
  const [arrived, setArrived] = useState<DoctorEncounterSummaryFragment[]>([]);
  const [announcement, setAnnouncement] = useState("");

  const feed = useEncounterFeed((update) => {
    if (update.type === "REGISTERED") {
      if (isToday) setArrived((old) => (old.some((e) => e.id === update.encounter.id) ? old : [...old, update.encounter]));
      setAnnouncement(t("encounters.registered", { name: update.encounter.patient.name }));
    } else if (update.type === "EXAMINATION_PERFORMED" && !update.byMe && update.examination) {
      setAnnouncement(t("encounters.resultReady", { name: update.encounter.patient.name, service: update.examination.service.name }));
    } else if (update.type === "EXAMINATION_CANCELLED" && !update.byMe && update.examination) {
      setAnnouncement(t("encounters.examinationCancelled", { name: update.encounter.patient.name, service: update.examination.service.name }));
    }
  });
  useOnLiveConnected(() => void list.refetch());

  // Read at load and brought by the feed, each once, as they are now (the cache), by arrival.
  const encounters = useMemo(() => {
    const byId = new Map<string, DoctorEncounterSummaryFragment>();
    for (const e of [...(isToday ? arrived : []), ...(list.data?.encounters ?? [])]) byId.set(e.id, e);
    return [...byId.values()].sort((a, b) => a.arrivedAt.localeCompare(b.arrivedAt));
  }, [arrived, list.data, isToday]);

  const goTo = (day: string) => {
    setArrived([]);
    setParams(day === todayLocal ? {} : { date: day });
  };

  return (
    <Page title={t("encounters.title")} actions={<LiveIndicator />}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id="encounters-day" style={{ margin: 0 }}>
          {isToday ? t("encounters.today", { day: formatDay(shownDay, language, "long") }) : formatDay(shownDay, language, "long")}
        </h2>
        <div className="row">
          <button type="button" className="secondary" onClick={() => goTo(addDays(shownDay, -1))}>
            {t("encounters.previousDay")}
          </button>
          {isToday ? null : (
            <button type="button" className="secondary" onClick={() => goTo(todayLocal)}>
              {t("calendar.today")}
            </button>
          )}
          <button type="button" className="secondary" onClick={() => goTo(addDays(shownDay, 1))}>
            {t("encounters.nextDay")}
          </button>
        </div>
      </div>
      <p className="small">{t("calendar.zone", { zone: zoneLabel(timezone, new Date(), language) })}</p>
      <p role="status" aria-live="polite" className="small">
        {announcement}
      </p>
      {me.loading || (list.loading && !list.data) ? <Loading /> : null}
      <ErrorMessage error={me.error ?? list.error ?? feed.error} onRetry={() => void list.refetch()} />
      {list.data && list.data.encounters === null ? <ErrorMessage error={new Error(t("encounters.unavailable"))} onRetry={() => void list.refetch()} /> : null}
      <section aria-labelledby="encounters-day" aria-live="polite" aria-relevant="additions">
        {list.data && encounters.length === 0 ? <p className="muted">{t("encounters.empty")}</p> : null}
        {encounters.length ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("encounters.arrived")}</th>
                  <th scope="col">{t("encounters.patient")}</th>
                  <th scope="col">{t("encounters.appointment")}</th>
                  <th scope="col">{t("encounters.status")}</th>
                  <th scope="col">{t("encounters.pending")}</th>
                </tr>
              </thead>
              <tbody>
                {encounters.map((e) => (
                  <tr key={e.id} data-testid="encounter-row">
                    <td>
                      <time dateTime={e.arrivedAt}>{formatTime(e.arrivedAt, timezone, language)}</time>
                    </td>
                    <td>
                      <Link to={`/doctor/encounters/${e.id}`}>{e.patient.name}</Link>
                    </td>
                    <td>
                      {e.appointment ? (
                        <>
                          <time dateTime={e.appointment.startsAt}>{formatTime(e.appointment.startsAt, timezone, language)}</time>
                          {e.appointment.service ? ` · ${e.appointment.service.name}` : ""}
                        </>
                      ) : (
                        <span className="muted">{t("encounters.walkIn")}</span>
                      )}
                    </td>
                    <td>
                      <EncounterStatusBadge status={e.status} />
                    </td>
                    <td>{e.pendingExaminations}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
    </Page>
  );
}
