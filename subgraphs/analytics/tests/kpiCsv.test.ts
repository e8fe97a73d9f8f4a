/** kpisCsv's file: RFC 4180 with KpiPoint's columns, money as exact decimals, and no cell a spreadsheet would run. */
import { describe, expect, it } from "@jest/globals";
import { parse } from "csv-parse/sync";
import { decimalAmount, kpiPointsCsv, minorDigits } from "../src/domain/kpiCsv.js";
import { emptyCounts, toPoint } from "../src/domain/kpis.js";
import type { KpiPoint } from "../src/domain/types.js";

const point = (period: string, patch: Partial<KpiPoint> = {}): KpiPoint => ({ ...toPoint({ ...emptyCounts(period), patients: 6 }, 5), ...patch });
const rows = (csv: string) => parse(csv, { columns: true }) as Record<string, string>[];

describe("kpiPointsCsv", () => {
  it("writes a header of KpiPoint's fields and one CRLF-ended row per period", () => {
    const csv = kpiPointsCsv([point("2027-03-01", { appointmentsBooked: 4, noShowRate: 1 / 3 }), point("2027-03-02")], "EUR");
    const lines = csv.split("\r\n");
    expect(lines[0]!.split(",")).toEqual(
      expect.arrayContaining(["period", "suppressed", "patients", "appointmentsRequested", "appointmentsBooked", "noShowRate", "invoiced", "currency"]),
    );
    expect(lines[0]!.split(",").slice(0, 2)).toEqual(["period", "suppressed"]);
    expect(lines[0]).toContain("feedbackDistribution1,feedbackDistribution2,feedbackDistribution3,feedbackDistribution4,feedbackDistribution5");
    expect(lines).toHaveLength(4); // header, two rows, and the last line's end
    expect(lines[3]).toBe("");
    const [first] = rows(csv);
    expect(first).toMatchObject({
      period: "2027-03-01",
      suppressed: "false",
      patients: "6",
      appointmentsBooked: "4",
      noShowRate: String(1 / 3),
      currency: "EUR",
    });
  });

  it("writes money as exact decimal amounts of the currency, negative ones as numbers", () => {
    const csv = kpiPointsCsv([point("2027-03-01", { invoicedMinor: 1_234_567, collectedMinor: -500, outstandingMinor: 5 })], "EUR");
    expect(rows(csv)[0]).toMatchObject({ invoiced: "12345.67", collected: "-5.00", outstanding: "0.05", currency: "EUR" });
    expect(csv).toContain(",-5.00,");
    const yen = kpiPointsCsv([point("2027-03-01", { invoicedMinor: 1_500, collectedMinor: 0 })], "JPY");
    expect(rows(yen)[0]).toMatchObject({ invoiced: "1500", collected: "0", currency: "JPY" });
  });

  it("leaves a suppressed period's figures empty", () => {
    const hidden = toPoint({ ...emptyCounts("2027-03-01"), patients: 2, booked: 2, invoicedMinor: 900 }, 5);
    const [row] = rows(kpiPointsCsv([hidden], "EUR"));
    const { period, suppressed, currency, ...figures } = row!;
    expect({ period, suppressed, currency }).toEqual({ period: "2027-03-01", suppressed: "true", currency: "EUR" });
    expect(Object.values(figures).every((value) => value === "")).toBe(true);
    expect(Object.keys(figures).length).toBeGreaterThan(20);
  });

  it("prefixes text a spreadsheet would run as a formula with a quote", () => {
    const hostile = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-1+1", "@SUM(A1)", "\tcmd"];
    const csv = kpiPointsCsv(
      hostile.map((period) => point(period, { collectedMinor: -100 })),
      "EUR",
    );
    expect(rows(csv).map((row) => row.period)).toEqual(hostile.map((text) => `'${text}`));
    expect(rows(csv).map((row) => row.collected)).toEqual(hostile.map(() => "-1.00"));
  });

  it("turns minor units into decimals without floating point", () => {
    expect(decimalAmount(0, 2)).toBe("0.00");
    expect(decimalAmount(-5, 2)).toBe("-0.05");
    expect(decimalAmount(2_147_483_647, 2)).toBe("21474836.47");
    expect(decimalAmount(-1_001, 3)).toBe("-1.001");
    expect(decimalAmount(-42, 0)).toBe("-42");
    expect([minorDigits("EUR"), minorDigits("JPY"), minorDigits("KWD")]).toEqual([2, 0, 3]);
  });
});
