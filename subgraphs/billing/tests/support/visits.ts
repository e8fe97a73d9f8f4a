/**
 * Fixtures of billing's integration tests: fresh services, doctors and patients in the fake catalogue, the events of
 * a visit as clinical and scheduling write them, prices set through the API, and the invoice read back.
 */
import { randomUUID } from "node:crypto";
import { expect } from "@jest/globals";
import { STREAMS, type AppointmentEventData, type EncounterEventData, type ExaminationEventData } from "@clinigraph/events";
import type { Role } from "@clinigraph/platform";
import type { Harness } from "./harness.js";

export const BILLING = (userId: string = randomUUID()) => ({ userId, role: "BILLING" as Role });
export const as = (role: Role, userId: string = randomUUID()) => ({ userId, role });

/** A medical service the fake doctors subgraph knows. */
export function newService(h: Harness, name = "Examination", kind = "EXAMINATION") {
  const service = { id: randomUUID(), name: `${name} ${randomUUID().slice(0, 8)}`, kind };
  h.services.set(service.id, service);
  return service;
}

/** A doctor with their consultation service (known to the fake catalogue), and a patient. */
export function newVisitors(h: Harness) {
  const doctorId = randomUUID();
  const consultation = newService(h, "Consultation", "CONSULTATION");
  h.consultations.set(doctorId, consultation);
  return { patientId: randomUUID(), doctorId, doctorUserId: randomUUID(), consultation };
}
export type Visitors = ReturnType<typeof newVisitors>;

/** Sets a price through the API as BILLING; fails the test on any error. */
export async function setPrice(h: Harness, serviceId: string, amountMinor: number, taxRateBp = 0, effectiveFrom?: string) {
  const res = await h.call(
    `mutation ($s: ID!, $p: MoneyInput!, $t: Int, $e: Date) { setServicePrice(serviceId: $s, price: $p, taxRateBp: $t, effectiveFrom: $e) { id } }`,
    BILLING(),
    { s: serviceId, p: { amountMinor, currency: "EUR" }, t: taxRateBp, e: effectiveFrom ?? null },
  );
  expect(res.errors).toBeUndefined();
}

export function encounterData(v: Visitors, overrides: Partial<EncounterEventData> = {}): EncounterEventData {
  return {
    encounterId: randomUUID(),
    patientId: v.patientId,
    doctorId: v.doctorId,
    doctorUserId: v.doctorUserId,
    appointmentId: null,
    status: "ARRIVED",
    actorId: randomUUID(),
    pendingExaminations: 0,
    ...overrides,
  };
}

export function examinationData(encounter: EncounterEventData, serviceId: string, overrides: Partial<ExaminationEventData> = {}): ExaminationEventData {
  return {
    examinationId: randomUUID(),
    encounterId: encounter.encounterId,
    patientId: encounter.patientId,
    doctorId: encounter.doctorId,
    doctorUserId: encounter.doctorUserId,
    serviceId,
    status: "ORDERED",
    actorId: encounter.doctorUserId,
    orderedAt: new Date().toISOString(),
    ...overrides,
  };
}

export function appointmentData(v: Visitors, serviceId: string | null, startsAt: string, overrides: Partial<AppointmentEventData> = {}): AppointmentEventData {
  return {
    appointmentId: randomUUID(),
    patientId: v.patientId,
    doctorId: v.doctorId,
    doctorUserId: v.doctorUserId,
    serviceId,
    status: "CHECKED_IN",
    startsAt,
    endsAt: new Date(Date.parse(startsAt) + 30 * 60_000).toISOString(),
    actorId: randomUUID(),
    ...overrides,
  };
}

/** A walk-in (or check-in when `appointmentId` is given) registered and confirmed: the invoice is issued if it can be. */
export async function confirmedVisit(h: Harness, v: Visitors, overrides: Partial<EncounterEventData> = {}) {
  const encounter = encounterData(v, overrides);
  await h.publish(STREAMS.clinical, [
    { type: "EncounterRegistered", data: encounter },
    { type: "EncounterStarted", data: { ...encounter, status: "IN_PROGRESS" } },
    { type: "EncounterFinished", data: { ...encounter, status: "FINISHED" } },
    { type: "VisitOutcomeConfirmed", data: { ...encounter, status: "FINISHED" } },
  ]);
  return encounter;
}

export const INVOICE_FIELDS = `
  id number status visitDate issuedAt patient { id }
  lines { service { id } description quantity unitPrice { amountMinor currency } taxRateBp net { amountMinor } tax { amountMinor } total { amountMinor } }
  net { amountMinor currency } tax { amountMinor currency } total { amountMinor currency } paid { amountMinor } balance { amountMinor }
  payments { id kind method amount { amountMinor currency } credit { amountMinor } refunded { amountMinor } createdAt }`;

export interface InvoiceView {
  id: string;
  number: string | null;
  status: string;
  visitDate: string;
  issuedAt: string | null;
  patient: { id: string };
  lines: {
    service: { id: string } | null;
    description: string;
    quantity: number;
    unitPrice: { amountMinor: number; currency: string } | null;
    taxRateBp: number | null;
    net: { amountMinor: number } | null;
    tax: { amountMinor: number } | null;
    total: { amountMinor: number } | null;
  }[];
  net: { amountMinor: number; currency: string };
  tax: { amountMinor: number; currency: string };
  total: { amountMinor: number; currency: string };
  paid: { amountMinor: number };
  balance: { amountMinor: number };
  payments: {
    id: string;
    kind: string;
    method: string;
    amount: { amountMinor: number; currency: string };
    credit: { amountMinor: number };
    refunded: { amountMinor: number };
    createdAt: string;
  }[];
}

/** The encounter's invoice as BILLING reads it (null when there is none). */
export async function invoiceOfEncounter(h: Harness, encounterId: string, caller = BILLING()): Promise<InvoiceView | null> {
  const res = await h.call(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Encounter { invoice { ${INVOICE_FIELDS} } } } }`, caller, {
    r: [{ __typename: "Encounter", id: encounterId }],
  });
  expect(res.errors).toBeUndefined();
  return (res.data!._entities as { invoice: InvoiceView | null }[])[0]!.invoice;
}

/** A line as compared in tests: the service, its price and amounts. */
export const lineOf = (line: InvoiceView["lines"][number]) => ({
  serviceId: line.service?.id,
  unit: line.unitPrice?.amountMinor ?? null,
  taxRateBp: line.taxRateBp,
  net: line.net?.amountMinor ?? null,
  tax: line.tax?.amountMinor ?? null,
  total: line.total?.amountMinor ?? null,
});

/** `mutation issueInvoice` as BILLING: the answer's data and its first error. */
export async function issue(h: Harness, id: string) {
  const res = await h.call(`mutation ($id: ID!) { issueInvoice(id: $id) { id number status total { amountMinor } } }`, BILLING(), { id });
  return {
    invoice: (res.data?.issueInvoice ?? null) as { id: string; number: string | null; status: string; total: { amountMinor: number } } | null,
    error: res.errors?.[0],
  };
}
