/**
 * The week's load: booked appointments by weekday and starting hour (the clinic's time zone), as a table with one
 * row per hour and one column per weekday (narrow enough for a phone). Each cell shows its number; the colour only
 * repeats it (darker = more). A withheld cell shows "—".
 */
import { useTranslation } from "react-i18next";
import { NONE, formatCount, weekdayNames } from "./format";

export interface LoadCellValue {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** 0–23. */
  hour: number;
  suppressed: boolean;
  appointmentsBooked: number | null;
}

export interface LoadGrid {
  /** `cells[weekday - 1][hour]`: 7 × 24, null where the API sent no cell. */
  cells: (LoadCellValue | null)[][];
  /** The largest count shown (0 without any). */
  max: number;
  /** Whether a cell is withheld. */
  anySuppressed: boolean;
}

/** Places each cell by its own weekday and hour (not by its position in the list); cells outside the week are ignored. */
export function loadGrid(cells: readonly LoadCellValue[]): LoadGrid {
  const grid: (LoadCellValue | null)[][] = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => null));
  let max = 0;
  let anySuppressed = false;
  for (const cell of cells) {
    const row = grid[cell.weekday - 1];
    if (!row || cell.hour < 0 || cell.hour > 23 || !Number.isInteger(cell.hour)) continue;
    row[cell.hour] = cell;
    if (cell.suppressed || cell.appointmentsBooked === null) anySuppressed = true;
    else max = Math.max(max, cell.appointmentsBooked);
  }
  return { cells: grid, max, anySuppressed };
}

/**
 * How strongly a count is coloured: 0 (none) to 1 (the largest count). Mixed at most half-and-half with the surface,
 * so the number stays readable (AA contrast) on the darkest cell in both colour schemes.
 */
export function intensity(count: number | null, max: number): number {
  if (count === null || max <= 0) return 0;
  return Math.min(1, Math.max(0, count / max));
}

const hourLabel = (hour: number) => `${String(hour).padStart(2, "0")}:00`;

export function HeatMap({ cells }: { cells: readonly LoadCellValue[] }) {
  const { t, i18n } = useTranslation("stakeholder");
  const language = i18n.language;
  const grid = loadGrid(cells);
  const days = weekdayNames(language);
  const longDays = weekdayNames(language, "long");
  return (
    <section aria-labelledby="load-heading">
      <h2 id="load-heading">{t("load.title")}</h2>
      <p className="small muted">
        {t("load.explain")} {grid.max > 0 ? t("load.busiest", { max: formatCount(grid.max, language) }) : t("load.none")}
      </p>
      <div className="table-wrap">
        <table className="small" style={{ tableLayout: "fixed", minWidth: "20rem" }}>
          <caption className="visually-hidden">{t("load.caption")}</caption>
          <thead>
            <tr>
              <th scope="col" style={{ width: "4.5rem" }}>
                {t("load.hour")}
              </th>
              {days.map((day, i) => (
                <th scope="col" key={day} style={{ textAlign: "center" }}>
                  <abbr title={longDays[i]} style={{ textDecoration: "none" }}>
                    {day}
                  </abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: 24 }, (_, hour) => (
              <tr key={hour}>
                <th scope="row" style={{ fontWeight: 400, whiteSpace: "nowrap" }}>
                  {hourLabel(hour)}
                </th>
                {grid.cells.map((row, day) => {
                  const cell = row[hour] ?? null;
                  const count = cell && !cell.suppressed ? cell.appointmentsBooked : null;
                  const share = intensity(count, grid.max);
                  return (
                    <td
                      key={day}
                      data-weekday={day + 1}
                      data-hour={hour}
                      style={{
                        textAlign: "center",
                        padding: "var(--space-1)",
                        fontVariantNumeric: "tabular-nums",
                        background: share > 0 ? `color-mix(in srgb, var(--color-primary) ${Math.round(share * 50)}%, var(--color-surface))` : undefined,
                        fontWeight: share >= 0.75 ? 700 : undefined,
                      }}
                    >
                      {count === null ? <span title={t("load.withheld")}>{NONE}</span> : formatCount(count, language)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {grid.anySuppressed ? <p className="small muted">{t("load.withheldNote")}</p> : null}
    </section>
  );
}
