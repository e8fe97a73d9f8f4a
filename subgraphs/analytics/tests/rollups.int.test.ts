/**
 * Rollups: kpis answers the same from rolled-up periods as from the facts, for every granularity and filter; a late
 * event takes its period back to the facts until the next rollup; open periods are never rolled up; two rollups
 * never run at once; the facts' triggers record what changed; `pnpm analytics:rollup` backfills a range.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { STREAMS, type AppointmentEventData } from "@clinigraph/events";
import { queryDatabase } from "@clinigraph/testing";
import { runRollupCommand } from "../src/cli/rollup.js";
import { refreshAllSupply } from "../src/domain/supply.js";
import { rollUpChanges } from "../src/domain/rollups.js";
import { startHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const STAKEHOLDER = { userId: randomUUID(), role: "STAKEHOLDER" as const };
const KPIS = `query($from: Date!, $to: Date!, $g: Granularity!, $f: KpiFilter) {
  kpis(from: $from, to: $to, granularity: $g, filter: $f) {
    period suppressed patients appointmentsRequested appointmentsBooked cancelled noShows fulfilled noShowRate cancellationRate
    medianLeadTimeHours medianApprovalMinutes feedbackAverage feedbackCount feedbackDistribution medianWaitMinutes
    medianExamTurnaroundHours medianReviewHours invoiced { amountMinor currency } collected { amountMinor currency }
    outstanding { amountMinor currency } utilization } }`;

async function kpis(from: string, to: string, g: string, f: Record<string, unknown> | null = null) {
  const res = await h.call(KPIS, STAKEHOLDER, { from, to, g, f });
  expect(res.errors).toBeUndefined();
  return res.data!.kpis as Record<string, unknown>[];
}

const rows = <T>(sql: string) => queryDatabase<T>(h.db.url, sql);

/** A deterministic sequence in [0, 1) (the same activity on every run, with unique ids). */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

// Three doctors in two specialties and two locations; two services.
const doctors = [
  { id: randomUUID(), specialtyCode: "ROLLUP_CARD", location: "Rollup North" },
  { id: randomUUID(), specialtyCode: "ROLLUP_CARD", location: "Rollup South" },
  { id: randomUUID(), specialtyCode: "ROLLUP_DERM", location: "Rollup North" },
];
const services = [randomUUID(), randomUUID()];
const RANGE = { from: "2027-02-22", to: "2027-03-31" };

/** The questions compared: each granularity, unfiltered and by each dimension (and two at once). */
const QUERIES = (["DAY", "WEEK", "MONTH"] as const).flatMap((g) =>
  [
    null,
    { doctorId: doctors[0]!.id },
    { specialty: "ROLLUP_CARD" },
    { serviceId: services[1] },
    { location: "Rollup North" },
    { specialty: "ROLLUP_CARD", location: "Rollup South" },
  ].map((f) => ({ g, f })),
);

async function answers() {
  const all: unknown[] = [];
  for (const { g, f } of QUERIES) all.push(await kpis(RANGE.from, RANGE.to, g, f));
  return all;
}

