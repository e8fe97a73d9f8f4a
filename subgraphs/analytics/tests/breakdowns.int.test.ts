/**
 * Breakdowns of a range (per doctor, specialty and service, and the hour-of-week load) and the CSV export of kpis:
 * each row counts like kpis filtered to it; ordering, filters, suppression of small rows and cells, daylight saving
 * time; who may ask.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes, randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { STREAMS, type AppointmentEventData, type AppointmentEventType } from "@clinigraph/events";
import type { Role } from "@clinigraph/platform";
import { VISIT_CSV_HEADER } from "../src/domain/visitCsv.js";
import { startHarness, type Harness } from "./support/harness.js";

let h: Harness;
let strict: Harness;
beforeAll(async () => {
  [h, strict] = await Promise.all([startHarness(), startHarness({ env: { ANALYTICS_MIN_CELL: "3" } })]);
});
afterAll(async () => {
  await Promise.all([h?.stop(), strict?.stop()]);
});

const STAKEHOLDER = { userId: randomUUID(), role: "STAKEHOLDER" as const };
const ADMIN = { userId: randomUUID(), role: "ADMIN" as const };

const FIGURES = `suppressed patients appointmentsRequested appointmentsBooked cancelled noShows fulfilled noShowRate cancellationRate
  feedbackAverage feedbackCount medianWaitMinutes invoiced { amountMinor currency } collected { amountMinor currency }`;
const BY_DOCTOR = `query($from: Date!, $to: Date!, $f: KpiFilter) {
  kpisByDoctor(from: $from, to: $to, filter: $f) { doctorId doctor { id } specialtyCode location ${FIGURES} } }`;
const BY_SPECIALTY = `query($from: Date!, $to: Date!, $f: KpiFilter) { kpisBySpecialty(from: $from, to: $to, filter: $f) { specialtyCode ${FIGURES} } }`;
const TOP_SERVICES = `query($from: Date!, $to: Date!, $f: KpiFilter, $first: Int) {
  topServices(from: $from, to: $to, filter: $f, first: $first) {
    serviceId service { id } serviceCode suppressed patients appointmentsBooked fulfilled noShows invoiced { amountMinor currency } } }`;
const LOAD = `query($from: Date!, $to: Date!, $f: KpiFilter) { load(from: $from, to: $to, filter: $f) { weekday hour suppressed appointmentsBooked } }`;

type Row = Record<string, unknown>;
type Step = { type: AppointmentEventType; at: string; status: string; patch?: Partial<AppointmentEventData> };

const tag = () => randomBytes(4).toString("hex").toUpperCase();

function newDoctor(harness: Harness, specialtyCode: string, location: string | null) {
  const doctorId = randomUUID();
  harness.doctors.set(doctorId, { specialtyCode, location });
  return doctorId;
}

function newService(harness: Harness, code: string) {
  const serviceId = randomUUID();
  harness.services.set(serviceId, { code, durationMinutes: 30 });
  return serviceId;
}

/** An appointment's events (ids, times and status of each step), ready to publish. */
function appointment(doctorId: string, startsAt: string, steps: Step[], patch: Partial<AppointmentEventData> = {}) {
  const data: AppointmentEventData = {
    appointmentId: randomUUID(),
    patientId: randomUUID(),
    doctorId,
    doctorUserId: randomUUID(),
    serviceId: null,
    status: "PENDING",
    startsAt,
    endsAt: new Date(Date.parse(startsAt) + 30 * 60_000).toISOString(),
    actorId: null,
    ...patch,
  };
  return { data, events: steps.map((step) => ({ id: randomUUID(), type: step.type, time: step.at, data: { ...data, status: step.status, ...step.patch } })) };
}

const before = (at: string, days: number) => new Date(Date.parse(at) - days * 86_400_000).toISOString();

