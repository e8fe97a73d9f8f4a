/** Today's figures (the clinic's day, no filter), as the `kpisToday` feed sends them: again after every activity. */
import { useTranslation } from "react-i18next";
import { LiveIndicator } from "../../components/Live";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatMoney } from "../../lib/time";
import type { KpiPointFieldsFragment } from "../../generated/operations";
import { NONE, formatCount, formatDecimal, formatRate, periodLabel } from "./format";

export function LiveToday({ point, error }: { point: KpiPointFieldsFragment | undefined; error?: unknown }) {
  const { t, i18n } = useTranslation("stakeholder");
  const language = i18n.language;
  const figures: [string, string][] = point
    ? [
        [t("kpi.appointmentsBooked"), formatCount(point.appointmentsBooked, language)],
        [t("kpi.fulfilled"), formatCount(point.fulfilled, language)],
        [t("kpi.cancelled"), formatCount(point.cancelled, language)],
        [t("kpi.noShows"), formatCount(point.noShows, language)],
        [t("kpi.patients"), formatCount(point.patients, language)],
        [t("kpi.noShowRate"), formatRate(point.noShowRate, language)],
        [t("kpi.utilization"), formatRate(point.utilization, language)],
        [t("kpi.medianWaitMinutes"), formatDecimal(point.medianWaitMinutes, language, 0)],
        [t("kpi.invoiced"), point.invoiced ? formatMoney(point.invoiced, language) : NONE],
        [t("kpi.collected"), point.collected ? formatMoney(point.collected, language) : NONE],
      ]
    : [];
  return (
    <section className="card" aria-labelledby="today-heading">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id="today-heading" style={{ margin: 0 }}>
          {point ? t("today.titleOn", { day: periodLabel(point.period, "DAY", language, true) }) : t("today.title")}
        </h2>
        <LiveIndicator />
      </div>
      <ErrorMessage error={error} />
      {!point && !error ? <p className="muted small">{t("today.waiting")}</p> : null}
      {point?.suppressed ? <p className="small muted">{t("today.withheld")}</p> : null}
      <dl
        aria-live="polite"
        style={{ display: "grid", gridTemplateColumns: "repeat(auto-fill, minmax(9rem, 1fr))", gap: "var(--space-3)", margin: "var(--space-3) 0 0" }}
      >
        {figures.map(([label, value]) => (
          <div key={label}>
            <dt className="small muted">{label}</dt>
            <dd style={{ margin: 0, fontSize: "1.25rem", fontWeight: 600, fontVariantNumeric: "tabular-nums" }}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
