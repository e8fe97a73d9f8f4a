/**
 * The patient's credit and prepayments: an overpayment is credit that the next invoice spends; an appointment paid
 * ahead online is credit held for its visit, spent by the visit's invoice, or refunded through the provider when the
 * appointment is cancelled or rejected (once, whatever is redelivered) — after paying a late-cancellation fee.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { STREAMS } from "@clinigraph/events";
import { queryDatabase } from "@clinigraph/testing";
import type { TestProvider } from "../src/providers/testProvider.js";
import { startHarness, type Harness } from "./support/harness.js";
import { appointmentData, as, BILLING, confirmedVisit, invoiceOfEncounter, newVisitors, setPrice, type Visitors } from "./support/visits.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { LATE_CANCELLATION_FEE_MINOR: "1500", LATE_CANCELLATION_HOURS: "24" } });
});
afterAll(async () => {
  await h?.stop();
});

const provider = () => h.running.deps.provider as TestProvider;
const patientOf = (v: Visitors) => as("PATIENT", v.patientId);
const money = `{ amountMinor currency }`;
const ACCOUNT = `query { myBillingAccount { patient { id } credit ${money} prepaid ${money} outstanding ${money} } }`;

async function account(v: Visitors) {
  const res = await h.call(ACCOUNT, patientOf(v));
  expect(res.errors).toBeUndefined();
  const a = res.data!.myBillingAccount as Record<string, { amountMinor: number }>;
  return { credit: a.credit!.amountMinor, prepaid: a.prepaid!.amountMinor, outstanding: a.outstanding!.amountMinor };
}

async function pay(invoiceId: string, amountMinor: number) {
  const res = await h.call(
    `mutation($i: ID!, $a: MoneyInput!, $k: String!) { recordPayment(invoiceId: $i, amount: $a, method: CASH, idempotencyKey: $k) { id credit { amountMinor } } }`,
    as("RECEPTIONIST"),
    { i: invoiceId, a: { amountMinor, currency: "EUR" }, k: `desk-${randomUUID()}` },
  );
  expect(res.errors).toBeUndefined();
  return res.data!.recordPayment as { id: string; credit: { amountMinor: number } };
}

/** A booked appointment two days ahead, as scheduling announces it. */
async function booked(v: Visitors, startsAt = "2027-03-03T09:00:00.000Z") {
  const data = appointmentData(v, null, startsAt, { status: "BOOKED", actorId: v.doctorUserId });
  await h.publish(STREAMS.appointments, [{ type: "AppointmentBooked", data }]);
  return data;
}

const PREPAY = `mutation($a: ID!, $k: String!) { prepayAppointment(appointmentId: $a, idempotencyKey: $k) { id status provider checkoutUrl amount ${money} } }`;

/** Prepays the appointment with the test provider: starts the session and confirms it on the checkout page. */
async function prepaid(v: Visitors, appointmentId: string) {
  const res = await h.call(PREPAY, patientOf(v), { a: appointmentId, k: `prepay-${randomUUID()}` });
  expect(res.errors).toBeUndefined();
  const session = res.data!.prepayAppointment as { id: string; checkoutUrl: string; amount: { amountMinor: number } };
  const confirmed = await fetch(`${new URL(h.url).origin}${new URL(session.checkoutUrl).pathname}/confirm`, { method: "POST" });
  expect(await confirmed.text()).toContain("APPLIED");
  return session;
}

