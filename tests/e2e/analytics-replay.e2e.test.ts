/**
 * Analytics rebuilt from nothing, end to end through the router on a fake clock: a few clinic days (Sunday
 * 2027-03-14 to Wednesday, Europe/Berlin) with a cardiologist who books at once and a dermatologist who approves by
 * hand — bookings, an approval and a rejection, a cancellation, a move to another day, a no-show, check-ins, visits,
 * a blood test ordered, performed and reviewed, invoices and payments, ratings. The stakeholder reads a snapshot of
 * every figure (kpis by day, week and month, for the clinic, one doctor and one specialty; the breakdowns by doctor,
 * specialty and service; the week's load). Then analytics is stopped, given an empty database of its own, its
 * consumer groups are removed (so they start again at the beginning of their streams), and it is started again:
 * once it has read every stream, the same snapshot must come back, from fact tables that hold the same rows.
 * Utilization included: each DoctorScheduleChanged carries the doctor's schedule as it was changed, so the rebuild
 * gives Monday and Tuesday the offered time they had, though it runs on Wednesday.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createClient } from "redis";
import { STREAMS } from "@clinigraph/events";
import { createTestDatabase, queryDatabase, type TestDatabase } from "@clinigraph/testing";
import { createClinicScript, type ClinicScript } from "../support/clinicScript.js";
import { createScheduledDoctor, registerE2EPatient, type ScheduledDoctor } from "../support/people.js";
import { expectData, startStack, type Stack } from "../support/stack.js";

const SUN = "2027-03-14";
const MON = "2027-03-15";
const TUE = "2027-03-16";
const WED = "2027-03-17";
/** The days the figures are read for: the activity's days and the rest of their ISO weeks (two weeks, one month). */
const RANGE = { from: "2027-03-10", to: "2027-03-21" };

/** A local time of the clinic (CET: daylight saving time starts on 2027-03-28). */
const berlin = (day: string, time: string) => new Date(`${day}T${time}:00+01:00`);
const clock = { now: berlin(SUN, "18:00") };

/** analytics' consumer groups, each on its stream (before the stack's namespace). */
const ANALYTICS_GROUPS = [
  [STREAMS.appointments, "analytics-appointments"],
  [STREAMS.clinical, "analytics-clinical"],
  [STREAMS.billing, "analytics-billing"],
  [STREAMS.doctors, "analytics-doctors"],
] as const;
/** analytics' fact tables, each with the columns that key its rows. */
const FACT_TABLES = [
  ["appointment_facts", "appointment_key"],
  ["visit_facts", "encounter_key"],
  ["examination_facts", "examination_key"],
  ["invoice_facts", "invoice_key"],
  ["payment_facts", "payment_key"],
] as const;

let stack: Stack;
let url: string;
let rebuilt: TestDatabase | undefined;
let clinic: ClinicScript;
/** Sign-ins: the admin and one per staff role (the clinic script's). */
let tokens: Record<string, string>;
let heart: ScheduledDoctor;
let skin: ScheduledDoctor;
const PASSWORD = "Replay-e2e-password-1";

const ok = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => expectData<T>(url, query, variables, token);

/** The price list (EUR, minor units): a consultation 60.00; a blood test 25.50 + 19 % = 30.34. */
const PRICES = { SPECIALIST_CONSULT: [6_000, 0], LAB_BLOOD: [2_550, 1_900] } as const;

// --- what is compared ---

