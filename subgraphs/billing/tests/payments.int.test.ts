/**
 * Payments at the desk: idempotent under a storm of retries, adding up under concurrency, partial and over-payments,
 * and the input refused field by field.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { STREAMS } from "@clinigraph/events";
import { queryDatabase } from "@clinigraph/testing";
import { startHarness, type Harness } from "./support/harness.js";
import { as, BILLING, confirmedVisit, encounterData, invoiceOfEncounter, newVisitors, setPrice } from "./support/visits.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ now: new Date("2027-06-01T08:00:00Z") });
});

afterAll(async () => {
  await h?.stop();
});

/** An ISSUED invoice of `totalMinor` (untaxed consultation of a walk-in). */
async function issuedInvoice(totalMinor: number) {
  const v = newVisitors(h);
  await setPrice(h, v.consultation.id, totalMinor);
  const encounter = await confirmedVisit(h, v);
  const invoice = (await invoiceOfEncounter(h, encounter.encounterId))!;
  expect(invoice).toMatchObject({ status: "ISSUED", total: { amountMinor: totalMinor } });
  return { ...invoice, encounterId: encounter.encounterId };
}

const key = () => `desk-${randomUUID()}`;

interface PaymentAnswer {
  id: string;
  kind: string;
  method: string;
  amount: { amountMinor: number; currency: string };
  credit: { amountMinor: number };
  refunded: { amountMinor: number };
  createdAt: string;
}

async function pay(
  invoiceId: string,
  amountMinor: number,
  idempotencyKey: string,
  options: { method?: string; currency?: string; caller?: ReturnType<typeof as> } = {},
) {
  const res = await h.call(
    `mutation ($i: ID!, $a: MoneyInput!, $m: PaymentMethod!, $k: String!) {
       recordPayment(invoiceId: $i, amount: $a, method: $m, idempotencyKey: $k) {
         id kind method amount { amountMinor currency } credit { amountMinor } refunded { amountMinor } createdAt
       }
     }`,
    options.caller ?? as("RECEPTIONIST"),
    { i: invoiceId, a: { amountMinor, currency: options.currency ?? "EUR" }, m: options.method ?? "CASH", k: idempotencyKey },
  );
  return { payment: (res.data?.recordPayment ?? null) as PaymentAnswer | null, error: res.errors?.[0] };
}

const paymentRows = (invoiceId: string) =>
  queryDatabase<{ id: string; amount_minor: number; credit_minor: number; idempotency_key: string; method: string }>(
    h.db.url,
    "SELECT id, amount_minor, credit_minor, idempotency_key, method FROM billing.payments WHERE invoice_id = $1",
    [invoiceId],
  );

const paymentEvents = (invoiceId: string) =>
  queryDatabase<{ payload: { paymentId: string; amountMinor: number } }>(
    h.db.url,
    "SELECT payload FROM billing.outbox WHERE payload->>'invoiceId' = $1 AND type = 'PaymentReceived' ORDER BY sequence",
    [invoiceId],
  );

const invoiceState = async (encounterId: string) => {
  const invoice = (await invoiceOfEncounter(h, encounterId))!;
  return { status: invoice.status, paid: invoice.paid.amountMinor, balance: invoice.balance.amountMinor, payments: invoice.payments.length };
};

