/**
 * Paying ahead: the patient pays an upcoming appointment's consultation online (`prepayAppointment`) at the price in
 * force on the visit day. The money is a prepayment — no invoice yet, all of it the patient's credit held for that
 * appointment — and the visit's invoice spends it when it is issued (credit.ts). If the appointment is cancelled or
 * rejected instead, what is left of the prepayment goes back through the provider, after paying a late-cancellation
 * fee if the clinic charges one. A prepayment whose money arrives after its appointment was cancelled is refunded
 * at once.
 */
import { randomUUID } from "node:crypto";
import { badInput, conflict, dayIn, forbidden, isUuid, notFound, serviceUnavailable } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { lineAmounts } from "./money.js";
import { ProviderUnavailable, type PaymentProvider, type ServiceCatalogue, type TransactionRepositories } from "./ports.js";
import { refundLocked } from "./refunds.js";
import { creditLeft, type Actor, type AppointmentRef, type PaymentSession, type ServiceCard } from "./types.js";

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;
/** Appointments that may be paid ahead: requested or booked, and not begun. */
const PREPAYABLE = new Set(["PENDING", "BOOKED"]);
/** Appointments whose prepayment goes back to the patient. */
export const CALLED_OFF = new Set(["CANCELLED", "REJECTED", "EXPIRED"]);

/** The service a visit is billed for: the appointment's service, else the doctor's consultation service. */
export async function consultationService(catalogue: ServiceCatalogue, serviceId: string | null, doctorId: string): Promise<ServiceCard | null> {
  return (serviceId ? await catalogue.service(serviceId) : null) ?? (await catalogue.consultationOf(doctorId));
}

export async function prepayAppointment(
  deps: Pick<Deps, "unitOfWork" | "provider" | "catalogue" | "settings" | "clock">,
  actor: Actor,
  input: { appointmentId: string; idempotencyKey: string },
): Promise<PaymentSession> {
  if (actor.role !== "PATIENT") throw forbidden("Patients pay their own appointments ahead");
  if (!isUuid(input.appointmentId)) throw badInput("appointmentId must be an id", "appointmentId");
  if (!KEY.test(input.idempotencyKey)) throw badInput("idempotencyKey must be 8 to 128 letters, digits or . _ : -", "idempotencyKey");
  const appointment = await deps.unitOfWork.run((tx) => tx.appointments.find(input.appointmentId));
  // Another patient's appointment is answered like an unknown one.
  if (!appointment || appointment.patientId !== actor.userId) throw notFound("No such appointment");
  const service = await consultationService(deps.catalogue, appointment.serviceId, appointment.doctorId);

  const now = deps.clock();
  const started = await deps.unitOfWork.run(async (tx) => {
    const earlier = await tx.sessions.findByKey(input.idempotencyKey);
    if (earlier) {
      if (earlier.appointmentId !== appointment.appointmentId)
        throw conflict("This idempotency key was used for another payment", "IDEMPOTENCY_KEY_REUSED", "idempotencyKey");
      return { session: earlier, fresh: false };
    }
    const current = (await tx.appointments.find(appointment.appointmentId)) ?? appointment;
    if (!PREPAYABLE.has(current.status) || current.startsAt.getTime() <= now.getTime())
      throw conflict(`The appointment is ${current.status}${PREPAYABLE.has(current.status) ? " and has begun" : ""}: it cannot be paid ahead`, "INVALID_STATE");
    if ((await tx.payments.lockPrepayments(current.appointmentId)).some((payment) => creditLeft(payment) > 0))
      throw conflict("The appointment is already paid ahead", "ALREADY_PREPAID");
    const visitDay = dayIn(current.startsAt, deps.settings.timezone);
    const price = service ? (await tx.prices.inForceMany([service.id], visitDay)).get(service.id) : undefined;
    if (!service || !price) throw conflict("The appointment's service has no price for its day yet", "PRICE_MISSING");
    const session: PaymentSession = {
      id: randomUUID(),
      idempotencyKey: input.idempotencyKey,
      invoiceId: null,
      appointmentId: current.appointmentId,
      patientId: current.patientId,
      provider: deps.provider.name,
      providerRef: null,
      amountMinor: lineAmounts(price.amountMinor, 1, price.taxRateBp).totalMinor,
      currency: price.currency,
      status: "OPEN",
      checkoutUrl: null,
      clientSecret: null,
      createdAt: now,
    };
    await tx.sessions.add(session);
    return { session, fresh: true };
  });
  if (!started.fresh && started.session.providerRef) return started.session;
  return startCheckout(deps, started.session, `Prepayment: ${service?.name ?? "consultation"} on ${dayIn(appointment.startsAt, deps.settings.timezone)}`);
}

/** Asks the provider for the session's checkout, outside any transaction (the session id is its idempotency key). */
export async function startCheckout(
  deps: Pick<Deps, "unitOfWork" | "provider" | "clock">,
  session: PaymentSession,
  description: string,
): Promise<PaymentSession> {
  let checkout;
  try {
    checkout = await deps.provider.createCheckout({
      sessionId: session.id,
      description,
      invoiceId: session.invoiceId,
      appointmentId: session.appointmentId ?? null,
      amountMinor: session.amountMinor,
      currency: session.currency,
      idempotencyKey: session.id,
    });
  } catch (err) {
    if (err instanceof ProviderUnavailable) throw serviceUnavailable("The payment provider cannot be reached; try again");
    throw err;
  }
  const changes = { providerRef: checkout.providerRef, checkoutUrl: checkout.checkoutUrl, clientSecret: checkout.clientSecret };
  await deps.unitOfWork.run((tx) => tx.sessions.record(session.id, changes, deps.clock()));
  return { ...session, ...changes };
}

/**
 * Gives back what is left of a called-off appointment's prepayments, in the caller's transaction. `cause` names what
 * called it off (an event id): the provider is asked with a key of it, so a redelivered event refunds nothing twice.
 */
export async function refundPrepayments(
  tx: TransactionRepositories,
  provider: PaymentProvider,
  appointment: Pick<AppointmentRef, "appointmentId" | "status">,
  cause: string,
  now: Date,
): Promise<void> {
  for (const prepayment of await tx.payments.lockPrepayments(appointment.appointmentId)) {
    const left = creditLeft(prepayment);
    if (left <= 0) continue;
    await refundLocked(
      tx,
      provider,
      prepayment,
      {
        amountMinor: left,
        reason: `Appointment ${appointment.status.toLowerCase()}: prepayment returned`,
        recordedBy: null,
        idempotencyKey: `${cause}:${prepayment.id}`,
      },
      now,
    );
  }
}
