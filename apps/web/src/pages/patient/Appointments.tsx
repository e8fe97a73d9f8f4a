import { useEffect, useRef } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useQuery, useSubscription } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage, Loading } from "../../components/ErrorMessage";
import { QueryState } from "../../components/QueryState";
import { StatusBadge } from "../../components/StatusBadge";
import { LiveIndicator, useOnLiveConnected } from "../../components/Live";
import { formatDateTime } from "../../lib/time";
import {
  MyAppointmentUpdatesDocument,
  MyAppointmentsDocument,
  MyWaitlistDocument,
  type MyAppointmentFieldsFragment,
  type WaitlistEntryFieldsFragment,
} from "../../generated/operations";
import { AppointmentActions } from "./AppointmentActions";

const PAGE = 100;
/** Statuses of a visit still ahead (or under way). */
const ACTIVE = new Set(["PENDING", "BOOKED", "CHECKED_IN"]);

/**
 * Upcoming (soonest first) and past (newest first) appointments. Upcoming: still pending, booked, or checked in and
 * not over yet (a checked-in visit stays while it lasts).
 */
export function splitAppointments<T extends { status: string; startsAt: string; endsAt: string }>(all: readonly T[], now: Date = new Date()) {
  const upcoming: T[] = [];
  const past: T[] = [];
  for (const a of all) {
    const ahead = ACTIVE.has(a.status) && (a.status === "CHECKED_IN" || new Date(a.endsAt).getTime() > now.getTime());
    (ahead ? upcoming : past).push(a);
  }
  upcoming.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  past.sort((a, b) => b.startsAt.localeCompare(a.startsAt));
  return { upcoming, past };
}

/**
 * My appointments, live: the patient's feed changes statuses in place (Apollo's cache), and an appointment the list
 * does not hold yet (booked in another tab, offered from the waitlist) reloads it. Below: the waitlist.
 */
export function Appointments() {
  const { t } = useTranslation("patient");
  const list = useQuery(MyAppointmentsDocument, { variables: { first: PAGE }, fetchPolicy: "cache-and-network", notifyOnNetworkStatusChange: false });
  const waitlist = useQuery(MyWaitlistDocument, { fetchPolicy: "cache-and-network" });
  const all = list.data?.myAppointments.edges.map((e) => e.node) ?? [];
  const known = new Set(all.map((a) => a.id));

  // myAppointments pages oldest first; the upcoming ones are at the end, so every page is read.
  const asked = useRef<string | null>(null);
  const pageInfo = list.data?.myAppointments.pageInfo;
  useEffect(() => {
    if (!pageInfo?.hasNextPage || !pageInfo.endCursor || asked.current === pageInfo.endCursor) return;
    asked.current = pageInfo.endCursor;
    void list
      .fetchMore({
        variables: { after: pageInfo.endCursor },
        updateQuery: (previous, { fetchMoreResult }) => ({
          myAppointments: {
            ...fetchMoreResult.myAppointments,
            edges: [...(previous.myAppointments?.edges ?? []), ...fetchMoreResult.myAppointments.edges],
          },
        }),
      })
      .catch(() => undefined);
  }, [pageInfo, list.fetchMore]);

  const reload = () => {
    asked.current = null;
    void list.refetch();
    void waitlist.refetch();
  };
  useSubscription(MyAppointmentUpdatesDocument, {
    variables: { since: null },
    onData: ({ data }) => {
      const appointment = data.data?.myAppointmentUpdates.appointment;
      if (appointment && !known.has(appointment.id)) reload();
    },
  });
  useOnLiveConnected(reload);

  const { upcoming, past } = splitAppointments(all);

  return (
    <Page title={t("appointments.title")} actions={<LiveIndicator />}>
      {list.loading && !list.data ? <Loading /> : null}
      <ErrorMessage error={list.error} onRetry={reload} />
      {list.data ? (
        <div aria-live="polite">
          <section aria-labelledby="upcoming-heading">
            <h2 id="upcoming-heading">{t("appointments.upcoming")}</h2>
            {upcoming.length === 0 ? (
              <p className="muted">
                {t("appointments.noUpcoming")} <Link to="/patient">{t("appointments.findDoctor")}</Link>
              </p>
            ) : (
              <AppointmentList appointments={upcoming} />
            )}
          </section>
          <section aria-labelledby="past-heading">
            <h2 id="past-heading">{t("appointments.past")}</h2>
            {past.length === 0 ? <p className="muted">{t("appointments.noPast")}</p> : <AppointmentList appointments={past} />}
          </section>
        </div>
      ) : null}
      <section aria-labelledby="waitlist-heading">
        <h2 id="waitlist-heading">{t("waitlist.title")}</h2>
        <p className="small muted">{t("waitlist.hint")}</p>
        <QueryState result={waitlist} />
        {waitlist.data ? <Waitlist entries={waitlist.data.myWaitlist} /> : null}
      </section>
    </Page>
  );
}

function AppointmentList({ appointments }: { appointments: readonly MyAppointmentFieldsFragment[] }) {
  const { t, i18n } = useTranslation("patient");
  return (
    <ul className="plain">
      {appointments.map((a) => (
        <li key={a.id} className="card stack">
          <div className="row" style={{ justifyContent: "space-between" }}>
            <Link to={`/patient/appointments/${a.id}`}>
              <strong>{formatDateTime(a.startsAt, a.doctor.timezone, i18n.language)}</strong>
            </Link>
            <StatusBadge status={a.status} />
          </div>
          <div>
            {a.doctor.name} · {a.doctor.specialty.name}
            {a.service ? ` · ${a.service.name}` : ""}
          </div>
          <div className="small muted">
            {a.doctor.location ?? "—"} · <Link to={`/patient/doctors/${a.doctor.id}`}>{t("appointments.bookAgain")}</Link>
          </div>
          <AppointmentActions appointment={a} feedback={a.feedback} />
        </li>
      ))}
    </ul>
  );
}

function Waitlist({ entries }: { entries: readonly WaitlistEntryFieldsFragment[] }) {
  const { t, i18n } = useTranslation("patient");
  if (entries.length === 0) return <p className="muted">{t("waitlist.empty")}</p>;
  const sorted = [...entries].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <ul className="plain" aria-live="polite">
      {sorted.map((entry) => {
        const zone = entry.doctor?.timezone ?? "UTC";
        return (
          <li key={entry.id} className="card">
            <div className="row" style={{ justifyContent: "space-between" }}>
              <strong>
                {entry.doctor ? `${entry.doctor.name} · ${entry.doctor.specialty.name}` : ""}
                {entry.doctor && entry.service ? " · " : ""}
                {entry.service?.name ?? ""}
              </strong>
              <span className="status">{t(`waitlist.status.${entry.status}`, { defaultValue: entry.status })}</span>
            </div>
            <div className="small">
              {t("waitlist.between", { from: formatDateTime(entry.from, zone, i18n.language), to: formatDateTime(entry.to, zone, i18n.language) })}
            </div>
            {entry.offeredAppointment ? (
              <div className="small">
                {t("waitlist.offered")}{" "}
                <Link to={`/patient/appointments/${entry.offeredAppointment.id}`}>
                  {formatDateTime(entry.offeredAppointment.startsAt, zone, i18n.language)}
                </Link>{" "}
                <StatusBadge status={entry.offeredAppointment.status} />
              </div>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
