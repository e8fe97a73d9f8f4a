/**
 * The scheduler's pass: claim what is due (SKIP LOCKED: two schedulers never share a delivery), look up the
 * recipients' contacts once for the batch, render each message in the recipient's language, send it on its
 * channel, and record the outcome. A temporary failure is retried with backoff, a permanent one (no address, a
 * rejected recipient, a channel that is not configured) ends FAILED with the reason; nothing is ever recorded SENT
 * that a provider did not accept. A scheduler that dies between sending and recording leaves the claim to expire;
 * the delivery is sent again with the same idempotency key (the e-mail's Message-ID, the push Topic, the SMS
 * provider's idempotency token), so providers and mail clients can drop the copy.
 */
import type { Deps } from "./deps.js";
import type { MessageFacts, NotificationKind } from "./messages.js";
import { isNotificationKind } from "./messages.js";
import { isAccountMessageKind } from "./accountMessages.js";
import { nextAttemptAt, preferencesOf } from "./plan.js";
import { ContactsUnavailable, DeliveryFailure, DirectoryUnavailable, type Contact, type DoctorCard, type PushSubscriptionRecord } from "./ports.js";
import type { Delivery, Preferences } from "./types.js";

export interface DispatchReport {
  claimed: number;
  sent: number;
  failed: number;
  retried: number;
}

interface BatchContext {
  contacts: Map<string, Contact>;
  preferences: Map<string, Preferences>;
  push: Map<string, PushSubscriptionRecord[]>;
}

/** One pass at `now` (the scheduler's clock: tests pass a fake one). */
export async function dispatchDue(deps: Deps, now: Date = deps.clock()): Promise<DispatchReport> {
  const settings = deps.dispatch;
  const batch = await deps.deliveries.claimDue(now, settings.batchSize, settings.leaseMs);
  const report: DispatchReport = { claimed: batch.length, sent: 0, failed: 0, retried: 0 };
  if (batch.length === 0) return report;

  const recipientIds = unique(batch.map((delivery) => delivery.recipientId));
  const namedIds = unique([...recipientIds, ...batch.filter((d) => d.facts.audience === "doctor").map((d) => d.facts.patientId)]);
  let context: BatchContext;
  try {
    const pushUsers = unique(batch.filter((delivery) => delivery.channel === "PUSH").map((delivery) => delivery.recipientId));
    const [contacts, preferences, push] = await Promise.all([
      deps.contacts.contactsOf(namedIds),
      deps.preferences.findMany(recipientIds),
      pushUsers.length ? deps.pushSubscriptions.ofUsers(pushUsers) : Promise.resolve(new Map<string, PushSubscriptionRecord[]>()),
    ]);
    context = { contacts: new Map(contacts.map((contact) => [contact.userId, contact])), preferences, push };
  } catch (err) {
    // accounts down (or the database): the whole batch waits and is tried again.
    const reason = err instanceof ContactsUnavailable ? "contact details unavailable (accounts did not answer)" : errorText(err);
    deps.logger.warn({ err, deliveries: batch.length }, "cannot prepare the batch; retrying later");
    for (const delivery of batch) tally(deps, report, delivery, await settle(deps, delivery, now, reason, false, null));
    return report;
  }

  await forEachLimited(batch, settings.concurrency, async (delivery) => tally(deps, report, delivery, await deliver(deps, delivery, context, now)));
  return report;
}

type Outcome = "sent" | "failed" | "retried";

/** Counts an attempt's outcome in the pass's report and tells the metrics (how late it was: now vs. its due time). */
function tally(deps: Pick<Deps, "metrics" | "clock">, report: DispatchReport, delivery: Delivery, outcome: Outcome) {
  report[outcome] += 1;
  deps.metrics?.attempted({ channel: delivery.channel, kind: delivery.kind, outcome, attempts: delivery.attempts, dueAt: delivery.dueAt, at: deps.clock() });
}

async function deliver(deps: Deps, delivery: Delivery, context: BatchContext, now: Date): Promise<Outcome> {
  const channel = deps.channels[delivery.channel];
  const contact = context.contacts.get(delivery.recipientId);
  if (!contact) return settle(deps, delivery, now, "the recipient is unknown to accounts", true, null);
  let subject: string | null = null;
  try {
    if (!isNotificationKind(delivery.kind)) throw new DeliveryFailure(`unknown kind ${delivery.kind}`, true);
    // Account messages go out at once or not at all (their code is not kept): never from the ledger.
    if (isAccountMessageKind(delivery.kind)) throw new DeliveryFailure(`${delivery.kind} is only sent at once`, true);
    const facts = await messageFacts(deps, delivery, contact, context, now);
    const language = preferencesOf(context.preferences, delivery.recipientId).language;
    const message = deps.render(delivery.kind as NotificationKind, language, facts);
    subject = message.subject;
    if (channel.notConfigured) throw new DeliveryFailure(channel.notConfigured, true);
    const result = await channel.send({
      idempotencyKey: delivery.id,
      recipient: { userId: contact.userId, email: contact.email, phone: contact.phone, pushSubscriptions: context.push.get(delivery.recipientId) ?? [] },
      message,
    });
    if (result.goneEndpoints?.length) await deps.pushSubscriptions.removeEndpoints(result.goneEndpoints);
    await deps.deliveries.markSent(delivery.id, { subject: message.subject, providerMessageId: result.providerMessageId }, deps.clock());
    return "sent";
  } catch (err) {
    if (err instanceof DeliveryFailure && err.goneEndpoints.length) await deps.pushSubscriptions.removeEndpoints(err.goneEndpoints);
    const permanent = err instanceof DeliveryFailure ? err.permanent : false;
    if (!(err instanceof DeliveryFailure) && !(err instanceof DirectoryUnavailable))
      deps.logger.error({ err, deliveryId: delivery.id }, "delivery failed unexpectedly");
    return settle(deps, delivery, now, errorText(err), permanent, subject);
  }
}

