import { useId, useState, type FormEvent, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { useMutation, useQuery } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage } from "../../components/ErrorMessage";
import { QueryState } from "../../components/QueryState";
import { LANGUAGES, setLanguage } from "../../i18n";
import { browserZone, formatDateTime } from "../../lib/time";
import {
  MyNotificationPreferencesDocument,
  MyNotificationsDocument,
  UpdateNotificationPreferencesDocument,
  type MyNotificationPreferencesQuery,
  type NotificationChannel,
} from "../../generated/operations";

/** The API's limits on reminder offsets: at most 5, each from 5 minutes to 14 days. */
export const MAX_OFFSETS = 5;
export const MIN_OFFSET_MINUTES = 5;
export const MAX_OFFSET_MINUTES = 14 * 24 * 60;
const UNITS = { minutes: 1, hours: 60, days: 1440 } as const;
type Unit = keyof typeof UNITS;
const CHANNELS: NotificationChannel[] = ["EMAIL", "SMS", "PUSH"];
const LANGUAGE_NAMES: Record<string, string> = { en: "English", ko: "한국어", ru: "Русский", fr: "Français" };

/** Why an offset cannot be added (a text key of the settings namespace), or null. */
export function offsetProblem(minutes: number, existing: readonly number[]): string | null {
  if (existing.length >= MAX_OFFSETS) return "offsets.errors.tooMany";
  if (!Number.isInteger(minutes) || minutes < MIN_OFFSET_MINUTES || minutes > MAX_OFFSET_MINUTES) return "offsets.errors.range";
  if (existing.includes(minutes)) return "offsets.errors.duplicate";
  return null;
}

/** Offsets as the API keeps them: soonest last (the longest lead first). */
export const sortOffsets = (offsets: readonly number[]) => [...offsets].sort((a, b) => b - a);

/** "1 day", "2 hours", "90 minutes": the largest whole unit. */
export function formatOffset(minutes: number, t: TFunction): string {
  if (minutes % 1440 === 0) return t("offsets.days", { count: minutes / 1440, ns: "settings" });
  if (minutes % 60 === 0) return t("offsets.hours", { count: minutes / 60, ns: "settings" });
  return t("offsets.minutes", { count: minutes, ns: "settings" });
}

/**
 * The reminder offsets as a list (each with Remove) and an amount + unit to add one. Adding checks the API's limits
 * first; Enter in the amount adds (it does not submit the surrounding form).
 */
