/**
 * Invoices follow the visit, from events only: reception registers the arriving patient (clinical's
 * EncounterRegistered, a check-in or a walk-in) → a DRAFT invoice with the consultation (the appointment's service,
 * else the doctor's consultation service); each examination performed → a line; reception confirms the outcome
 * (VisitOutcomeConfirmed) → the invoice is issued. A refused treatment is billed for its consultation (its ordered
 * examinations were cancelled, never performed). Each event once per consumer group; lines are keyed by what caused
 * them, so a redelivery adds nothing.
 */
import { dayIn } from "@clinigraph/platform";
import { randomUUID } from "node:crypto";
import type { Deps } from "./deps.js";
import { chargeFee, feeFor } from "./fees.js";
import { issueLocked } from "./issue.js";
import type { TransactionRepositories } from "./ports.js";
import { CALLED_OFF, consultationService, refundPrepayments } from "./prepayments.js";
import type { AppointmentRef, Invoice, ServiceCard } from "./types.js";

export interface IncomingEvent<D> {
  id: string;
  type: string;
  time: string;
  data: D;
}

export const consultationKey = (encounterId: string) => `consultation:${encounterId}`;
export const examinationKey = (examinationId: string) => `examination:${examinationId}`;

interface AppointmentFacts {
  appointmentId: string;
  patientId: string;
  doctorId: string;
  serviceId: string | null;
  status: string;
  startsAt: string;
  actorId: string | null;
}

interface EncounterFacts {
  encounterId: string;
  patientId: string;
  doctorId: string;
  appointmentId: string | null;
  /** When the patient arrived (absent on older events). */
  arrivedAt?: string;
}

interface ExaminationFacts {
  examinationId: string;
  encounterId: string;
  serviceId: string;
}

type IntakeDeps = Pick<Deps, "unitOfWork" | "appointments" | "catalogue" | "provider" | "settings" | "clock" | "logger">;

async function setConsultation(tx: TransactionRepositories, invoice: Invoice, service: ServiceCard, now: Date) {
  await tx.invoices.upsertLine(
    invoice.id,
    { ...unpriced, sourceKey: consultationKey(invoice.encounterId!), serviceId: service.id, description: service.name, quantity: 1 },
    now,
  );
}

const unpriced = { unitPriceMinor: null, taxRateBp: null, netMinor: null, taxMinor: null, totalMinor: null };

/** What billing keeps of an appointment event. */
const appointmentOf = (data: AppointmentFacts): AppointmentRef => ({
  appointmentId: data.appointmentId,
  patientId: data.patientId,
  doctorId: data.doctorId,
  serviceId: data.serviceId,
  status: data.status,
  startsAt: new Date(data.startsAt),
});

/**
 * scheduling's appointment events, a block of them in stream order (one, when the consumer handles events one by one):
 * remember each appointment's service (a draft of its visit follows a change of it); charge a late cancellation or a
 * no-show if the clinic does; give a called-off appointment's prepayment back.
 *
 * Most events (a booking's AppointmentRequested and AppointmentBooked, a check-in, a visit fulfilled) change nothing
 * but billing's view of the appointment. Each run of such events in the block is one atomic write
 * (`deps.appointments.recordChanges`), each appointment as its last new event leaves it. An event that earns a fee or
 * calls its appointment off is handled on its own, in its own transaction, in its place in the order; so is each
 * event of a run in which an appointment with a service has a DRAFT invoice. Each event counts once per consumer
 * group: a redelivered event changes nothing.
 */
export async function takeAppointmentEvents(deps: IntakeDeps, consumer: string, events: readonly IncomingEvent<AppointmentFacts>[]): Promise<void> {
  // An event twice in one block (a dead letter replayed beside its original) is handled once, at its first place.
  const seen = new Set<string>();
  let run: IncomingEvent<AppointmentFacts>[] = [];
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    if (!CALLED_OFF.has(event.data.status) && !feeFor(event.type, event.data, new Date(event.time), deps.settings.fees)) {
      run.push(event);
      continue;
    }
    await takeRun(deps, consumer, run);
    run = [];
    await takeAppointmentEvent(deps, consumer, event);
  }
  await takeRun(deps, consumer, run);
}

/** Events that change only billing's view of their appointments: one write, unless a visit's draft must follow them. */
async function takeRun(deps: IntakeDeps, consumer: string, events: readonly IncomingEvent<AppointmentFacts>[]): Promise<void> {
  if (events.length === 0) return;
  const changes = events.map((event) => ({ eventId: event.id, appointment: appointmentOf(event.data) }));
  if (await deps.appointments.recordChanges(consumer, changes, deps.clock())) return;
  for (const event of events) await takeAppointmentEvent(deps, consumer, event);
}

