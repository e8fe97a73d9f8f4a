import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useQuery, useSubscription } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage, Loading } from "../../components/ErrorMessage";
import { StatusBadge } from "../../components/StatusBadge";
import { LiveIndicator, useOnLiveConnected } from "../../components/Live";
import { formatDay, formatTime, today, zoneLabel, locale } from "../../lib/time";
import { DoctorCalendarDocument, DoctorRequestsDocument, MyDoctorDocument } from "../../generated/operations";
import { appointmentsByDay, isDay, isView, leadingBlanks, shiftAnchor, VIEWS, viewRange, type CalendarView } from "./calendarModel";

export interface CalendarAppointment {
  id: string;
  status: string;
  startsAt: string;
  endsAt: string;
  reason?: string | null;
  patient: { id: string; name: string };
  service?: { name: string } | null;
}

/** "March 2026", "30 Mar – 5 Apr", or a long day: the period a view shows. */
export function periodLabel(view: CalendarView, days: readonly string[], language: string): string {
  const first = days[0]!;
  if (view === "day") return formatDay(first, language, "long");
  if (view === "week") return `${formatDay(first, language)} – ${formatDay(days[days.length - 1]!, language)}`;
  const [y, m] = first.split("-").map(Number) as [number, number];
  return new Intl.DateTimeFormat(locale(language), { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, 1)));
}

/** The zone's name over a range: "Europe/Berlin (CET)", or "Europe/Berlin (CET → CEST)" across a DST change. */
export function rangeZoneLabel(timezone: string, from: string, to: string, language: string): string {
  const start = zoneLabel(timezone, from, language);
  const end = zoneLabel(timezone, new Date(new Date(to).getTime() - 1), language);
  if (start === end) return start;
  const short = (label: string) => /\(([^)]*)\)$/.exec(label)?.[1] ?? label;
  return `${timezone} (${short(start)} → ${short(end)})`;
}

function AppointmentItem({ a, timezone, compact }: { a: CalendarAppointment; timezone: string; compact: boolean }) {
  const { t, i18n } = useTranslation("doctor");
  const language = i18n.language;
  return (
    <li className={compact ? undefined : "card"} style={compact ? { marginBottom: "var(--space-2)" } : undefined} data-testid="calendar-appointment">
      <div>
        <time dateTime={a.startsAt}>{formatTime(a.startsAt, timezone, language)}</time>
        {compact ? null : (
          <>
            {"–"}
            <time dateTime={a.endsAt}>{formatTime(a.endsAt, timezone, language)}</time>
          </>
        )}{" "}
        <Link to={`/doctor/patients/${a.patient.id}`} aria-label={t("calendar.openCard", { name: a.patient.name })}>
          {a.patient.name}
        </Link>
      </div>
      <div className="row small">
        <StatusBadge status={a.status} />
        <span className="muted">{a.service?.name ?? t("calendar.noService")}</span>
      </div>
      {!compact && a.reason ? <div className="small muted">{a.reason}</div> : null}
    </li>
  );
}

export interface CalendarDaysProps {
  view: CalendarView;
  days: readonly string[];
  timezone: string;
  appointments: readonly CalendarAppointment[];
}

/**
 * The appointments of each day of the view, a heading and a list per day (the zone's days): one day as cards, a week as
 * seven columns, a month as a Monday-first grid (columns and grid stack on a phone).
 */