export function ReminderOffsetsEditor({ value, onChange }: { value: readonly number[]; onChange(next: number[]): void }) {
  const { t } = useTranslation("settings");
  const id = useId();
  const [amount, setAmount] = useState("");
  const [unit, setUnit] = useState<Unit>("hours");
  const [problem, setProblem] = useState<string | null>(null);
  const full = value.length >= MAX_OFFSETS;

  function add() {
    const minutes = Number(amount) * UNITS[unit];
    const wrong = amount.trim() === "" ? "offsets.errors.range" : offsetProblem(minutes, value);
    setProblem(wrong);
    if (wrong) return;
    onChange(sortOffsets([...value, minutes]));
    setAmount("");
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key !== "Enter") return;
    event.preventDefault();
    add();
  }

  return (
    <fieldset className="field" aria-describedby={`${id}-hint`}>
      <legend>{t("offsets.legend")}</legend>
      <p id={`${id}-hint`} className="small muted">
        {t("offsets.hint", { max: MAX_OFFSETS })}
      </p>
      {value.length === 0 ? (
        <p className="muted">{t("offsets.none")}</p>
      ) : (
        <ul className="plain stack" aria-label={t("offsets.list")} aria-live="polite">
          {sortOffsets(value).map((minutes) => (
            <li key={minutes} className="row">
              <span>{t("offsets.before", { offset: formatOffset(minutes, t) })}</span>
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  onChange(value.filter((m) => m !== minutes));
                  setProblem(null);
                }}
              >
                {t("offsets.remove")}
                <span className="visually-hidden"> {formatOffset(minutes, t)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="form-inline" style={{ marginTop: "var(--space-3)" }}>
        <div className="field">
          <label htmlFor={`${id}-amount`}>{t("offsets.amount")}</label>
          <input
            id={`${id}-amount`}
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            value={amount}
            disabled={full}
            onChange={(e) => setAmount(e.target.value)}
            onKeyDown={onKeyDown}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${id}-problem` : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-unit`}>{t("offsets.unit")}</label>
          <select id={`${id}-unit`} value={unit} disabled={full} onChange={(e) => setUnit(e.target.value as Unit)}>
            {(Object.keys(UNITS) as Unit[]).map((u) => (
              <option key={u} value={u}>
                {t(`offsets.units.${u}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="secondary" onClick={add} disabled={full}>
          {t("offsets.add")}
        </button>
      </div>
      {full ? <p className="small">{t("offsets.full", { max: MAX_OFFSETS })}</p> : null}
      {problem ? (
        <p id={`${id}-problem`} className="alert" role="alert">
          {t(problem, { max: MAX_OFFSETS })}
        </p>
      ) : null}
    </fieldset>
  );
}

type Preferences = MyNotificationPreferencesQuery["myNotificationPreferences"];

/** The preferences form: language (also the app's), channels, reminder offsets. BAD_USER_INPUT shows the API's message. */
function PreferencesForm({ initial }: { initial: Preferences }) {
  const { t } = useTranslation(["settings", "common"]);
  const [language, setLang] = useState(initial.language);
  const [channels, setChannels] = useState<NotificationChannel[]>([...initial.channels]);
  const [offsets, setOffsets] = useState<number[]>(sortOffsets(initial.reminderOffsetsMinutes));
  const [saved, setSaved] = useState(false);
  const [update, updating] = useMutation(UpdateNotificationPreferencesDocument, {
    update: (cache, { data }) => {
      if (data) cache.writeQuery({ query: MyNotificationPreferencesDocument, data: { myNotificationPreferences: data.updateNotificationPreferences } });
    },
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const input = { language, channels: CHANNELS.filter((c) => channels.includes(c)), reminderOffsetsMinutes: sortOffsets(offsets) };
    const { data } = await update({ variables: { input } }).catch(() => ({ data: undefined }));
    if (!data) return;
    setLanguage(data.updateNotificationPreferences.language);
    setSaved(true);
  }

  const toggle = (channel: NotificationChannel, on: boolean) => {
    setSaved(false);
    setChannels((now) => (on ? [...now.filter((c) => c !== channel), channel] : now.filter((c) => c !== channel)));
  };

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="preferences-heading">
      <h2 id="preferences-heading" style={{ marginTop: 0 }}>
        {t("preferences")}
      </h2>
      <div className="field">
        <label htmlFor="notification-language">{t("language")}</label>
        <select
          id="notification-language"
          value={language}
          onChange={(e) => {
            setLang(e.target.value);
            setSaved(false);
          }}
          aria-describedby="notification-language-hint"
        >
          {LANGUAGES.map((l) => (
            <option key={l} value={l} lang={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </select>
        <p id="notification-language-hint" className="hint">
          {t("languageHint")}
        </p>
      </div>
      <fieldset className="field">
        <legend>{t("channels")}</legend>
        {CHANNELS.map((channel) => (
          <div key={channel} className="row">
            <input
              type="checkbox"
              id={`channel-${channel}`}
              checked={channels.includes(channel)}
              onChange={(e) => toggle(channel, e.target.checked)}
              style={{ width: "auto", minHeight: "1.25rem" }}
            />
            <label htmlFor={`channel-${channel}`} style={{ fontWeight: 400, margin: 0 }}>
              {t(`channel.${channel}`)}
            </label>
          </div>
        ))}
        {channels.length === 0 ? <p className="small">{t("noChannel")}</p> : null}
        <p className="small muted">{t("channelsHint")}</p>
      </fieldset>
      <ReminderOffsetsEditor
        value={offsets}
        onChange={(next) => {
          setOffsets(next);
          setSaved(false);
        }}
      />
      <ErrorMessage error={updating.error} />
      {saved ? (
        <p className="alert success" role="status">
          {t("saved", { ns: "common" })}
        </p>
      ) : null}
      <button type="submit" disabled={updating.loading}>
        {t("save", { ns: "common" })}
      </button>
    </form>
  );
}

/** The signed-in user's notifications, newest first (scheduled reminders included). */
function NotificationList() {
  const { t, i18n } = useTranslation(["settings", "common"]);
  const list = useQuery(MyNotificationsDocument, { variables: { first: 20 }, fetchPolicy: "cache-and-network" });
  const zone = browserZone();
  const items = list.data?.myNotifications.edges.map((e) => e.node) ?? [];
  const pageInfo = list.data?.myNotifications.pageInfo;

  function more() {
    if (!pageInfo?.endCursor) return;
    void list
      .fetchMore({
        variables: { after: pageInfo.endCursor },
        updateQuery: (previous, { fetchMoreResult }) => ({
          myNotifications: {
            ...fetchMoreResult.myNotifications,
            edges: [...(previous.myNotifications?.edges ?? []), ...fetchMoreResult.myNotifications.edges],
          },
        }),
      })
      .catch(() => undefined);
  }

  return (
    <section aria-labelledby="notifications-heading">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id="notifications-heading">{t("notifications")}</h2>
        <button type="button" className="secondary" onClick={() => void list.refetch()}>
          {t("refresh")}
        </button>
      </div>
      <QueryState result={list} isEmpty={items.length === 0} empty={t("noNotifications")} />
      {items.length ? (
        <>
          <p className="small muted">{t("timesIn", { zone })}</p>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">{t("notifications")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("when")}</th>
                  <th scope="col">{t("subject")}</th>
                  <th scope="col">{t("channelColumn")}</th>
                  <th scope="col">{t("status")}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((n) => (
                  <tr key={n.id}>
                    <td>{formatDateTime(n.sentAt ?? n.dueAt, zone, i18n.language)}</td>
                    <td>
                      {n.subject ?? t(`kinds.${n.kind}`, { defaultValue: n.kind })}
                      {n.subject ? <div className="small muted">{t(`kinds.${n.kind}`, { defaultValue: n.kind })}</div> : null}
                    </td>
                    <td>{t(`channel.${n.channel}`)}</td>
                    <td>
                      <span className="status">{t(`delivery.${n.status}`, { defaultValue: n.status })}</span>
                      {n.status === "FAILED" && n.lastError ? <div className="small muted">{n.lastError}</div> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {pageInfo?.hasNextPage ? (
        <button type="button" className="secondary" onClick={more}>
          {t("more")}
        </button>
      ) : null}
    </section>
  );
}

/**
 * Notification settings, for every role: the language of messages (the app's language too), the channels, and when
 * reminders go out before an appointment; then the user's notifications. Web push on this browser is not offered here.
 */
export default function NotificationSettings() {
  const { t } = useTranslation("settings");
  const preferences = useQuery(MyNotificationPreferencesDocument, { fetchPolicy: "cache-and-network" });
  const current = preferences.data?.myNotificationPreferences;
  return (
    <Page title={t("title")}>
      <QueryState result={preferences} />
      {current ? <PreferencesForm initial={current} /> : null}
      <NotificationList />
    </Page>
  );
}
