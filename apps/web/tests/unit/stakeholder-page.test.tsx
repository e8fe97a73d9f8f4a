/**
 * The dashboard page against a mocked API: the charts' figures as tables (withheld periods as "—"), the breakdowns,
 * today's live figures naming the clinic's day, presets asking for the clinic's days, and the CSV downloaded as a file
 * named after the period.
 */
import { afterEach, beforeAll, describe, expect, it, jest } from "@jest/globals";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MockedProvider } from "@apollo/client/testing/react";
import type { MockLink } from "@apollo/client/testing";
import "../../src/i18n";
import { Dashboard } from "../../src/pages/stakeholder/Dashboard";
import {
  FindDoctorsDocument,
  SearchOptionsDocument,
  StakeholderBreakdownsDocument,
  StakeholderKpisCsvDocument,
  StakeholderKpisDocument,
  StakeholderKpisTodayDocument,
  StakeholderLoadDocument,
  type KpiPointFieldsFragment,
} from "../../src/generated/operations";

beforeAll(() => {
  // jsdom has no layout: recharts' ResponsiveContainer only needs the observer to exist.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
  // Nor sizes: recharts says so on every chart.
  const warn = console.warn.bind(console);
  jest.spyOn(console, "warn").mockImplementation((...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].includes("of chart should be greater than 0")) return;
    warn(...args);
  });
});
afterEach(cleanup);

const money = (amountMinor: number) => ({ __typename: "Money", amountMinor, currency: "EUR" });

function point(period: string, booked: number | null): KpiPointFieldsFragment & { __typename: "KpiPoint" } {
  const withheld = booked === null;
  return {
    __typename: "KpiPoint",
    period,
    suppressed: withheld,
    patients: withheld ? null : booked,
    appointmentsRequested: withheld ? null : booked + 2,
    appointmentsBooked: booked,
    cancelled: withheld ? null : 1,
    noShows: withheld ? null : 1,
    fulfilled: withheld ? null : booked - 2,
    noShowRate: withheld ? null : 0.25,
    cancellationRate: withheld ? null : 0.1,
    medianLeadTimeHours: null,
    medianApprovalMinutes: null,
    feedbackAverage: withheld ? null : 4.5,
    feedbackCount: withheld ? null : 3,
    medianWaitMinutes: withheld ? null : 12,
    invoiced: withheld ? null : money(booked * 5000),
    collected: withheld ? null : money(booked * 4000),
    outstanding: null,
    utilization: withheld ? null : 0.62,
  } as KpiPointFieldsFragment & { __typename: "KpiPoint" };
}

interface Asked {
  kpis: Record<string, unknown>[];
}

