/**
 * The weekly schedule as an editable table (one window per row). Problems are shown on their row, all at once, before
 * anything is sent; saving replaces all of the doctor's rules (setWeeklySchedule).
 */
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { DayOfWeek, ScheduleRuleInput } from "../../generated/operations";
import { DAYS, MAX_RULES, nextRow, rowsFromRules, slotCount, toRuleInputs, validateRows, type RowError, type RuleField, type RuleRow } from "./schedule";

export interface ScheduleEditorProps {
  /** The saved rules. */
  rules: readonly ScheduleRuleInput[];
  timezone: string;
  /** Saves the rules; resolves true when they were saved. */
  onSave(rules: ScheduleRuleInput[]): Promise<boolean>;
  saving?: boolean;
}

export function ScheduleEditor({ rules, timezone, onSave, saving }: ScheduleEditorProps) {
  const { t } = useTranslation(["admin", "common"]);
  const id = useId();
  const [rows, setRows] = useState<RuleRow[]>(() => rowsFromRules(rules));
  const [errors, setErrors] = useState<RowError[]>([]);
  const [tried, setTried] = useState(false);
  const [saved, setSaved] = useState(false);
  const [dirty, setDirty] = useState(false);

  const update = (key: string, change: Partial<RuleRow>) => {
    const next = rows.map((r) => (r.key === key ? { ...r, ...change } : r));
    setRows(next);
    setDirty(true);
    setSaved(false);
    if (tried) setErrors(validateRows(next));
  };
  const errorOf = (key: string, field: RuleField) => errors.find((e) => e.key === key && e.field === field);
  const message = (e: RowError) => t(`schedule.problem.${e.problem}`, { other: e.other ?? "", min: 5, max: 480 });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    const found = validateRows(rows);
    setErrors(found);
    if (found.length) {
      const first = found[0]!;
      document.getElementById(`${id}-${first.key}-${first.field}`)?.focus();
      return;
    }
    if (await onSave(toRuleInputs(rows))) {
      setSaved(true);
      setDirty(false);
    }
  }

  const field = (row: RuleRow, name: RuleField, label: string, props: Record<string, unknown>) => {
    const error = errorOf(row.key, name);
    const inputId = `${id}-${row.key}-${name}`;
    return (
      <>
        <label htmlFor={inputId} className="visually-hidden">
          {label}
        </label>
        <input
          id={inputId}
          value={row[name]}
          onChange={(e) => update(row.key, { [name]: e.target.value })}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${inputId}-error` : undefined}
          style={{ width: "7rem" }}
          {...props}
        />
        {error ? (
          <div id={`${inputId}-error`} className="small" style={{ color: "var(--color-danger)" }}>
            {message(error)}
          </div>
        ) : null}
      </>
    );
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`} noValidate>
      <h2 id={`${id}-title`}>{t("schedule.title")}</h2>
      <p className="small">{t("schedule.zone", { zone: timezone })}</p>
      {rows.length === 0 ? <p className="muted">{t("schedule.empty")}</p> : null}
      {rows.length ? (
        <div className="table-wrap">
          <table style={{ width: "auto" }}>
            <thead>
              <tr>
                <th scope="col">{t("schedule.day")}</th>
                <th scope="col">{t("schedule.start")}</th>
                <th scope="col">{t("schedule.end")}</th>
                <th scope="col">{t("schedule.slotMinutes")}</th>
                <th scope="col">{t("schedule.slots")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("schedule.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => {
                const n = index + 1;
                const count = slotCount(row);
                return (
                  <tr key={row.key} data-testid="schedule-row">
                    <td>
                      <label htmlFor={`${id}-${row.key}-day`} className="visually-hidden">
                        {t("schedule.dayOf", { n })}
                      </label>
                      <select
                        id={`${id}-${row.key}-day`}
                        value={row.dayOfWeek}
                        onChange={(e) => update(row.key, { dayOfWeek: e.target.value as DayOfWeek })}
                        style={{ minWidth: "8rem" }}
                      >
                        {DAYS.map((d) => (
                          <option key={d} value={d}>
                            {t(`schedule.days.${d}`)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>{field(row, "startTime", t("schedule.startOf", { n }), { placeholder: "09:00", inputMode: "numeric", autoComplete: "off" })}</td>
                    <td>{field(row, "endTime", t("schedule.endOf", { n }), { placeholder: "17:00", inputMode: "numeric", autoComplete: "off" })}</td>
                    <td>
                      {field(row, "slotMinutes", t("schedule.slotMinutesOf", { n }), { type: "number", min: 5, max: 480, step: 5, inputMode: "numeric" })}
                    </td>
                    <td className="small">{count === null ? "—" : t("schedule.slotCount", { count })}</td>
                    <td>
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => {
                          const next = rows.filter((r) => r.key !== row.key);
                          setRows(next);
                          setDirty(true);
                          setSaved(false);
                          if (tried) setErrors(validateRows(next));
                        }}
                      >
                        {t("schedule.remove", { n })}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <div role="status" aria-live="polite">
        {errors.length ? <p className="alert">{t("schedule.problems", { count: errors.length })}</p> : null}
        {saved ? <p className="alert success">{t("schedule.saved")}</p> : null}
      </div>
      <div className="row" style={{ marginTop: "var(--space-3)" }}>
        <button
          type="button"
          className="secondary"
          disabled={rows.length >= MAX_RULES}
          onClick={() => {
            setRows((r) => [...r, nextRow(r)]);
            setDirty(true);
            setSaved(false);
          }}
        >
          {t("schedule.add")}
        </button>
        <button type="submit" disabled={saving || !dirty}>
          {t("schedule.save")}
        </button>
      </div>
    </form>
  );
}
