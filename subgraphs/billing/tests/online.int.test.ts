/**
 * Online payments with the local test provider (checkout page → signed webhook), webhooks' signatures and replays,
 * refunds, and the invoice PDF — through the subgraph's GraphQL and HTTP endpoints.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { STREAMS } from "@clinigraph/events";
import { queryDatabase } from "@clinigraph/testing";
import { PDFParse } from "pdf-parse";
import { startHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const billing = { userId: randomUUID(), role: "BILLING" as const };

/** An issued invoice of a new patient: a consultation at 80.00 and an X-ray at 45.50 + 19 % tax (total 134.14). */
async function issuedInvoice() {
  const consult = { id: randomUUID(), name: "Specialist consultation", kind: "CONSULTATION" };
  const xray = { id: randomUUID(), name: "X-ray chest", kind: "IMAGING" };
  h.services.set(consult.id, consult);
  h.services.set(xray.id, xray);
  const doctorId = randomUUID();
  h.consultations.set(doctorId, consult);
  for (const [service, amountMinor, taxRateBp] of [
    [consult, 8000, 0],
    [xray, 4550, 1900],
  ] as const) {
    const set = await h.call(`mutation($s: ID!, $p: MoneyInput!, $t: Int) { setServicePrice(serviceId: $s, price: $p, taxRateBp: $t) { id } }`, billing, {
      s: service.id,
      p: { amountMinor, currency: "EUR" },
      t: taxRateBp,
    });
    expect(set.errors).toBeUndefined();
  }
  const patientId = randomUUID();
  const encounter = {
    encounterId: randomUUID(),
    patientId,
    doctorId,
    doctorUserId: randomUUID(),
    appointmentId: null,
    status: "ARRIVED",
    actorId: null,
    pendingExaminations: 0,
  };
  await h.publish(STREAMS.clinical, [{ type: "EncounterRegistered", data: encounter }]);
  const exam = {
    examinationId: randomUUID(),
    encounterId: encounter.encounterId,
    patientId,
    doctorId,
    doctorUserId: encounter.doctorUserId,
    serviceId: xray.id,
    status: "PERFORMED",
    actorId: null,
    orderedAt: h.clock.now.toISOString(),
  };
  await h.publish(STREAMS.clinical, [
    { type: "ExaminationPerformed", data: exam },
    { type: "VisitOutcomeConfirmed", data: { ...encounter, status: "FINISHED" } },
  ]);
  const [row] = await queryDatabase<{ id: string; number: string }>(h.db.url, "SELECT id, number FROM billing.invoices WHERE patient_id = $1", [patientId]);
  return { invoiceId: row!.id, number: row!.number, patient: { userId: patientId, role: "PATIENT" as const } };
}

const PAY = `mutation($i: ID!, $k: String!) { payInvoice(invoiceId: $i, idempotencyKey: $k) { id status provider checkoutUrl amount { amountMinor } } }`;
const INVOICE = `query($i: ID!) { invoice(id: $i) { status paid { amountMinor } balance { amountMinor } payments { id kind method amount { amountMinor } refunded { amountMinor } } } }`;

