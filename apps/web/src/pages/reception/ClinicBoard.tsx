/**
 * The clinic board: every patient of the clinic's day, where they stand (waiting, with the doctor, at examination…)
 * and for how long, live. Reception confirms the outcome of finished or refused visits here. Stakeholders (who may
 * read the board but not who the patients are, nor confirm) see the same board without names; the stakeholder area
 * mounts this component as it is.
 */
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery, useSubscription } from "@apollo/client/react";
import type { ApolloCache } from "@apollo/client";
import { Page } from "../../components/Page";
import { ErrorMessage } from "../../components/ErrorMessage";
import { QueryState } from "../../components/QueryState";
import { SuccessNotice } from "../../components/SuccessNotice";
import { LiveIndicator, useOnLiveConnected } from "../../components/Live";
import { useSession } from "../../auth";
import { formatDay, formatTime, zoneLabel } from "../../lib/time";
import {
  ClinicBoardAnonymousDocument,
  ClinicBoardAnonymousUpdatesDocument,
  ClinicBoardDocument,
  ClinicBoardUpdatesDocument,
  ConfirmVisitOutcomeDocument,
  type BoardEntryAnonymousFieldsFragment,
  type BoardState,
} from "../../generated/operations";
import { displayedMinutes, msUntilNextMinute, splitMinutes, type StateClock } from "./boardTime";

/** An entry as the board shows it (the patient's name only for those who may read it). */
export type BoardEntry = BoardEntryAnonymousFieldsFragment & { patient: { id: string; name?: string } };

/** States whose outcome reception has to confirm. */
export const AWAITING_CONFIRMATION: readonly BoardState[] = ["FINISHED", "REFUSED"];

const STATE_ORDER: readonly BoardState[] = ["FINISHED", "REFUSED", "WAITING", "WITH_DOCTOR", "AT_EXAMINATION", "AWAITING_REVIEW", "CONFIRMED"];

/**
 * When the browser first saw each version of an entry (by its content: the cache may hand the same entry back as a
 * new object). Module-wide, so a board opened again counts on from the first reading rather than restarting.
 */
const firstSeen = new Map<string, number>();
export function readAtOf(entry: { encounterId: string } & StateClock, now = Date.now()): number {
  const key = `${entry.encounterId}|${entry.since}|${entry.minutesInState}`;
  let at = firstSeen.get(key);
  if (at === undefined) {
    at = now;
    firstSeen.set(key, at);
  }
  return at;
}

/** The list with `entry` in it (replacing an older version of the same encounter: the newer `since` wins). */
export function upsertEntry<T extends { encounterId: string; since: string }>(list: readonly T[], entry: T): T[] {
  const index = list.findIndex((e) => e.encounterId === entry.encounterId);
  if (index < 0) return [...list, entry];
  const current = list[index]!;
  if (new Date(entry.since).getTime() < new Date(current.since).getTime()) return [...list];
  return list.map((e, i) => (i === index ? entry : e));
}

/** Awaiting confirmation first (reception's to-do), then the day's patients by arrival, closed visits last. */
export function sortBoard<T extends { state: BoardState; arrivedAt: string }>(list: readonly T[]): T[] {
  const rank = (s: BoardState) => (s === "CONFIRMED" ? 2 : AWAITING_CONFIRMATION.includes(s) ? 0 : 1);
  return [...list].sort((a, b) => rank(a.state) - rank(b.state) || a.arrivedAt.localeCompare(b.arrivedAt));
}

/** "7 min", "1 h 05 min": whole minutes in the current state, counting on by itself every minute. */
export function MinutesInState({ entry }: { entry: { encounterId: string } & StateClock }) {
  const { t } = useTranslation("reception");
  const readAt = readAtOf(entry);
  const [now, setNow] = useState(() => Date.now());
  const shown = displayedMinutes(entry, readAt, now);
  useEffect(() => {
    const timer = setTimeout(() => setNow(Date.now()), msUntilNextMinute(entry, readAt, now));
    return () => clearTimeout(timer);
  }, [entry, readAt, now]);
  const { hours, minutes } = splitMinutes(shown);
  return <>{hours ? t("board.hoursMinutes", { hours, minutes: String(minutes).padStart(2, "0") }) : t("board.minutes", { minutes })}</>;
}

function mergeInto(cache: ApolloCache, named: boolean, entry: BoardEntry) {
  if (named) {
    cache.updateQuery({ query: ClinicBoardDocument }, (data) =>
      data?.clinicBoard ? { clinicBoard: upsertEntry(data.clinicBoard, entry as (typeof data.clinicBoard)[number]) } : data,
    );
  } else {
    cache.updateQuery({ query: ClinicBoardAnonymousDocument }, (data) => (data?.clinicBoard ? { clinicBoard: upsertEntry(data.clinicBoard, entry) } : data));
  }
}