/** Booked at once two days ahead, then what happened to it (null: still booked). */
function booked(
  doctorId: string,
  startsAt: string,
  end: "FULFILLED" | "NO_SHOW" | "CANCELLED" | null,
  patch: Partial<AppointmentEventData> = {},
  rating?: number,
) {
  const steps: Step[] = [
    { type: "AppointmentRequested", at: before(startsAt, 2), status: "BOOKED" },
    { type: "AppointmentBooked", at: before(startsAt, 2), status: "BOOKED" },
  ];
  if (end === "FULFILLED") steps.push({ type: "AppointmentFulfilled", at: startsAt, status: "FULFILLED" });
  if (end === "NO_SHOW") steps.push({ type: "AppointmentNoShow", at: startsAt, status: "NO_SHOW" });
  if (end === "CANCELLED") steps.push({ type: "AppointmentCancelled", at: before(startsAt, 1), status: "CANCELLED" });
  if (rating !== undefined) steps.push({ type: "FeedbackSubmitted", at: startsAt, status: "FULFILLED", patch: { rating } });
  return appointment(doctorId, startsAt, steps, patch);
}

async function publishAll(harness: Harness, appointments: { events: ReturnType<typeof appointment>["events"] }[]) {
  for (const a of appointments) await harness.publish(STREAMS.appointments, a.events);
}

async function ask<T = Row[]>(harness: Harness, query: string, field: string, variables: Record<string, unknown>): Promise<T> {
  const res = await harness.call(query, STAKEHOLDER, { f: null, ...variables });
  expect(res.errors).toBeUndefined();
  return res.data![field] as T;
}

/** An issued invoice (or credit note) of an appointment's visit. */
function invoice(a: { data: AppointmentEventData }, visitDate: string, totalMinor: number, kind = "INVOICE") {
  return {
    type: "InvoiceIssued" as const,
    data: {
      invoiceId: randomUUID(),
      patientId: a.data.patientId,
      number: `2028-${tag()}`,
      status: "ISSUED",
      totalMinor,
      paidMinor: 0,
      currency: "EUR",
      encounterId: null,
      appointmentId: a.data.appointmentId,
      doctorId: a.data.doctorId,
      visitDate,
      kind,
    },
  };
}

/** A cash payment at the desk of (part of) an invoice. */
function payment(issued: ReturnType<typeof invoice>, amountMinor: number) {
  return {
    type: "PaymentReceived" as const,
    data: {
      paymentId: randomUUID(),
      invoiceId: issued.data.invoiceId,
      appointmentId: null,
      patientId: issued.data.patientId,
      kind: "PAYMENT",
      method: "CASH",
      amountMinor,
      currency: "EUR",
      invoiceAppliedMinor: amountMinor,
    },
  };
}

const ALL_NULL = {
  suppressed: true,
  patients: null,
  appointmentsRequested: null,
  appointmentsBooked: null,
  cancelled: null,
  noShows: null,
  fulfilled: null,
  noShowRate: null,
  cancellationRate: null,
  feedbackAverage: null,
  feedbackCount: null,
  medianWaitMinutes: null,
  invoiced: null,
  collected: null,
};

