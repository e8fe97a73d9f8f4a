/**
 * The stakeholder dashboard's logic: presets → days (relative to the clinic's today), the filter sent to the API,
 * the CSV's file name, the heat map's placing of the week's 168 cells, and "—" for withheld figures.
 */
import { describe, expect, it } from "@jest/globals";
import { render, screen, within } from "@testing-library/react";
import "../../src/i18n";
import { csvFileName, kpiFilter, periodProblem, presetPeriod, selectionPeriod, type Selection } from "../../src/pages/stakeholder/period";
import { HeatMap, intensity, loadGrid, type LoadCellValue } from "../../src/pages/stakeholder/HeatMap";
import { LiveToday } from "../../src/pages/stakeholder/LiveToday";
import { formatRate, periodLabel } from "../../src/pages/stakeholder/format";
import type { KpiPointFieldsFragment } from "../../src/generated/operations";

/** The week as the API sends it: Monday 0:00 first, then by hour; `count(weekday, hour)` (null: withheld). */
function week(count: (weekday: number, hour: number) => number | null): LoadCellValue[] {
  const cells: LoadCellValue[] = [];
  for (let weekday = 1; weekday <= 7; weekday++)
    for (let hour = 0; hour < 24; hour++) {
      const n = count(weekday, hour);
      cells.push({ weekday, hour, suppressed: n === null, appointmentsBooked: n });
    }
  return cells;
}

const selection = (over: Partial<Selection> = {}): Selection => ({
  preset: null,
  from: "2026-01-01",
  to: "2026-01-31",
  granularity: "DAY",
  specialty: "",
  doctorId: "",
  serviceId: "",
  location: "",
  ...over,
});

describe("dashboard period", () => {
  it("turns presets into the clinic's days, today included", () => {
    // 2026-03-04 is a Wednesday.
    expect(presetPeriod("last30Days", "2026-03-04")).toEqual({ from: "2026-02-03", to: "2026-03-04", granularity: "DAY" });
    // 12 ISO weeks: this week's Monday (2026-03-02) and the 11 before.
    expect(presetPeriod("last12Weeks", "2026-03-04")).toEqual({ from: "2025-12-15", to: "2026-03-04", granularity: "WEEK" });
    // 12 months: this month and the 11 before, from the 1st.
    expect(presetPeriod("last12Months", "2026-03-04")).toEqual({ from: "2025-04-01", to: "2026-03-04", granularity: "MONTH" });
    // Across a leap day and a year's start.
    expect(presetPeriod("last30Days", "2024-03-01").from).toBe("2024-02-01"); // 29 February counts
    expect(presetPeriod("last30Days", "2025-03-01").from).toBe("2025-01-31");
    expect(presetPeriod("last12Months", "2026-01-31").from).toBe("2025-02-01");
    expect(presetPeriod("last12Weeks", "2026-01-04").from).toBe("2025-10-13"); // a Sunday: its week began 2025-12-29
  });

  it("keeps a preset following today, and the granularity chosen", () => {
    const chosen = selection({ preset: "last30Days", granularity: "WEEK" });
    expect(selectionPeriod(chosen, "2026-05-10")).toEqual({ from: "2026-04-11", to: "2026-05-10", granularity: "WEEK" });
    expect(selectionPeriod(chosen, "2026-05-11").to).toBe("2026-05-11");
    expect(selectionPeriod(selection(), "2026-05-11")).toEqual({ from: "2026-01-01", to: "2026-01-31", granularity: "DAY" });
  });

  it("checks the days and names the CSV after the period", () => {
    expect(periodProblem({ from: "2026-02-01", to: "2026-01-31" })).toBe("period.fromAfterTo");
    expect(periodProblem({ from: "", to: "2026-01-31" })).toBe("period.missing");
    expect(periodProblem({ from: "2026-01-31", to: "2026-01-31" })).toBeNull();
    expect(csvFileName({ from: "2026-01-01", to: "2026-03-31", granularity: "WEEK" })).toBe("clinigraph-kpis_2026-01-01_2026-03-31_week.csv");
  });

  it("sends only the filters chosen (none: null)", () => {
    expect(kpiFilter(selection())).toBeNull();
    expect(kpiFilter(selection({ specialty: "CARD", location: "  Building A " }))).toEqual({ specialty: "CARD", location: "Building A" });
    expect(kpiFilter(selection({ doctorId: "d-1", serviceId: "s-1" }))).toEqual({ doctorId: "d-1", serviceId: "s-1" });
  });

  it("labels periods by day, week and month", () => {
    expect(periodLabel("2026-03-30", "MONTH", "en", true)).toBe("March 2026");
    expect(periodLabel("2026-03-30", "WEEK", "en-GB")).toBe("30 Mar");
    expect(formatRate(0.125, "en")).toBe("12.5%");
    expect(formatRate(null, "en")).toBe("—");
  });
});

