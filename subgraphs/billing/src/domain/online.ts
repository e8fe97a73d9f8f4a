/**
 * Online payments: the patient starts one for an issued invoice's balance (`payInvoice`), the provider (Stripe, or
 * the local test provider) takes the money and tells billing by a signed webhook. A webhook is acted on once (a
 * replay changes nothing) and only with a valid signature; its success becomes a payment (method ONLINE) like a
 * desk payment. The same idempotency key again returns the same session.
 */
import { randomUUID } from "node:crypto";
import { badInput, conflict, forbidden, isUuid, notFound } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { spendCredit } from "./credit.js";
import { applyPayment, paymentEvent } from "./payments.js";
import type { PaymentOutcome, PaymentProvider, TransactionRepositories } from "./ports.js";
import { CALLED_OFF, refundPrepayments, startCheckout } from "./prepayments.js";
import type { Actor, Payment, PaymentSession } from "./types.js";

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;
const PAYABLE = new Set(["ISSUED", "PARTIALLY_PAID"]);

export async function payInvoice(
  deps: Pick<Deps, "unitOfWork" | "provider" | "clock">,
  actor: Actor,
  input: { invoiceId: string; idempotencyKey: string },
): Promise<PaymentSession> {
  if (actor.role !== "PATIENT") throw forbidden("Patients pay their own invoices online");
  if (!isUuid(input.invoiceId)) throw badInput("invoiceId must be an id", "invoiceId");
  if (!KEY.test(input.idempotencyKey)) throw badInput("idempotencyKey must be 8 to 128 letters, digits or . _ : -", "idempotencyKey");
  const now = deps.clock();
  const started = await deps.unitOfWork.run(async (tx) => {
    const invoice = await tx.invoices.lock(input.invoiceId);
    if (!invoice) throw notFound("No such invoice");
    if (invoice.patientId !== actor.userId) throw forbidden("Patients pay their own invoices");
    const earlier = await tx.sessions.findByKey(input.idempotencyKey);
    if (earlier) {
      if (earlier.invoiceId !== invoice.id) throw conflict("This idempotency key was used for another invoice", "IDEMPOTENCY_KEY_REUSED", "idempotencyKey");
      return { session: earlier, fresh: false, number: invoice.number ?? "" };
    }
    if (!PAYABLE.has(invoice.status)) throw conflict(`The invoice is ${invoice.status}: it takes no payment`, "INVOICE_NOT_PAYABLE");
    const session: PaymentSession = {
      id: randomUUID(),
      idempotencyKey: input.idempotencyKey,
      invoiceId: invoice.id,
      appointmentId: null,
      patientId: invoice.patientId,
      provider: deps.provider.name,
      providerRef: null,
      amountMinor: invoice.totalMinor - invoice.paidMinor,
      currency: invoice.currency,
      status: "OPEN",
      checkoutUrl: null,
      clientSecret: null,
      createdAt: now,
    };
    await tx.sessions.add(session);
    return { session, fresh: true, number: invoice.number ?? "" };
  });
  if (!started.fresh && started.session.providerRef) return started.session;
  return startCheckout(deps, started.session, `Invoice ${started.number}`);
}

export type WebhookResult = "APPLIED" | "REPLAYED" | "IGNORED" | "UNKNOWN_SESSION";

/** A verified webhook's outcome, applied once. */
export async function takePaymentOutcome(deps: Pick<Deps, "unitOfWork" | "provider" | "clock" | "logger">, outcome: PaymentOutcome): Promise<WebhookResult> {
  return deps.unitOfWork.run(async (tx): Promise<WebhookResult> => {
    const now = deps.clock();
    if (!(await tx.markWebhook(deps.provider.name, outcome.eventId, now))) return "REPLAYED";
    const session = await tx.sessions.lockByProviderRef(deps.provider.name, outcome.providerRef);
    if (!session) {
      deps.logger.warn({ provider: deps.provider.name, eventId: outcome.eventId }, "webhook for a payment billing did not start: ignored");
      return "UNKNOWN_SESSION";
    }
    if (session.status !== "OPEN") return "IGNORED";
    if (outcome.outcome === "FAILED") {
      await tx.sessions.record(session.id, { status: "FAILED" }, now);
      return "APPLIED";
    }
    if (!session.invoiceId) {
      await takePrepayment(tx, deps.provider, session, outcome, now);
      await tx.sessions.record(session.id, { status: "SUCCEEDED" }, now);
      return "APPLIED";
    }
    const invoice = await tx.invoices.lock(session.invoiceId);
    if (!invoice) return "UNKNOWN_SESSION";
    // Money the provider took is recorded even if the invoice was settled meanwhile (it becomes the patient's credit).
    await applyPayment(
      tx,
      invoice,
      { idempotencyKey: `online:${session.id}`, method: "ONLINE", amountMinor: session.amountMinor, recordedBy: null, providerRef: outcome.providerRef },
      now,
    );
    await tx.sessions.record(session.id, { status: "SUCCEEDED" }, now);
    return "APPLIED";
  });
}

/**
 * A prepayment's money arrived: it is the patient's credit held for the appointment. If the appointment was called
 * off meanwhile it goes straight back; if its visit's invoice is already open, it pays it.
 */
async function takePrepayment(tx: TransactionRepositories, provider: PaymentProvider, session: PaymentSession, outcome: PaymentOutcome, now: Date) {
  const prepayment: Payment = {
    id: randomUUID(),
    idempotencyKey: `online:${session.id}`,
    invoiceId: null,
    appointmentId: session.appointmentId ?? null,
    patientId: session.patientId,
    kind: "PAYMENT",
    method: "ONLINE",
    status: "SUCCEEDED",
    amountMinor: session.amountMinor,
    currency: session.currency,
    creditMinor: session.amountMinor,
    refundedMinor: 0,
    providerRef: outcome.providerRef,
    recordedBy: null,
    createdAt: now,
  };
  await tx.payments.add(prepayment);
  await tx.outbox.append("PaymentReceived", { id: session.patientId, ...paymentEvent(prepayment, 0) }, now);
  const appointment = session.appointmentId ? await tx.appointments.find(session.appointmentId) : null;
  if (!appointment) return;
  if (CALLED_OFF.has(appointment.status)) {
    await refundPrepayments(tx, provider, appointment, `late-prepayment:${outcome.eventId}`, now);
    return;
  }
  for (const invoice of await tx.invoices.lockOfAppointment(appointment.appointmentId, ["ISSUED", "PARTIALLY_PAID"])) await spendCredit(tx, invoice, now);
}
