/** The period's figures by specialty, by doctor and for the top services: plain tables ("—": withheld or absent). */
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { formatMoney } from "../../lib/time";
import type { StakeholderBreakdownsQuery } from "../../generated/operations";
import { NONE, formatCount, formatDecimal, formatRate } from "./format";

interface Column<T> {
  key: string;
  label: string;
  cell(row: T): string;
}

function BreakdownTable<T extends { suppressed: boolean }>({
  id,
  title,
  rows,
  rowKey,
  name,
  nameLabel,
  columns,
}: {
  id: string;
  title: string;
  rows: readonly T[];
  rowKey(row: T): string;
  name(row: T): ReactNode;
  nameLabel: string;
  columns: readonly Column<T>[];
}) {
  const { t } = useTranslation("stakeholder");
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted">{t("breakdown.empty")}</p>
      ) : (
        <div className="table-wrap">
          <table className="small">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{nameLabel}</th>
                {columns.map((c) => (
                  <th scope="col" key={c.key}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={rowKey(row)}>
                  <th scope="row">
                    {name(row)}
                    {row.suppressed ? (
                      <div className="small muted" style={{ fontWeight: 400 }}>
                        {t("withheld")}
                      </div>
                    ) : null}
                  </th>
                  {columns.map((c) => (
                    <td key={c.key} style={{ fontVariantNumeric: "tabular-nums" }}>
                      {c.cell(row)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

type SpecialtyRow = StakeholderBreakdownsQuery["kpisBySpecialty"][number];
type DoctorRow = StakeholderBreakdownsQuery["kpisByDoctor"][number];
type ServiceRow = StakeholderBreakdownsQuery["topServices"][number];

export function Breakdowns({ data, specialtyNames }: { data: StakeholderBreakdownsQuery; specialtyNames: ReadonlyMap<string, string> }) {
  const { t, i18n } = useTranslation("stakeholder");
  const language = i18n.language;
  const specialtyName = (code: string | null) => (code ? (specialtyNames.get(code) ?? code) : NONE);
  type Figures = {
    patients: number | null;
    appointmentsBooked: number | null;
    fulfilled: number | null;
    noShows: number | null;
    invoiced: { amountMinor: number; currency: string } | null;
  };
  const counts = <T extends Figures>(): Column<T>[] => [
    { key: "patients", label: t("kpi.patients"), cell: (r) => formatCount(r.patients, language) },
    { key: "booked", label: t("kpi.appointmentsBooked"), cell: (r) => formatCount(r.appointmentsBooked, language) },
    { key: "fulfilled", label: t("kpi.fulfilled"), cell: (r) => formatCount(r.fulfilled, language) },
    { key: "noShows", label: t("kpi.noShows"), cell: (r) => formatCount(r.noShows, language) },
  ];
  type Quality = { noShowRate: number | null; cancellationRate: number | null; feedbackAverage: number | null; medianWaitMinutes: number | null };
  const quality = <T extends Quality>(): Column<T>[] => [
    { key: "noShowRate", label: t("kpi.noShowRate"), cell: (r) => formatRate(r.noShowRate, language) },
    { key: "cancellationRate", label: t("kpi.cancellationRate"), cell: (r) => formatRate(r.cancellationRate, language) },
    { key: "feedback", label: t("kpi.feedbackAverage"), cell: (r) => formatDecimal(r.feedbackAverage, language) },
    { key: "wait", label: t("kpi.medianWaitMinutes"), cell: (r) => formatDecimal(r.medianWaitMinutes, language, 0) },
  ];
  const invoiced = <T extends Figures>(): Column<T> => ({ key: "invoiced", label: t("kpi.invoiced"), cell: (r) => formatMoney(r.invoiced, language) });

  const bySpecialty = [...data.kpisBySpecialty].sort((a, b) => specialtyName(a.specialtyCode).localeCompare(specialtyName(b.specialtyCode), language));
  const byDoctor = [...data.kpisByDoctor].sort((a, b) => a.doctor.name.localeCompare(b.doctor.name, language));

  return (
    <section aria-labelledby="breakdowns-heading">
      <h2 id="breakdowns-heading">{t("breakdown.title")}</h2>
      <BreakdownTable<SpecialtyRow>
        id="by-specialty"
        title={t("breakdown.bySpecialty")}
        rows={bySpecialty}
        rowKey={(r) => r.specialtyCode}
        name={(r) => specialtyName(r.specialtyCode)}
        nameLabel={t("filter.specialty")}
        columns={[...counts<SpecialtyRow>(), ...quality<SpecialtyRow>(), invoiced<SpecialtyRow>()]}
      />
      <BreakdownTable<DoctorRow>
        id="by-doctor"
        title={t("breakdown.byDoctor")}
        rows={byDoctor}
        rowKey={(r) => r.doctorId}
        name={(r) => r.doctor.name}
        nameLabel={t("filter.doctor")}
        columns={[
          { key: "specialty", label: t("filter.specialty"), cell: (r) => specialtyName(r.specialtyCode) },
          { key: "location", label: t("filter.location"), cell: (r) => r.location ?? NONE },
          ...counts<DoctorRow>(),
          ...quality<DoctorRow>(),
          invoiced<DoctorRow>(),
        ]}
      />
      <BreakdownTable<ServiceRow>
        id="top-services"
        title={t("breakdown.topServices")}
        rows={data.topServices}
        rowKey={(r) => r.serviceId}
        name={(r) => r.service.name}
        nameLabel={t("filter.service")}
        columns={[...counts<ServiceRow>(), invoiced<ServiceRow>()]}
      />
    </section>
  );
}
