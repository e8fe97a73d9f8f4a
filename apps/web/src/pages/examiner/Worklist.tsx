import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage } from "../../components/ErrorMessage";
import { QueryState } from "../../components/QueryState";
import { formatDateTime, locale } from "../../lib/time";
import {
  ExaminationWorklistDocument,
  ExaminerCancelExaminationDocument,
  PerformExaminationDocument,
  type WorklistItemFieldsFragment,
} from "../../generated/operations";
import { worklistChange } from "./worklistModel";

/** How often the worklist is read again: examiners have no live feed. */
export const POLL_MS = 5000;
const FIRST = 200;

type Mode = { id: string; action: "perform" | "cancel" } | null;

/** Ctrl/Cmd+Enter in a textarea submits its form (Enter alone is a new line of the result). */
function submitOnCtrlEnter(e: KeyboardEvent<HTMLTextAreaElement>) {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    e.currentTarget.form?.requestSubmit();
  }
}

function WorklistItem({
  x,
  mode,
  onMode,
  onPerform,
  onCancel,
  busy,
}: {
  x: WorklistItemFieldsFragment;
  mode: Mode;
  onMode(mode: Mode): void;
  onPerform(result: string): Promise<boolean>;
  onCancel(reason: string): Promise<boolean>;
  busy: boolean;
}) {
  const { t, i18n } = useTranslation("examiner");
  const language = i18n.language;
  const [text, setText] = useState("");
  const timezone = x.encounter.doctor.timezone;
  const canPerform = x.allowedTransitions.includes("PERFORM");
  const canCancel = x.allowedTransitions.includes("CANCEL");
  const open = mode?.id === x.id ? mode.action : null;
  const toggle = (action: "perform" | "cancel") => {
    setText("");
    onMode(open === action ? null : { id: x.id, action });
  };
  return (
    <li className="card" data-testid="worklist-item">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <div id={`item-${x.id}`}>
          <strong>{x.service.name}</strong> <span className="small muted">{t(`kind.${x.service.kind}`, { defaultValue: x.service.kind })}</span>
          <div>
            {x.patient.name}
            {x.patient.dateOfBirth ? (
              <span className="small muted">
                {" · "}
                {t("born", {
                  date: new Intl.DateTimeFormat(locale(language), { dateStyle: "medium", timeZone: "UTC" }).format(
                    new Date(x.patient.dateOfBirth.slice(0, 10)),
                  ),
                })}
              </span>
            ) : null}
          </div>
          <div className="small muted">{t("ordered", { at: formatDateTime(x.orderedAt, timezone, language), doctor: x.encounter.doctor.name })}</div>
        </div>
        <div className="row">
          {canPerform ? (
            <button type="button" aria-expanded={open === "perform"} aria-describedby={`item-${x.id}`} onClick={() => toggle("perform")}>
              {t("perform", { service: x.service.name, name: x.patient.name })}
            </button>
          ) : null}
          {canCancel ? (
            <button type="button" className="secondary" aria-expanded={open === "cancel"} aria-describedby={`item-${x.id}`} onClick={() => toggle("cancel")}>
              {t("cancel")}
            </button>
          ) : null}
        </div>
      </div>
      {open === "perform" ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) void onPerform(text.trim());
          }}
        >
          <div className="field">
            <label htmlFor={`result-${x.id}`}>{t("result", { service: x.service.name })}</label>
            <textarea
              id={`result-${x.id}`}
              value={text}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={submitOnCtrlEnter}
              required
              autoFocus
              aria-describedby={`result-hint-${x.id}`}
            />
            <div className="hint" id={`result-hint-${x.id}`}>
              {t("resultHint")}
            </div>
          </div>
          <button type="submit" disabled={busy || !text.trim()}>
            {t("confirmPerform")}
          </button>
        </form>
      ) : null}
      {open === "cancel" ? (
        <form
          className="form-inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (text.trim()) void onCancel(text.trim());
          }}
        >
          <div className="field">
            <label htmlFor={`reason-${x.id}`}>{t("reason")}</label>
            <input id={`reason-${x.id}`} value={text} onChange={(e) => setText(e.target.value)} required autoFocus />
          </div>
          <button type="submit" className="danger" disabled={busy || !text.trim()}>
            {t("confirmCancel")}
          </button>
        </form>
      ) : null}
    </li>
  );
}

