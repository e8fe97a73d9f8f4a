/**
 * importVisitsCsv through the subgraph: good rows become facts the KPIs count, bad rows come back by line; a second
 * import of the same file changes nothing; each imported row counts as a patient of its own for suppression; only
 * administrators import, and only a CSV with the header and within the size limit.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes, randomUUID } from "node:crypto";
import { queryDatabase } from "@clinigraph/testing";
import { VISIT_CSV_HEADER } from "../src/domain/visitCsv.js";
import { startHarness, type Harness } from "./support/harness.js";

let h: Harness;
let strict: Harness;
beforeAll(async () => {
  [h, strict] = await Promise.all([startHarness(), startHarness({ env: { ANALYTICS_MIN_CELL: "3" } })]);
});
afterAll(async () => {
  await Promise.all([h?.stop(), strict?.stop()]);
});

const ADMIN = { userId: randomUUID(), role: "ADMIN" as const };
const STAKEHOLDER = { userId: randomUUID(), role: "STAKEHOLDER" as const };
const IMPORT = "mutation($csv: String!) { importVisitsCsv(csv: $csv) { imported skipped rejectedCount rejected { line reason } } }";
const KPIS = `query($from: Date!, $to: Date!, $f: KpiFilter) {
  kpis(from: $from, to: $to, granularity: DAY, filter: $f) {
    period suppressed patients appointmentsRequested appointmentsBooked cancelled noShows fulfilled noShowRate cancellationRate
    medianLeadTimeHours feedbackAverage feedbackCount feedbackDistribution invoiced { amountMinor } } }`;

/** A specialty and a service of the fake catalogue no other test uses. */
function codes(harness: Harness) {
  const tag = randomBytes(4).toString("hex").toUpperCase();
  const specialty = `SPEC_${tag}`;
  const serviceId = randomUUID();
  const service = `SVC_${tag}`;
  harness.specialties.add(specialty);
  harness.services.set(serviceId, { code: service, durationMinutes: 20 });
  return { specialty, service, serviceId, prefix: `legacy-${tag}` };
}

const csv = (...rows: string[]) => [VISIT_CSV_HEADER, ...rows].join("\r\n") + "\r\n";

async function importCsv(harness: Harness, text: string, caller: { userId: string; role: "ADMIN" } = ADMIN) {
  const res = await harness.call(IMPORT, caller, { csv: text });
  expect(res.errors).toBeUndefined();
  return res.data!.importVisitsCsv as { imported: number; skipped: number; rejectedCount: number; rejected: { line: number; reason: string }[] };
}

async function kpis(harness: Harness, from: string, to: string, f: Record<string, unknown>) {
  const res = await harness.call(KPIS, STAKEHOLDER, { from, to, f });
  expect(res.errors).toBeUndefined();
  return res.data!.kpis as Record<string, unknown>[];
}