describe("kpisByDoctor and kpisBySpecialty", () => {
  // Monday 10 to Sunday 16 January 2028: one ISO week, so kpis by week gives the same range as one period.
  const from = "2028-01-10";
  const to = "2028-01-16";

  it("count each doctor's and specialty's range as kpis filtered to it; imported visits count for their specialty only", async () => {
    const [cardiology, dermatology] = [`CARD_${tag()}`, `DERM_${tag()}`];
    const a = newDoctor(h, cardiology, "Berlin");
    const b = newDoctor(h, cardiology, "Hamburg");
    const c = newDoctor(h, dermatology, "Potsdam");
    const paid = booked(a, "2028-01-10T08:00:00.000Z", "FULFILLED", {}, 4);
    await publishAll(h, [
      paid,
      booked(a, "2028-01-10T09:00:00.000Z", "FULFILLED"),
      booked(a, "2028-01-11T09:00:00.000Z", "NO_SHOW"),
      booked(a, "2028-01-12T09:00:00.000Z", "CANCELLED"),
      appointment(a, "2028-01-13T09:00:00.000Z", [
        { type: "AppointmentRequested", at: "2028-01-09T09:00:00.000Z", status: "PENDING" },
        { type: "AppointmentRejected", at: "2028-01-09T10:00:00.000Z", status: "REJECTED" },
      ]),
      booked(b, "2028-01-14T09:00:00.000Z", "FULFILLED", {}, 2),
      booked(c, "2028-01-10T10:00:00.000Z", null),
      booked(c, "2028-01-11T10:00:00.000Z", "CANCELLED"),
    ]);
    // A walk-in with a's doctor: 20 minutes from arrival to the doctor.
    const encounter = {
      encounterId: randomUUID(),
      patientId: randomUUID(),
      doctorId: a,
      doctorUserId: randomUUID(),
      appointmentId: null,
      actorId: null,
      pendingExaminations: 0,
    };
    await h.publish(STREAMS.clinical, [
      { type: "EncounterRegistered", time: "2028-01-13T07:00:00.000Z", data: { ...encounter, status: "ARRIVED" } },
      { type: "EncounterStarted", time: "2028-01-13T07:20:00.000Z", data: { ...encounter, status: "IN_PROGRESS" } },
    ]);
    const issued = invoice(paid, "2028-01-10", 10_000);
    await h.publish(STREAMS.billing, [issued]);
    await h.publish(STREAMS.billing, [payment(issued, 6_000)]);
    // An imported visit names a specialty and a service, no doctor.
    const service = `SVC_${tag()}`;
    newService(h, service);
    const imported = await h.call("mutation($csv: String!) { importVisitsCsv(csv: $csv) { imported } }", ADMIN, {
      csv: `${VISIT_CSV_HEADER}\r\nlegacy-${tag()},2028-01-12,${cardiology},${service},FULFILLED,,,\r\n`,
    });
    expect(imported.data).toEqual({ importVisitsCsv: { imported: 1 } });

    const doctors = await ask(h, BY_DOCTOR, "kpisByDoctor", { from, to, f: { specialty: cardiology } });
    expect(doctors.map((row) => row.doctorId)).toEqual([a, b].sort());
    const ofA = doctors.find((row) => row.doctorId === a)!;
    expect(ofA).toEqual({
      doctorId: a,
      doctor: { id: a },
      specialtyCode: cardiology,
      location: "Berlin",
      suppressed: false,
      patients: 6, // five appointments' patients and the walk-in's
      appointmentsRequested: 5,
      appointmentsBooked: 4,
      cancelled: 1,
      noShows: 1,
      fulfilled: 2,
      noShowRate: 1 / 3,
      cancellationRate: 1 / 4,
      feedbackAverage: 4,
      feedbackCount: 1,
      medianWaitMinutes: 20,
      invoiced: { amountMinor: 10_000, currency: "EUR" },
      collected: { amountMinor: 6_000, currency: "EUR" },
    });
    expect(doctors.find((row) => row.doctorId === b)).toMatchObject({
      location: "Hamburg",
      patients: 1,
      fulfilled: 1,
      feedbackAverage: 2,
      invoiced: { amountMinor: 0 },
    });

    // Each doctor's row is kpis over the same week, filtered to the doctor.
    for (const row of doctors) {
      const [week] = await ask(
        h,
        `query($from: Date!, $to: Date!, $f: KpiFilter) { kpis(from: $from, to: $to, granularity: WEEK, filter: $f) { ${FIGURES} } }`,
        "kpis",
        {
          from,
          to,
          f: { doctorId: row.doctorId },
        },
      );
      const { doctorId: _id, doctor: _doctor, specialtyCode: _specialty, location: _location, ...figures } = row;
      expect(figures).toEqual(week);
    }

    const specialties = await ask(h, BY_SPECIALTY, "kpisBySpecialty", { from, to });
    expect(specialties.map((row) => row.specialtyCode)).toEqual([cardiology, dermatology].sort());
    expect(specialties.find((row) => row.specialtyCode === cardiology)).toMatchObject({
      patients: 8, // a's six, b's one, the imported visit
      appointmentsRequested: 7,
      appointmentsBooked: 6,
      fulfilled: 4,
      noShows: 1,
      cancelled: 1,
      feedbackAverage: 3,
      feedbackCount: 2,
      medianWaitMinutes: 20,
      invoiced: { amountMinor: 10_000 },
    });
    expect(specialties.find((row) => row.specialtyCode === dermatology)).toMatchObject({
      patients: 2,
      appointmentsRequested: 2,
      appointmentsBooked: 2,
      cancelled: 1,
      cancellationRate: 1 / 2,
      noShowRate: null,
      feedbackAverage: null,
      medianWaitMinutes: null,
      collected: { amountMinor: 0 },
    });

    // Filters narrow the rows: b's location alone, c's doctor alone; a day without facts has no rows.
    expect(await ask(h, BY_SPECIALTY, "kpisBySpecialty", { from, to, f: { location: "Hamburg", specialty: cardiology } })).toEqual([
      expect.objectContaining({ specialtyCode: cardiology, patients: 1, fulfilled: 1 }),
    ]);
    expect((await ask(h, BY_DOCTOR, "kpisByDoctor", { from, to, f: { doctorId: c } })).map((row) => row.doctorId)).toEqual([c]);
    expect(await ask(h, BY_DOCTOR, "kpisByDoctor", { from: "2028-01-17", to: "2028-01-17" })).toEqual([]);
  });

  it("suppress a row drawn from fewer patients than the minimum, and keep its name", async () => {
    const specialty = `ENT_${tag()}`;
    const [many, few] = [newDoctor(strict, specialty, "Köln"), newDoctor(strict, specialty, "Bonn")];
    await publishAll(strict, [
      booked(many, "2028-01-10T08:00:00.000Z", "FULFILLED"),
      booked(many, "2028-01-11T08:00:00.000Z", "FULFILLED"),
      booked(many, "2028-01-12T08:00:00.000Z", "NO_SHOW"),
      booked(few, "2028-01-10T08:00:00.000Z", "FULFILLED"),
      booked(few, "2028-01-11T08:00:00.000Z", "FULFILLED"),
    ]);
    const doctors = await ask(strict, BY_DOCTOR, "kpisByDoctor", { from, to, f: { specialty } });
    expect(doctors.find((row) => row.doctorId === many)).toMatchObject({ suppressed: false, patients: 3, fulfilled: 2, noShows: 1 });
    expect(doctors.find((row) => row.doctorId === few)).toEqual({
      doctorId: few,
      doctor: { id: few },
      specialtyCode: specialty,
      location: "Bonn",
      ...ALL_NULL,
    });
    expect(await ask(strict, BY_SPECIALTY, "kpisBySpecialty", { from, to, f: { location: "Bonn" } })).toEqual([{ specialtyCode: specialty, ...ALL_NULL }]);
    expect(await ask(strict, BY_SPECIALTY, "kpisBySpecialty", { from, to, f: { specialty } })).toEqual([
      expect.objectContaining({ specialtyCode: specialty, suppressed: false, patients: 5, fulfilled: 4 }),
    ]);
  });
});