function mocks(asked: Asked): MockLink.MockedResponse[] {
  const any = () => true;
  return [
    {
      request: { query: StakeholderKpisTodayDocument },
      result: { data: { kpisToday: point("2026-03-04", 7) } },
    },
    {
      request: { query: SearchOptionsDocument },
      maxUsageCount: Number.POSITIVE_INFINITY,
      result: {
        data: {
          specialties: [{ __typename: "Specialty", id: "sp-1", code: "CARD", name: "Cardiology" }],
          medicalServices: [{ __typename: "MedicalService", id: "svc-1", name: "ECG", kind: "CHECKUP" }],
        },
      },
    },
    {
      request: { query: FindDoctorsDocument, variables: any },
      maxUsageCount: Number.POSITIVE_INFINITY,
      result: {
        data: {
          doctors: {
            __typename: "DoctorConnection",
            edges: [
              {
                __typename: "DoctorEdge",
                node: {
                  __typename: "Doctor",
                  id: "doc-1",
                  name: "Dr Ada Heart",
                  location: "Building A",
                  timezone: "Europe/Berlin",
                  autoApprove: true,
                  specialty: { __typename: "Specialty", code: "CARD", name: "Cardiology" },
                  services: [{ __typename: "MedicalService", id: "svc-1", name: "ECG", kind: "CHECKUP" }],
                },
              },
            ],
            pageInfo: { __typename: "PageInfo", hasNextPage: false, endCursor: null },
          },
        },
      },
    },
    {
      request: { query: StakeholderKpisDocument, variables: any },
      maxUsageCount: Number.POSITIVE_INFINITY,
      result: (variables: Record<string, unknown>) => {
        asked.kpis.push(variables);
        return { data: { kpis: [point("2026-02-23", 20), point("2026-03-02", null)] } };
      },
    },
    {
      request: { query: StakeholderLoadDocument, variables: any },
      maxUsageCount: Number.POSITIVE_INFINITY,
      result: {
        data: {
          load: Array.from({ length: 168 }, (_, i) => ({
            __typename: "LoadCell",
            weekday: Math.floor(i / 24) + 1,
            hour: i % 24,
            suppressed: false,
            appointmentsBooked: i === 24 + 10 ? 9 : 0,
          })),
        },
      },
    },
    {
      request: { query: StakeholderBreakdownsDocument, variables: any },
      maxUsageCount: Number.POSITIVE_INFINITY,
      result: {
        data: {
          kpisBySpecialty: [
            {
              __typename: "SpecialtyBreakdown",
              specialtyCode: "CARD",
              suppressed: false,
              patients: 11,
              appointmentsBooked: 20,
              fulfilled: 18,
              noShows: 1,
              noShowRate: 0.05,
              cancellationRate: 0.1,
              feedbackAverage: 4.2,
              medianWaitMinutes: 9,
              invoiced: money(100000),
            },
          ],
          kpisByDoctor: [
            {
              __typename: "DoctorBreakdown",
              doctorId: "doc-1",
              doctor: { __typename: "Doctor", id: "doc-1", name: "Dr Ada Heart" },
              specialtyCode: "CARD",
              location: "Building A",
              suppressed: true,
              patients: null,
              appointmentsBooked: null,
              fulfilled: null,
              noShows: null,
              noShowRate: null,
              cancellationRate: null,
              feedbackAverage: null,
              medianWaitMinutes: null,
              invoiced: null,
            },
          ],
          topServices: [
            {
              __typename: "ServiceBreakdown",
              serviceId: "svc-1",
              service: { __typename: "MedicalService", id: "svc-1", name: "ECG" },
              suppressed: false,
              patients: 6,
              appointmentsBooked: 8,
              fulfilled: 8,
              noShows: 0,
              invoiced: money(24000),
            },
          ],
        },
      },
    },
    {
      request: { query: StakeholderKpisCsvDocument, variables: any },
      maxUsageCount: Number.POSITIVE_INFINITY,
      result: { data: { kpisCsv: "period,appointmentsBooked\r\n2026-02-23,20\r\n" } },
    },
  ];
}