/** Records a failed attempt: FAILED when permanent or out of attempts, else due again after the backoff. */
async function settle(deps: Deps, delivery: Delivery, now: Date, error: string, permanent: boolean, subject: string | null): Promise<Outcome> {
  const retryAt = permanent ? null : nextAttemptAt(delivery.attempts, now, deps.dispatch.retry);
  const log = { deliveryId: delivery.id, kind: delivery.kind, channel: delivery.channel, attempts: delivery.attempts, error };
  if (retryAt) {
    deps.logger.warn({ ...log, retryAt }, "delivery failed; will retry");
    await deps.deliveries.retryLater(delivery.id, error, retryAt, deps.clock());
    return "retried";
  }
  deps.logger.warn(log, "delivery failed for good");
  await deps.deliveries.markFailed(delivery.id, error, subject, deps.clock());
  return "failed";
}

/** The page of the web app a message points to: the invoice, the examination, else the appointment. */
function linkOf(deps: Deps, delivery: Delivery): string {
  const base = deps.dispatch.webAppUrl.replace(/\/+$/, "");
  const facts = delivery.facts;
  if (facts.invoice) return `${base}/invoices/${facts.invoice.invoiceId}`;
  if (facts.examinationId) return `${base}/examinations/${facts.examinationId}`;
  // The doctor is gone: the patient's booking page (find a doctor), not the appointment.
  if (delivery.kind === "APPOINTMENT_NEEDS_REBOOKING") return `${base}/patient`;
  return `${base}/appointments/${delivery.appointmentId ?? ""}`;
}

/** Stands for the doctor of a message about none (an invoice): its templates use neither the name nor the zone. */
const NO_DOCTOR: DoctorCard = { name: "", timezone: "UTC", location: null };

/**
 * The facts a message is written from: the stored ones, with names and places looked up now. A message about no
 * doctor asks the doctors service nothing.
 */
async function messageFacts(deps: Deps, delivery: Delivery, recipient: Contact, context: BatchContext, now: Date): Promise<MessageFacts> {
  const facts = delivery.facts;
  const doctorId = facts.doctorId;
  const doctor = doctorId ? await deps.directory.doctor(doctorId) : NO_DOCTOR;
  if (!doctor) throw new DeliveryFailure("the doctor is unknown to the doctors service", true);
  const invoice = facts.invoice ?? null;
  const others = delivery.kind === "APPOINTMENT_NEEDS_REBOOKING" && doctorId ? await deps.directory.sameSpecialtyFreeSlots(doctorId, now, 3) : null;
  return {
    audience: facts.audience,
    recipientName: recipient.name,
    patientName: facts.audience === "doctor" ? (context.contacts.get(facts.patientId)?.name ?? null) : null,
    doctorName: doctor.name,
    serviceName: facts.serviceId ? await deps.directory.serviceName(facts.serviceId) : null,
    location: doctor.location,
    timezone: doctor.timezone,
    startsAt: new Date(facts.startsAt),
    previousStartsAt: facts.previousStartsAt ? new Date(facts.previousStartsAt) : null,
    offsetMinutes: delivery.offsetMinutes,
    status: invoice ? invoice.status : (facts.status ?? null),
    alternatives: others
      ? others.map((slot) => slot.startsAt)
      : delivery.kind === "APPOINTMENT_REJECTED" && doctorId
        ? await deps.directory.freeStarts(doctorId, now, 3)
        : [],
    ...(others ? { alternativeDoctors: others.map((slot) => slot.doctorName) } : {}),
    changedBy: facts.changedBy ?? null,
    invoiceNumber: invoice?.number ?? null,
    amountMinor: invoice?.totalMinor ?? null,
    balanceMinor: invoice ? Math.max(0, invoice.totalMinor - invoice.paidMinor) : null,
    currency: invoice?.currency ?? null,
    link: linkOf(deps, delivery),
  };
}

const unique = <T>(values: readonly T[]) => [...new Set(values)];

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 500);

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}