describe("topServices", () => {
  const from = "2028-02-07";
  const to = "2028-02-13";

  it("orders services by booked appointments (ties by code), takes the first, and counts their invoices", async () => {
    const t = tag();
    const [s1, s2, s3, s4] = [`${t}_A`, `${t}_B`, `${t}_C`, `${t}_D`].map((code) => newService(h, code));
    const d1 = newDoctor(h, `GP_${t}`, "Berlin");
    const d2 = newDoctor(h, `GP_${t}`, "Berlin");
    const withS1 = booked(d1, "2028-02-07T08:00:00.000Z", "FULFILLED", { serviceId: s1 });
    await publishAll(h, [
      withS1,
      booked(d1, "2028-02-08T08:00:00.000Z", "FULFILLED", { serviceId: s1 }),
      booked(d1, "2028-02-09T08:00:00.000Z", "NO_SHOW", { serviceId: s1 }),
      booked(d1, "2028-02-07T09:00:00.000Z", "FULFILLED", { serviceId: s3 }),
      booked(d1, "2028-02-08T09:00:00.000Z", "CANCELLED", { serviceId: s3 }),
      booked(d2, "2028-02-10T09:00:00.000Z", "FULFILLED", { serviceId: s4 }),
      booked(d1, "2028-02-10T10:00:00.000Z", "FULFILLED", { serviceId: s2 }),
      booked(d1, "2028-02-11T10:00:00.000Z", "FULFILLED"), // no service: in no row
      // Asked for, never booked: counted in no row's bookings.
      appointment(d2, "2028-02-12T09:00:00.000Z", [{ type: "AppointmentRequested", at: "2028-02-05T09:00:00.000Z", status: "PENDING" }], { serviceId: s2 }),
    ]);
    // Invoiced 80.00, then 30.00 of it credited.
    await h.publish(STREAMS.billing, [invoice(withS1, "2028-02-07", 8_000), invoice(withS1, "2028-02-07", -3_000, "CREDIT_NOTE")]);

    const top = await ask(h, TOP_SERVICES, "topServices", { from, to, f: { specialty: `GP_${t}` } });
    expect(top.map((row) => [row.serviceId, row.appointmentsBooked])).toEqual([
      [s1, 3],
      [s3, 2],
      [s2, 1],
      [s4, 1],
    ]);
    expect(top[0]).toEqual({
      serviceId: s1,
      service: { id: s1 },
      serviceCode: `${t}_A`,
      suppressed: false,
      patients: 3,
      appointmentsBooked: 3,
      fulfilled: 2,
      noShows: 1,
      invoiced: { amountMinor: 5_000, currency: "EUR" },
    });
    expect(top[2]).toMatchObject({ patients: 2, fulfilled: 1, invoiced: { amountMinor: 0 } });
    // Ten by default; `first` takes fewer; a filter narrows the appointments counted.
    expect((await ask(h, TOP_SERVICES, "topServices", { from, to, f: { specialty: `GP_${t}` }, first: 2 })).map((row) => row.serviceId)).toEqual([s1, s3]);
    expect(await ask(h, TOP_SERVICES, "topServices", { from, to, f: { doctorId: d2 } })).toEqual([
      expect.objectContaining({ serviceId: s4, appointmentsBooked: 1 }),
      expect.objectContaining({ serviceId: s2, appointmentsBooked: 0, patients: 1 }),
    ]);
  });

  it("puts suppressed services after the shown ones, whatever they booked", async () => {
    const t = tag();
    const [busy, small] = [newService(strict, `${t}_BUSY`), newService(strict, `${t}_SMALL`)];
    const doctorId = newDoctor(strict, `GP_${t}`, null);
    const [regular, other] = [randomUUID(), randomUUID()];
    await publishAll(strict, [
      booked(doctorId, "2028-02-07T08:00:00.000Z", "FULFILLED", { serviceId: busy }),
      booked(doctorId, "2028-02-08T08:00:00.000Z", "FULFILLED", { serviceId: busy }),
      booked(doctorId, "2028-02-09T08:00:00.000Z", "FULFILLED", { serviceId: busy }),
      // Four bookings of two patients.
      ...[7, 8, 9, 10].map((day, i) =>
        booked(doctorId, `2028-02-${String(day).padStart(2, "0")}T10:00:00.000Z`, "FULFILLED", { serviceId: small, patientId: i % 2 ? regular : other }),
      ),
    ]);
    const top = await ask(strict, TOP_SERVICES, "topServices", { from, to, f: { doctorId } });
    expect(top).toEqual([
      expect.objectContaining({ serviceId: busy, suppressed: false, appointmentsBooked: 3 }),
      {
        serviceId: small,
        service: { id: small },
        serviceCode: `${t}_SMALL`,
        suppressed: true,
        patients: null,
        appointmentsBooked: null,
        fulfilled: null,
        noShows: null,
        invoiced: null,
      },
    ]);
  });
});

