/**
 * Appointment KPIs from scheduling's events: counts, rates, medians and feedback per day, week and month; the same
 * numbers whatever order and however often events arrive; filters; suppression of small cells; who may ask.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { STREAMS, type AppointmentEventData, type AppointmentEventType } from "@clinigraph/events";
import { queryDatabase } from "@clinigraph/testing";
import { refreshAllSupply } from "../src/domain/supply.js";
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
const KPIS = `query($from: Date!, $to: Date!, $g: Granularity!, $f: KpiFilter) {
  kpis(from: $from, to: $to, granularity: $g, filter: $f) {
    period suppressed patients appointmentsRequested appointmentsBooked cancelled noShows fulfilled noShowRate cancellationRate
    medianLeadTimeHours medianApprovalMinutes feedbackAverage feedbackCount feedbackDistribution
    medianWaitMinutes medianExamTurnaroundHours medianReviewHours } }`;

type Step = { type: AppointmentEventType; at: string; status: string; patch?: Partial<AppointmentEventData> };
interface Script {
  data: AppointmentEventData;
  steps: Step[];
}

/** A doctor of the fake catalogue. */
function newDoctor(harness: Harness, specialtyCode = "CARDIOLOGY", location: string | null = "Berlin Mitte") {
  const doctorId = randomUUID();
  harness.doctors.set(doctorId, { specialtyCode, location });
  return doctorId;
}

/** An appointment's events: requested (pending or booked at once), then what happened to it. */
function appointment(doctorId: string, startsAt: string, steps: Step[], patch: Partial<AppointmentEventData> = {}): Script {
  return {
    data: {
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
    },
    steps,
  };
}

const events = (script: Script) =>
  script.steps.map((step) => ({ id: randomUUID(), type: step.type, time: step.at, data: { ...script.data, status: step.status, ...step.patch } }));

async function kpis(harness: Harness, from: string, to: string, g: string, f?: Record<string, unknown>) {
  const res = await harness.call(KPIS, STAKEHOLDER, { from, to, g, f: f ?? null });
  expect(res.errors).toBeUndefined();
  return res.data!.kpis as Record<string, unknown>[];
}

/** A small week of one doctor: two fulfilled (one waited for approval, one rated), a no-show, a cancellation, a rejection. */
function week(doctorId: string): Script[] {
  return [
    appointment(doctorId, "2027-03-08T09:00:00.000Z", [
      { type: "AppointmentRequested", at: "2027-03-06T09:00:00.000Z", status: "PENDING" },
      { type: "AppointmentBooked", at: "2027-03-06T09:30:00.000Z", status: "BOOKED" },
      { type: "PatientCheckedIn", at: "2027-03-08T08:55:00.000Z", status: "CHECKED_IN" },
      { type: "AppointmentFulfilled", at: "2027-03-08T09:40:00.000Z", status: "FULFILLED" },
      { type: "FeedbackSubmitted", at: "2027-03-08T12:00:00.000Z", status: "FULFILLED", patch: { rating: 4 } },
    ]),
    appointment(doctorId, "2027-03-08T10:00:00.000Z", [
      { type: "AppointmentRequested", at: "2027-03-07T10:00:00.000Z", status: "BOOKED" },
      { type: "AppointmentBooked", at: "2027-03-07T10:00:00.000Z", status: "BOOKED" },
      { type: "AppointmentFulfilled", at: "2027-03-08T10:30:00.000Z", status: "FULFILLED" },
    ]),
    appointment(doctorId, "2027-03-08T11:00:00.000Z", [
      { type: "AppointmentRequested", at: "2027-03-05T11:00:00.000Z", status: "BOOKED" },
      { type: "AppointmentBooked", at: "2027-03-05T11:00:00.000Z", status: "BOOKED" },
      { type: "AppointmentNoShow", at: "2027-03-08T11:20:00.000Z", status: "NO_SHOW" },
    ]),
    appointment(doctorId, "2027-03-09T09:00:00.000Z", [
      { type: "AppointmentRequested", at: "2027-03-07T09:00:00.000Z", status: "BOOKED" },
      { type: "AppointmentBooked", at: "2027-03-07T09:00:00.000Z", status: "BOOKED" },
      { type: "AppointmentCancelled", at: "2027-03-08T09:00:00.000Z", status: "CANCELLED" },
    ]),
    appointment(doctorId, "2027-03-09T10:00:00.000Z", [
      { type: "AppointmentRequested", at: "2027-03-07T10:00:00.000Z", status: "PENDING" },
      { type: "AppointmentRejected", at: "2027-03-07T11:00:00.000Z", status: "REJECTED" },
    ]),
  ];
}