describe("online payments with the test provider", () => {
  it("the patient pays on the checkout page; the webhook is applied once and a replay changes nothing", async () => {
    const { invoiceId, patient } = await issuedInvoice();
    const started = await h.call(PAY, patient, { i: invoiceId, k: `pay-${randomUUID()}` });
    expect(started.errors).toBeUndefined();
    const session = started.data!.payInvoice as { id: string; status: string; provider: string; checkoutUrl: string; amount: { amountMinor: number } };
    expect(session).toMatchObject({ status: "OPEN", provider: "test", amount: { amountMinor: 13414 } });
    const checkoutUrl = new URL(session.checkoutUrl);
    const base = new URL(h.url).origin;
    const page = await fetch(`${base}${checkoutUrl.pathname}`);
    expect(await page.text()).toContain("no money moves");

    const confirmed = await fetch(`${base}${checkoutUrl.pathname}/confirm`, { method: "POST" });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain("APPLIED");
    const after = await h.call(INVOICE, patient, { i: invoiceId });
    expect(after.data!.invoice).toMatchObject({ status: "PAID", paid: { amountMinor: 13414 }, balance: { amountMinor: 0 } });

    // A replayed webhook (the same event id) changes nothing.
    const provider = h.running.deps.provider as unknown as { signedWebhook(s: string, o: "SUCCEEDED"): { body: Buffer; signature: string } };
    const webhook = provider.signedWebhook(session.id, "SUCCEEDED");
    const post = () =>
      fetch(`${base}/webhooks/test`, {
        method: "POST",
        headers: { "content-type": "application/json", "clinigraph-signature": webhook.signature },
        body: new Uint8Array(webhook.body),
      });
    expect(await (await post()).json()).toEqual({ result: "IGNORED" }); // the session is closed already
    expect(await (await post()).json()).toEqual({ result: "REPLAYED" });
    const payments = await queryDatabase(h.db.url, "SELECT id FROM billing.payments WHERE invoice_id = $1", [invoiceId]);
    expect(payments).toHaveLength(1);
  });

  it("refuses a webhook with a bad signature", async () => {
    const { invoiceId, patient } = await issuedInvoice();
    const started = await h.call(PAY, patient, { i: invoiceId, k: `pay-${randomUUID()}` });
    const session = started.data!.payInvoice as { id: string };
    const provider = h.running.deps.provider as unknown as { signedWebhook(s: string, o: "SUCCEEDED"): { body: Buffer; signature: string } };
    const webhook = provider.signedWebhook(session.id, "SUCCEEDED");
    const forged = Buffer.from(webhook.body.toString().replace("payment.succeeded", "payment.succeeded "));
    const res = await fetch(`${new URL(h.url).origin}/webhooks/test`, {
      method: "POST",
      headers: { "clinigraph-signature": webhook.signature },
      body: new Uint8Array(forged),
    });
    expect(res.status).toBe(400);
    const res2 = await fetch(`${new URL(h.url).origin}/webhooks/test`, {
      method: "POST",
      headers: { "clinigraph-signature": "t=1,v1=00" },
      body: new Uint8Array(webhook.body),
    });
    expect(res2.status).toBe(400);
    expect((await h.call(INVOICE, patient, { i: invoiceId })).data!.invoice).toMatchObject({ status: "ISSUED" });
  });

  it("the same key twice is one session; another patient's invoice is refused", async () => {
    const { invoiceId, patient } = await issuedInvoice();
    const key = `pay-${randomUUID()}`;
    const [a, b] = await Promise.all([h.call(PAY, patient, { i: invoiceId, k: key }), h.call(PAY, patient, { i: invoiceId, k: key })]);
    expect((a.data!.payInvoice as { id: string }).id).toBe((b.data!.payInvoice as { id: string }).id);
    const other = await h.call(PAY, { userId: randomUUID(), role: "PATIENT" }, { i: invoiceId, k: `pay-${randomUUID()}` });
    expect(other.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("refunds", () => {
  const REFUND = `mutation($p: ID!, $a: Int!, $r: String!) { refundPayment(paymentId: $p, amount: { amountMinor: $a, currency: "EUR" }, reason: $r) { id kind amount { amountMinor } } }`;
  const PAY_DESK = `mutation($i: ID!, $a: Int!, $k: String!) { recordPayment(invoiceId: $i, amount: { amountMinor: $a, currency: "EUR" }, method: CARD, idempotencyKey: $k) { id } }`;

  it("up to what was paid and not yet refunded; the invoice's status moves back", async () => {
    const { invoiceId, patient } = await issuedInvoice();
    const paid = await h.call(PAY_DESK, billing, { i: invoiceId, a: 13414, k: `desk-${randomUUID()}` });
    const paymentId = (paid.data!.recordPayment as { id: string }).id;
    const tooMuch = await h.call(REFUND, billing, { p: paymentId, a: 13415, r: "Charged twice" });
    expect(tooMuch.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "REFUND_EXCEEDS_PAID" });
    const part = await h.call(REFUND, billing, { p: paymentId, a: 4000, r: "Goodwill" });
    expect(part.data!.refundPayment).toMatchObject({ kind: "REFUND", amount: { amountMinor: 4000 } });
    expect((await h.call(INVOICE, patient, { i: invoiceId })).data!.invoice).toMatchObject({ status: "PARTIALLY_PAID", paid: { amountMinor: 9414 } });
    const rest = await h.call(REFUND, billing, { p: paymentId, a: 9415, r: "More than left" });
    expect(rest.errors?.[0]?.extensions?.reason).toBe("REFUND_EXCEEDS_PAID");
    expect((await h.call(REFUND, billing, { p: paymentId, a: 9414, r: "Visit disputed" })).errors).toBeUndefined();
    expect((await h.call(INVOICE, patient, { i: invoiceId })).data!.invoice).toMatchObject({ status: "ISSUED", paid: { amountMinor: 0 } });
    expect((await h.call(REFUND, { userId: randomUUID(), role: "RECEPTIONIST" }, { p: paymentId, a: 1, r: "x" })).errors?.[0]?.extensions?.code).toBe(
      "FORBIDDEN",
    );
    expect((await h.call(REFUND, billing, { p: paymentId, a: 1, r: "   " })).errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "reason",
    });
  });
});

describe("the invoice PDF", () => {
  it("parses and holds the clinic, the number, the lines and the total", async () => {
    const { invoiceId, number, patient } = await issuedInvoice();
    const res = await h.call(`query($i: ID!) { invoicePdf(id: $i) { filename contentType base64 } }`, patient, { i: invoiceId });
    const doc = res.data!.invoicePdf as { filename: string; contentType: string; base64: string };
    expect(doc).toMatchObject({ filename: `invoice-${number}.pdf`, contentType: "application/pdf" });
    const parser = new PDFParse({ data: Buffer.from(doc.base64, "base64") });
    const { text } = await parser.getText();
    await parser.destroy();
    expect(text).toContain(number);
    expect(text).toContain("X-ray chest");
    expect(text).toContain("€134.14");
    const refused = await h.call(`query($i: ID!) { invoicePdf(id: $i) { filename } }`, { userId: randomUUID(), role: "DOCTOR" }, { i: invoiceId });
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("the read audit", () => {
  it("a staff read of a patient's invoice is a PatientRecordAccessed event (INVOICE_READ); the patient's own is not", async () => {
    const { invoiceId, patient } = await issuedInvoice();
    const audited = () =>
      queryDatabase<{ payload: { patientId: string; action: string; actorRole: string } }>(
        h.db.url,
        "SELECT payload FROM billing.outbox WHERE type = 'PatientRecordAccessed' AND payload->>'patientId' = $1",
        [patient.userId],
      );
    await h.call(INVOICE, patient, { i: invoiceId });
    expect(await audited()).toEqual([]);
    await h.call(INVOICE, { userId: randomUUID(), role: "RECEPTIONIST" }, { i: invoiceId });
    expect((await audited()).map((row) => [row.payload.action, row.payload.actorRole])).toEqual([["INVOICE_READ", "RECEPTIONIST"]]);
  });
});

describe("credit notes", () => {
  const CREDIT = `mutation($i: ID!, $r: String!) { issueCreditNote(invoiceId: $i, reason: $r) { id number status kind reason total { amountMinor } lines { total { amountMinor } } creditFor { id status } } }`;

  it("void an issued invoice with its negative, numbered in the same sequence; once only; not while it holds payments", async () => {
    const { invoiceId, number } = await issuedInvoice();
    const credited = await h.call(CREDIT, billing, { i: invoiceId, r: "Wrong doctor billed" });
    expect(credited.errors).toBeUndefined();
    const note = credited.data!.issueCreditNote as {
      number: string;
      status: string;
      kind: string;
      reason: string;
      total: { amountMinor: number };
      lines: unknown[];
      creditFor: { id: string; status: string };
    };
    expect(note).toMatchObject({
      status: "ISSUED",
      kind: "CREDIT_NOTE",
      reason: "Wrong doctor billed",
      total: { amountMinor: -13414 },
      creditFor: { id: invoiceId, status: "VOID" },
    });
    expect(note.lines).toEqual([{ total: { amountMinor: -8000 } }, { total: { amountMinor: -5414 } }]);
    expect(Number(note.number.slice(5))).toBeGreaterThan(Number(number.slice(5)));
    expect((await h.call(CREDIT, billing, { i: invoiceId, r: "again" })).errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "INVALID_STATE" });
    const events = await queryDatabase<{ type: string }>(h.db.url, "SELECT type FROM billing.outbox WHERE aggregate_id = $1 AND type = 'InvoiceVoided'", [
      invoiceId,
    ]);
    expect(events).toHaveLength(1);

    const paid = await issuedInvoice();
    await h.call(
      `mutation($i: ID!) { recordPayment(invoiceId: $i, amount: { amountMinor: 100, currency: "EUR" }, method: CASH, idempotencyKey: "credit-${randomUUID()}") { id } }`,
      billing,
      { i: paid.invoiceId },
    );
    expect((await h.call(CREDIT, billing, { i: paid.invoiceId, r: "x" })).errors?.[0]?.extensions?.reason).toBe("INVALID_STATE");
    expect((await h.call(CREDIT, { userId: randomUUID(), role: "RECEPTIONIST" }, { i: paid.invoiceId, r: "x" })).errors?.[0]?.extensions?.code).toBe(
      "FORBIDDEN",
    );
  });
});