/** Four weeks of appointments (every outcome), a visit with an examination, an invoice and payments, offered time. */
async function activity() {
  h.clock.now = new Date("2027-02-20T06:00:00Z");
  for (const d of doctors) {
    h.doctors.set(d.id, { specialtyCode: d.specialtyCode, location: d.location });
    h.schedules.set(d.id, {
      timezone: "Europe/Berlin",
      rules: ["MONDAY", "WEDNESDAY", "FRIDAY"].map((dayOfWeek) => ({
        dayOfWeek: dayOfWeek as "MONDAY",
        startTime: "09:00",
        endTime: "12:00",
        slotMinutes: 30,
      })),
      timeOff: [],
      specialtyCode: d.specialtyCode,
      location: d.location,
    });
  }
  h.services.set(services[0]!, { code: "ROLLUP_CONSULT", durationMinutes: 30 });
  h.services.set(services[1]!, { code: "ROLLUP_ECG", durationMinutes: 30 });
  await refreshAllSupply(h.running.deps);

  const next = random(42);
  const patients = Array.from({ length: 12 }, () => randomUUID());
  const published = [];
  for (let day = 0; day < 30; day++) {
    const date = new Date(Date.UTC(2027, 1, 22 + day, 8, 0));
    for (let n = 0; n < 3; n++) {
      const doctor = doctors[Math.floor(next() * doctors.length)]!;
      const startsAt = new Date(date.getTime() + n * 3_600_000 + Math.floor(next() * 4) * 900_000);
      const requestedAt = new Date(startsAt.getTime() - (1 + Math.floor(next() * 72)) * 3_600_000);
      const data: AppointmentEventData = {
        appointmentId: randomUUID(),
        patientId: patients[Math.floor(next() * patients.length)]!,
        doctorId: doctor.id,
        doctorUserId: randomUUID(),
        serviceId: services[Math.floor(next() * services.length)]!,
        status: "PENDING",
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 30 * 60_000).toISOString(),
        actorId: null,
      };
      const at = (minutes: number) => new Date(requestedAt.getTime() + minutes * 60_000).toISOString();
      const outcome = next();
      const events: { type: string; time: string; data: AppointmentEventData }[] = [
        { type: "AppointmentRequested", time: at(0), data: { ...data, status: outcome < 0.3 ? "PENDING" : "BOOKED" } },
      ];
      if (outcome < 0.1) events.push({ type: "AppointmentRejected", time: at(20), data: { ...data, status: "REJECTED" } });
      else {
        events.push({ type: "AppointmentBooked", time: at(outcome < 0.3 ? 45 : 0), data: { ...data, status: "BOOKED" } });
        const end = new Date(startsAt.getTime() + 40 * 60_000).toISOString();
        if (outcome < 0.45) events.push({ type: "AppointmentCancelled", time: at(60), data: { ...data, status: "CANCELLED" } });
        else if (outcome < 0.55) events.push({ type: "AppointmentNoShow", time: end, data: { ...data, status: "NO_SHOW" } });
        else {
          events.push({ type: "AppointmentFulfilled", time: end, data: { ...data, status: "FULFILLED" } });
          if (next() < 0.5) events.push({ type: "FeedbackSubmitted", time: end, data: { ...data, status: "FULFILLED", rating: 1 + Math.floor(next() * 5) } });
        }
      }
      published.push(...events);
    }
  }
  await h.publish(STREAMS.appointments, published as Parameters<Harness["publish"]>[1]);

  const patientId = patients[0]!;
  const encounter = {
    encounterId: randomUUID(),
    patientId,
    doctorId: doctors[2]!.id,
    doctorUserId: randomUUID(),
    appointmentId: null,
    actorId: null,
    pendingExaminations: 0,
  };
  await h.publish(STREAMS.clinical, [
    { type: "EncounterRegistered", time: "2027-03-03T08:00:00.000Z", data: { ...encounter, status: "ARRIVED" } },
    { type: "EncounterStarted", time: "2027-03-03T08:25:00.000Z", data: { ...encounter, status: "IN_PROGRESS" } },
  ]);
  const exam = {
    examinationId: randomUUID(),
    encounterId: encounter.encounterId,
    patientId,
    doctorId: doctors[2]!.id,
    doctorUserId: encounter.doctorUserId,
    serviceId: services[1]!,
    actorId: null,
    orderedAt: "2027-03-03T08:40:00.000Z",
  };
  await h.publish(STREAMS.clinical, [
    { type: "ExaminationOrdered", time: "2027-03-03T08:40:00.000Z", data: { ...exam, status: "ORDERED" } },
    { type: "ExaminationPerformed", time: "2027-03-03T10:40:00.000Z", data: { ...exam, status: "PERFORMED" } },
  ]);
  const invoiceId = randomUUID();
  const invoice = {
    invoiceId,
    patientId,
    number: "2027-R00001",
    status: "ISSUED",
    totalMinor: 12_000,
    paidMinor: 0,
    currency: "EUR",
    encounterId: encounter.encounterId,
    appointmentId: null,
    doctorId: doctors[2]!.id,
    visitDate: "2027-03-03",
    kind: "INVOICE",
  };
  const payment = {
    paymentId: randomUUID(),
    invoiceId,
    appointmentId: null,
    patientId,
    kind: "PAYMENT",
    method: "CARD",
    amountMinor: 5_000,
    currency: "EUR",
    invoiceAppliedMinor: 5_000,
  };
  await h.publish(STREAMS.billing, [
    { type: "InvoiceIssued", data: invoice },
    { type: "PaymentReceived", data: payment },
  ]);
  return { encounter, exam, invoice, payment };
}

