/**
 * Invoices follow the visit, from events only (in-memory bus): registration opens a DRAFT with the consultation,
 * performed examinations add lines, the confirmed outcome issues it. Read back through the subgraph's GraphQL API.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { STREAMS } from "@clinigraph/events";
import { queryDatabase } from "@clinigraph/testing";
import { startHarness, type Harness } from "./support/harness.js";
import {
  appointmentData,
  as,
  confirmedVisit,
  encounterData,
  examinationData,
  invoiceOfEncounter,
  issue,
  lineOf,
  newService,
  newVisitors,
  setPrice,
} from "./support/visits.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

const outboxOf = (invoiceId: string) =>
  queryDatabase<{ type: string; payload: Record<string, unknown> }>(
    h.db.url,
    "SELECT type, payload FROM billing.outbox WHERE aggregate_id = $1 ORDER BY sequence",
    [invoiceId],
  );

const lastNumberOf = async (year: number) =>
  (await queryDatabase<{ last_number: number }>(h.db.url, "SELECT last_number FROM billing.invoice_sequences WHERE year = $1", [year]))[0]?.last_number ?? 0;

describe("a visit", () => {
  it("checked in for an appointment, with one examination performed and one cancelled, is issued with the appointment's service and the performed examination", async () => {
    h.clock.now = new Date("2030-05-06T07:00:00Z"); // 09:00 in Berlin (CEST); no invoice of 2030 yet in this database
    const v = newVisitors(h);
    const booked = newService(h, "Cardiology consultation", "CONSULTATION");
    const ecg = newService(h, "ECG");
    const xray = newService(h, "X-ray");
    await setPrice(h, booked.id, 4550, 1900); // 19 % of 45.50 = 8.645 → 8.64
    await setPrice(h, ecg.id, 1250, 700); // 7 % of 12.50 = 0.875 → 0.88
    await setPrice(h, xray.id, 1150, 700);
    await setPrice(h, v.consultation.id, 3000, 1900); // the doctor's own consultation: not what this visit was booked for

    const appointment = appointmentData(v, booked.id, "2030-05-06T07:30:00.000Z");
    await h.publish(STREAMS.appointments, [
      { type: "AppointmentBooked", data: { ...appointment, status: "BOOKED" } },
      { type: "PatientCheckedIn", data: appointment },
    ]);
    const encounter = encounterData(v, { appointmentId: appointment.appointmentId });
    const performed = examinationData(encounter, ecg.id);
    const cancelled = examinationData(encounter, xray.id);
    await h.publish(STREAMS.clinical, [
      { type: "EncounterRegistered", data: encounter },
      { type: "EncounterStarted", data: { ...encounter, status: "IN_PROGRESS" } },
      { type: "ExaminationOrdered", data: performed },
      { type: "ExaminationOrdered", data: cancelled },
      { type: "ExaminationPerformed", data: { ...performed, status: "PERFORMED", pendingExaminations: 1 } },
      { type: "ExaminationCancelled", data: { ...cancelled, status: "CANCELLED", pendingExaminations: 0 } },
      { type: "EncounterFinished", data: { ...encounter, status: "FINISHED" } },
    ]);

    const draft = (await invoiceOfEncounter(h, encounter.encounterId))!;
    expect(draft).toMatchObject({ status: "DRAFT", number: null, issuedAt: null, visitDate: "2030-05-06", patient: { id: v.patientId } });
    expect(draft.lines.map((line) => line.service?.id)).toEqual([booked.id, ecg.id]);

    h.clock.now = new Date("2030-05-06T08:15:00Z");
    await h.publish(STREAMS.clinical, [{ type: "VisitOutcomeConfirmed", data: { ...encounter, status: "FINISHED" } }]);

    const invoice = (await invoiceOfEncounter(h, encounter.encounterId))!;
    expect(invoice).toMatchObject({
      id: draft.id,
      number: "2030-000001",
      status: "ISSUED",
      visitDate: "2030-05-06",
      issuedAt: "2030-05-06T08:15:00.000Z",
      patient: { id: v.patientId },
      net: { amountMinor: 5800, currency: "EUR" },
      tax: { amountMinor: 952, currency: "EUR" },
      total: { amountMinor: 6752, currency: "EUR" },
      paid: { amountMinor: 0 },
      balance: { amountMinor: 6752 },
      payments: [],
    });
    expect(invoice.lines.map(lineOf)).toEqual([
      { serviceId: booked.id, unit: 4550, taxRateBp: 1900, net: 4550, tax: 864, total: 5414 },
      { serviceId: ecg.id, unit: 1250, taxRateBp: 700, net: 1250, tax: 88, total: 1338 },
    ]);
    expect(invoice.lines.map((line) => [line.description, line.quantity, line.unitPrice?.currency])).toEqual([
      [booked.name, 1, "EUR"],
      [ecg.name, 1, "EUR"],
    ]);

    // The same invoice is the appointment's; the issue is announced once, with the number.
    const byAppointment = await h.call(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Appointment { invoice { id number } } } }`,
      as("PATIENT", v.patientId),
      { r: [{ __typename: "Appointment", id: appointment.appointmentId }] },
    );
    expect(byAppointment.errors).toBeUndefined();
    expect(byAppointment.data!._entities).toEqual([{ invoice: { id: invoice.id, number: "2030-000001" } }]);
    expect(await outboxOf(invoice.id)).toEqual([
      {
        type: "InvoiceIssued",
        payload: expect.objectContaining({
          invoiceId: invoice.id,
          number: "2030-000001",
          status: "ISSUED",
          totalMinor: 6752,
          paidMinor: 0,
          currency: "EUR",
          encounterId: encounter.encounterId,
          appointmentId: appointment.appointmentId,
        }),
      },
    ]);
  });

  it("takes the appointment's service when the check-in event arrives after the registration, while the invoice is a draft", async () => {
    h.clock.now = new Date("2027-03-02T09:00:00Z");
    const v = newVisitors(h);
    const booked = newService(h, "Dermatology consultation", "CONSULTATION");
    const other = newService(h, "Follow-up", "CONSULTATION");
    await setPrice(h, booked.id, 5000);
    await setPrice(h, v.consultation.id, 3000);
    await setPrice(h, other.id, 700);
    const appointment = appointmentData(v, booked.id, "2027-03-02T09:00:00.000Z");
    const encounter = encounterData(v, { appointmentId: appointment.appointmentId });

    // clinical's stream ran ahead of scheduling's: billing does not know the appointment yet.
    await h.publish(STREAMS.clinical, [{ type: "EncounterRegistered", data: encounter }]);
    let draft = (await invoiceOfEncounter(h, encounter.encounterId))!;
    expect(draft.status).toBe("DRAFT");
    expect(draft.lines.map(lineOf)).toEqual([{ serviceId: v.consultation.id, unit: 3000, taxRateBp: 0, net: 3000, tax: 0, total: 3000 }]);

    await h.publish(STREAMS.appointments, [{ type: "PatientCheckedIn", data: appointment }]);
    draft = (await invoiceOfEncounter(h, encounter.encounterId))!;
    expect(draft.lines.map((line) => [line.service?.id, line.description, line.unitPrice?.amountMinor])).toEqual([[booked.id, booked.name, 5000]]);

    await h.publish(STREAMS.clinical, [{ type: "VisitOutcomeConfirmed", data: { ...encounter, status: "FINISHED" } }]);
    const issued = (await invoiceOfEncounter(h, encounter.encounterId))!;
    expect(issued).toMatchObject({ status: "ISSUED", total: { amountMinor: 5000 } });
    expect(issued.number).toMatch(/^2027-\d{6}$/);

    // Once issued, a later appointment event changes nothing on the invoice.
    await h.publish(STREAMS.appointments, [{ type: "AppointmentFulfilled", data: { ...appointment, serviceId: other.id, status: "FULFILLED" } }]);
    expect(await invoiceOfEncounter(h, encounter.encounterId)).toEqual(issued);
  });

  it("bills a walk-in for the doctor's consultation service", async () => {
    h.clock.now = new Date("2027-03-03T10:00:00Z");
    const v = newVisitors(h);
    await setPrice(h, v.consultation.id, 4550, 1900);
    const encounter = await confirmedVisit(h, v, { appointmentId: null });

    const invoice = (await invoiceOfEncounter(h, encounter.encounterId))!;
    expect(invoice).toMatchObject({ status: "ISSUED", net: { amountMinor: 4550 }, tax: { amountMinor: 864 }, total: { amountMinor: 5414 } });
    expect(invoice.lines.map((line) => [line.service?.id, line.description])).toEqual([[v.consultation.id, v.consultation.name]]);
  });

  it("bills a refused treatment for its consultation only (its ordered examinations were cancelled)", async () => {
    h.clock.now = new Date("2027-03-04T10:00:00Z");
    const v = newVisitors(h);
    const mri = newService(h, "MRI");
    await setPrice(h, v.consultation.id, 2500, 1900); // 475 tax
    await setPrice(h, mri.id, 40000, 1900);
    const encounter = encounterData(v);
    const ordered = examinationData(encounter, mri.id);
    await h.publish(STREAMS.clinical, [
      { type: "EncounterRegistered", data: encounter },
      { type: "EncounterStarted", data: { ...encounter, status: "IN_PROGRESS" } },
      { type: "ExaminationOrdered", data: { ...ordered, pendingExaminations: 1 } },
      { type: "EncounterRefused", data: { ...encounter, status: "REFUSED" } },
      { type: "ExaminationCancelled", data: { ...ordered, status: "CANCELLED", pendingExaminations: 0 } },
      { type: "VisitOutcomeConfirmed", data: { ...encounter, status: "REFUSED" } },
    ]);

    const invoice = (await invoiceOfEncounter(h, encounter.encounterId))!;
    expect(invoice.status).toBe("ISSUED");
    expect(invoice.lines.map(lineOf)).toEqual([{ serviceId: v.consultation.id, unit: 2500, taxRateBp: 1900, net: 2500, tax: 475, total: 2975 }]);
    expect(invoice.total.amountMinor).toBe(2975);
  });

  it("does not bill an examination performed after the invoice was issued", async () => {
    h.clock.now = new Date("2027-03-05T10:00:00Z");
    const v = newVisitors(h);
    const lab = newService(h, "Blood panel");
    await setPrice(h, v.consultation.id, 2000);
    await setPrice(h, lab.id, 1500);
    const encounter = await confirmedVisit(h, v);
    const issued = (await invoiceOfEncounter(h, encounter.encounterId))!;
    expect(issued.status).toBe("ISSUED");

    await h.publish(STREAMS.clinical, [{ type: "ExaminationPerformed", data: examinationData(encounter, lab.id, { status: "PERFORMED" }) }]);
    expect(await invoiceOfEncounter(h, encounter.encounterId)).toEqual(issued);
  });
});

describe("redelivery", () => {
  it("adds nothing: the same events again neither open a second invoice, nor add lines, nor take a second number", async () => {
    h.clock.now = new Date("2033-02-01T10:00:00Z"); // the only invoice of 2033 in this database
    const v = newVisitors(h);
    const lab = newService(h, "Urinalysis");
    await setPrice(h, v.consultation.id, 2000);
    await setPrice(h, lab.id, 900);
    const encounter = encounterData(v);
    const performed = { ...examinationData(encounter, lab.id), status: "PERFORMED" };
    const events = [
      { type: "EncounterRegistered" as const, data: encounter, id: randomUUID() },
      { type: "ExaminationPerformed" as const, data: performed, id: randomUUID() },
      { type: "VisitOutcomeConfirmed" as const, data: { ...encounter, status: "FINISHED" }, id: randomUUID() },
    ];
    await h.publish(STREAMS.clinical, events);
    const first = (await invoiceOfEncounter(h, encounter.encounterId))!;
    expect(first).toMatchObject({ number: "2033-000001", status: "ISSUED", total: { amountMinor: 2900 } });

    // The bus delivers every event once more (same ids), and the examination once more under a new event id.
    await h.publish(STREAMS.clinical, events);
    await h.publish(STREAMS.clinical, [{ type: "ExaminationPerformed", data: performed }]);

    expect(await invoiceOfEncounter(h, encounter.encounterId)).toEqual(first);
    const rows = await queryDatabase<{ n: number }>(h.db.url, "SELECT count(*)::int AS n FROM billing.invoices WHERE encounter_id = $1", [
      encounter.encounterId,
    ]);
    expect(rows[0]!.n).toBe(1);
    expect(await lastNumberOf(2033)).toBe(1);
    expect((await outboxOf(first.id)).map((event) => event.type)).toEqual(["InvoiceIssued"]);
  });

  it("of a draft's registration keeps the one draft and its one consultation line", async () => {
    h.clock.now = new Date("2027-03-06T10:00:00Z");
    const v = newVisitors(h);
    const encounter = encounterData(v);
    const id = randomUUID();
    await h.publish(STREAMS.clinical, [{ type: "EncounterRegistered", data: encounter, id }]);
    await h.publish(STREAMS.clinical, [{ type: "EncounterRegistered", data: encounter, id }]);
    // A second registration event for the same encounter (another id) opens nothing either.
    await h.publish(STREAMS.clinical, [{ type: "EncounterRegistered", data: encounter }]);
    const draft = (await invoiceOfEncounter(h, encounter.encounterId))!;
    expect(draft.status).toBe("DRAFT");
    expect(draft.lines.map((line) => line.service?.id)).toEqual([v.consultation.id]);
  });
});

describe("prices", () => {
  it("set after the visit leave the issued invoice as it was issued, while a draft of the same day takes them", async () => {
    h.clock.now = new Date("2027-04-05T08:00:00Z");
    const v = newVisitors(h);
    await setPrice(h, v.consultation.id, 2000, 1900);
    const encounter = await confirmedVisit(h, v);
    const issued = (await invoiceOfEncounter(h, encounter.encounterId))!;
    expect(issued).toMatchObject({ status: "ISSUED", net: { amountMinor: 2000 }, tax: { amountMinor: 380 }, total: { amountMinor: 2380 } });

    // Later the same day a new price for that day, and one from tomorrow.
    h.clock.now = new Date("2027-04-05T12:00:00Z");
    await setPrice(h, v.consultation.id, 9900, 1900, "2027-04-05");
    await setPrice(h, v.consultation.id, 5000, 700, "2027-04-06");
    expect(await invoiceOfEncounter(h, encounter.encounterId)).toEqual(issued);

    // Another visit of the same day, still a draft, is shown at the new price of its day, and issued with it.
    const second = encounterData(v);
    await h.publish(STREAMS.clinical, [{ type: "EncounterRegistered", data: second }]);
    expect((await invoiceOfEncounter(h, second.encounterId))!.lines.map(lineOf)).toEqual([
      { serviceId: v.consultation.id, unit: 9900, taxRateBp: 1900, net: 9900, tax: 1881, total: 11781 },
    ]);
    await h.publish(STREAMS.clinical, [{ type: "VisitOutcomeConfirmed", data: { ...second, status: "FINISHED" } }]);
    expect(await invoiceOfEncounter(h, second.encounterId)).toMatchObject({ status: "ISSUED", total: { amountMinor: 11781 } });
    expect(await invoiceOfEncounter(h, encounter.encounterId)).toEqual(issued);
  });

  it("missing at confirmation leave the invoice a draft; billing issues it by hand once the service has a price for the visit day", async () => {
    h.clock.now = new Date("2027-05-10T08:00:00Z");
    const v = newVisitors(h);
    const lab = newService(h, "Allergy test");
    await setPrice(h, v.consultation.id, 3000, 1900);
    const encounter = encounterData(v);
    await h.publish(STREAMS.clinical, [
      { type: "EncounterRegistered", data: encounter },
      { type: "ExaminationPerformed", data: examinationData(encounter, lab.id, { status: "PERFORMED" }) },
      { type: "VisitOutcomeConfirmed", data: { ...encounter, status: "FINISHED" } },
    ]);

    const draft = (await invoiceOfEncounter(h, encounter.encounterId))!;
    expect(draft).toMatchObject({ status: "DRAFT", number: null, issuedAt: null });
    expect(draft.lines.map(lineOf)).toEqual([
      { serviceId: v.consultation.id, unit: 3000, taxRateBp: 1900, net: 3000, tax: 570, total: 3570 },
      { serviceId: lab.id, unit: null, taxRateBp: null, net: null, tax: null, total: null },
    ]);
    const refused = await issue(h, draft.id);
    expect(refused.invoice).toBeNull();
    expect(refused.error?.extensions).toMatchObject({ code: "CONFLICT", reason: "PRICE_MISSING" });

    // A price from tomorrow does not price a visit of today.
    h.clock.now = new Date("2027-05-10T15:00:00Z");
    await setPrice(h, lab.id, 2200, 700, "2027-05-11");
    expect((await issue(h, draft.id)).error?.extensions).toMatchObject({ code: "CONFLICT", reason: "PRICE_MISSING" });
    expect(await outboxOf(draft.id)).toEqual([]);

    await setPrice(h, lab.id, 2000, 700, "2027-05-10"); // 7 % of 20.00 = 1.40
    const issued = await issue(h, draft.id);
    expect(issued.error).toBeUndefined();
    expect(issued.invoice).toMatchObject({ id: draft.id, status: "ISSUED", total: { amountMinor: 3570 + 2140 } });
    expect(issued.invoice!.number).toMatch(/^2027-\d{6}$/);
    const invoice = (await invoiceOfEncounter(h, encounter.encounterId))!;
    expect(invoice).toMatchObject({
      number: issued.invoice!.number,
      issuedAt: "2027-05-10T15:00:00.000Z",
      net: { amountMinor: 5000 },
      tax: { amountMinor: 710 },
    });
    expect(invoice.lines.map(lineOf)[1]).toEqual({ serviceId: lab.id, unit: 2000, taxRateBp: 700, net: 2000, tax: 140, total: 2140 });

    // Issued once: again is a conflict, and no second number is taken.
    expect((await issue(h, draft.id)).error?.extensions).toMatchObject({ code: "CONFLICT", reason: "INVALID_STATE" });
    expect((await outboxOf(draft.id)).map((event) => event.type)).toEqual(["InvoiceIssued"]);
  });

  it("of zero make an invoice that is PAID as soon as it is issued", async () => {
    h.clock.now = new Date("2027-05-12T08:00:00Z");
    const v = newVisitors(h);
    await setPrice(h, v.consultation.id, 0, 1900);
    const encounter = await confirmedVisit(h, v);

    const invoice = (await invoiceOfEncounter(h, encounter.encounterId))!;
    expect(invoice).toMatchObject({ status: "PAID", total: { amountMinor: 0 }, paid: { amountMinor: 0 }, balance: { amountMinor: 0 }, payments: [] });
    expect(invoice.number).toMatch(/^2027-\d{6}$/);
    expect(invoice.issuedAt).toBe("2027-05-12T08:00:00.000Z");
    expect(await outboxOf(invoice.id)).toEqual([{ type: "InvoiceIssued", payload: expect.objectContaining({ status: "PAID", totalMinor: 0 }) }]);
  });
});