describe("load", () => {
  const cell = (cells: Row[], weekday: number, hour: number) => cells.find((c) => c.weekday === weekday && c.hour === hour);

  it("counts booked appointments by weekday and hour of their start in the clinic's time zone, across daylight saving changes", async () => {
    const doctorId = newDoctor(h, `LOAD_${tag()}`, "Berlin");
    await publishAll(h, [
      // Sunday 28 March 2027, Berlin moves from 02:00 to 03:00: 00:30 UTC is 01:30, 01:30 UTC is 03:30.
      booked(doctorId, "2027-03-28T00:30:00.000Z", null),
      booked(doctorId, "2027-03-28T01:30:00.000Z", "FULFILLED"),
      // 09:00 on two Mondays: CET (08:00 UTC) and CEST (07:00 UTC); a cancelled booking still took its hour.
      booked(doctorId, "2027-03-22T08:00:00.000Z", "FULFILLED"),
      booked(doctorId, "2027-03-29T07:00:00.000Z", "CANCELLED"),
      // Never booked: not counted.
      appointment(doctorId, "2027-03-23T09:00:00.000Z", [{ type: "AppointmentRequested", at: "2027-03-20T09:00:00.000Z", status: "PENDING" }]),
      // Sunday 31 October 2027, 03:00 back to 02:00: 00:30 UTC and 01:30 UTC are both 02:30.
      booked(doctorId, "2027-10-31T00:30:00.000Z", "FULFILLED"),
      booked(doctorId, "2027-10-31T01:30:00.000Z", "FULFILLED"),
    ]);
    const spring = await ask(h, LOAD, "load", { from: "2027-03-22", to: "2027-04-04", f: { doctorId } });
    expect(spring).toHaveLength(168);
    expect(spring.slice(0, 2)).toEqual([
      { weekday: 1, hour: 0, suppressed: false, appointmentsBooked: 0 },
      { weekday: 1, hour: 1, suppressed: false, appointmentsBooked: 0 },
    ]);
    expect(spring.at(-1)).toMatchObject({ weekday: 7, hour: 23 });
    expect(cell(spring, 7, 1)).toMatchObject({ appointmentsBooked: 1 });
    expect(cell(spring, 7, 2)).toMatchObject({ appointmentsBooked: 0 });
    expect(cell(spring, 7, 3)).toMatchObject({ appointmentsBooked: 1 });
    expect(cell(spring, 1, 9)).toMatchObject({ appointmentsBooked: 2 });
    expect(spring.reduce((sum, c) => sum + (c.appointmentsBooked as number), 0)).toBe(4);

    const autumn = await ask(h, LOAD, "load", { from: "2027-10-25", to: "2027-10-31", f: { doctorId } });
    expect(cell(autumn, 7, 2)).toMatchObject({ appointmentsBooked: 2 });
    expect(autumn.reduce((sum, c) => sum + (c.appointmentsBooked as number), 0)).toBe(2);
  });

  it("suppresses a cell drawn from fewer patients than the minimum", async () => {
    const doctorId = newDoctor(strict, `LOAD_${tag()}`, "Berlin");
    const regular = randomUUID();
    await publishAll(strict, [
      // Tuesdays 10:00 (CET: 09:00 UTC): three patients. Wednesdays 10:00: one patient, twice.
      ...["2028-03-07", "2028-03-14", "2028-03-21"].map((day) => booked(doctorId, `${day}T09:00:00.000Z`, "FULFILLED")),
      ...["2028-03-08", "2028-03-15"].map((day) => booked(doctorId, `${day}T09:00:00.000Z`, "FULFILLED", { patientId: regular })),
    ]);
    const cells = await ask(strict, LOAD, "load", { from: "2028-03-01", to: "2028-03-24", f: { doctorId } });
    expect(cell(cells, 2, 10)).toEqual({ weekday: 2, hour: 10, suppressed: false, appointmentsBooked: 3 });
    expect(cell(cells, 3, 10)).toEqual({ weekday: 3, hour: 10, suppressed: true, appointmentsBooked: null });
    expect(cell(cells, 4, 10)).toEqual({ weekday: 4, hour: 10, suppressed: false, appointmentsBooked: 0 });
  });
});