describe("kpis", () => {
  it("counts a week of one doctor by day and by week, with rates, medians and feedback", async () => {
    const doctorId = newDoctor(h);
    for (const script of week(doctorId)) await h.publish(STREAMS.appointments, events(script));
    const byDay = await kpis(h, "2027-03-08", "2027-03-10", "DAY", { doctorId });
    expect(byDay.map((p) => p.period)).toEqual(["2027-03-08", "2027-03-09", "2027-03-10"]);
    expect(byDay[0]).toMatchObject({
      suppressed: false,
      patients: 3,
      appointmentsRequested: 3,
      appointmentsBooked: 3,
      fulfilled: 2,
      noShows: 1,
      cancelled: 0,
      noShowRate: 1 / 3,
      cancellationRate: 0,
      medianLeadTimeHours: 48, // of 48 h, 24 h and 72 h from request to start
      medianApprovalMinutes: 30,
      feedbackAverage: 4,
      feedbackCount: 1,
      feedbackDistribution: [0, 0, 0, 1, 0],
    });
    expect(byDay[1]).toMatchObject({
      patients: 2,
      appointmentsRequested: 2,
      appointmentsBooked: 1,
      cancelled: 1,
      cancellationRate: 1,
      medianApprovalMinutes: 60,
    });
    expect(byDay[2]).toMatchObject({ suppressed: false, patients: 0, appointmentsRequested: 0, noShowRate: null, feedbackAverage: null });

    const byWeek = await kpis(h, "2027-03-08", "2027-03-14", "WEEK", { doctorId });
    expect(byWeek).toEqual([
      expect.objectContaining({ period: "2027-03-08", patients: 5, appointmentsRequested: 5, appointmentsBooked: 4, cancelled: 1, noShows: 1, fulfilled: 2 }),
    ]);
  });

  it("gives the same numbers whatever order events arrive in, and however often", async () => {
    const inOrder = newDoctor(h);
    const shuffled = newDoctor(h);
    for (const script of week(inOrder)) await h.publish(STREAMS.appointments, events(script));
    // The same week for another doctor: every event twice, latest first.
    const all = week(shuffled).flatMap(events);
    await h.publish(STREAMS.appointments, [...all].reverse());
    await h.publish(STREAMS.appointments, all);
    const strip = (points: Record<string, unknown>[]) => points.map(({ period, ...figures }) => ({ period, ...figures }));
    for (const g of ["DAY", "WEEK", "MONTH"])
      expect(strip(await kpis(h, "2027-03-01", "2027-03-31", g, { doctorId: shuffled }))).toEqual(
        strip(await kpis(h, "2027-03-01", "2027-03-31", g, { doctorId: inOrder })),
      );
    // One row per appointment, whatever was redelivered.
    const [row] = await queryDatabase<{ n: number }>(h.db.url, "SELECT count(*)::int AS n FROM analytics.appointment_facts WHERE doctor_id = $1", [shuffled]);
    expect(row!.n).toBe(5);
  });

  it("moves a rescheduled appointment to its new day, and filters by specialty, service and location", async () => {
    const doctorId = newDoctor(h, "DERMATOLOGY", "Hamburg");
    const serviceId = randomUUID();
    h.services.set(serviceId, { code: "SKIN_CHECK", durationMinutes: 20 });
    const moved = appointment(
      doctorId,
      "2027-04-05T09:00:00.000Z",
      [
        { type: "AppointmentRequested", at: "2027-04-01T09:00:00.000Z", status: "BOOKED" },
        { type: "AppointmentBooked", at: "2027-04-01T09:00:00.000Z", status: "BOOKED" },
        {
          type: "AppointmentRescheduled",
          at: "2027-04-02T09:00:00.000Z",
          status: "BOOKED",
          patch: { startsAt: "2027-04-07T09:00:00.000Z", endsAt: "2027-04-07T09:20:00.000Z", previousStartsAt: "2027-04-05T09:00:00.000Z" },
        },
      ],
      { serviceId },
    );
    await h.publish(STREAMS.appointments, events(moved));
    const one = { appointmentsBooked: 1 };
    const byDay = await kpis(h, "2027-04-05", "2027-04-07", "DAY", { specialty: "DERMATOLOGY" });
    expect(byDay.map((p) => p.appointmentsBooked)).toEqual([0, 0, 1]);
    expect(await kpis(h, "2027-04-07", "2027-04-07", "DAY", { serviceId })).toEqual([expect.objectContaining(one)]);
    expect(await kpis(h, "2027-04-07", "2027-04-07", "DAY", { location: "Hamburg", specialty: "DERMATOLOGY" })).toEqual([expect.objectContaining(one)]);
    expect(await kpis(h, "2027-04-07", "2027-04-07", "DAY", { location: "Berlin Mitte", specialty: "DERMATOLOGY" })).toEqual([
      expect.objectContaining({ appointmentsBooked: 0 }),
    ]);
  });

  it("counts on the visit's day in the clinic's time zone", async () => {
    const doctorId = newDoctor(h);
    // 23:30 UTC on 31 March is 01:30 on 1 April in Berlin (summer time).
    const late = appointment(doctorId, "2027-03-31T23:30:00.000Z", [{ type: "AppointmentRequested", at: "2027-03-20T10:00:00.000Z", status: "BOOKED" }]);
    await h.publish(STREAMS.appointments, events(late));
    expect((await kpis(h, "2027-03-31", "2027-04-01", "DAY", { doctorId })).map((p) => p.appointmentsRequested)).toEqual([0, 1]);
  });

  it("suppresses a period drawn from fewer patients than the minimum", async () => {
    const doctorId = newDoctor(strict);
    for (const script of week(doctorId)) await strict.publish(STREAMS.appointments, events(script));
    const byDay = await kpis(strict, "2027-03-08", "2027-03-09", "DAY", { doctorId });
    expect(byDay[0]).toMatchObject({ suppressed: false, patients: 3, appointmentsBooked: 3 });
    expect(byDay[1]).toEqual({
      period: "2027-03-09",
      suppressed: true,
      patients: null,
      appointmentsRequested: null,
      appointmentsBooked: null,
      cancelled: null,
      noShows: null,
      fulfilled: null,
      noShowRate: null,
      cancellationRate: null,
      medianLeadTimeHours: null,
      medianApprovalMinutes: null,
      feedbackAverage: null,
      feedbackCount: null,
      feedbackDistribution: null,
      medianWaitMinutes: null,
      medianExamTurnaroundHours: null,
      medianReviewHours: null,
    });
  });

  it("is for stakeholders and administrators only, over a valid range", async () => {
    const ask = (caller: { userId: string; role: "PATIENT" | "DOCTOR" | "ADMIN" | "STAKEHOLDER" }, from: string, to: string, g = "DAY") =>
      h.call(KPIS, caller, { from, to, g, f: null });
    for (const role of ["PATIENT", "DOCTOR"] as const)
      expect((await ask({ userId: randomUUID(), role }, "2027-03-01", "2027-03-02")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await ask({ userId: randomUUID(), role: "ADMIN" }, "2027-03-01", "2027-03-02")).errors).toBeUndefined();
    const refused = async (from: string, to: string, g: string) => (await ask(STAKEHOLDER, from, to, g)).errors?.[0]?.extensions;
    expect(await refused("2027-03-02", "2027-03-01", "DAY")).toMatchObject({ code: "BAD_USER_INPUT", field: "from" });
    expect(await refused("2024-01-01", "2027-03-01", "DAY")).toMatchObject({ code: "BAD_USER_INPUT", field: "to" });
    expect(await refused("2015-01-01", "2027-03-01", "WEEK")).toMatchObject({ code: "BAD_USER_INPUT", field: "to" });
    expect((await ask(STAKEHOLDER, "2018-01-01", "2027-03-01", "MONTH")).errors).toBeUndefined();
  });

  it("times the clinic (wait, examination turnaround, review) and counts the money of the visits' day", async () => {
    const doctorId = newDoctor(h, "NEUROLOGY", "Potsdam");
    const patientId = randomUUID();
    const encounter = {
      encounterId: randomUUID(),
      patientId,
      doctorId,
      doctorUserId: randomUUID(),
      appointmentId: null,
      actorId: null,
      pendingExaminations: 0,
    };
    await h.publish(STREAMS.clinical, [
      { type: "EncounterRegistered", time: "2027-05-03T07:00:00.000Z", data: { ...encounter, status: "ARRIVED" } },
      { type: "EncounterStarted", time: "2027-05-03T07:20:00.000Z", data: { ...encounter, status: "IN_PROGRESS" } },
    ]);
    const serviceId = randomUUID();
    h.services.set(serviceId, { code: "MRI_HEAD", durationMinutes: 45 });
    const exam = {
      examinationId: randomUUID(),
      encounterId: encounter.encounterId,
      patientId,
      doctorId,
      doctorUserId: encounter.doctorUserId,
      serviceId,
      actorId: null,
      orderedAt: "2027-05-03T07:30:00.000Z",
    };
    await h.publish(STREAMS.clinical, [
      // The review arrives before the result: the facts come out the same.
      { type: "ExaminationReviewed", time: "2027-05-03T11:30:00.000Z", data: { ...exam, status: "REVIEWED" } },
      { type: "ExaminationOrdered", time: "2027-05-03T07:30:00.000Z", data: { ...exam, status: "ORDERED" } },
      { type: "ExaminationPerformed", time: "2027-05-03T09:30:00.000Z", data: { ...exam, status: "PERFORMED" } },
    ]);
    const invoice = (invoiceId: string, totalMinor: number, kind = "INVOICE") => ({
      invoiceId,
      patientId,
      number: "2027-000001",
      status: "ISSUED",
      totalMinor,
      paidMinor: 0,
      currency: "EUR",
      encounterId: encounter.encounterId,
      appointmentId: null,
      doctorId,
      visitDate: "2027-05-03",
      kind,
    });
    const payment = (
      invoiceId: string | null,
      kind: string,
      method: string,
      amountMinor: number,
      invoiceAppliedMinor: number,
      appointmentId: string | null = null,
    ) => ({
      paymentId: randomUUID(),
      invoiceId,
      appointmentId,
      patientId,
      kind,
      method,
      amountMinor,
      currency: "EUR",
      invoiceAppliedMinor,
    });
    const first = randomUUID();
    const corrected = randomUUID();
    await h.publish(STREAMS.billing, [
      { type: "InvoiceIssued", data: invoice(first, 10_000) },
      { type: "PaymentReceived", data: payment(first, "PAYMENT", "CASH", 6_000, 6_000) },
      { type: "PaymentRefunded", data: payment(first, "REFUND", "CASH", 1_000, -1_000) },
      // Another invoice, corrected by a credit note: it counts nothing, and asks nothing.
      { type: "InvoiceIssued", data: invoice(corrected, 4_000) },
      { type: "InvoiceIssued", data: invoice(randomUUID(), -4_000, "CREDIT_NOTE") },
      { type: "InvoiceVoided", data: { ...invoice(corrected, 4_000), status: "VOID" } },
    ]);
    const [day] = await kpis(h, "2027-05-03", "2027-05-03", "DAY", { doctorId });
    expect(day).toMatchObject({ suppressed: false, patients: 1, medianWaitMinutes: 20, medianExamTurnaroundHours: 2, medianReviewHours: 2 });
    const money = await h.call(
      `query($d: Date!, $f: KpiFilter) { kpis(from: $d, to: $d, granularity: DAY, filter: $f) { invoiced { amountMinor currency } collected { amountMinor } outstanding { amountMinor } } }`,
      STAKEHOLDER,
      { d: "2027-05-03", f: { doctorId } },
    );
    expect(money.data!.kpis).toEqual([
      { invoiced: { amountMinor: 10_000, currency: "EUR" }, collected: { amountMinor: 5_000 }, outstanding: { amountMinor: 5_000 } },
    ]);
    expect((await kpis(h, "2027-05-03", "2027-05-03", "DAY", { serviceId }))[0]).toMatchObject({ medianExamTurnaroundHours: 2 });
  });

  it("counts a prepayment as collected on its appointment's day, and the credit that pays the invoice once", async () => {
    const doctorId = newDoctor(h, "ORTHOPEDICS", "Leipzig");
    const visit = appointment(doctorId, "2027-05-10T08:00:00.000Z", [{ type: "AppointmentRequested", at: "2027-05-01T08:00:00.000Z", status: "BOOKED" }]);
    await h.publish(STREAMS.appointments, events(visit));
    const { appointmentId, patientId } = visit.data;
    const invoiceId = randomUUID();
    await h.publish(STREAMS.billing, [
      {
        type: "PaymentReceived",
        data: {
          paymentId: randomUUID(),
          invoiceId: null,
          appointmentId,
          patientId,
          kind: "PAYMENT",
          method: "ONLINE",
          amountMinor: 3_000,
          currency: "EUR",
          invoiceAppliedMinor: 0,
        },
      },
      {
        type: "InvoiceIssued",
        data: {
          invoiceId,
          patientId,
          number: "2027-000002",
          status: "ISSUED",
          totalMinor: 3_000,
          paidMinor: 0,
          currency: "EUR",
          encounterId: null,
          appointmentId,
          doctorId,
          visitDate: "2027-05-10",
          kind: "INVOICE",
        },
      },
      {
        type: "PaymentReceived",
        data: {
          paymentId: randomUUID(),
          invoiceId,
          appointmentId: null,
          patientId,
          kind: "PAYMENT",
          method: "CREDIT",
          amountMinor: 3_000,
          currency: "EUR",
          invoiceAppliedMinor: 3_000,
        },
      },
    ]);
    const res = await h.call(
      `query($f: KpiFilter) { kpis(from: "2027-05-10", to: "2027-05-10", granularity: DAY, filter: $f) { invoiced { amountMinor } collected { amountMinor } outstanding { amountMinor } } }`,
      STAKEHOLDER,
      { f: { doctorId } },
    );
    expect(res.data!.kpis).toEqual([{ invoiced: { amountMinor: 3_000 }, collected: { amountMinor: 3_000 }, outstanding: { amountMinor: 0 } }]);
  });

  it("works out utilization from the doctor's offered time, refreshed when their schedule changes", async () => {
    const doctorId = newDoctor(h, "PEDIATRICS", "Dresden");
    h.clock.now = new Date("2027-06-01T06:00:00Z"); // a Tuesday
    h.schedules.set(doctorId, {
      timezone: "Europe/Berlin",
      rules: [{ dayOfWeek: "TUESDAY", startTime: "09:00", endTime: "11:00", slotMinutes: 30 }],
      timeOff: [],
      specialtyCode: "PEDIATRICS",
      location: "Dresden",
    });
    await h.publish(STREAMS.doctors, [{ type: "DoctorScheduleChanged", data: { doctorId } }]);
    for (const startsAt of ["2027-06-01T07:00:00.000Z", "2027-06-01T07:30:00.000Z", "2027-06-01T08:00:00.000Z"])
      await h.publish(
        STREAMS.appointments,
        events(appointment(doctorId, startsAt, [{ type: "AppointmentRequested", at: "2027-05-20T08:00:00.000Z", status: "BOOKED" }])),
      );
    const cancelled = appointment(doctorId, "2027-06-01T08:30:00.000Z", [
      { type: "AppointmentRequested", at: "2027-05-20T08:00:00.000Z", status: "BOOKED" },
      { type: "AppointmentCancelled", at: "2027-05-21T08:00:00.000Z", status: "CANCELLED" },
    ]);
    await h.publish(STREAMS.appointments, events(cancelled));
    const utilization = async (f: Record<string, unknown>) =>
      (
        (await h.call(`query($f: KpiFilter) { kpis(from: "2027-06-01", to: "2027-06-01", granularity: DAY, filter: $f) { utilization } }`, STAKEHOLDER, { f }))
          .data!.kpis as { utilization: number | null }[]
      )[0]!.utilization;
    expect(await utilization({ doctorId })).toBe(0.75); // 3 × 30 of 4 × 30 minutes
    expect(await utilization({ location: "Dresden", specialty: "PEDIATRICS" })).toBe(0.75);
    expect(await utilization({ serviceId: randomUUID() })).toBeNull();

    // Time off over the last slot: the doctor offers 90 minutes; the sweep of every doctor gives the same.
    h.schedules.get(doctorId)!.timeOff = [{ from: new Date("2027-06-01T08:30:00Z"), to: new Date("2027-06-01T09:00:00Z") }];
    await h.publish(STREAMS.doctors, [{ type: "DoctorScheduleChanged", data: { doctorId } }]);
    expect(await utilization({ doctorId })).toBe(1);
    await refreshAllSupply(h.running.deps);
    expect(await utilization({ doctorId })).toBe(1);
  });
});