describe("stakeholder dashboard page", () => {
  it("shows the trends with their figures, the load, the breakdowns and today's live figures", async () => {
    const asked: Asked = { kpis: [] };
    render(
      <MockedProvider mocks={mocks(asked)}>
        <Dashboard />
      </MockedProvider>,
    );
    // Today, named by the clinic's day the feed sends.
    expect(await screen.findByRole("heading", { name: /Today, Wed,? 4 Mar,? 2026/ })).toBeTruthy();
    // The default preset (12 weeks by week) asks for the clinic's days: from the Monday 11 weeks before.
    await waitFor(() => expect(asked.kpis.at(-1)).toMatchObject({ from: "2025-12-15", to: "2026-03-04", granularity: "WEEK", filter: null }));

    // Each chart has its figures as a table; the withheld week shows "—".
    const appointments = await screen.findByRole("table", { name: "Appointments" });
    const rows = within(appointments).getAllByRole("row");
    expect(
      within(rows[0]!)
        .getAllByRole("columnheader")
        .map((h) => h.textContent),
    ).toEqual(["Period", "Requested", "Booked", "Fulfilled", "Cancelled", "No-shows"]);
    expect(
      within(rows[1]!)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["22", "20", "18", "1", "1"]);
    expect(within(rows[2]!).getByRole("rowheader").textContent).toMatch(/withheld/);
    expect(
      within(rows[2]!)
        .getAllByRole("cell")
        .map((c) => c.textContent),
    ).toEqual(["—", "—", "—", "—", "—"]);
    const revenue = screen.getByRole("table", { name: "Revenue" });
    expect(within(revenue).getAllByRole("row")[1]!.textContent).toMatch(/€1,000\.00.*€800\.00/);
    expect(screen.getByRole("table", { name: "Utilization" }).textContent).toMatch(/62%/);

    // The load: Tuesday 10:00 holds 9.
    const load = screen.getByRole("table", { name: /one row per starting hour/ });
    const tenOClock = within(load).getAllByRole("row")[11]!;
    expect(within(tenOClock).getAllByRole("cell")[1]!.textContent).toBe("9");

    // Breakdowns: the specialty by name, a withheld doctor as "—".
    expect(within(screen.getByRole("table", { name: "By specialty" })).getByRole("rowheader").textContent).toBe("Cardiology");
    const doctorRow = within(screen.getByRole("table", { name: "By doctor" })).getAllByRole("row")[1]!;
    expect(doctorRow.textContent).toMatch(/Dr Ada Heart.*withheld/);
    expect(
      within(doctorRow)
        .getAllByRole("cell")
        .slice(2)
        .every((c) => c.textContent === "—"),
    ).toBe(true);
    expect(within(screen.getByRole("table", { name: "Top services" })).getByRole("row", { name: /ECG/ }).textContent).toMatch(/€240\.00/);
  });

  it("asks for a preset's days with the filters chosen, and downloads the CSV named after the period", async () => {
    const asked: Asked = { kpis: [] };
    const created: Blob[] = [];
    const clicked: string[] = [];
    URL.createObjectURL = jest.fn((blob: Blob) => {
      created.push(blob);
      return "blob:kpis";
    }) as typeof URL.createObjectURL;
    URL.revokeObjectURL = jest.fn();
    const click = jest.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    render(
      <MockedProvider mocks={mocks(asked)}>
        <Dashboard />
      </MockedProvider>,
    );
    await screen.findByRole("heading", { name: /Today, / });
    await screen.findByRole("option", { name: "Cardiology" });
    fireEvent.change(screen.getByLabelText("Specialty"), { target: { value: "CARD" } });
    fireEvent.click(screen.getByRole("button", { name: "Last 30 days" }));
    await waitFor(() => expect(asked.kpis.at(-1)).toEqual({ from: "2026-02-03", to: "2026-03-04", granularity: "DAY", filter: { specialty: "CARD" } }));
    expect(screen.getByRole("button", { name: "Last 30 days" }).getAttribute("aria-pressed")).toBe("true");
    expect((screen.getByLabelText("From") as HTMLInputElement).value).toBe("2026-02-03");

    // A start after the end is refused before asking.
    fireEvent.change(screen.getByLabelText("From"), { target: { value: "2026-03-10" } });
    fireEvent.click(screen.getByRole("button", { name: "Show figures" }));
    expect(screen.getByRole("alert").textContent).toMatch(/after the end date/);

    fireEvent.click(screen.getByRole("button", { name: "Download CSV" }));
    expect(await screen.findByText("Downloaded clinigraph-kpis_2026-02-03_2026-03-04_day.csv.")).toBeTruthy();
    expect(clicked).toEqual(["clinigraph-kpis_2026-02-03_2026-03-04_day.csv"]);
    const text = await new Promise<unknown>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.readAsText(created[0]!);
    });
    expect(created[0]!.type).toMatch(/^text\/csv/);
    expect(text).toBe("period,appointmentsBooked\r\n2026-02-23,20\r\n");
    click.mockRestore();
  });
});