let activityOf: Awaited<ReturnType<typeof activity>>;

describe("rollups", () => {
  it("give kpis exactly the figures the facts give, for every granularity and filter", async () => {
    activityOf = await activity();
    const live = await answers();
    h.clock.now = new Date("2027-04-05T10:00:00Z");
    const report = await rollUpChanges(h.running.deps);
    expect(report).not.toBeNull();
    expect(report!.changes).toBeGreaterThan(0);
    expect(report!.periods).toMatchObject({ MONTH: expect.any(Number), WEEK: expect.any(Number), DAY: expect.any(Number) });

    // Every closed period of the activity is rolled up, for every cell; nothing is left to roll up.
    const [stored] = await rows<{ days: number; weeks: number; months: number; cells: number }>(`
      SELECT count(*) FILTER (WHERE granularity = 'DAY' AND period BETWEEN '2027-02-22' AND '2027-03-23')::int AS days,
             count(*) FILTER (WHERE granularity = 'WEEK' AND period BETWEEN '2027-02-22' AND '2027-03-22')::int AS weeks,
             count(*) FILTER (WHERE granularity = 'MONTH' AND period IN ('2027-02-01', '2027-03-01'))::int AS months,
             (SELECT count(*)::int FROM analytics.kpi_rollups WHERE doctor_id = '${doctors[0]!.id}') AS cells
        FROM analytics.rollup_periods`);
    expect(stored).toEqual({ days: 30, weeks: 5, months: 2, cells: expect.any(Number) });
    expect(stored!.cells).toBeGreaterThan(30);
    expect(await rows(`SELECT day FROM analytics.fact_changes`)).toEqual([]);

    expect(await answers()).toEqual(live);
    // Running it again changes nothing.
    expect((await rollUpChanges(h.running.deps))!.changes).toBe(0);
    expect(await answers()).toEqual(live);
  });

  it("are what kpis reads, until a late event takes the period back to the facts (and the next rollup catches up)", async () => {
    const week = async () => (await kpis("2027-03-01", "2027-03-07", "WEEK"))[0]!;
    const before = await week();
    // A tampered rollup shows: kpis reads it.
    await rows(`UPDATE analytics.kpi_rollups SET counts = jsonb_set(counts, '{requested}', '999')
                 WHERE granularity = 'WEEK' AND period = '2027-03-01' AND specialty_code = '' AND doctor_id = '' AND service_id = '' AND location = ''`);
    expect((await week()).appointmentsRequested).toBe(999);

    // A refund arrives for the visit of 2027-03-03: that week is counted from the facts again, refund included.
    const { payment } = activityOf;
    await h.publish(STREAMS.billing, [
      { type: "PaymentRefunded", data: { ...payment, paymentId: randomUUID(), kind: "REFUND", amountMinor: 2_000, invoiceAppliedMinor: -2_000 } },
    ]);
    expect(await rows(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM analytics.fact_changes`)).toEqual([{ day: "2027-03-03" }]);
    const live = await week();
    expect(live.appointmentsRequested).toBe(before.appointmentsRequested);
    expect((live.collected as { amountMinor: number }).amountMinor).toBe((before.collected as { amountMinor: number }).amountMinor - 2_000);

    await rollUpChanges(h.running.deps);
    expect(await rows(`SELECT day FROM analytics.fact_changes`)).toEqual([]);
    expect(await week()).toEqual(live);
  });

  it("leave today and the future to the facts, and one rollup runs at a time", async () => {
    const doctorId = doctors[1]!.id;
    // Today (2027-04-05, the clock) and a booking next week: changed, but open.
    await h.publish(STREAMS.appointments, [
      {
        type: "AppointmentRequested",
        time: "2027-04-05T08:00:00.000Z",
        data: {
          appointmentId: randomUUID(),
          patientId: randomUUID(),
          doctorId,
          doctorUserId: randomUUID(),
          serviceId: services[0]!,
          status: "BOOKED",
          startsAt: "2027-04-12T08:00:00.000Z",
          endsAt: "2027-04-12T08:30:00.000Z",
          actorId: null,
        },
      },
    ]);
    // While one rollup holds the lock, another finds it at work and leaves; once it is done, the next one runs.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const first = h.running.deps.rollups.exclusive(async () => {
      holding();
      await released;
      return "done";
    });
    await held;
    expect(await rollUpChanges(h.running.deps)).toBeNull();
    release();
    expect(await first).toBe("done");
    expect(await rollUpChanges(h.running.deps)).not.toBeNull();
    const [open] = await rows<{ n: number }>(`
      SELECT count(*)::int AS n FROM analytics.rollup_periods
       WHERE (granularity = 'DAY' AND period >= '2027-04-05') OR (granularity = 'WEEK' AND period >= '2027-03-30') OR (granularity = 'MONTH' AND period >= '2027-04-01')`);
    expect(open!.n).toBe(0);
    expect((await kpis("2027-04-12", "2027-04-12", "DAY", { doctorId }))[0]).toMatchObject({ appointmentsBooked: 1 });
  });

  it("are recorded by the fact tables' triggers: a supply change marks its days", async () => {
    await rows(`DELETE FROM analytics.fact_changes`);
    await rows(`DELETE FROM analytics.supply_facts WHERE doctor_id = '${doctors[2]!.id}' AND day = '2027-03-05'`);
    expect(await rows(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM analytics.fact_changes`)).toEqual([{ day: "2027-03-05" }]);
    await rollUpChanges(h.running.deps);
  });
});

