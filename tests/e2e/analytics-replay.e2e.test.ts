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
import { createTestDatabase, queryDatabase, uniqueEmail, type TestDatabase } from "@clinigraph/testing";
import { createScheduledDoctor, freeSlotId, registerE2EPatient, type ScheduledDoctor } from "../support/people.js";
import { expectData, signIn, startStack, type Stack } from "../support/stack.js";

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
const tokens: Record<string, string> = {};
let heart: ScheduledDoctor;
let skin: ScheduledDoctor;
let services: Record<string, string>;
const PASSWORD = "Replay-e2e-password-1";

const ok = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => expectData<T>(url, query, variables, token);

/** Moves the clock forward to a local time of the clinic, once every event of the moment before has been handled. */
async function at(day: string, time: string) {
  await stack.eventsSettled();
  const next = berlin(day, time);
  if (next.getTime() < clock.now.getTime()) throw new Error(`the script goes back in time: ${day} ${time}`);
  clock.now = next;
}

async function staff(role: "RECEPTIONIST" | "EXAMINER" | "BILLING" | "STAKEHOLDER") {
  const email = uniqueEmail(`replay.${role.toLowerCase()}`);
  await ok(
    `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`,
    { i: { email, password: PASSWORD, name: `Replay ${role}`, role } },
    tokens.admin,
  );
  return signIn(url, email, PASSWORD);
}

// --- the steps of the days, each through the router as its role takes it ---

async function slotAt(doctor: ScheduledDoctor, day: string, time: string) {
  const start = berlin(day, time);
  return freeSlotId(url, doctor.id, 0, { from: start.toISOString(), to: new Date(start.getTime() + 60_000).toISOString() });
}

async function book(token: string, doctor: ScheduledDoctor, day: string, time: string, expected: "BOOKED" | "PENDING") {
  const { requestAppointment } = await ok<{ requestAppointment: { id: string; status: string } }>(
    `mutation($i: RequestAppointmentInput!) { requestAppointment(input: $i) { ... on Appointment { id status } ... on SlotUnavailable { code } } }`,
    { i: { slotId: await slotAt(doctor, day, time), serviceId: services.SPECIALIST_CONSULT } },
    token,
  );
  expect(requestAppointment.status).toBe(expected);
  return requestAppointment.id;
}

const appointmentStep = async (mutation: string, id: string, token: string, expected: string) => {
  const data = await ok<Record<string, { status: string }>>(`mutation($id: ID!) { ${mutation} { status } }`, { id }, token);
  expect(Object.values(data)[0]!.status).toBe(expected);
};
const approve = (doctor: ScheduledDoctor, id: string) => appointmentStep("approveAppointment(id: $id)", id, doctor.token, "BOOKED");
const reject = (doctor: ScheduledDoctor, id: string) =>
  appointmentStep(`rejectAppointment(id: $id, reason: "Fully booked that day")`, id, doctor.token, "REJECTED");
const cancel = (token: string, id: string) => appointmentStep("cancelAppointment(id: $id)", id, token, "CANCELLED");
const noShow = (doctor: ScheduledDoctor, id: string) => appointmentStep("markNoShow(id: $id)", id, doctor.token, "NO_SHOW");

async function reschedule(patientToken: string, id: string, doctor: ScheduledDoctor, day: string, time: string) {
  const { rescheduleAppointment } = await ok<{ rescheduleAppointment: { status?: string } }>(
    `mutation($id: ID!, $s: ID!) { rescheduleAppointment(id: $id, slotId: $s) { ... on Appointment { status } ... on SlotUnavailable { code } } }`,
    { id, s: await slotAt(doctor, day, time) },
    patientToken,
  );
  expect(rescheduleAppointment.status).toBe("BOOKED");
}

