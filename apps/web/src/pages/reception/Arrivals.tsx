import { useMemo, useState } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage } from "../../components/ErrorMessage";
import { QueryState } from "../../components/QueryState";
import { SuccessNotice } from "../../components/SuccessNotice";
import { StatusBadge } from "../../components/StatusBadge";
import { addDays, browserZone, dayIn, daysRange, formatDay, formatTime, today, zoneLabel } from "../../lib/time";
import { ReceptionArrivalsDocument, ReceptionCheckInDocument, type AppointmentStatus, type ArrivalFieldsFragment } from "../../generated/operations";

/** Statuses of the day's list: the others (requests turned down, cancelled, lapsed) will not arrive. */
const SHOWN: readonly AppointmentStatus[] = ["PENDING", "BOOKED", "CHECKED_IN", "FULFILLED", "NO_SHOW"];

/**
 * The appointments of `now`'s day, each on its doctor's (the clinic's) calendar day, by start time. The list asked
 * for spans the browser's yesterday to tomorrow, which holds the clinic's today whatever the two zones are.
 */
export function todaysArrivals(appointments: readonly ArrivalFieldsFragment[], now: Date = new Date()): ArrivalFieldsFragment[] {
  return appointments
    .filter((a) => SHOWN.includes(a.status))
    .filter((a) => dayIn(a.startsAt, a.doctor.timezone) === today(a.doctor.timezone, now))
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

/** The range asked of the calendar: the browser's yesterday to tomorrow (three days, in the clinic's zone or not). */
export function arrivalsRange(day: string, zone: string): { from: string; to: string } {
  return daysRange(addDays(day, -1), addDays(day, 1), zone);
}

/** Reception's home: today's arrivals across all doctors; check patients in as they come. */
export function Arrivals() {
  const { t, i18n } = useTranslation(["reception", "common"]);
  // A new day (the page left open overnight; the list is polled) asks for the new range.
  const zone = browserZone();
  const browserDay = today(zone);
  const range = useMemo(() => arrivalsRange(browserDay, zone), [browserDay, zone]);
  const calendar = useQuery(ReceptionArrivalsDocument, { variables: range, fetchPolicy: "cache-and-network", pollInterval: 60_000 });
  const [checkIn, checkingIn] = useMutation(ReceptionCheckInDocument);
  const [search, setSearch] = useState("");
  const [onlyExpected, setOnlyExpected] = useState(false);
  const [checkedIn, setCheckedIn] = useState<string | null>(null);

  const all = useMemo(() => todaysArrivals(calendar.data?.calendar ?? []), [calendar.data]);
  const zones = [...new Set(all.map((a) => a.doctor.timezone))];
  const clinicZone = zones[0] ?? calendar.data?.doctors.edges[0]?.node.timezone ?? zone;
  const several = zones.length > 1;
  const needle = search.trim().toLowerCase();
  const shown = all
    .filter((a) => !onlyExpected || a.status === "BOOKED")
    .filter((a) => !needle || a.patient.name.toLowerCase().includes(needle) || a.doctor.name.toLowerCase().includes(needle));
  const expected = all.filter((a) => a.status === "BOOKED").length;
  const attention = all.filter((a) => a.needsAttention).length;

  async function doCheckIn(a: ArrivalFieldsFragment) {
    setCheckedIn(null);
    const result = await checkIn({ variables: { id: a.id } }).catch(() => null);
    if (result?.data) setCheckedIn(a.patient.name);
  }

  return (
    <Page title={t("arrivals.title")}>
      <p className="small">
        {formatDay(today(clinicZone), i18n.language, "long")} · {t("arrivals.zone", { zone: zoneLabel(clinicZone, new Date(), i18n.language) })}
      </p>
      <QueryState result={calendar} />
      <ErrorMessage error={checkingIn.error} />
      <SuccessNotice>{checkedIn ? t("arrivals.checkedIn", { name: checkedIn }) : null}</SuccessNotice>
      {calendar.data ? (
        <p>
          {t("arrivals.summary", { count: all.length })} · {t("arrivals.expected", { count: expected })}
          {attention ? (
            <>
              {" · "}
              <strong>{t("arrivals.attentionCount", { count: attention })}</strong>
            </>
          ) : null}
        </p>
      ) : null}
      <form className="form-inline" onSubmit={(e) => e.preventDefault()} role="search" style={{ marginBottom: "var(--space-3)" }}>
        <div className="field">
          <label htmlFor="arrivals-search">{t("arrivals.search")}</label>
          <input id="arrivals-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <label className="row small" style={{ fontWeight: 400 }}>
          <input type="checkbox" checked={onlyExpected} onChange={(e) => setOnlyExpected(e.target.checked)} style={{ width: "auto", minHeight: 0 }} />
          {t("arrivals.onlyExpected")}
        </label>
        <button type="button" className="secondary" onClick={() => void calendar.refetch()}>
          {t("arrivals.refresh")}
        </button>
      </form>
      <section aria-live="polite" aria-label={t("arrivals.list")}>
        {calendar.data && shown.length === 0 ? <p className="muted">{t("arrivals.empty")}</p> : null}
        {shown.length ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("arrivals.time")}</th>
                  <th scope="col">{t("arrivals.patient")}</th>
                  <th scope="col">{t("arrivals.doctor")}</th>
                  <th scope="col">{t("arrivals.status")}</th>
                  <th scope="col">{t("arrivals.action")}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((a) => (
                  <tr key={a.id} data-testid="arrival">
                    <td>
                      {formatTime(a.startsAt, a.doctor.timezone, i18n.language)}–{formatTime(a.endsAt, a.doctor.timezone, i18n.language)}
                      {several ? <div className="small muted">{a.doctor.timezone}</div> : null}
                    </td>
                    <td>
                      {a.patient.name}
                      {a.service ? <div className="small muted">{a.service.name}</div> : null}
                    </td>
                    <td>
                      {a.doctor.name}
                      {a.doctor.location ? <div className="small muted">{a.doctor.location}</div> : null}
                    </td>
                    <td>
                      <div className="row">
                        <StatusBadge status={a.status} />
                        {a.needsAttention ? <span className="status status-PENDING">⚠ {t("arrivals.attention")}</span> : null}
                        {a.overbooked ? <span className="small muted">{t("arrivals.overbooked")}</span> : null}
                      </div>
                      {a.needsAttention ? <div className="small">{t("arrivals.attentionHint")}</div> : null}
                    </td>
                    <td>
                      {a.status === "BOOKED" ? (
                        a.allowedTransitions.includes("CHECK_IN") ? (
                          <button
                            type="button"
                            disabled={checkingIn.loading}
                            onClick={() => void doCheckIn(a)}
                            aria-label={t("arrivals.checkInName", { name: a.patient.name })}
                          >
                            {t("arrivals.checkIn")}
                          </button>
                        ) : (
                          <span className="small muted">{t("arrivals.notYet")}</span>
                        )
                      ) : a.status === "CHECKED_IN" ? (
                        <Link to="/reception/board">{t("arrivals.onBoard")}</Link>
                      ) : null}
                    </td>
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