const MONEY = `{ amountMinor currency }`;
const SNAPSHOT = `
  fragment Point on KpiPoint {
    period suppressed patients appointmentsRequested appointmentsBooked cancelled noShows fulfilled noShowRate cancellationRate
    medianLeadTimeHours medianApprovalMinutes feedbackAverage feedbackCount feedbackDistribution medianWaitMinutes
    medianExamTurnaroundHours medianReviewHours invoiced ${MONEY} collected ${MONEY} outstanding ${MONEY} utilization
  }
  query($from: Date!, $to: Date!, $doctor: KpiFilter!, $specialty: KpiFilter!) {
    byDay: kpis(from: $from, to: $to, granularity: DAY) { ...Point }
    byWeek: kpis(from: $from, to: $to, granularity: WEEK) { ...Point }
    byMonth: kpis(from: $from, to: $to, granularity: MONTH) { ...Point }
    doctorByDay: kpis(from: $from, to: $to, granularity: DAY, filter: $doctor) { ...Point }
    doctorByWeek: kpis(from: $from, to: $to, granularity: WEEK, filter: $doctor) { ...Point }
    specialtyByDay: kpis(from: $from, to: $to, granularity: DAY, filter: $specialty) { ...Point }
    specialtyByWeek: kpis(from: $from, to: $to, granularity: WEEK, filter: $specialty) { ...Point }
    kpisByDoctor(from: $from, to: $to) {
      doctorId doctor { id } specialtyCode location suppressed patients appointmentsRequested appointmentsBooked cancelled noShows
      fulfilled noShowRate cancellationRate feedbackAverage feedbackCount medianWaitMinutes invoiced ${MONEY} collected ${MONEY}
    }
    kpisBySpecialty(from: $from, to: $to) {
      specialtyCode suppressed patients appointmentsRequested appointmentsBooked cancelled noShows fulfilled noShowRate
      cancellationRate feedbackAverage feedbackCount medianWaitMinutes invoiced ${MONEY} collected ${MONEY}
    }
    topServices(from: $from, to: $to) { serviceId service { id } serviceCode suppressed patients appointmentsBooked fulfilled noShows invoiced ${MONEY} }
    load(from: $from, to: $to) { weekday hour suppressed appointmentsBooked }
  }`;

type Point = Record<string, unknown> & { period: string };
interface Snapshot {
  byDay: Point[];
  byWeek: Point[];
  byMonth: Point[];
  doctorByDay: Point[];
  doctorByWeek: Point[];
  specialtyByDay: Point[];
  specialtyByWeek: Point[];
  kpisByDoctor: Record<string, unknown>[];
  kpisBySpecialty: Record<string, unknown>[];
  topServices: Record<string, unknown>[];
  load: { weekday: number; hour: number; suppressed: boolean; appointmentsBooked: number | null }[];
}

/** Every figure the stakeholder can read for RANGE. */
const readSnapshot = () => ok<Snapshot>(SNAPSHOT, { ...RANGE, doctor: { doctorId: heart.id }, specialty: { specialty: "DERM" } }, tokens.STAKEHOLDER);

/** A fact table's rows, by key, without updated_at (the time of the write, not of the event). */
async function factRows(databaseUrl: string, table: string, key: string) {
  const rows = await queryDatabase<{ row: Record<string, unknown> }>(
    databaseUrl,
    `SELECT to_jsonb(t) - 'updated_at' AS row FROM analytics.${table} t ORDER BY ${key}`,
  );
  return rows.map((r) => r.row);
}

let before: Snapshot;
let after: Snapshot;
const factsBefore: Record<string, Record<string, unknown>[]> = {};
const factsAfter: Record<string, Record<string, unknown>[]> = {};

