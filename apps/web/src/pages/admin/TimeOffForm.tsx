/** Adding time off: local dates and times of the doctor's zone (named on the form), sent as instants. */
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { formatDateTime, today, zoneLabel } from "../../lib/time";
import { timeOffRange, type TimeOffProblem } from "./timeOff";

export interface TimeOffFormProps {
  timezone: string;
  /** Adds the period; resolves true when it was added. */
  onAdd(period: { from: string; to: string; reason: string | null }): Promise<boolean>;
  adding?: boolean;
}

export function TimeOffForm({ timezone, onAdd, adding }: TimeOffFormProps) {
  const { t, i18n } = useTranslation("admin");
  const id = useId();
  const day = today(timezone);
  const empty = { fromDate: day, fromTime: "00:00", toDate: day, toTime: "23:59", reason: "" };
  const [form, setForm] = useState(empty);
  const [problem, setProblem] = useState<TimeOffProblem | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [field]: e.target.value }));
    setProblem(null);
    setAdded(null);
  };
  const range = timeOffRange(form, timezone);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if ("problem" in range) {
      setProblem(range.problem);
      return;
    }
    if (await onAdd({ ...range, reason: form.reason.trim() || null })) {
      setAdded(`${formatDateTime(range.from, timezone, i18n.language)} – ${formatDateTime(range.to, timezone, i18n.language)}`);
      setForm(empty);
    }
  }

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`} noValidate>
      <h3 id={`${id}-title`} style={{ marginTop: 0 }}>
        {t("timeOff.add")}
      </h3>
      <p className="small">{t("timeOff.zone", { zone: zoneLabel(timezone, new Date(), i18n.language) })}</p>
      <div className="form-inline">
        <div className="field">
          <label htmlFor={`${id}-from-date`}>{t("timeOff.fromDate")}</label>
          <input id={`${id}-from-date`} type="date" required value={form.fromDate} onChange={set("fromDate")} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-from-time`}>{t("timeOff.fromTime")}</label>
          <input id={`${id}-from-time`} type="time" required value={form.fromTime} onChange={set("fromTime")} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to-date`}>{t("timeOff.toDate")}</label>
          <input id={`${id}-to-date`} type="date" required value={form.toDate} onChange={set("toDate")} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to-time`}>{t("timeOff.toTime")}</label>
          <input id={`${id}-to-time`} type="time" required value={form.toTime} onChange={set("toTime")} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-reason`}>{t("timeOff.reason")}</label>
          <input id={`${id}-reason`} value={form.reason} onChange={set("reason")} maxLength={500} />
        </div>
      </div>
      {"from" in range ? (
        <p className="small muted" data-testid="time-off-preview">
          {t("timeOff.preview", {
            from: formatDateTime(range.from, timezone, i18n.language),
            to: formatDateTime(range.to, timezone, i18n.language),
          })}
        </p>
      ) : null}
      <div role="status" aria-live="polite">
        {problem ? <p className="alert">{t(`timeOff.problem.${problem}`)}</p> : null}
        {added ? <p className="alert success">{t("timeOff.added", { period: added })}</p> : null}
      </div>
      <button type="submit" disabled={adding}>
        {t("timeOff.submit")}
      </button>
    </form>
  );
}