describe("kpisCsv", () => {
  const CSV = `query($from: Date!, $to: Date!, $g: Granularity!, $f: KpiFilter) { kpisCsv(from: $from, to: $to, granularity: $g, filter: $f) }`;
  const MONEY = new Set(["invoiced", "collected", "outstanding"]);

  /** Every period of kpis, as the CSV writes it: fields named by the CSV's header. */
  async function kpisLikeCsv(harness: Harness, header: string[], variables: Record<string, unknown>) {
    const fields = [
      ...new Set(
        header
          .filter((name) => name !== "currency")
          .map((name) => name.replace(/^feedbackDistribution\d$/, "feedbackDistribution"))
          .map((name) => (MONEY.has(name) ? `${name} { amountMinor currency }` : name)),
      ),
    ];
    const points = await ask(
      harness,
      `query($from: Date!, $to: Date!, $g: Granularity!, $f: KpiFilter) { kpis(from: $from, to: $to, granularity: $g, filter: $f) { ${fields.join(" ")} } }`,
      "kpis",
      variables,
    );
    const cell = (value: unknown) => (value === null ? "" : String(value));
    return points.map((point) =>
      Object.fromEntries(
        header.map((name) => {
          const rating = /^feedbackDistribution(\d)$/.exec(name);
          if (rating) return [name, cell((point.feedbackDistribution as number[] | null)?.[Number(rating[1]) - 1] ?? null)];
          if (name === "currency") return [name, "EUR"];
          if (MONEY.has(name)) {
            const money = point[name] as { amountMinor: number } | null;
            return [name, money === null ? "" : (money.amountMinor / 100).toFixed(2)];
          }
          return [name, cell(point[name])];
        }),
      ),
    );
  }

  it("has the figures of kpis, one row per period", async () => {
    const doctorId = newDoctor(h, `CSV_${tag()}`, "Berlin");
    const paid = booked(doctorId, "2028-04-03T08:00:00.000Z", "FULFILLED", {}, 5);
    await publishAll(h, [paid, booked(doctorId, "2028-04-04T08:00:00.000Z", "NO_SHOW"), booked(doctorId, "2028-04-12T08:00:00.000Z", "CANCELLED")]);
    const issued = invoice(paid, "2028-04-03", 12_345);
    await h.publish(STREAMS.billing, [issued, payment(issued, 2_000)]);
    for (const g of ["DAY", "WEEK"]) {
      const variables = { from: "2028-04-03", to: "2028-04-16", g, f: { doctorId } };
      const csv = await ask<string>(h, CSV, "kpisCsv", variables);
      expect(csv.endsWith("\r\n")).toBe(true);
      const [header, ...records] = parse(csv) as string[][];
      expect(header!.slice(0, 3)).toEqual(["period", "suppressed", "patients"]);
      expect(header).toEqual(expect.arrayContaining(["feedbackDistribution5", "invoiced", "collected", "outstanding", "currency"]));
      const rows = records.map((record) => Object.fromEntries(header!.map((name, i) => [name, record[i]])));
      expect(rows).toEqual(await kpisLikeCsv(h, header!, variables));
      expect(rows).toHaveLength(g === "DAY" ? 14 : 2);
    }
    const [, first] = parse(await ask<string>(h, CSV, "kpisCsv", { from: "2028-04-03", to: "2028-04-03", g: "DAY", f: { doctorId } })) as string[][];
    expect(first).toEqual(expect.arrayContaining(["2028-04-03", "false", "123.45", "20.00", "103.45", "EUR"]));
  });

  it("leaves a suppressed period's figures empty", async () => {
    const doctorId = newDoctor(strict, `CSV_${tag()}`, "Berlin");
    await publishAll(strict, [booked(doctorId, "2028-04-03T08:00:00.000Z", "FULFILLED")]);
    const csv = await ask<string>(strict, CSV, "kpisCsv", { from: "2028-04-03", to: "2028-04-03", g: "DAY", f: { doctorId } });
    const [row] = parse(csv, { columns: true }) as Record<string, string>[];
    const { period, suppressed, currency, ...figures } = row!;
    expect({ period, suppressed, currency }).toEqual({ period: "2028-04-03", suppressed: "true", currency: "EUR" });
    expect(new Set(Object.values(figures))).toEqual(new Set([""]));
  });
});