/**
 * The examiners' worklist: ORDERED examinations, oldest first, read again every few seconds (and on demand). Record a
 * result or cancel with a reason; the examination then leaves the list. Changes made by others are announced politely.
 */
export function Worklist() {
  const { t } = useTranslation("examiner");
  const list = useQuery(ExaminationWorklistDocument, { variables: { first: FIRST }, pollInterval: POLL_MS, fetchPolicy: "cache-and-network" });
  const [perform] = useMutation(PerformExaminationDocument);
  const [cancel] = useMutation(ExaminerCancelExaminationDocument);
  const [mode, setMode] = useState<Mode>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [announcement, setAnnouncement] = useState("");
  const handled = useRef(new Set<string>());
  const previous = useRef<string[] | null>(null);

  const rows = list.data?.examinationWorklist;
  const items = (rows ?? []).filter((x) => x.status === "ORDERED");
  const ids = items.map((x) => x.id).join(",");

  // Announce what others changed: new orders, examinations taken by someone else (not on the first read).
  useEffect(() => {
    if (!list.data) return;
    const next = ids ? ids.split(",") : [];
    if (previous.current) {
      const change = worklistChange(previous.current, next, handled.current);
      const parts = [
        change.added.length ? t("announce.added", { count: change.added.length }) : "",
        change.removed.length ? t("announce.removed", { count: change.removed.length }) : "",
      ].filter(Boolean);
      if (parts.length) setAnnouncement(parts.join(" "));
    }
    previous.current = next;
  }, [ids, list.data, t]);

  async function act(x: WorklistItemFieldsFragment, action: () => Promise<unknown>, done: string): Promise<boolean> {
    setBusy(true);
    setActionError(null);
    try {
      handled.current.add(x.id);
      await action();
      setMode(null);
      setAnnouncement(done);
      return true;
    } catch (err) {
      handled.current.delete(x.id);
      setActionError(err);
      return false;
    } finally {
      setBusy(false);
      void list.refetch();
    }
  }

  return (
    <Page
      title={t("title")}
      actions={
        <div className="row">
          <button type="button" className="secondary" onClick={() => void list.refetch()} disabled={list.loading && !list.data}>
            {t("refresh")}
          </button>
        </div>
      }
    >
      <p className="small muted">{t("intro", { seconds: POLL_MS / 1000 })}</p>
      <p role="status" aria-live="polite" className="small">
        {announcement}
      </p>
      <QueryState result={list} />
      {list.data && rows === null ? <ErrorMessage error={new Error(t("unavailable"))} onRetry={() => void list.refetch()} /> : null}
      <ErrorMessage error={actionError} />
      <section aria-label={t("listLabel")}>
        {list.data && rows && items.length === 0 ? <p className="muted">{t("empty")}</p> : null}
        {items.length ? <p className="small">{t("count", { count: items.length })}</p> : null}
        <ul className="plain">
          {items.map((x) => (
            <WorklistItem
              key={x.id}
              x={x}
              mode={mode}
              onMode={setMode}
              busy={busy}
              onPerform={(result) =>
                act(x, () => perform({ variables: { id: x.id, result } }), t("announce.performed", { service: x.service.name, name: x.patient.name }))
              }
              onCancel={(reason) =>
                act(x, () => cancel({ variables: { id: x.id, reason } }), t("announce.cancelled", { service: x.service.name, name: x.patient.name }))
              }
            />
          ))}
        </ul>
      </section>
    </Page>
  );
}