describe("importVisitsCsv", () => {
  it("imports the good rows, which the KPIs count, and reports the bad ones by line; a second import changes nothing", async () => {
    const { specialty, service, serviceId, prefix } = codes(h);
    const file =
      "\ufeff" +
      csv(
        `${prefix}-1,2027-05-03,${specialty},${service},FULFILLED,8000,EUR,5`,
        `"${prefix}-2",2027-05-03,${specialty},${service},FULFILLED,,,3`,
        `${prefix}-3,2027-05-03,${specialty},${service},NO_SHOW,,,`,
        `${prefix}-4,2027-05-04,"${specialty}",${service},CANCELLED,,,`,
        `${prefix}-5,2027-05-04,NOT_A_SPECIALTY,${service},FULFILLED,,,`,
        `${prefix}-6,2027-05-04,${specialty},${service},FULFILLED,100,USD,`,
        "",
        `${prefix}-1,2027-05-05,${specialty},${service},FULFILLED,,,`,
      );
    const rejected = [
      { line: 6, reason: "specialty_code is not a specialty code of the doctors catalogue" },
      { line: 7, reason: "currency must be the clinic's, EUR" },
    ];
    expect(await importCsv(h, file)).toEqual({ imported: 4, skipped: 1, rejectedCount: 2, rejected });

    const figures = await kpis(h, "2027-05-03", "2027-05-05", { specialty });
    expect(figures).toEqual([
      {
        period: "2027-05-03",
        suppressed: false,
        patients: 3,
        appointmentsRequested: 3,
        appointmentsBooked: 3,
        cancelled: 0,
        noShows: 1,
        fulfilled: 2,
        noShowRate: 1 / 3,
        cancellationRate: 0,
        medianLeadTimeHours: null, // an imported visit has no time of day
        feedbackAverage: 4,
        feedbackCount: 2,
        feedbackDistribution: [0, 0, 1, 0, 1],
        invoiced: { amountMinor: 8000 }, // what the other system invoiced
      },
      expect.objectContaining({ period: "2027-05-04", patients: 1, appointmentsRequested: 1, appointmentsBooked: 1, cancelled: 1, cancellationRate: 1 }),
      expect.objectContaining({ period: "2027-05-05", patients: 0, appointmentsBooked: 0 }),
    ]);
    expect(await kpis(h, "2027-05-03", "2027-05-05", { serviceId })).toEqual(figures);

    const rows = await queryDatabase<{ source: string; patient_key: string | null; doctor_id: string | null; n: number }>(
      h.db.url,
      "SELECT source, patient_key, doctor_id, count(*)::int AS n FROM analytics.appointment_facts WHERE source_id LIKE $1 GROUP BY 1, 2, 3",
      [`${prefix}-%`],
    );
    expect(rows).toEqual([{ source: "IMPORT", patient_key: null, doctor_id: null, n: 4 }]);

    expect(await importCsv(h, file)).toEqual({ imported: 0, skipped: 5, rejectedCount: 2, rejected });
    expect(await kpis(h, "2027-05-03", "2027-05-05", { specialty })).toEqual(figures);
  });

  it("counts each imported row as a patient of its own for suppression", async () => {
    const { specialty, service, prefix } = codes(strict);
    const row = (n: number, day: string) => `${prefix}-${n},${day},${specialty},${service},FULFILLED,,,`;
    expect(
      await importCsv(strict, csv(row(1, "2027-06-01"), row(2, "2027-06-01"), row(3, "2027-06-01"), row(4, "2027-06-02"), row(5, "2027-06-02"))),
    ).toMatchObject({
      imported: 5,
    });
    const [first, second] = await kpis(strict, "2027-06-01", "2027-06-02", { specialty });
    expect(first).toMatchObject({ suppressed: false, patients: 3, fulfilled: 3 });
    expect(second).toMatchObject({ suppressed: true, patients: null, fulfilled: null });
  });

  it("is for administrators only", async () => {
    const { specialty, service, prefix } = codes(h);
    const file = csv(`${prefix}-1,2027-05-10,${specialty},${service},FULFILLED,,,`);
    for (const role of ["PATIENT", "DOCTOR", "RECEPTIONIST", "EXAMINER", "BILLING", "STAKEHOLDER"] as const) {
      const res = await h.call(IMPORT, { userId: randomUUID(), role }, { csv: file });
      expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    expect((await h.call(IMPORT, undefined, { csv: file })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const [row] = await queryDatabase<{ n: number }>(h.db.url, "SELECT count(*)::int AS n FROM analytics.appointment_facts WHERE source_id LIKE $1", [
      `${prefix}-%`,
    ]);
    expect(row!.n).toBe(0);
  });

  it("refuses a CSV without the header, or over 512 KiB (BAD_USER_INPUT), and writes nothing", async () => {
    const { specialty, service, prefix } = codes(h);
    const good = `${prefix}-1,2027-05-10,${specialty},${service},FULFILLED,,,`;
    for (const text of [
      "",
      good,
      `source_id;visit_date;specialty_code;service_code;status;amount_minor;currency;rating\n${good}`,
      csv(good) + "x".repeat(512 * 1024),
    ]) {
      const res = await h.call(IMPORT, ADMIN, { csv: text });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "csv" });
    }
    const [row] = await queryDatabase<{ n: number }>(h.db.url, "SELECT count(*)::int AS n FROM analytics.appointment_facts WHERE source_id LIKE $1", [
      `${prefix}-%`,
    ]);
    expect(row!.n).toBe(0);
  });
});