/** One appointment event in a transaction of its own. */
async function takeAppointmentEvent(deps: IntakeDeps, consumer: string, event: IncomingEvent<AppointmentFacts>): Promise<void> {
  const data = event.data;
  // Asked before the transaction (another service): the service the visit's consultation is billed for.
  const service = data.serviceId ? await deps.catalogue.service(data.serviceId) : null;
  const now = deps.clock();
  await deps.unitOfWork.run(async (tx) => {
    if (!(await tx.markProcessed(consumer, event.id))) return;
    await tx.appointments.save(appointmentOf(data), now);
    // A late cancellation or a no-show may carry a fee (off unless the clinic sets one).
    const fee = feeFor(event.type, data, new Date(event.time), deps.settings.fees);
    if (fee) await chargeFee(tx, deps.settings, data, fee, now);
    // The encounter may have been registered before this event arrived (two streams): its draft takes the service now.
    if (service) for (const draft of await tx.invoices.lockOfAppointment(data.appointmentId, ["DRAFT"])) await setConsultation(tx, draft, service, now);
    // Called off: what is left of a prepayment goes back (after paying the fee above, if any).
    if (CALLED_OFF.has(data.status)) await refundPrepayments(tx, deps.provider, data, event.id, now);
  });
}

/** clinical's encounter events: a DRAFT invoice at registration, issued when reception confirms the outcome. */
export async function takeEncounterEvent(deps: IntakeDeps, consumer: string, event: IncomingEvent<EncounterFacts>): Promise<void> {
  const data = event.data;
  if (event.type === "EncounterRegistered") {
    const now = deps.clock();
    const known = data.appointmentId ? await deps.unitOfWork.run((tx) => tx.appointments.find(data.appointmentId!)) : null;
    const service = await consultationService(deps.catalogue, known?.serviceId ?? null, data.doctorId);
    await deps.unitOfWork.run(async (tx) => {
      if (!(await tx.markProcessed(consumer, event.id))) return;
      const invoice = await tx.invoices.openForEncounter(
        {
          id: randomUUID(),
          status: "DRAFT",
          patientId: data.patientId,
          doctorId: data.doctorId,
          encounterId: data.encounterId,
          appointmentId: data.appointmentId,
          currency: deps.settings.currency,
          // The arrival's day, even when clinical registered the check-in late.
          visitDate: dayIn(new Date(data.arrivedAt ?? event.time), deps.settings.timezone),
        },
        now,
      );
      if (service) await setConsultation(tx, invoice, service, now);
      else
        deps.logger.warn(
          { encounterId: data.encounterId, doctorId: data.doctorId },
          "no consultation service for the visit: its invoice starts without a line",
        );
    });
    return;
  }
  if (event.type === "VisitOutcomeConfirmed") {
    await deps.unitOfWork.run(async (tx) => {
      if (!(await tx.markProcessed(consumer, event.id))) return;
      const draft = await tx.invoices.lockByEncounter(data.encounterId);
      if (!draft) {
        deps.logger.warn({ encounterId: data.encounterId }, "visit confirmed without a draft invoice: nothing to issue");
        return;
      }
      const outcome = await issueLocked(tx, deps.settings, draft, deps.clock());
      if (!outcome.issued && outcome.why !== "NOT_DRAFT")
        deps.logger.warn({ invoiceId: draft.id, why: outcome.why }, "visit confirmed but its invoice cannot be issued yet: billing issues it by hand");
    });
  }
}

/** clinical's examination events: a performed examination is a line of its visit's invoice. */
export async function takeExaminationEvent(deps: IntakeDeps, consumer: string, event: IncomingEvent<ExaminationFacts>): Promise<void> {
  if (event.type !== "ExaminationPerformed") return;
  const data = event.data;
  const service = await deps.catalogue.service(data.serviceId);
  const now = deps.clock();
  await deps.unitOfWork.run(async (tx) => {
    if (!(await tx.markProcessed(consumer, event.id))) return;
    const invoice = await tx.invoices.lockByEncounter(data.encounterId);
    if (!invoice || invoice.status !== "DRAFT") {
      deps.logger.warn(
        { encounterId: data.encounterId, examinationId: data.examinationId },
        "examination performed after its visit's invoice was issued: not billed",
      );
      return;
    }
    await tx.invoices.upsertLine(
      invoice.id,
      { ...unpriced, sourceKey: examinationKey(data.examinationId), serviceId: data.serviceId, description: service?.name ?? "Examination", quantity: 1 },
      now,
    );
  });
}