const prepaymentOf = async (v: Visitors, appointmentId: string) => {
  const res = await h.call(
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on Appointment { prepayment { id method amount ${money} credit ${money} creditLeft ${money} refunded ${money} invoice { id } appointment { id } } } } }`,
    patientOf(v),
    { r: [{ __typename: "Appointment", id: appointmentId }] },
  );
  expect(res.errors).toBeUndefined();
  return (res.data!._entities as { prepayment: Record<string, unknown> | null }[])[0]!.prepayment;
};

const providerRefOf = async (paymentId: string) =>
  (await queryDatabase<{ provider_ref: string }>(h.db.url, "SELECT provider_ref FROM billing.payments WHERE id = $1", [paymentId]))[0]!.provider_ref;

describe("credit from an overpayment", () => {
  it("is shown on the patient's account and pays the next invoice when it is issued", async () => {
    const v = newVisitors(h);
    await setPrice(h, v.consultation.id, 5000);
    const first = await invoiceOfEncounter(h, (await confirmedVisit(h, v)).encounterId);
    expect(first).toMatchObject({ status: "ISSUED", total: { amountMinor: 5000 } });
    expect(await account(v)).toEqual({ credit: 0, prepaid: 0, outstanding: 5000 });

    expect((await pay(first!.id, 7000)).credit.amountMinor).toBe(2000);
    expect(await account(v)).toEqual({ credit: 2000, prepaid: 0, outstanding: 0 });

    const second = await invoiceOfEncounter(h, (await confirmedVisit(h, v)).encounterId);
    expect(second).toMatchObject({ status: "PARTIALLY_PAID", paid: { amountMinor: 2000 }, balance: { amountMinor: 3000 } });
    expect(second!.payments).toEqual([expect.objectContaining({ kind: "PAYMENT", method: "CREDIT", amount: { amountMinor: 2000, currency: "EUR" } })]);
    expect(await account(v)).toEqual({ credit: 0, prepaid: 0, outstanding: 3000 });
  });

  it("is applied by the desk to an invoice issued before it arose; the spent part cannot be refunded twice", async () => {
    const v = newVisitors(h);
    await setPrice(h, v.consultation.id, 4000);
    const older = await invoiceOfEncounter(h, (await confirmedVisit(h, v)).encounterId);
    const newer = await invoiceOfEncounter(h, (await confirmedVisit(h, v)).encounterId);
    const over = await pay(newer!.id, 5000); // 1000 beyond the newer invoice
    const applied = await h.call(`mutation($i: ID!) { applyCredit(invoiceId: $i) { status paid ${money} balance ${money} } }`, as("BILLING"), { i: older!.id });
    expect(applied.errors).toBeUndefined();
    expect(applied.data!.applyCredit).toEqual({
      status: "PARTIALLY_PAID",
      paid: { amountMinor: 1000, currency: "EUR" },
      balance: { amountMinor: 3000, currency: "EUR" },
    });
    expect(await account(v)).toEqual({ credit: 0, prepaid: 0, outstanding: 3000 });

    // The overpaying payment can give back what it paid of its own invoice, not the credit the older invoice spent.
    const refund = (amountMinor: number) =>
      h.call(`mutation($p: ID!, $a: MoneyInput!) { refundPayment(paymentId: $p, amount: $a, reason: "Paid twice") { id } }`, BILLING(), {
        p: over.id,
        a: { amountMinor, currency: "EUR" },
      });
    expect((await refund(4001)).errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "REFUND_EXCEEDS_PAID" });
    expect((await refund(4000)).errors).toBeUndefined();
  });

  it("is spent once when two invoices of the patient are issued at the same moment", async () => {
    const v = newVisitors(h);
    await setPrice(h, v.consultation.id, 3000);
    const first = await invoiceOfEncounter(h, (await confirmedVisit(h, v)).encounterId);
    await pay(first!.id, 5000); // 2000 credit
    const drafts = [];
    const other = newVisitors(h); // a doctor whose consultation has no price yet: the drafts wait for it
    for (let i = 0; i < 6; i++) drafts.push((await invoiceOfEncounter(h, (await confirmedVisit(h, { ...other, patientId: v.patientId })).encounterId))!);
    expect(drafts.every((draft) => draft.status === "DRAFT")).toBe(true);
    await setPrice(h, other.consultation.id, 1000);
    const issued = await Promise.all(
      drafts.map((draft) => h.call(`mutation($i: ID!) { issueInvoice(id: $i) { paid { amountMinor } } }`, BILLING(), { i: draft.id })),
    );
    expect(issued.map((res) => res.errors)).toEqual(drafts.map(() => undefined));
    const paid = issued.map((res) => (res.data!.issueInvoice as { paid: { amountMinor: number } }).paid.amountMinor);
    expect(paid.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(await account(v)).toEqual({ credit: 0, prepaid: 0, outstanding: 4000 });
  });
});

describe("prepaying an appointment", () => {
  it("holds the money for the visit, whose invoice spends it when issued", async () => {
    const v = newVisitors(h);
    await setPrice(h, v.consultation.id, 6000, 1000); // 60.00 + 10 % = 66.00
    const appointment = await booked(v);
    const session = await prepaid(v, appointment.appointmentId);
    expect(session.amount.amountMinor).toBe(6600);
    expect(await account(v)).toEqual({ credit: 0, prepaid: 6600, outstanding: 0 });
    expect(await prepaymentOf(v, appointment.appointmentId)).toMatchObject({
      method: "ONLINE",
      amount: { amountMinor: 6600 },
      creditLeft: { amountMinor: 6600 },
      invoice: null,
      appointment: { id: appointment.appointmentId },
    });

    // Twice is refused; another patient's appointment is not found.
    const again = await h.call(PREPAY, patientOf(v), { a: appointment.appointmentId, k: `prepay-${randomUUID()}` });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "ALREADY_PREPAID" });
    const stranger = await h.call(PREPAY, as("PATIENT"), { a: appointment.appointmentId, k: `prepay-${randomUUID()}` });
    expect(stranger.errors?.[0]?.extensions).toMatchObject({ code: "NOT_FOUND" });

    await h.publish(STREAMS.appointments, [{ type: "PatientCheckedIn", data: { ...appointment, status: "CHECKED_IN" } }]);
    const encounter = await confirmedVisit(h, v, { appointmentId: appointment.appointmentId });
    await h.publish(STREAMS.appointments, [{ type: "AppointmentFulfilled", data: { ...appointment, status: "FULFILLED" } }]);
    const invoice = await invoiceOfEncounter(h, encounter.encounterId);
    expect(invoice).toMatchObject({ status: "PAID", total: { amountMinor: 6600 }, paid: { amountMinor: 6600 } });
    expect(invoice!.payments.map((p) => p.method)).toEqual(["CREDIT"]);
    expect(await account(v)).toEqual({ credit: 0, prepaid: 0, outstanding: 0 });
    // The issue event (the patient's e-mail) already says nothing is due.
    const [issuedEvent] = await queryDatabase<{ payload: Record<string, unknown> }>(
      h.db.url,
      "SELECT payload FROM billing.outbox WHERE aggregate_id = $1 AND type = 'InvoiceIssued'",
      [invoice!.id],
    );
    expect(issuedEvent!.payload).toMatchObject({ status: "PAID", totalMinor: 6600, paidMinor: 6600 });
  });

  it("is refunded through the provider when the appointment is cancelled, once however often the event comes", async () => {
    const v = newVisitors(h);
    await setPrice(h, v.consultation.id, 4000);
    const appointment = await booked(v, "2027-03-10T09:00:00.000Z");
    await prepaid(v, appointment.appointmentId);
    const prepayment = (await prepaymentOf(v, appointment.appointmentId)) as { id: string };
    const cancelled = { type: "AppointmentCancelled" as const, data: { ...appointment, status: "CANCELLED", actorId: v.patientId }, id: randomUUID() };
    await h.publish(STREAMS.appointments, [cancelled]);
    await h.publish(STREAMS.appointments, [cancelled]);

    expect(provider().refundsOf(await providerRefOf(prepayment.id))).toEqual([{ refundRef: expect.any(String), amountMinor: 4000 }]);
    expect(await prepaymentOf(v, appointment.appointmentId)).toMatchObject({ refunded: { amountMinor: 4000 }, creditLeft: { amountMinor: 0 } });
    expect(await account(v)).toEqual({ credit: 0, prepaid: 0, outstanding: 0 });
    const refunds = await queryDatabase<{ reason: string; amount_minor: number }>(
      h.db.url,
      "SELECT reason, amount_minor FROM billing.payments WHERE refund_of = $1",
      [prepayment.id],
    );
    expect(refunds).toEqual([{ reason: "Appointment cancelled: prepayment returned", amount_minor: 4000 }]);
  });

  it("pays a late-cancellation fee first and refunds the rest", async () => {
    const v = newVisitors(h);
    await setPrice(h, v.consultation.id, 4000);
    const appointment = await booked(v, "2027-03-01T20:00:00.000Z"); // 11 h ahead of the harness's clock
    await prepaid(v, appointment.appointmentId);
    const prepayment = (await prepaymentOf(v, appointment.appointmentId)) as { id: string };
    await h.publish(STREAMS.appointments, [
      { type: "AppointmentCancelled", data: { ...appointment, status: "CANCELLED", actorId: v.patientId }, time: h.clock.now.toISOString() },
    ]);
    const fee = await queryDatabase<{ status: string; total_minor: number; paid_minor: number }>(
      h.db.url,
      "SELECT status, total_minor, paid_minor FROM billing.invoices WHERE patient_id = $1",
      [v.patientId],
    );
    expect(fee).toEqual([{ status: "PAID", total_minor: 1500, paid_minor: 1500 }]);
    expect(provider().refundsOf(await providerRefOf(prepayment.id))).toEqual([{ refundRef: expect.any(String), amountMinor: 2500 }]);
    expect(await account(v)).toEqual({ credit: 0, prepaid: 0, outstanding: 0 });
  });

  it("whose money arrives after the appointment was rejected goes straight back", async () => {
    const v = newVisitors(h);
    await setPrice(h, v.consultation.id, 3500);
    const appointment = appointmentData(v, null, "2027-03-12T09:00:00.000Z", { status: "PENDING", actorId: v.patientId });
    await h.publish(STREAMS.appointments, [{ type: "AppointmentRequested", data: appointment }]);
    const res = await h.call(PREPAY, patientOf(v), { a: appointment.appointmentId, k: `prepay-${randomUUID()}` });
    expect(res.errors).toBeUndefined();
    const session = res.data!.prepayAppointment as { checkoutUrl: string };
    await h.publish(STREAMS.appointments, [{ type: "AppointmentRejected", data: { ...appointment, status: "REJECTED", actorId: v.doctorUserId } }]);
    await fetch(`${new URL(h.url).origin}${new URL(session.checkoutUrl).pathname}/confirm`, { method: "POST" });

    const prepayment = (await prepaymentOf(v, appointment.appointmentId)) as { id: string };
    expect(prepayment).toMatchObject({ amount: { amountMinor: 3500 }, refunded: { amountMinor: 3500 } });
    expect(provider().refundsOf(await providerRefOf(prepayment.id))).toEqual([{ refundRef: expect.any(String), amountMinor: 3500 }]);
    expect(await account(v)).toEqual({ credit: 0, prepaid: 0, outstanding: 0 });
  });

  it("is refused for an appointment that has begun or is closed, without a price, or for staff", async () => {
    const v = newVisitors(h);
    const noPrice = await booked(v, "2027-03-04T09:00:00.000Z");
    expect((await h.call(PREPAY, patientOf(v), { a: noPrice.appointmentId, k: `prepay-${randomUUID()}` })).errors?.[0]?.extensions).toMatchObject({
      code: "CONFLICT",
      reason: "PRICE_MISSING",
    });
    await setPrice(h, v.consultation.id, 2000);
    const past = await booked(v, "2027-02-28T09:00:00.000Z");
    expect((await h.call(PREPAY, patientOf(v), { a: past.appointmentId, k: `prepay-${randomUUID()}` })).errors?.[0]?.extensions).toMatchObject({
      code: "CONFLICT",
      reason: "INVALID_STATE",
    });
    const checkedIn = appointmentData(v, null, "2027-03-05T09:00:00.000Z");
    await h.publish(STREAMS.appointments, [{ type: "PatientCheckedIn", data: checkedIn }]);
    expect((await h.call(PREPAY, patientOf(v), { a: checkedIn.appointmentId, k: `prepay-${randomUUID()}` })).errors?.[0]?.extensions).toMatchObject({
      code: "CONFLICT",
      reason: "INVALID_STATE",
    });
    expect((await h.call(PREPAY, BILLING(), { a: noPrice.appointmentId, k: `prepay-${randomUUID()}` })).errors?.[0]?.extensions).toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await h.call(PREPAY, patientOf(v), { a: "nope", k: `prepay-${randomUUID()}` })).errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
    });
  });

  it("the desk reads a patient's account; other staff are refused", async () => {
    const v = newVisitors(h);
    const q = `query($p: ID!) { billingAccount(patientId: $p) { credit ${money} } }`;
    expect((await h.call(q, as("RECEPTIONIST"), { p: v.patientId })).data).toEqual({ billingAccount: { credit: { amountMinor: 0, currency: "EUR" } } });
    expect((await h.call(q, as("DOCTOR"), { p: v.patientId })).errors?.[0]?.extensions).toMatchObject({ code: "FORBIDDEN" });
  });
});