/** The board of today, live. `title` defaults to the board's own. */
export function ClinicBoard({ title }: { title?: string } = {}) {
  const { t, i18n } = useTranslation(["reception", "common"]);
  const role = useSession()?.user.role;
  const named = role !== "STAKEHOLDER";
  const canConfirm = role === "RECEPTIONIST";

  const withNames = useQuery(ClinicBoardDocument, { skip: !named, fetchPolicy: "cache-and-network" });
  const anonymous = useQuery(ClinicBoardAnonymousDocument, { skip: named, fetchPolicy: "cache-and-network" });
  const board = named ? withNames : anonymous;
  const namedFeed = useSubscription(ClinicBoardUpdatesDocument, {
    skip: !named,
    variables: { since: null },
    onData: ({ client, data }) => {
      const entry = data.data?.clinicBoardUpdates.entry;
      if (entry) mergeInto(client.cache, true, entry);
    },
  });
  const anonymousFeed = useSubscription(ClinicBoardAnonymousUpdatesDocument, {
    skip: named,
    variables: { since: null },
    onData: ({ client, data }) => {
      const entry = data.data?.clinicBoardUpdates.entry;
      if (entry) mergeInto(client.cache, false, entry);
    },
  });
  const feed = named ? namedFeed : anonymousFeed;
  useOnLiveConnected(() => void board.refetch());

  const [confirm, confirming] = useMutation(ConfirmVisitOutcomeDocument);
  const [confirmed, setConfirmed] = useState<string | null>(null);
  const [stateFilter, setStateFilter] = useState<"" | "OPEN" | BoardState>("");

  const data = board.data?.clinicBoard as BoardEntry[] | null | undefined;
  const entries = useMemo(() => {
    const all = sortBoard(data ?? []);
    if (stateFilter === "OPEN") return all.filter((e) => e.state !== "CONFIRMED");
    return stateFilter ? all.filter((e) => e.state === stateFilter) : all;
  }, [data, stateFilter]);
  const zones = [...new Set((data ?? []).map((e) => e.doctor.timezone))];
  const awaiting = (data ?? []).filter((e) => AWAITING_CONFIRMATION.includes(e.state)).length;

  async function confirmOutcome(entry: BoardEntry) {
    setConfirmed(null);
    const result = await confirm({
      variables: { encounterId: entry.encounterId },
      update: (cache, { data: answer }) => {
        const at = answer?.confirmVisitOutcome.outcomeConfirmedAt;
        if (at) mergeInto(cache, named, { ...entry, state: "CONFIRMED", since: at, minutesInState: 0 });
      },
    }).catch(() => null);
    if (result?.data) setConfirmed(entry.patient.name ?? entry.encounterId);
  }

  // Without names (stakeholders), a patient is their place in the day's arrivals.
  const arrival = useMemo(
    () => new Map([...(data ?? [])].sort((a, b) => a.arrivedAt.localeCompare(b.arrivedAt)).map((e, i) => [e.encounterId, i + 1])),
    [data],
  );
  const patientLabel = (entry: BoardEntry) => entry.patient.name ?? t("board.anonymousPatient", { n: arrival.get(entry.encounterId) ?? "?" });

  return (
    <Page title={title ?? t("board.title")} actions={<LiveIndicator />}>
      <QueryState result={board} />
      <ErrorMessage error={feed.error} />
      <ErrorMessage error={confirming.error} />
      {board.data && data === null ? (
        <p role="alert" className="alert">
          {t("board.unavailable")}
        </p>
      ) : null}
      {data?.[0] ? (
        <p className="small">
          {formatDay(data[0].day, i18n.language, "long")} · {t("board.zone", { zone: zones.map((z) => zoneLabel(z, new Date(), i18n.language)).join(", ") })}
        </p>
      ) : null}
      <div className="form-inline" style={{ marginBottom: "var(--space-3)" }}>
        <div className="field">
          <label htmlFor="board-filter">{t("board.show")}</label>
          <select id="board-filter" value={stateFilter} onChange={(e) => setStateFilter(e.target.value as typeof stateFilter)}>
            <option value="">{t("board.all")}</option>
            <option value="OPEN">{t("board.open")}</option>
            {STATE_ORDER.map((s) => (
              <option key={s} value={s}>
                {t(`board.state.${s}`)}
              </option>
            ))}
          </select>
        </div>
        {canConfirm ? (
          <p className="small" style={{ margin: 0 }}>
            {t("board.awaiting", { count: awaiting })}
          </p>
        ) : null}
      </div>
      <SuccessNotice>{confirmed ? t("board.confirmed", { name: confirmed }) : null}</SuccessNotice>
      <section aria-live="polite" aria-label={t("board.title")}>
        {data && entries.length === 0 ? <p className="muted">{t("board.empty")}</p> : null}
        {entries.length ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("board.patient")}</th>
                  <th scope="col">{t("board.doctor")}</th>
                  <th scope="col">{t("board.stateLabel")}</th>
                  <th scope="col">{t("board.inState")}</th>
                  <th scope="col">{t("board.arrived")}</th>
                  <th scope="col">{t("board.exams")}</th>
                  {canConfirm ? <th scope="col">{t("board.action")}</th> : null}
                </tr>
              </thead>
              <tbody>
                {entries.map((entry) => (
                  <tr key={entry.encounterId} data-testid="board-entry">
                    <td>
                      {patientLabel(entry)}
                      {entry.appointmentId ? null : <div className="small muted">{t("board.walkIn")}</div>}
                    </td>
                    <td>{entry.doctor.name}</td>
                    <td>
                      <span className={`status board-${entry.state}`}>{t(`board.state.${entry.state}`)}</span>
                    </td>
                    <td>
                      <MinutesInState entry={entry} />
                    </td>
                    <td>{formatTime(entry.arrivedAt, entry.doctor.timezone, i18n.language)}</td>
                    <td className="small">
                      {entry.pendingExams ? <div>{t("board.pendingExams", { count: entry.pendingExams })}</div> : null}
                      {entry.unreviewedExams ? <div>{t("board.unreviewedExams", { count: entry.unreviewedExams })}</div> : null}
                      {!entry.pendingExams && !entry.unreviewedExams ? "—" : null}
                    </td>
                    {canConfirm ? (
                      <td>
                        {AWAITING_CONFIRMATION.includes(entry.state) ? (
                          <button type="button" disabled={confirming.loading} onClick={() => void confirmOutcome(entry)}>
                            {t("board.confirm", { name: patientLabel(entry) })}
                          </button>
                        ) : null}
                      </td>
                    ) : null}
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