beforeAll(async () => {
  stack = await startStack({ clock: () => clock.now, env: { ANALYTICS_MIN_CELL: "1" } });
  url = stack.routerUrl;
  clinic = createClinicScript(stack, clock, { localTime: berlin, label: "Replay", password: PASSWORD });
  await clinic.open(PRICES);
  tokens = clinic.tokens;
  heart = await createScheduledDoctor(url, tokens.admin!, "Dr. Herz Replayed", { autoApprove: true, specialtyCode: "CARD" });
  skin = await createScheduledDoctor(url, tokens.admin!, "Dr. Haut Replayed", { autoApprove: false, specialtyCode: "DERM" });
  const patient = (name: string) => registerE2EPatient(url, `${name} Replayed`, PASSWORD);
  const [anna, bruno, carla, dora, emil, frida, gustav, hanna] = await Promise.all([
    patient("Anna Arendt"),
    patient("Bruno Brandt"),
    patient("Carla Claus"),
    patient("Dora Dietz"),
    patient("Emil Engel"),
    patient("Frida Fuchs"),
    patient("Gustav Graf"),
    patient("Hanna Horn"),
  ]);

  // Sunday evening: the bookings. The dermatologist answers each request within minutes.
  const a1 = await clinic.book(anna.token, heart, MON, "09:00", "BOOKED", { serviceCode: "SPECIALIST_CONSULT" });
  const a2 = await clinic.book(bruno.token, heart, MON, "09:30", "BOOKED", { serviceCode: "SPECIALIST_CONSULT" });
  const a3 = await clinic.book(carla.token, heart, MON, "10:00", "BOOKED", { serviceCode: "SPECIALIST_CONSULT" });
  const a4 = await clinic.book(dora.token, heart, TUE, "09:00", "BOOKED", { serviceCode: "SPECIALIST_CONSULT" });
  const a5 = await clinic.book(emil.token, heart, TUE, "09:30", "BOOKED", { serviceCode: "SPECIALIST_CONSULT" });
  const b1 = await clinic.book(frida.token, skin, MON, "09:00", "PENDING", { serviceCode: "SPECIALIST_CONSULT" });
  const b2 = await clinic.book(gustav.token, skin, TUE, "10:00", "PENDING", { serviceCode: "SPECIALIST_CONSULT" });
  const b3 = await clinic.book(hanna.token, skin, TUE, "11:00", "PENDING", { serviceCode: "SPECIALIST_CONSULT" });
  await clinic.at(SUN, "18:05");
  await clinic.approve(skin, b1);
  await clinic.at(SUN, "18:10");
  await clinic.reject(skin, b2);
  await clinic.at(SUN, "18:12");
  await clinic.approve(skin, b3);

  // Monday: a cancellation, three visits (one with a blood test), a partial payment and a full one.
  await clinic.at(MON, "07:30");
  await clinic.cancel(carla.token, a3);
  await clinic.at(MON, "08:50");
  const e1 = await clinic.checkIn(a1, heart, MON);
  await clinic.at(MON, "08:55");
  const eb1 = await clinic.checkIn(b1, skin, MON);
  await clinic.at(MON, "09:00");
  await clinic.startVisit(skin, eb1); // waited 5 minutes
  await clinic.at(MON, "09:05");
  await clinic.startVisit(heart, e1); // 15
  await clinic.at(MON, "09:06");
  const blood = await clinic.order(heart, e1, "LAB_BLOOD");
  await clinic.at(MON, "09:20");
  const e2 = await clinic.checkIn(a2, heart, MON);
  await clinic.perform(blood);
  await clinic.at(MON, "09:25");
  await clinic.finishVisit(skin, eb1);
  await clinic.at(MON, "09:26");
  await clinic.confirm(eb1); // never paid
  await clinic.at(MON, "09:30");
  await clinic.review(heart, blood);
  await clinic.at(MON, "09:32");
  await clinic.finishVisit(heart, e1);
  await clinic.at(MON, "09:35");
  await clinic.pay(await clinic.confirm(e1), 4_000, "CASH"); // 40.00 of 90.34
  await clinic.at(MON, "09:45");
  await clinic.startVisit(heart, e2); // 25
  await clinic.at(MON, "10:00");
  await clinic.finishVisit(heart, e2);
  await clinic.at(MON, "10:02");
  await clinic.pay(await clinic.confirm(e2), 6_000, "CARD");
  await clinic.at(MON, "12:00");
  await clinic.rate(anna.token, a1, 5);
  await clinic.rate(bruno.token, a2, 4);
  await clinic.reschedule(emil.token, a5, heart, WED, "09:00"); // Tuesday 09:30 → Wednesday 09:00

  // Tuesday: a no-show, a visit paid at the desk.
  await clinic.at(TUE, "09:20");
  await clinic.noShow(heart, a4);
  await clinic.at(TUE, "10:50");
  const eb3 = await clinic.checkIn(b3, skin, TUE);
  await clinic.at(TUE, "11:00");
  await clinic.startVisit(skin, eb3); // 10
  await clinic.at(TUE, "11:20");
  await clinic.finishVisit(skin, eb3);
  await clinic.at(TUE, "11:22");
  await clinic.pay(await clinic.confirm(eb3), 6_000, "CASH");
  await clinic.at(TUE, "12:00");
  await clinic.rate(hanna.token, b3, 3);

  // Wednesday: the moved visit, never paid.
  await clinic.at(WED, "08:50");
  const e5 = await clinic.checkIn(a5, heart, WED);
  await clinic.at(WED, "09:00");
  await clinic.startVisit(heart, e5); // 10
  await clinic.at(WED, "09:20");
  await clinic.finishVisit(heart, e5);
  await clinic.at(WED, "09:22");
  await clinic.confirm(e5);
  await clinic.at(WED, "12:00");
  await clinic.rate(emil.token, a5, 2);
  await stack.eventsSettled();

  before = await readSnapshot();
  for (const [table, key] of FACT_TABLES) factsBefore[table] = await factRows(stack.databaseUrl, table, key);

  // Analytics from nothing: stopped, an empty database of its own, its consumer groups gone (recreated at the start
  // of their streams), started again; then every stream read to its end.
  await stack.added.stop("analytics");
  rebuilt = await createTestDatabase(["analytics"]);
  const redis = createClient({ url: stack.events.redisUrl });
  await redis.connect();
  try {
    for (const [stream, group] of ANALYTICS_GROUPS) expect(await redis.xGroupDestroy(`${stack.events.namespace}${stream}`, group)).toBe(1);
  } finally {
    await redis.quit();
  }
  await stack.added.start("analytics", { DATABASE_URL: rebuilt.url });
  await stack.eventsSettled();

  after = await readSnapshot();
  for (const [table, key] of FACT_TABLES) factsAfter[table] = await factRows(rebuilt.url, table, key);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await rebuilt?.drop();
});

