/**
 * The KPI trends as charts (recharts: imported only here, inside the stakeholder area's lazy chunk). A chart is a
 * picture for sighted users; its figures are also in a table under it (<details>), which is what screen readers read.
 * A withheld or absent figure is a gap in the line and "—" in the table.
 */
import { useTranslation } from "react-i18next";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatMoney, locale } from "../../lib/time";
import type { Granularity, KpiPointFieldsFragment } from "../../generated/operations";
import { NONE, formatCount, formatRate, moneyAmount, periodLabel } from "./format";

/** Colour-blind-safe (Okabe–Ito) colours; lines also differ by dash, so colour is never the only cue. */
const COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00"];
const DASHES = [undefined, "8 4", "2 3", "10 3 2 3", "4 4"];

export interface Series {
  key: string;
  label: string;
  /** The plotted value (null: a gap). */
  value(point: KpiPointFieldsFragment): number | null;
  /** The value as text (tooltip and table). */
  text(point: KpiPointFieldsFragment): string;
}

interface Row {
  label: string;
  [key: string]: string | number | null;
}

export interface TrendChartProps {
  id: string;
  title: string;
  points: readonly KpiPointFieldsFragment[];
  granularity: Granularity;
  series: readonly Series[];
  kind?: "line" | "bar";
  /** An axis tick's text. */
  axis?(value: number): string;
  /** Whole numbers only on the axis (counts). */
  integer?: boolean;
  /** Rates (0–1): the axis runs from 0 to the next 10 % above the largest value (100 % without any). */
  rate?: boolean;
  note?: string;
}