describe("idempotency", () => {
  it("makes the same key sent 20 times at once one payment, answered with the same id every time", async () => {
    const invoice = await issuedInvoice(8000);
    const k = key();
    const answers = await Promise.all(Array.from({ length: 20 }, () => pay(invoice.id, 3000, k, { method: "CARD" })));

    expect(answers.filter((answer) => answer.error)).toEqual([]);
    const ids = new Set(answers.map((answer) => answer.payment!.id));
    expect(ids.size).toBe(1);
    expect(answers[0]!.payment).toMatchObject({ kind: "PAYMENT", method: "CARD", amount: { amountMinor: 3000, currency: "EUR" }, credit: { amountMinor: 0 } });
    const rows = await paymentRows(invoice.id);
    expect(rows).toEqual([{ id: [...ids][0], amount_minor: 3000, credit_minor: 0, idempotency_key: k, method: "CARD" }]);
    expect(await invoiceState(invoice.encounterId)).toEqual({ status: "PARTIALLY_PAID", paid: 3000, balance: 5000, payments: 1 });
    expect((await paymentEvents(invoice.id)).map((event) => event.payload)).toEqual([expect.objectContaining({ paymentId: [...ids][0], amountMinor: 3000 })]);
  });

  it("answers a retry after the invoice was settled with the payment that settled it", async () => {
    const invoice = await issuedInvoice(1200);
    const k = key();
    const first = await pay(invoice.id, 1200, k);
    expect(first.error).toBeUndefined();
    const again = await pay(invoice.id, 1200, k);
    expect(again).toEqual(first);
    expect(await paymentRows(invoice.id)).toHaveLength(1);
  });

  it("refuses a key used for another amount, invoice or method (CONFLICT IDEMPOTENCY_KEY_REUSED) and records nothing", async () => {
    const invoice = await issuedInvoice(5000);
    const other = await issuedInvoice(5000);
    const k = key();
    expect((await pay(invoice.id, 2000, k)).error).toBeUndefined();

    for (const attempt of [pay(invoice.id, 2500, k), pay(other.id, 2000, k), pay(invoice.id, 2000, k, { method: "CARD" })]) {
      const { payment, error } = await attempt;
      expect(payment).toBeNull();
      expect(error?.extensions).toMatchObject({ code: "CONFLICT", reason: "IDEMPOTENCY_KEY_REUSED" });
    }
    expect(await paymentRows(invoice.id)).toHaveLength(1);
    expect(await paymentRows(other.id)).toEqual([]);
    expect(await invoiceState(invoice.encounterId)).toMatchObject({ paid: 2000 });
    expect(await invoiceState(other.encounterId)).toMatchObject({ status: "ISSUED", paid: 0 });
  });

  it("refuses one of two concurrent payments with the same key for different invoices as a reuse, not an internal error", async () => {
    const first = await issuedInvoice(3000);
    const second = await issuedInvoice(3000);
    const k = key();
    const answers = await Promise.all([pay(first.id, 1000, k), pay(second.id, 1000, k)]);

    expect(answers.filter((answer) => answer.payment)).toHaveLength(1);
    expect(answers.find((answer) => answer.error)?.error?.extensions).toMatchObject({ code: "CONFLICT", reason: "IDEMPOTENCY_KEY_REUSED" });
    expect((await paymentRows(first.id)).length + (await paymentRows(second.id)).length).toBe(1);
  });
});

describe("amounts", () => {
  it("moves the invoice to PARTIALLY_PAID on a part of it, and to PAID on the rest", async () => {
    h.clock.now = new Date("2027-06-01T10:00:00Z");
    const invoice = await issuedInvoice(10000);
    const part = await pay(invoice.id, 3500, key());
    expect(part.payment).toMatchObject({ amount: { amountMinor: 3500 }, credit: { amountMinor: 0 } });
    expect(await invoiceState(invoice.encounterId)).toEqual({ status: "PARTIALLY_PAID", paid: 3500, balance: 6500, payments: 1 });

    h.clock.now = new Date("2027-06-01T10:05:00Z");
    const rest = await pay(invoice.id, 6500, key(), { method: "CARD", caller: BILLING() });
    expect(rest.payment).toMatchObject({ amount: { amountMinor: 6500 }, credit: { amountMinor: 0 } });
    expect(await invoiceState(invoice.encounterId)).toEqual({ status: "PAID", paid: 10000, balance: 0, payments: 2 });
    const read = (await invoiceOfEncounter(h, invoice.encounterId))!;
    expect(read.payments.map((payment) => [payment.id, payment.method, payment.amount.amountMinor, payment.createdAt])).toEqual([
      [part.payment!.id, "CASH", 3500, "2027-06-01T10:00:00.000Z"],
      [rest.payment!.id, "CARD", 6500, "2027-06-01T10:05:00.000Z"],
    ]);
  });

  it("keeps what is paid beyond the balance as the patient's credit and settles the invoice", async () => {
    const invoice = await issuedInvoice(4000);
    await pay(invoice.id, 1000, key());
    const over = await pay(invoice.id, 5000, key());
    expect(over.error).toBeUndefined();
    expect(over.payment).toMatchObject({ amount: { amountMinor: 5000 }, credit: { amountMinor: 2000 } }); // balance was 3000
    expect(await invoiceState(invoice.encounterId)).toEqual({ status: "PAID", paid: 4000, balance: 0, payments: 2 });
  });

  it("adds up concurrent payments with different keys: the one crossing the total leaves credit, those after it are refused", async () => {
    const invoice = await issuedInvoice(4750);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => pay(invoice.id, 500, key(), { method: i % 2 ? "CARD" : "CASH" })));

    // Nine payments make 4500; the tenth settles the last 250 and 250 is credit; the invoice is PAID for the other two.
    const taken = answers.filter((answer) => answer.payment);
    expect(taken).toHaveLength(10);
    expect(new Set(taken.map((answer) => answer.payment!.id)).size).toBe(10);
    expect(answers.filter((answer) => answer.error).map((answer) => answer.error!.extensions)).toEqual([
      { code: "CONFLICT", reason: "INVOICE_NOT_PAYABLE" },
      { code: "CONFLICT", reason: "INVOICE_NOT_PAYABLE" },
    ]);
    expect(taken.map((answer) => answer.payment!.credit.amountMinor).sort((a, b) => b - a)).toEqual([250, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const rows = await paymentRows(invoice.id);
    expect(rows).toHaveLength(10);
    expect(rows.reduce((sum, row) => sum + row.amount_minor - row.credit_minor, 0)).toBe(4750);
    expect(await invoiceState(invoice.encounterId)).toEqual({ status: "PAID", paid: 4750, balance: 0, payments: 10 });
    expect(await paymentEvents(invoice.id)).toHaveLength(10);
  });

  it("adds up concurrent payments that stay below the total", async () => {
    const invoice = await issuedInvoice(10000);
    const amounts = [100, 250, 333, 1000, 17, 2000, 1];
    const answers = await Promise.all(amounts.map((amountMinor) => pay(invoice.id, amountMinor, key())));
    expect(answers.filter((answer) => answer.error)).toEqual([]);
    expect(await invoiceState(invoice.encounterId)).toEqual({ status: "PARTIALLY_PAID", paid: 3701, balance: 6299, payments: 7 });
  });
});