describe("who may ask, and what", () => {
  const QUERIES: [string, string][] = [
    ["kpisByDoctor", `query { kpisByDoctor(from: "2028-01-10", to: "2028-01-16") { doctorId } }`],
    ["kpisBySpecialty", `query { kpisBySpecialty(from: "2028-01-10", to: "2028-01-16") { specialtyCode } }`],
    ["topServices", `query { topServices(from: "2028-01-10", to: "2028-01-16") { serviceId } }`],
    ["load", `query { load(from: "2028-01-10", to: "2028-01-16") { weekday } }`],
    ["kpisCsv", `query { kpisCsv(from: "2028-01-10", to: "2028-01-16", granularity: DAY) }`],
  ];

  it.each(QUERIES)("%s is for stakeholders and administrators only", async (_field, query) => {
    for (const role of ["DOCTOR", "PATIENT"] as Role[]) {
      const res = await h.call(query, { userId: randomUUID(), role });
      expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(res.data ?? null).toBeNull();
    }
    for (const caller of [ADMIN, STAKEHOLDER]) expect((await h.call(query, caller)).errors).toBeUndefined();
  });

  it("refuses a range, filter or page size out of bounds", async () => {
    const refused = async (query: string, variables: Record<string, unknown>) =>
      (await h.call(query, STAKEHOLDER, { f: null, ...variables })).errors?.[0]?.extensions;
    for (const query of [BY_DOCTOR, BY_SPECIALTY, TOP_SERVICES, LOAD]) {
      expect(await refused(query, { from: "2028-01-02", to: "2028-01-01" })).toMatchObject({ code: "BAD_USER_INPUT", field: "from" });
      expect(await refused(query, { from: "2017-01-01", to: "2028-01-01" })).toMatchObject({ code: "BAD_USER_INPUT", field: "to" });
      expect(await refused(query, { from: "2028-01-01", to: "2028-01-01", f: { doctorId: "not-an-id" } })).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "filter.doctorId",
      });
      expect(await refused(query, { from: "2028-01-01", to: "2028-01-01", f: { location: " " } })).toMatchObject({
        code: "BAD_USER_INPUT",
        field: "filter.location",
      });
      // Ten years is the longest range.
      expect((await h.call(query, STAKEHOLDER, { from: "2018-01-02", to: "2028-01-01", f: null })).errors).toBeUndefined();
    }
    for (const first of [0, -1, 101])
      expect(await refused(TOP_SERVICES, { from: "2028-01-01", to: "2028-01-01", first })).toMatchObject({ code: "BAD_USER_INPUT", field: "first" });
    expect((await h.call(TOP_SERVICES, STAKEHOLDER, { from: "2028-01-01", to: "2028-01-01", first: 100 })).errors).toBeUndefined();
    const csv = `query($g: Granularity!) { kpisCsv(from: "2024-01-01", to: "2028-01-01", granularity: $g) }`;
    expect((await h.call(csv, STAKEHOLDER, { g: "DAY" })).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "to" });
  });
});
