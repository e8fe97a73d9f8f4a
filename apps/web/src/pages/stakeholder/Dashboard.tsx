/**
 * The stakeholder's dashboard: the KPIs of a period (presets or any days, by day, week or month), narrowed by
 * specialty, doctor, service or location; trends as charts (each with its figures as a table), the week's load as a
 * heat map, breakdowns by specialty, doctor and service, a CSV of the period, and today's figures live.
 * Days are the clinic's (every figure is counted on the visit's day in the clinic's zone); "today" is the clinic's
 * day as the live feed names it (the browser's day until the feed answers).
 */
import { useMemo, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useApolloClient, useQuery, useSubscription } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage, Loading } from "../../components/ErrorMessage";
import { ServiceSelect, SpecialtySelect } from "../../components/CatalogueSelects";
import { browserZone, today as todayIn } from "../../lib/time";
import {
  FindDoctorsDocument,
  SearchOptionsDocument,
  StakeholderBreakdownsDocument,
  StakeholderKpisCsvDocument,
  StakeholderKpisDocument,
  StakeholderKpisTodayDocument,
  StakeholderLoadDocument,
  type Granularity,
  type KpiPointFieldsFragment,
} from "../../generated/operations";
import { GRANULARITIES, PRESETS, csvFileName, kpiFilter, periodProblem, presetPeriod, selectionPeriod, type Preset, type Selection } from "./period";
import { periodLabel } from "./format";
import { KpiCharts } from "./Charts";
import { HeatMap } from "./HeatMap";
import { Breakdowns } from "./Breakdowns";
import { LiveToday } from "./LiveToday";
import { downloadText } from "./download";

const INITIAL: Selection = { preset: "last12Weeks", from: "", to: "", granularity: "WEEK", specialty: "", doctorId: "", serviceId: "", location: "" };

