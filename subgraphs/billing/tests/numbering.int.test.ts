/**
 * Invoice numbers are gapless and unique per year, under concurrency: issues take turns on the year's sequence row
 * and an issue that fails — refused, or rolled back after it took a number — gives its number back.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { STREAMS, type EncounterEventData } from "@clinigraph/events";
import { queryDatabase } from "@clinigraph/testing";
import { startHarness, type Harness } from "./support/harness.js";
import { encounterData, issue, newService, newVisitors, setPrice } from "./support/visits.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

/** `count` visits of today for `serviceId` (a walk-in's consultation), confirmed: drafts when the service has no price. */
async function confirmedVisits(count: number, serviceId: string): Promise<string[]> {
  const v = newVisitors(h);
  h.consultations.set(v.doctorId, h.services.get(serviceId)!);
  const encounters: EncounterEventData[] = Array.from({ length: count }, () => encounterData(v));
  await h.publish(STREAMS.clinical, [
    ...encounters.map((data) => ({ type: "EncounterRegistered" as const, data })),
    ...encounters.map((data) => ({ type: "VisitOutcomeConfirmed" as const, data: { ...data, status: "FINISHED" } })),
  ]);
  const rows = await queryDatabase<{ id: string; status: string; number: string | null }>(
    h.db.url,
    "SELECT id, status, number FROM billing.invoices WHERE encounter_id = ANY($1::uuid[])",
    [encounters.map((e) => e.encounterId)],
  );
  expect(rows).toHaveLength(count);
  return rows.map((row) => row.id);
}

const numbersOf = async (year: number) =>
  (await queryDatabase<{ number: string }>(h.db.url, "SELECT number FROM billing.invoices WHERE number LIKE $1 ORDER BY number", [`${year}-%`])).map(
    (row) => row.number,
  );

const lastNumberOf = async (year: number) =>
  (await queryDatabase<{ last_number: number }>(h.db.url, "SELECT last_number FROM billing.invoice_sequences WHERE year = $1", [year]))[0]?.last_number ?? 0;

