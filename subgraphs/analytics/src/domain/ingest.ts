/**
 * scheduling's appointment events become appointment facts. Each event says what it saw — the appointment's status,
 * time, doctor and service after the change, and the step it is (requested, answered, booked, checked in) — and
 * the repository merges it so that duplicates and any order of arrival give the same fact: the earliest report of
 * each step wins, and the latest event's status (ties broken by event id).
 */
import { dayIn } from "@clinigraph/platform";
import type { AppointmentEventData, EncounterEventData, ExaminationEventData, InvoiceEventData, PaymentEventData } from "@clinigraph/events";
import type { Deps } from "./deps.js";
import type { AppointmentChange, FactWrite } from "./types.js";

export interface IncomingEvent<D> {
  id: string;
  type: string;
  time: string;
  data: D;
}

/** The change an appointment event describes, with the doctor's and the service's public facts looked up. */
export async function appointmentChange(
  deps: Pick<Deps, "catalogue" | "pseudonyms" | "settings">,
  event: IncomingEvent<AppointmentEventData>,
): Promise<AppointmentChange> {
  const data = event.data;
  const at = new Date(event.time);
  const [doctor, service] = await Promise.all([
    deps.catalogue.doctor(data.doctorId),
    data.serviceId ? deps.catalogue.service(data.serviceId) : Promise.resolve(null),
  ]);
  const startsAt = new Date(data.startsAt);
  const requested = event.type === "AppointmentRequested" || event.type === "AppointmentBooked" || event.type === "AppointmentOverbooked";
  const answered = event.type === "AppointmentBooked" || event.type === "AppointmentRejected";
  return {
    appointmentKey: deps.pseudonyms.appointment(data.appointmentId),
    source: "LIVE",
    sourceId: null,
    patientKey: deps.pseudonyms.patient(data.patientId),
    doctorId: data.doctorId,
    specialtyCode: doctor?.specialtyCode ?? null,
    serviceId: data.serviceId,
    serviceCode: service?.code ?? null,
    location: doctor?.location ?? null,
    visitDate: dayIn(startsAt, deps.settings.timezone),
    startsAt,
    endsAt: new Date(data.endsAt),
    requestedAt: requested ? at : null,
    answeredAt: answered ? at : null,
    bookedAt: event.type === "AppointmentBooked" || event.type === "AppointmentOverbooked" || data.status === "BOOKED" ? at : null,
    checkedInAt: event.type === "PatientCheckedIn" ? at : null,
    needsApproval: event.type === "AppointmentRequested" && data.status === "PENDING",
    status: data.status,
    statusAt: at,
    statusEventId: event.id,
    rating: event.type === "FeedbackSubmitted" && Number.isInteger(data.rating) ? data.rating! : null,
    amountMinor: null,
    currency: null,
  };
}

type LookupDeps = Pick<Deps, "catalogue" | "pseudonyms" | "settings">;

/** An appointment event's write. */
export async function appointmentWrite(deps: LookupDeps, event: IncomingEvent<AppointmentEventData>): Promise<FactWrite> {
  return { kind: "appointment", eventId: event.id, change: await appointmentChange(deps, event) };
}

const VISIT_STEPS = {
  EncounterRegistered: "registeredAt",
  EncounterStarted: "startedAt",
  EncounterFinished: "finishedAt",
  EncounterRefused: "refusedAt",
  VisitOutcomeConfirmed: "confirmedAt",
} as const;

const EXAMINATION_STEPS = { ExaminationPerformed: "performedAt", ExaminationCancelled: "cancelledAt", ExaminationReviewed: "reviewedAt" } as const;

/** clinical's encounter events: the visit's steps (arrival, start, end, confirmation). */
export async function encounterWrite(deps: LookupDeps, event: IncomingEvent<EncounterEventData>): Promise<FactWrite | null> {
  const step = VISIT_STEPS[event.type as keyof typeof VISIT_STEPS];
  if (!step) return null;
  const data = event.data;
  // The arrival is the visit's time even when clinical registered it late (a check-in handled after an outage).
  const arrivedAt = data.arrivedAt ? new Date(data.arrivedAt) : null;
  const at = step === "registeredAt" && arrivedAt ? arrivedAt : new Date(event.time);
  const doctor = await deps.catalogue.doctor(data.doctorId);
  return {
    kind: "visit",
    eventId: event.id,
    change: {
      encounterKey: deps.pseudonyms.encounter(data.encounterId),
      appointmentKey: data.appointmentId ? deps.pseudonyms.appointment(data.appointmentId) : null,
      patientKey: deps.pseudonyms.patient(data.patientId),
      doctorId: data.doctorId,
      specialtyCode: doctor?.specialtyCode ?? null,
      location: doctor?.location ?? null,
      visitDate: dayIn(arrivedAt ?? at, deps.settings.timezone),
      step,
      at,
    },
  };
}