describe("what cannot be paid", () => {
  it("refuses a payment on a DRAFT (CONFLICT INVOICE_NOT_PAYABLE)", async () => {
    const v = newVisitors(h); // no price: the invoice stays a draft
    const encounter = encounterData(v);
    await h.publish(STREAMS.clinical, [{ type: "EncounterRegistered", data: encounter }]);
    const draft = (await invoiceOfEncounter(h, encounter.encounterId))!;
    expect(draft.status).toBe("DRAFT");

    const { payment, error } = await pay(draft.id, 1000, key());
    expect(payment).toBeNull();
    expect(error?.extensions).toMatchObject({ code: "CONFLICT", reason: "INVOICE_NOT_PAYABLE" });
    expect(await paymentRows(draft.id)).toEqual([]);
  });

  it("refuses a new payment on a PAID invoice, and on one that was free", async () => {
    const invoice = await issuedInvoice(700);
    await pay(invoice.id, 700, key());
    const after = await pay(invoice.id, 100, key());
    expect(after.error?.extensions).toMatchObject({ code: "CONFLICT", reason: "INVOICE_NOT_PAYABLE" });
    expect(await paymentRows(invoice.id)).toHaveLength(1);

    const v = newVisitors(h);
    await setPrice(h, v.consultation.id, 0);
    const free = (await invoiceOfEncounter(h, (await confirmedVisit(h, v)).encounterId))!;
    expect(free.status).toBe("PAID");
    expect((await pay(free.id, 100, key())).error?.extensions).toMatchObject({ code: "CONFLICT", reason: "INVOICE_NOT_PAYABLE" });
  });

  it("answers NOT_FOUND for an invoice that does not exist", async () => {
    expect((await pay(randomUUID(), 100, key())).error?.extensions?.code).toBe("NOT_FOUND");
  });
});

describe("input", () => {
  it.each([
    ["another currency", { currency: "USD" }, "amount.currency"],
    ["a lower-case currency", { currency: "eur" }, "amount.currency"],
    ["a zero amount", { amountMinor: 0 }, "amount.amountMinor"],
    ["a negative amount", { amountMinor: -500 }, "amount.amountMinor"],
    ["an amount beyond the maximum", { amountMinor: 1_000_000_001 }, "amount.amountMinor"],
    ["ONLINE at the desk", { method: "ONLINE" }, "method"],
    ["a key too short", { idempotencyKey: "short" }, "idempotencyKey"],
    ["a key with spaces", { idempotencyKey: "desk key with spaces" }, "idempotencyKey"],
    ["a key too long", { idempotencyKey: "k".repeat(129) }, "idempotencyKey"],
    ["an invoice id that is no id", { invoiceId: "invoice-1" }, "invoiceId"],
  ])("refuses %s (BAD_USER_INPUT naming the field) and records nothing", async (_name, change: Record<string, unknown>, field) => {
    const invoice = await issuedInvoice(2000);
    const input = { invoiceId: invoice.id, amountMinor: 1000, idempotencyKey: key(), method: "CASH", currency: "EUR", ...change };
    const { payment, error } = await pay(input.invoiceId as string, input.amountMinor as number, input.idempotencyKey as string, {
      method: input.method as string,
      currency: input.currency as string,
    });
    expect(payment).toBeNull();
    expect(error?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(await paymentRows(invoice.id)).toEqual([]);
  });

  it("accepts a key of exactly 8 and of 128 allowed characters", async () => {
    const invoice = await issuedInvoice(2000);
    const short = `k${randomUUID().slice(0, 7)}`;
    const long = `${randomUUID()}:${"A._-".repeat(23)}`.slice(0, 128);
    expect(long).toHaveLength(128);
    expect((await pay(invoice.id, 100, short)).error).toBeUndefined();
    expect((await pay(invoice.id, 100, long)).error).toBeUndefined();
    expect(await paymentRows(invoice.id)).toHaveLength(2);
  });
});