const eur = (amountMinor: number) => ({ amountMinor, currency: "EUR" });

describe("a full replay from the start of the streams rebuilds identical numbers", () => {
  it("the snapshot holds the scripted days (not an empty comparison)", () => {
    const week = before.byWeek.find((p) => p.period === MON);
    expect(week).toMatchObject({
      suppressed: false,
      patients: 8,
      appointmentsRequested: 8,
      appointmentsBooked: 7, // all but the rejected request
      cancelled: 1,
      noShows: 1,
      fulfilled: 5,
      feedbackCount: 4,
      feedbackDistribution: [0, 1, 1, 1, 1],
      medianExamTurnaroundHours: 14 / 60,
      medianReviewHours: 10 / 60,
      // Five consultations, one with a blood test.
      invoiced: eur(5 * 6_000 + 3_034),
      collected: eur(4_000 + 6_000 + 6_000),
      outstanding: eur(5_034 + 6_000 + 6_000),
    });
    expect(before.byMonth).toHaveLength(1);
    expect(before.byMonth[0]).toMatchObject({ period: "2027-03-01", appointmentsBooked: 7, fulfilled: 5 });
    expect(before.kpisByDoctor.map((d) => [d.doctorId, d.appointmentsBooked])).toEqual(
      [
        [heart.id, 5],
        [skin.id, 2],
      ].sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)), // by id
    );
    expect(before.kpisBySpecialty.map((s) => [s.specialtyCode, s.fulfilled])).toEqual([
      ["CARD", 3],
      ["DERM", 2],
    ]);
    expect(before.topServices.map((s) => [s.serviceCode, s.appointmentsBooked])).toEqual([["SPECIALIST_CONSULT", 7]]);
    // By the appointments' start (the moved one on Wednesday).
    expect(before.load.filter((cell) => cell.appointmentsBooked)).toEqual([
      { weekday: 1, hour: 9, suppressed: false, appointmentsBooked: 3 },
      { weekday: 1, hour: 10, suppressed: false, appointmentsBooked: 1 },
      { weekday: 2, hour: 9, suppressed: false, appointmentsBooked: 1 },
      { weekday: 2, hour: 11, suppressed: false, appointmentsBooked: 1 },
      { weekday: 3, hour: 9, suppressed: false, appointmentsBooked: 1 },
    ]);
  });

  it("the rebuilt fact tables hold the same rows as the ones built live", () => {
    for (const [table] of FACT_TABLES) {
      expect(factsAfter[table]!.length).toBeGreaterThan(0);
      expect({ table, rows: factsAfter[table] }).toEqual({ table, rows: factsBefore[table] });
    }
  });

  it("every figure read after the rebuild equals the one read before, utilization of the days before it included", () => {
    expect(after).toEqual(before);
    expect(before.byDay.find((p) => p.period === MON)?.utilization).toBeGreaterThan(0);
    expect(before.byDay.find((p) => p.period === WED)?.utilization).toBeGreaterThan(0);
  });
});