const sequence = (year: number, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${year}-${String(from + i).padStart(6, "0")}`);

describe("invoice numbers", () => {
  it("of 100 invoices issued at once are 1 to 100 of the year, each once", async () => {
    h.clock.now = new Date("2031-06-02T08:00:00Z");
    const service = newService(h, "Consultation", "CONSULTATION");
    const drafts = await confirmedVisits(100, service.id);
    const statuses = await queryDatabase<{ status: string; n: number }>(
      h.db.url,
      "SELECT status, count(*)::int AS n FROM billing.invoices WHERE id = ANY($1::uuid[]) GROUP BY status",
      [drafts],
    );
    expect(statuses).toEqual([{ status: "DRAFT", n: 100 }]); // no price at confirmation
    expect(await lastNumberOf(2031)).toBe(0);

    await setPrice(h, service.id, 3000, 1900, "2031-06-02");
    const answers = await Promise.all(drafts.map((id) => issue(h, id)));

    expect(answers.filter((answer) => answer.error)).toEqual([]);
    const numbers = answers.map((answer) => answer.invoice!.number!);
    expect(new Set(numbers).size).toBe(100);
    expect([...numbers].sort()).toEqual(sequence(2031, 1, 100));
    expect(answers.every((answer) => answer.invoice!.status === "ISSUED" && answer.invoice!.total.amountMinor === 3570)).toBe(true);
    // What each caller was told is what the database holds.
    const stored = await queryDatabase<{ id: string; number: string }>(h.db.url, "SELECT id, number FROM billing.invoices WHERE id = ANY($1::uuid[])", [
      drafts,
    ]);
    expect(Object.fromEntries(stored.map((row) => [row.id, row.number]))).toEqual(Object.fromEntries(answers.map((a) => [a.invoice!.id, a.invoice!.number])));
    expect(await numbersOf(2031)).toEqual(sequence(2031, 1, 100));
    expect(await lastNumberOf(2031)).toBe(100);
  });

  it("leave no gap when some of the concurrent issues fail: refused for a missing price, or rolled back after taking a number", async () => {
    h.clock.now = new Date("2032-09-14T08:00:00Z");
    const priced = newService(h, "Consultation", "CONSULTATION");
    const unpriced = newService(h, "Consultation", "CONSULTATION");
    const willPrice = await confirmedVisits(30, priced.id);
    const missing = await confirmedVisits(10, unpriced.id);
    const [doomed] = await confirmedVisits(1, priced.id);
    await setPrice(h, priced.id, 1000, 0, "2032-09-14");

    // The doomed invoice's issue fails after it took its number (its InvoiceIssued event cannot be written), so its
    // transaction rolls back: the number must go to the next issue.
    await queryDatabase(
      h.db.url,
      `CREATE FUNCTION billing.test_refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.payload->>'invoiceId' = '${doomed}' THEN RAISE EXCEPTION 'event refused by the test'; END IF;
         RETURN NEW;
       END $$`,
    );
    await queryDatabase(h.db.url, "CREATE TRIGGER test_refuse_event BEFORE INSERT ON billing.outbox FOR EACH ROW EXECUTE FUNCTION billing.test_refuse_event()");
    try {
      const ids = [...willPrice, ...missing, doomed!].sort(); // interleaved by their random ids
      const answers = new Map((await Promise.all(ids.map(async (id) => [id, await issue(h, id)] as const))).map(([id, answer]) => [id, answer]));

      for (const id of willPrice) expect(answers.get(id)!.error).toBeUndefined();
      for (const id of missing) expect(answers.get(id)!.error?.extensions).toMatchObject({ code: "CONFLICT", reason: "PRICE_MISSING" });
      expect(answers.get(doomed!)!.error?.extensions?.code).toBe("INTERNAL");
      expect(await numbersOf(2032)).toEqual(sequence(2032, 1, 30));
      expect(await lastNumberOf(2032)).toBe(30);
      const [doomedRow] = await queryDatabase<{ status: string; number: string | null }>(
        h.db.url,
        "SELECT status, number FROM billing.invoices WHERE id = $1",
        [doomed],
      );
      expect(doomedRow).toEqual({ status: "DRAFT", number: null });
    } finally {
      await queryDatabase(h.db.url, "DROP TRIGGER test_refuse_event ON billing.outbox");
    }

    // Issued later, the doomed invoice and the once unpriced ones continue the sequence.
    expect((await issue(h, doomed!)).invoice?.number).toBe("2032-000031");
    await setPrice(h, unpriced.id, 500, 0, "2032-09-14");
    const late = await Promise.all(missing.map((id) => issue(h, id)));
    expect(late.filter((answer) => answer.error)).toEqual([]);
    expect(late.map((answer) => answer.invoice!.number).sort()).toEqual(sequence(2032, 32, 41));
    expect(await numbersOf(2032)).toEqual(sequence(2032, 1, 41));
  });

  it("start again at 1 in a new year (the clinic's time zone decides the year)", async () => {
    // 31 December 2034, 23:30 in Berlin: still 2034. Half an hour later: 2035.
    h.clock.now = new Date("2034-12-31T22:30:00Z");
    const service = newService(h, "Consultation", "CONSULTATION");
    await setPrice(h, service.id, 1000, 0, "2034-12-31");
    const [lastOfYear] = await confirmedVisits(1, service.id);
    h.clock.now = new Date("2034-12-31T23:00:00Z");
    const [firstOfYear] = await confirmedVisits(1, service.id);
    const numbers = await queryDatabase<{ id: string; number: string; visit_date: string }>(
      h.db.url,
      "SELECT id, number, visit_date::text AS visit_date FROM billing.invoices WHERE id = ANY($1::uuid[])",
      [[lastOfYear, firstOfYear]],
    );
    expect(Object.fromEntries(numbers.map((row) => [row.id, [row.number, row.visit_date]]))).toEqual({
      [lastOfYear!]: ["2034-000001", "2034-12-31"],
      [firstOfYear!]: ["2035-000001", "2035-01-01"],
    });
  });
});