export function TrendChart({ id, title, points, granularity, series, kind = "line", axis, integer = false, rate = false, note }: TrendChartProps) {
  const { t, i18n } = useTranslation("stakeholder");
  const language = i18n.language;
  const rows: Row[] = points.map((p) => {
    const row: Row = { label: periodLabel(p.period, granularity, language) };
    for (const s of series) {
      row[s.key] = s.value(p);
      row[`${s.key}Text`] = s.text(p);
    }
    return row;
  });
  const dots = points.length <= 60;
  const tick = { fill: "currentColor", fontSize: 12 };
  const tooltip = (
    <Tooltip
      formatter={(value, name, item) => {
        const text = item.payload && typeof item.dataKey === "string" ? (item.payload as Row)[`${item.dataKey}Text`] : undefined;
        return [text ?? String(value ?? NONE), name];
      }}
      contentStyle={{ background: "var(--color-surface)", border: "1px solid var(--color-border)", color: "var(--color-text)" }}
    />
  );
  const legend = <Legend itemSorter={null} formatter={(value: string) => <span style={{ color: "var(--color-text)" }}>{value}</span>} />;
  const axes = (
    <>
      <CartesianGrid strokeDasharray="3 3" stroke="var(--color-border)" />
      <XAxis dataKey="label" tick={tick} minTickGap={12} />
      <YAxis
        tick={tick}
        tickFormatter={axis}
        width={72}
        allowDecimals={!integer}
        domain={rate ? [0, (max: number) => (max > 0 ? Math.ceil(max * 10) / 10 : 1)] : undefined}
      />
    </>
  );
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} style={{ marginTop: 0 }}>
        {title}
      </h3>
      {note ? <p className="small muted">{note}</p> : null}
      <div role="img" aria-label={t("charts.picture", { title })} style={{ width: "100%", height: 260 }}>
        <ResponsiveContainer width="100%" height="100%">
          {kind === "bar" ? (
            <BarChart data={rows} accessibilityLayer={false}>
              {axes}
              {tooltip}
              {legend}
              {series.map((s, i) => (
                <Bar key={s.key} dataKey={s.key} name={s.label} fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
              ))}
            </BarChart>
          ) : (
            <LineChart data={rows} accessibilityLayer={false}>
              {axes}
              {tooltip}
              {legend}
              {series.map((s, i) => (
                <Line
                  key={s.key}
                  type="monotone"
                  dataKey={s.key}
                  name={s.label}
                  stroke={COLORS[i % COLORS.length]}
                  strokeDasharray={DASHES[i % DASHES.length]}
                  strokeWidth={2}
                  dot={dots}
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          )}
        </ResponsiveContainer>
      </div>
      <details>
        <summary>{t("charts.figures", { title })}</summary>
        <div className="table-wrap">
          <table className="small">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t("charts.period")}</th>
                {series.map((s) => (
                  <th scope="col" key={s.key}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.period}>
                  <th scope="row" style={{ fontWeight: 400 }}>
                    {granularity === "WEEK"
                      ? t("charts.weekOf", { day: periodLabel(p.period, granularity, language, true) })
                      : periodLabel(p.period, granularity, language, true)}
                    {p.suppressed ? <span className="muted"> ({t("withheld")})</span> : null}
                  </th>
                  {series.map((s) => (
                    <td key={s.key}>{s.text(p)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

/** The dashboard's four trends: appointments, no-show and cancellation rates, revenue, utilization. */
export function KpiCharts({
  points,
  granularity,
  serviceFiltered,
}: {
  points: readonly KpiPointFieldsFragment[];
  granularity: Granularity;
  serviceFiltered: boolean;
}) {
  const { t, i18n } = useTranslation("stakeholder");
  const language = i18n.language;
  const count = (key: "appointmentsRequested" | "appointmentsBooked" | "fulfilled" | "cancelled" | "noShows"): Series => ({
    key,
    label: t(`kpi.${key}`),
    value: (p) => p[key],
    text: (p) => formatCount(p[key], language),
  });
  const rate = (key: "noShowRate" | "cancellationRate" | "utilization"): Series => ({
    key,
    label: t(`kpi.${key}`),
    value: (p) => p[key],
    text: (p) => formatRate(p[key], language),
  });
  const currency = points.find((p) => p.invoiced ?? p.collected)?.invoiced?.currency ?? points.find((p) => p.collected)?.collected?.currency;
  const money = (key: "invoiced" | "collected" | "outstanding"): Series => ({
    key,
    label: t(`kpi.${key}`),
    // One currency on the chart's scale; a figure in another one is only in the table.
    value: (p) => (p[key] && p[key].currency === currency ? moneyAmount(p[key], language) : null),
    text: (p) => (p[key] ? formatMoney(p[key], language) : NONE),
  });
  const percentAxis = (v: number) => formatRate(v, language);
  const moneyAxis = (v: number) =>
    currency ? new Intl.NumberFormat(locale(language), { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 }).format(v) : String(v);
  return (
    <div className="stack">
      <TrendChart
        id="chart-appointments"
        title={t("charts.appointments")}
        points={points}
        granularity={granularity}
        series={[count("appointmentsRequested"), count("appointmentsBooked"), count("fulfilled"), count("cancelled"), count("noShows")]}
        axis={(v) => formatCount(v, language)}
        integer
      />
      <TrendChart
        id="chart-rates"
        title={t("charts.rates")}
        points={points}
        granularity={granularity}
        series={[rate("noShowRate"), rate("cancellationRate")]}
        axis={percentAxis}
        rate
        note={t("charts.ratesNote")}
      />
      <TrendChart
        id="chart-revenue"
        title={t("charts.revenue")}
        points={points}
        granularity={granularity}
        series={[money("invoiced"), money("collected"), money("outstanding")]}
        kind="bar"
        axis={moneyAxis}
        note={t("charts.revenueNote")}
      />
      <TrendChart
        id="chart-utilization"
        title={t("charts.utilization")}
        points={points}
        granularity={granularity}
        series={[rate("utilization")]}
        axis={percentAxis}
        rate
        note={serviceFiltered ? t("charts.utilizationServiceFilter") : t("charts.utilizationNote")}
      />
    </div>
  );
}