/** clinical's examination events: ordered → performed or cancelled → reviewed. */
export async function examinationWrite(deps: LookupDeps, event: IncomingEvent<ExaminationEventData>): Promise<FactWrite> {
  const data = event.data;
  const [doctor, service] = await Promise.all([deps.catalogue.doctor(data.doctorId), deps.catalogue.service(data.serviceId)]);
  const orderedAt = new Date(data.orderedAt);
  return {
    kind: "examination",
    eventId: event.id,
    change: {
      examinationKey: deps.pseudonyms.examination(data.examinationId),
      encounterKey: deps.pseudonyms.encounter(data.encounterId),
      patientKey: deps.pseudonyms.patient(data.patientId),
      doctorId: data.doctorId,
      specialtyCode: doctor?.specialtyCode ?? null,
      location: doctor?.location ?? null,
      serviceId: data.serviceId,
      serviceCode: service?.code ?? null,
      visitDate: dayIn(orderedAt, deps.settings.timezone),
      orderedAt,
      step: EXAMINATION_STEPS[event.type as keyof typeof EXAMINATION_STEPS] ?? null,
      at: new Date(event.time),
    },
  };
}

/** billing's events: invoices (issued, credit notes, voided) and payments (money in and out, and what they paid). */
export async function billingWrite(deps: LookupDeps, event: IncomingEvent<InvoiceEventData | PaymentEventData>): Promise<FactWrite | null> {
  if (event.type === "InvoiceIssued" || event.type === "InvoiceVoided") {
    const data = event.data as InvoiceEventData;
    const doctor = data.doctorId ? await deps.catalogue.doctor(data.doctorId) : null;
    return {
      kind: "invoice",
      eventId: event.id,
      change: {
        invoiceKey: deps.pseudonyms.invoice(data.invoiceId),
        appointmentKey: data.appointmentId ? deps.pseudonyms.appointment(data.appointmentId) : null,
        patientKey: deps.pseudonyms.patient(data.patientId),
        doctorId: data.doctorId ?? null,
        specialtyCode: doctor?.specialtyCode ?? null,
        location: doctor?.location ?? null,
        visitDate: data.visitDate ?? dayIn(new Date(event.time), deps.settings.timezone),
        kind: data.kind ?? "INVOICE",
        totalMinor: data.totalMinor,
        currency: data.currency,
        voided: event.type === "InvoiceVoided",
      },
    };
  }
  if (event.type === "PaymentReceived" || event.type === "PaymentRefunded") {
    const data = event.data as PaymentEventData;
    const sign = event.type === "PaymentRefunded" ? -1 : 1;
    return {
      kind: "payment",
      eventId: event.id,
      change: {
        paymentKey: deps.pseudonyms.payment(data.paymentId),
        invoiceKey: data.invoiceId ? deps.pseudonyms.invoice(data.invoiceId) : null,
        appointmentKey: data.appointmentId ? deps.pseudonyms.appointment(data.appointmentId) : null,
        kind: data.kind,
        method: data.method,
        // CREDIT spends money taken before: counted when it came in.
        cashMinor: data.method === "CREDIT" ? 0 : sign * data.amountMinor,
        appliedMinor: data.invoiceAppliedMinor ?? 0,
        at: new Date(event.time),
      },
    };
  }
  return null;
}

/**
 * A consumer's handler for a block of events (one alone when retried): their writes, looked up side by side, go to
 * the facts in one transaction, which skips events the consumer group handled before; kpisToday's subscribers are
 * told once.
 */
export async function takeEvents<E extends IncomingEvent<unknown>>(
  deps: LookupDeps & Pick<Deps, "facts" | "signals">,
  consumer: string,
  events: readonly E[],
  writeOf: (deps: LookupDeps, event: E) => Promise<FactWrite | null>,
): Promise<void> {
  const writes = (await Promise.all(events.map((event) => writeOf(deps, event)))).filter((write): write is FactWrite => write !== null);
  if (writes.length === 0) return;
  await deps.facts.apply(consumer, writes);
  await deps.signals.changed(writes[writes.length - 1]!.eventId);
}