/** Reception checks the patient in; once clinical has the arrival, the encounter's id. */
async function checkIn(appointmentId: string, doctor: ScheduledDoctor, day: string) {
  await appointmentStep("checkInAppointment(id: $id)", appointmentId, tokens.RECEPTIONIST!, "CHECKED_IN");
  await stack.eventsSettled();
  const { encounters } = await ok<{ encounters: { id: string; appointment: { id: string } | null }[] }>(
    `query($d: ID!, $day: Date!) { encounters(doctorId: $d, date: $day) { id appointment { id } } }`,
    { d: doctor.id, day },
    tokens.RECEPTIONIST,
  );
  const encounter = encounters.find((e) => e.appointment?.id === appointmentId);
  if (!encounter) throw new Error(`no encounter for appointment ${appointmentId}`);
  return encounter.id;
}

const startVisit = (doctor: ScheduledDoctor, encounterId: string) =>
  ok(`mutation($id: ID!) { startEncounter(id: $id) { status } }`, { id: encounterId }, doctor.token);
const finishVisit = (doctor: ScheduledDoctor, encounterId: string) =>
  ok(`mutation($id: ID!) { finishEncounter(id: $id, summary: "Seen and advised") { status } }`, { id: encounterId }, doctor.token);

/** Reception confirms the outcome; once billing has issued it, the visit's invoice id. */
async function confirm(encounterId: string) {
  await ok(`mutation($id: ID!) { confirmVisitOutcome(encounterId: $id) { id } }`, { id: encounterId }, tokens.RECEPTIONIST);
  await stack.eventsSettled();
  const { encounter } = await ok<{ encounter: { invoice: { id: string; status: string } | null } | null }>(
    `query($id: ID!) { encounter(id: $id) { invoice { id status } } }`,
    { id: encounterId },
    tokens.RECEPTIONIST,
  );
  expect(encounter?.invoice?.status).toBe("ISSUED");
  return encounter!.invoice!.id;
}

async function order(doctor: ScheduledDoctor, encounterId: string, code: string) {
  const { orderExamination } = await ok<{ orderExamination: { id: string } }>(
    `mutation($e: ID!, $s: ID!) { orderExamination(encounterId: $e, serviceId: $s) { id } }`,
    { e: encounterId, s: services[code] },
    doctor.token,
  );
  return orderExamination.id;
}
const perform = (id: string) => ok(`mutation($id: ID!) { performExamination(id: $id, result: "Within normal limits") { status } }`, { id }, tokens.EXAMINER);
const review = (doctor: ScheduledDoctor, id: string) => ok(`mutation($id: ID!) { reviewExamination(id: $id) { status } }`, { id }, doctor.token);

/** The desk takes money for an invoice. */
const pay = (invoiceId: string, amountMinor: number, method: "CASH" | "CARD") =>
  ok(
    `mutation($i: ID!, $a: MoneyInput!, $m: PaymentMethod!, $k: String!) { recordPayment(invoiceId: $i, amount: $a, method: $m, idempotencyKey: $k) { id } }`,
    { i: invoiceId, a: { amountMinor, currency: "EUR" }, m: method, k: `desk-${invoiceId}-${amountMinor}` },
    tokens.RECEPTIONIST,
  );

