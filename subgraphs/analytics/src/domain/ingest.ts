/**
 * scheduling's appointment events become appointment facts. Each event says what it saw — the appointment's status,
 * time, doctor and service after the change, and the step it is (requested, answered, booked, checked in) — and
 * the repository merges it so that duplicates and any order of arrival give the same fact: the earliest report of
 * each step wins, and the latest event's status (ties broken by event id).
 */
import type { AppointmentEventData } from "@clinigraph/events";
import type { Deps } from "./deps.js";
import { dayIn } from "./periods.js";
import type { AppointmentChange } from "./types.js";

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

/** The appointments consumer's handler: each event once per consumer group. */
export async function takeAppointmentEvent(
  deps: Pick<Deps, "catalogue" | "pseudonyms" | "settings" | "facts">,
  consumer: string,
  event: IncomingEvent<AppointmentEventData>,
) {
  const change = await appointmentChange(deps, event);
  await deps.facts.applyAppointmentChange(consumer, event.id, change);
}