describe("load heat map", () => {
  it("places each of the 168 cells by its weekday and hour, Monday 0:00 first", () => {
    const cells = week((weekday, hour) => weekday * 100 + hour);
    const grid = loadGrid(cells);
    expect(grid.cells).toHaveLength(7);
    expect(grid.cells.every((row) => row.length === 24)).toBe(true);
    expect(grid.cells[0]![0]).toMatchObject({ weekday: 1, hour: 0, appointmentsBooked: 100 });
    expect(grid.cells[2]![14]).toMatchObject({ weekday: 3, hour: 14, appointmentsBooked: 314 });
    expect(grid.cells[6]![23]).toMatchObject({ weekday: 7, hour: 23, appointmentsBooked: 723 });
    expect(grid.max).toBe(723);
    // By the cells' own fields, not their order in the list.
    const shuffled = loadGrid([...cells].reverse());
    expect(shuffled.cells[2]![14]?.appointmentsBooked).toBe(314);
    expect(intensity(723, 723)).toBe(1);
    expect(intensity(0, 723)).toBe(0);
    expect(intensity(null, 723)).toBe(0);
  });

  it("renders an hour × weekday table with the number in every cell and '—' for a withheld one", () => {
    const cells = week((weekday, hour) => (weekday === 2 && hour === 9 ? null : weekday === 3 && hour === 14 ? 42 : hour === 3 ? 0 : 1));
    render(<HeatMap cells={cells} />);
    const table = screen.getByRole("table", { name: /one row per starting hour/ });
    const headers = within(table)
      .getAllByRole("columnheader")
      .map((h) => h.textContent);
    expect(headers).toEqual(["Hour", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]);
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(24);
    const at = (hour: number, weekday: number) => within(rows[hour]!).getAllByRole("cell")[weekday - 1]!;
    expect(within(rows[14]!).getByRole("rowheader").textContent).toBe("14:00");
    expect(at(14, 3).textContent).toBe("42");
    expect(at(14, 3).style.background).toMatch(/50%/); // the busiest hour: the strongest colour
    expect(at(3, 1).textContent).toBe("0");
    expect(at(3, 1).style.background).toBe(""); // nothing booked: no colour
    expect(at(9, 2).textContent).toBe("—");
    expect(screen.getByText(/withheld, the hour’s appointments/)).toBeTruthy();
    expect(screen.getByText(/busiest hour has 42/)).toBeTruthy();
  });
});

describe("today, live", () => {
  const point = (over: Partial<KpiPointFieldsFragment>): KpiPointFieldsFragment => ({
    period: "2026-03-04",
    suppressed: false,
    patients: 12,
    appointmentsRequested: 20,
    appointmentsBooked: 18,
    cancelled: 2,
    noShows: 1,
    fulfilled: 9,
    noShowRate: 0.1,
    cancellationRate: 0.11,
    medianLeadTimeHours: null,
    medianApprovalMinutes: null,
    feedbackAverage: null,
    feedbackCount: null,
    medianWaitMinutes: 14,
    utilization: 0.5,
    invoiced: { amountMinor: 123456, currency: "EUR" },
    collected: null,
    outstanding: null,
    ...over,
  });

  it("shows today's figures, money in its currency, and '—' for what is missing", () => {
    render(<LiveToday point={point({})} />);
    const booked = screen.getByText("Booked").parentElement!;
    expect(within(booked).getByText("18")).toBeTruthy();
    expect(within(screen.getByText("Invoiced").parentElement!).getByText(/1,234\.56/)).toBeTruthy();
    expect(within(screen.getByText("Collected").parentElement!).getByText("—")).toBeTruthy();
    expect(screen.getByRole("heading", { name: /Today, Wed, 4 Mar 2026|Today, Wed, Mar 4, 2026/ })).toBeTruthy();
  });

  it("explains withheld figures", () => {
    const withheld = point({
      suppressed: true,
      patients: null,
      appointmentsBooked: null,
      fulfilled: null,
      noShowRate: null,
      invoiced: null,
      utilization: null,
    });
    render(<LiveToday point={withheld} />);
    expect(within(screen.getByText("Booked").parentElement!).getByText("—")).toBeTruthy();
    expect(screen.getByText(/too few patients so far/)).toBeTruthy();
  });
});