const rate = (patientToken: string, appointmentId: string, rating: number) =>
  ok(`mutation($id: ID!, $r: Int!) { submitFeedback(appointmentId: $id, rating: $r) { id } }`, { id: appointmentId, r: rating }, patientToken);

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
  tokens.admin = await signIn(url, stack.admin.email, stack.admin.password);
  for (const role of ["RECEPTIONIST", "EXAMINER", "BILLING", "STAKEHOLDER"] as const) tokens[role] = await staff(role);
  heart = await createScheduledDoctor(url, tokens.admin, "Dr. Herz Replayed", { autoApprove: true, specialtyCode: "CARD" });
  skin = await createScheduledDoctor(url, tokens.admin, "Dr. Haut Replayed", { autoApprove: false, specialtyCode: "DERM" });
  const catalogue = await ok<{ medicalServices: { id: string; code: string }[] }>(`{ medicalServices { id code } }`);
  services = Object.fromEntries(catalogue.medicalServices.map((s) => [s.code, s.id]));
  for (const [code, [amountMinor, taxRateBp]] of Object.entries(PRICES))
    await ok(
      `mutation($s: ID!, $p: MoneyInput!, $t: Int) { setServicePrice(serviceId: $s, price: $p, taxRateBp: $t) { id } }`,
      { s: services[code], p: { amountMinor, currency: "EUR" }, t: taxRateBp },
      tokens.BILLING,
    );
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
  const a1 = await book(anna.token, heart, MON, "09:00", "BOOKED");
  const a2 = await book(bruno.token, heart, MON, "09:30", "BOOKED");
  const a3 = await book(carla.token, heart, MON, "10:00", "BOOKED");
  const a4 = await book(dora.token, heart, TUE, "09:00", "BOOKED");
  const a5 = await book(emil.token, heart, TUE, "09:30", "BOOKED");
  const b1 = await book(frida.token, skin, MON, "09:00", "PENDING");
  const b2 = await book(gustav.token, skin, TUE, "10:00", "PENDING");
  const b3 = await book(hanna.token, skin, TUE, "11:00", "PENDING");
  await at(SUN, "18:05");
  await approve(skin, b1);
  await at(SUN, "18:10");
  await reject(skin, b2);
  await at(SUN, "18:12");
  await approve(skin, b3);

  // Monday: a cancellation, three visits (one with a blood test), a partial payment and a full one.
  await at(MON, "07:30");
  await cancel(carla.token, a3);
  await at(MON, "08:50");
  const e1 = await checkIn(a1, heart, MON);
  await at(MON, "08:55");
  const eb1 = await checkIn(b1, skin, MON);
  await at(MON, "09:00");
  await startVisit(skin, eb1); // waited 5 minutes
  await at(MON, "09:05");
  await startVisit(heart, e1); // 15
  await at(MON, "09:06");
  const blood = await order(heart, e1, "LAB_BLOOD");
  await at(MON, "09:20");
  const e2 = await checkIn(a2, heart, MON);
  await perform(blood);
  await at(MON, "09:25");
  await finishVisit(skin, eb1);
  await at(MON, "09:26");
  await confirm(eb1); // never paid
  await at(MON, "09:30");
  await review(heart, blood);
  await at(MON, "09:32");
  await finishVisit(heart, e1);
  await at(MON, "09:35");
  await pay(await confirm(e1), 4_000, "CASH"); // 40.00 of 90.34
  await at(MON, "09:45");
  await startVisit(heart, e2); // 25
  await at(MON, "10:00");
  await finishVisit(heart, e2);
  await at(MON, "10:02");
  await pay(await confirm(e2), 6_000, "CARD");
  await at(MON, "12:00");
  await rate(anna.token, a1, 5);
  await rate(bruno.token, a2, 4);
  await reschedule(emil.token, a5, heart, WED, "09:00"); // Tuesday 09:30 → Wednesday 09:00

  // Tuesday: a no-show, a visit paid at the desk.
  await at(TUE, "09:20");
  await noShow(heart, a4);
  await at(TUE, "10:50");
  const eb3 = await checkIn(b3, skin, TUE);
  await at(TUE, "11:00");
  await startVisit(skin, eb3); // 10
  await at(TUE, "11:20");
  await finishVisit(skin, eb3);
  await at(TUE, "11:22");
  await pay(await confirm(eb3), 6_000, "CASH");
  await at(TUE, "12:00");
  await rate(hanna.token, b3, 3);

  // Wednesday: the moved visit, never paid.
  await at(WED, "08:50");
  const e5 = await checkIn(a5, heart, WED);
  await at(WED, "09:00");
  await startVisit(heart, e5); // 10
  await at(WED, "09:20");
  await finishVisit(heart, e5);
  await at(WED, "09:22");
  await confirm(e5);
  await at(WED, "12:00");
  await rate(emil.token, a5, 2);
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