export function Dashboard() {
  const { t, i18n } = useTranslation("stakeholder");
  const language = i18n.language;
  const client = useApolloClient();

  const live = useSubscription(StakeholderKpisTodayDocument);
  const today = live.data?.kpisToday.period ?? todayIn(browserZone());

  const [applied, setApplied] = useState<Selection>(INITIAL);
  const [draft, setDraft] = useState<Selection>(INITIAL);
  const [problem, setProblem] = useState<string | null>(null);
  const period = selectionPeriod(applied, today);
  const draftPeriod = selectionPeriod(draft, today);
  const filter = kpiFilter(applied);
  const variables = { from: period.from, to: period.to, filter };
  const pending = JSON.stringify(selectionPeriod(draft, today)) !== JSON.stringify(period) || JSON.stringify(kpiFilter(draft)) !== JSON.stringify(filter);

  const options = useQuery(SearchOptionsDocument);
  const doctorFilter = { specialty: draft.specialty || null, serviceId: draft.serviceId || null };
  const doctors = useQuery(FindDoctorsDocument, { variables: { filter: doctorFilter.specialty || doctorFilter.serviceId ? doctorFilter : null, first: 100 } });
  const everyDoctor = useQuery(FindDoctorsDocument, { variables: { filter: null, first: 100 } });
  const locations = useMemo(
    () =>
      [...new Set((everyDoctor.data?.doctors.edges ?? []).map((e) => e.node.location).filter((l): l is string => Boolean(l)))].sort((a, b) =>
        a.localeCompare(b, language),
      ),
    [everyDoctor.data, language],
  );
  const specialtyNames = useMemo(() => new Map((options.data?.specialties ?? []).map((s) => [s.code, s.name])), [options.data]);
  const doctorChoices = (doctors.data ?? doctors.previousData)?.doctors.edges.map((e) => e.node) ?? [];
  const chosenDoctor = everyDoctor.data?.doctors.edges.find((e) => e.node.id === draft.doctorId)?.node;

  const kpis = useQuery(StakeholderKpisDocument, { variables: { ...variables, granularity: period.granularity } });
  const load = useQuery(StakeholderLoadDocument, { variables });
  const breakdowns = useQuery(StakeholderBreakdownsDocument, { variables: { ...variables, top: 10 } });
  // While another period loads, the last one stays on screen with its own granularity.
  const shownKpis = useRef<{ points: KpiPointFieldsFragment[]; granularity: Granularity } | null>(null);
  if (kpis.data && shownKpis.current?.points !== kpis.data.kpis) shownKpis.current = { points: kpis.data.kpis, granularity: period.granularity };
  const points = shownKpis.current?.points;
  const cells = (load.data ?? load.previousData)?.load;
  const breakdownData = breakdowns.data ?? breakdowns.previousData;

  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const [exported, setExported] = useState<string | null>(null);

  function apply(next: Selection) {
    const why = periodProblem(selectionPeriod(next, today));
    setProblem(why);
    if (!why) setApplied(next);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    apply(draft);
  }

  function choosePreset(preset: Preset) {
    const next: Selection = { ...draft, preset, granularity: presetPeriod(preset, today).granularity };
    setDraft(next);
    apply(next);
  }

  /** A date typed in: the selection keeps the days it shows now and leaves its preset. */
  function setDay(which: "from" | "to", value: string) {
    setDraft({ ...draft, preset: null, from: draftPeriod.from, to: draftPeriod.to, [which]: value });
  }

  async function exportCsv() {
    setExporting(true);
    setExportError(null);
    setExported(null);
    try {
      const result = await client.query({
        query: StakeholderKpisCsvDocument,
        variables: { ...variables, granularity: period.granularity },
        fetchPolicy: "no-cache",
      });
      if (typeof result.data?.kpisCsv !== "string") throw result.error ?? new Error(t("csv.failed"));
      const name = csvFileName(period);
      downloadText(result.data.kpisCsv, name);
      setExported(name);
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(false);
    }
  }

  const set = <K extends keyof Selection>(key: K, value: Selection[K]) => setDraft({ ...draft, [key]: value });

  return (
    <Page title={t("title")}>
      <LiveToday point={live.data?.kpisToday} error={live.error} />

      <form className="card" onSubmit={submit} aria-labelledby="period-heading" noValidate>
        <h2 id="period-heading" style={{ marginTop: 0 }}>
          {t("period.title")}
        </h2>
        <div className="row" role="group" aria-label={t("period.presets")} style={{ marginBottom: "var(--space-3)" }}>
          {PRESETS.map((preset) => (
            <button
              type="button"
              key={preset}
              className={applied.preset === preset ? undefined : "secondary"}
              aria-pressed={applied.preset === preset}
              onClick={() => choosePreset(preset)}
            >
              {t(`period.${preset}`)}
            </button>
          ))}
        </div>
        <div className="form-inline">
          <div className="field">
            <label htmlFor="kpi-from">{t("period.from")}</label>
            <input
              id="kpi-from"
              type="date"
              value={draftPeriod.from}
              max={draftPeriod.to || undefined}
              onChange={(e) => setDay("from", e.target.value)}
              required
            />
          </div>
          <div className="field">
            <label htmlFor="kpi-to">{t("period.to")}</label>
            <input id="kpi-to" type="date" value={draftPeriod.to} min={draftPeriod.from || undefined} onChange={(e) => setDay("to", e.target.value)} required />
          </div>
          <div className="field">
            <label htmlFor="kpi-granularity">{t("period.granularity")}</label>
            <select id="kpi-granularity" value={draft.granularity} onChange={(e) => set("granularity", e.target.value as Granularity)}>
              {GRANULARITIES.map((g) => (
                <option key={g} value={g}>
                  {t(`granularity.${g}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="form-inline" style={{ marginTop: "var(--space-3)" }}>
          <SpecialtySelect
            id="kpi-specialty"
            label={t("filter.specialty")}
            anyLabel={t("filter.any")}
            specialties={options.data?.specialties}
            value={draft.specialty}
            onChange={(v) => set("specialty", v)}
          />
          <div className="field">
            <label htmlFor="kpi-doctor">{t("filter.doctor")}</label>
            <select id="kpi-doctor" value={draft.doctorId} onChange={(e) => set("doctorId", e.target.value)}>
              <option value="">{t("filter.any")}</option>
              {chosenDoctor && !doctorChoices.some((d) => d.id === chosenDoctor.id) ? <option value={chosenDoctor.id}>{chosenDoctor.name}</option> : null}
              {doctorChoices.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
            {doctors.data?.doctors.pageInfo.hasNextPage ? <div className="hint">{t("filter.moreDoctors")}</div> : null}
          </div>
          <ServiceSelect
            id="kpi-service"
            label={t("filter.service")}
            anyLabel={t("filter.any")}
            services={options.data?.medicalServices}
            value={draft.serviceId}
            onChange={(v) => set("serviceId", v)}
          />
          <div className="field">
            <label htmlFor="kpi-location">{t("filter.location")}</label>
            <input
              id="kpi-location"
              list="kpi-locations"
              value={draft.location}
              onChange={(e) => set("location", e.target.value)}
              placeholder={t("filter.any")}
            />
            <datalist id="kpi-locations">
              {locations.map((l) => (
                <option key={l} value={l} />
              ))}
            </datalist>
          </div>
        </div>
        {problem ? (
          <p className="alert" role="alert">
            {t(problem)}
          </p>
        ) : null}
        <div className="row" style={{ marginTop: "var(--space-3)" }}>
          <button type="submit">{t("period.apply")}</button>
          <button type="button" className="secondary" disabled={exporting} onClick={() => void exportCsv()}>
            {exporting ? t("csv.preparing") : t("csv.download")}
          </button>
          {pending ? <span className="small muted">{t("period.pending")}</span> : null}
        </div>
        <ErrorMessage
          error={options.error ?? doctors.error ?? everyDoctor.error}
          onRetry={() => void Promise.all([options.refetch(), doctors.refetch(), everyDoctor.refetch()])}
        />
        <ErrorMessage error={exportError} />
        <p role="status" className="small muted" style={{ margin: exported ? "var(--space-2) 0 0" : 0 }}>
          {exported ? t("csv.done", { file: exported }) : ""}
        </p>
      </form>

      <p className="muted" aria-live="polite">
        {t("period.showing", {
          from: periodLabel(period.from, "DAY", language, true),
          to: periodLabel(period.to, "DAY", language, true),
          granularity: t(`granularity.${period.granularity}`),
        })}
        {kpis.loading || load.loading || breakdowns.loading ? ` ${t("updating")}` : ""}
      </p>
      <p className="small muted">{t("withheldNote")}</p>

      <h2>{t("charts.title")}</h2>
      {kpis.loading && !points ? <Loading /> : null}
      <ErrorMessage error={kpis.error} onRetry={() => void kpis.refetch()} />
      {points && !kpis.error ? (
        points.length === 0 ? (
          <p className="muted">{t("charts.empty")}</p>
        ) : (
          <KpiCharts points={points} granularity={shownKpis.current?.granularity ?? period.granularity} serviceFiltered={Boolean(filter?.serviceId)} />
        )
      ) : null}

      {load.loading && !cells ? <Loading /> : null}
      <ErrorMessage error={load.error} onRetry={() => void load.refetch()} />
      {cells && !load.error ? <HeatMap cells={cells} /> : null}

      {breakdowns.loading && !breakdownData ? <Loading /> : null}
      <ErrorMessage error={breakdowns.error} onRetry={() => void breakdowns.refetch()} />
      {breakdownData && !breakdowns.error ? <Breakdowns data={breakdownData} specialtyNames={specialtyNames} /> : null}
    </Page>
  );
}