describe("pnpm analytics:rollup", () => {
  const run = async (...args: string[]) => {
    let out = "";
    let err = "";
    const sink = (write: (s: string) => void) =>
      new Writable({
        write(chunk, _encoding, done) {
          write(String(chunk));
          done();
        },
      });
    const code = await runRollupCommand(
      args,
      // The database is all it needs (no router secrets or pseudonym key: it reads facts, not events).
      { DATABASE_URL: h.db.url },
      { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), clock: () => h.clock.now },
    );
    return { code, out, err };
  };

  it("rolls up every closed period of a range, month by month, and keeps the figures", async () => {
    const live = await answers();
    await rows(`DELETE FROM analytics.kpi_rollups; DELETE FROM analytics.rollup_periods`);
    const { code, out, err } = await run("--from", "2027-02-01", "--to", "2027-04-30");
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toMatch(/^2027-02: 28 days, 4 weeks, 1 month rolled up so far$/m);
    // April is open on 2027-04-05: its first four days only, and the week of 2027-03-29 (counted once).
    expect(out).toMatch(/rolled up 63 days, 9 weeks and 2 months \(\d[\d,]* cells\)/);
    expect(await answers()).toEqual(live);
  });

  it("refuses a wrong range with a one-line reason and exit code 2", async () => {
    expect(await run("--from", "2027-03-10", "--to", "2027-03-01")).toMatchObject({ code: 2, err: expect.stringContaining("from must not be after to") });
    expect(await run("--from", "2027-02-30")).toMatchObject({ code: 2, err: expect.stringContaining("from must be a day") });
    expect(await run()).toMatchObject({ code: 2, err: expect.stringContaining("usage: pnpm analytics:rollup") });
  });
});