export function CalendarDays({ view, days, timezone, appointments }: CalendarDaysProps) {
  const { t, i18n } = useTranslation("doctor");
  const language = i18n.language;
  const byDay = appointmentsByDay(days, timezone, appointments);
  const blanks = view === "month" ? leadingBlanks(days[0]!) : 0;
  return (
    <div className={view === "day" ? undefined : "week"}>
      {Array.from({ length: blanks }, (_, i) => (
        <div key={`blank-${i}`} aria-hidden="true" />
      ))}
      {[...byDay.entries()].map(([day, list]) => (
        <section className={view === "day" ? undefined : "day"} key={day} aria-labelledby={`cal-${day}`} data-testid={`calendar-day-${day}`}>
          <h3 id={`cal-${day}`} style={view === "day" ? { fontSize: "1.05rem" } : undefined}>
            {formatDay(day, language, view === "day" ? "long" : "short")}
            {list.length ? <span className="visually-hidden">{` — ${t("calendar.count", { count: list.length })}`}</span> : null}
          </h3>
          {list.length === 0 ? (
            <p className="small muted">{t("calendar.free")}</p>
          ) : (
            <ul className="plain">
              {list.map((a) => (
                <AppointmentItem key={a.id} a={a} timezone={timezone} compact={view !== "day"} />
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}

/**
 * The doctor's appointments by day, week or month in the doctor's time zone (named above the days), with previous,
 * next and today. The view and day are in the address (?view=week&day=2026-03-30), so back and forward work. New
 * requests and changes arrive live through the doctor's appointment feed.
 */
export function Calendar() {
  const { t, i18n } = useTranslation("doctor");
  const language = i18n.language;
  const [params, setParams] = useSearchParams();
  const me = useQuery(MyDoctorDocument);
  const doctor = me.data?.myDoctor;
  const timezone = doctor?.timezone ?? "UTC";
  const viewParam = params.get("view");
  const view: CalendarView = isView(viewParam) ? viewParam : "week";
  const dayParam = params.get("day");
  const anchor = isDay(dayParam) ? dayParam : today(timezone);
  const range = viewRange(view, anchor, timezone);
  const calendar = useQuery(DoctorCalendarDocument, {
    skip: !doctor,
    variables: { from: range.from, to: range.to },
    fetchPolicy: "cache-and-network",
  });
  const feed = useSubscription(DoctorRequestsDocument, {
    skip: !doctor,
    variables: { doctorId: doctor?.id ?? "", since: null },
    onData: () => void calendar.refetch(),
  });
  useOnLiveConnected(() => void calendar.refetch());

  const go = (next: { view?: CalendarView; day?: string }) => setParams({ view: next.view ?? view, day: next.day ?? anchor });
  const appointments = calendar.data?.calendar ?? calendar.previousData?.calendar ?? [];

  return (
    <Page title={t("calendar.title")} actions={<LiveIndicator />}>
      <div className="row" style={{ justifyContent: "space-between" }}>
        <div className="row" role="group" aria-label={t("calendar.viewLabel")}>
          {VIEWS.map((v) => (
            <button key={v} type="button" className={v === view ? undefined : "secondary"} aria-pressed={v === view} onClick={() => go({ view: v })}>
              {t(`calendar.view.${v}`)}
            </button>
          ))}
        </div>
        <div className="row">
          <button type="button" className="secondary" onClick={() => go({ day: shiftAnchor(view, anchor, -1) })}>
            {t(`calendar.previous.${view}`)}
          </button>
          <button type="button" className="secondary" onClick={() => go({ day: today(timezone) })}>
            {t("calendar.today")}
          </button>
          <button type="button" className="secondary" onClick={() => go({ day: shiftAnchor(view, anchor, 1) })}>
            {t(`calendar.next.${view}`)}
          </button>
        </div>
      </div>
      {me.loading || (calendar.loading && !calendar.data && !calendar.previousData) ? <Loading /> : null}
      <ErrorMessage error={me.error ?? calendar.error ?? feed.error} onRetry={() => void (me.error ? me.refetch() : calendar.refetch())} />
      {doctor ? (
        <section aria-labelledby="period-heading" aria-busy={calendar.loading}>
          <h2 id="period-heading" aria-live="polite">
            {periodLabel(view, range.days, language)}
          </h2>
          <p className="small" data-testid="calendar-zone">
            {t("calendar.zone", { zone: rangeZoneLabel(timezone, range.from, range.to, language) })}
          </p>
          {calendar.data && appointments.length === 0 ? <p className="muted">{t("calendar.empty")}</p> : null}
          <CalendarDays view={view} days={range.days} timezone={timezone} appointments={appointments} />
        </section>
      ) : null}
    </Page>
  );
}
