/**
 * A clinic's activity scripted through the router on the stack's fake clock, each step taken by the role that takes
 * it in the clinic: bookings and their answers, check-ins, visits, examinations, invoices, payments, ratings. For
 * end-to-end tests that play days of a clinic and then check what other subgraphs made of them (analytics).
 *
 *   const clinic = createClinicScript(stack, clock, { localTime: berlin, label: "Replay", password });
 *   await clinic.open({ SPECIALIST_CONSULT: [6_000, 0] });   // staff of every role, services, prices
 *   const id = await clinic.book(patient.token, doctor, "2027-03-15", "09:00", "BOOKED");
 *   await clinic.at("2027-03-15", "08:50");                  // later, once every event so far is handled
 */
import { expect } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { uniqueEmail } from "@clinigraph/testing";
import { freeSlotId, type ScheduledDoctor } from "./people.js";
import { expectData, signIn, type Stack } from "./stack.js";

export type StaffRole = "RECEPTIONIST" | "EXAMINER" | "BILLING" | "STAKEHOLDER";

export interface ClinicScriptOptions {
  /** A local time of the clinic (`day` YYYY-MM-DD, `time` HH:MM) as an instant. */
  localTime: (day: string, time: string) => Date;
  /** Names the staff it creates ("<label> RECEPTIONIST"). */
  label: string;
  /** The staff's password. */
  password: string;
}

export function createClinicScript(stack: Stack, clock: { now: Date }, options: ClinicScriptOptions) {
  const url = stack.routerUrl;
  const { localTime } = options;
  /** Sign-ins: `admin` and one per staff role, after `open`. */
  const tokens: Record<string, string> = {};
  /** Medical service ids by code, after `open`. */
  const services: Record<string, string> = {};

  const ok = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => expectData<T>(url, query, variables, token);

  async function staff(role: StaffRole) {
    const email = uniqueEmail(`${options.label.toLowerCase()}.${role.toLowerCase()}`);
    await ok(
      `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`,
      { i: { email, password: options.password, name: `${options.label} ${role}`, role } },
      tokens.admin,
    );
    return signIn(url, email, options.password);
  }

  const slotAt = (doctor: ScheduledDoctor, day: string, time: string) => {
    const start = localTime(day, time);
    return freeSlotId(url, doctor.id, 0, { from: start.toISOString(), to: new Date(start.getTime() + 60_000).toISOString() });
  };

  const appointmentStep = async (mutation: string, id: string, token: string, expected: string) => {
    const data = await ok<Record<string, { status: string }>>(`mutation($id: ID!) { ${mutation} { status } }`, { id }, token);
    expect(Object.values(data)[0]!.status).toBe(expected);
  };

  async function encounterOf(appointmentId: string, doctor: ScheduledDoctor, day: string) {
    const { encounters } = await ok<{ encounters: { id: string; appointment: { id: string } | null }[] }>(
      `query($d: ID!, $day: Date!) { encounters(doctorId: $d, date: $day) { id appointment { id } } }`,
      { d: doctor.id, day },
      tokens.RECEPTIONIST,
    );
    const encounter = encounters.find((e) => e.appointment?.id === appointmentId);
    if (!encounter) throw new Error(`no encounter for appointment ${appointmentId}`);
    return encounter.id;
  }

  return {
    tokens,
    services,
    ok,
    localTime,

    /** Signs the admin in, creates and signs in staff of every role, reads the services and sets `prices` (code → [minor units, tax bp]). */
    async open(prices: Record<string, readonly [number, number]>) {
      tokens.admin = await signIn(url, stack.admin.email, stack.admin.password);
      for (const role of ["RECEPTIONIST", "EXAMINER", "BILLING", "STAKEHOLDER"] as const) tokens[role] = await staff(role);
      const catalogue = await ok<{ medicalServices: { id: string; code: string }[] }>(`{ medicalServices { id code } }`);
      for (const s of catalogue.medicalServices) services[s.code] = s.id;
      for (const [code, [amountMinor, taxRateBp]] of Object.entries(prices))
        await ok(
          `mutation($s: ID!, $p: MoneyInput!, $t: Int) { setServicePrice(serviceId: $s, price: $p, taxRateBp: $t) { id } }`,
          { s: services[code], p: { amountMinor, currency: "EUR" }, t: taxRateBp },
          tokens.BILLING,
        );
    },

    /** Moves the clock forward to a local time of the clinic, once every event of the moment before has been handled. */
    async at(day: string, time: string) {
      await stack.eventsSettled();
      const next = localTime(day, time);
      if (next.getTime() < clock.now.getTime()) throw new Error(`the script goes back in time: ${day} ${time}`);
      clock.now = next;
    },

    /** `token` (the patient, or reception naming `patientId`) asks for the doctor's slot at `day` `time`; the appointment's id. */
    async book(
      token: string,
      doctor: ScheduledDoctor,
      day: string,
      time: string,
      expected: "BOOKED" | "PENDING",
      extra: { patientId?: string; serviceCode?: string } = {},
    ) {
      const input = {
        slotId: await slotAt(doctor, day, time),
        ...(extra.patientId ? { patientId: extra.patientId } : {}),
        ...(extra.serviceCode ? { serviceId: services[extra.serviceCode] } : {}),
      };
      const { requestAppointment } = await ok<{ requestAppointment: { id: string; status: string } }>(
        `mutation($i: RequestAppointmentInput!) { requestAppointment(input: $i) { ... on Appointment { id status } ... on SlotUnavailable { code } } }`,
        { i: input },
        token,
      );
      expect(requestAppointment.status).toBe(expected);
      return requestAppointment.id;
    },

    appointmentStep,
    approve: (doctor: ScheduledDoctor, id: string) => appointmentStep("approveAppointment(id: $id)", id, doctor.token, "BOOKED"),
    reject: (doctor: ScheduledDoctor, id: string) =>
      appointmentStep(`rejectAppointment(id: $id, reason: "Fully booked that day")`, id, doctor.token, "REJECTED"),
    cancel: (token: string, id: string) => appointmentStep("cancelAppointment(id: $id)", id, token, "CANCELLED"),
    noShow: (doctor: ScheduledDoctor, id: string) => appointmentStep("markNoShow(id: $id)", id, doctor.token, "NO_SHOW"),

    /** The patient moves the appointment to the doctor's slot at `day` `time`. */
    async reschedule(patientToken: string, id: string, doctor: ScheduledDoctor, day: string, time: string) {
      const { rescheduleAppointment } = await ok<{ rescheduleAppointment: { status?: string } }>(
        `mutation($id: ID!, $s: ID!) { rescheduleAppointment(id: $id, slotId: $s) { ... on Appointment { status } ... on SlotUnavailable { code } } }`,
        { id, s: await slotAt(doctor, day, time) },
        patientToken,
      );
      expect(rescheduleAppointment.status).toBe("BOOKED");
    },

    /** Reception checks the patient in; once clinical has the arrival, the encounter's id. */
    async checkIn(appointmentId: string, doctor: ScheduledDoctor, day: string) {
      await appointmentStep("checkInAppointment(id: $id)", appointmentId, tokens.RECEPTIONIST!, "CHECKED_IN");
      await stack.eventsSettled();
      return encounterOf(appointmentId, doctor, day);
    },
    encounterOf,

    /** Reception registers a patient who came without an appointment; the encounter's id. */
    async walkIn(patientId: string, doctor: ScheduledDoctor) {
      const { registerWalkIn } = await ok<{ registerWalkIn: { id: string } }>(
        `mutation($p: ID!, $d: ID!) { registerWalkIn(patientId: $p, doctorId: $d) { id } }`,
        { p: patientId, d: doctor.id },
        tokens.RECEPTIONIST,
      );
      return registerWalkIn.id;
    },

    startVisit: (doctor: ScheduledDoctor, encounterId: string) =>
      ok(`mutation($id: ID!) { startEncounter(id: $id) { status } }`, { id: encounterId }, doctor.token),
    finishVisit: (doctor: ScheduledDoctor, encounterId: string) =>
      ok(`mutation($id: ID!) { finishEncounter(id: $id, summary: "Seen and advised") { status } }`, { id: encounterId }, doctor.token),
    refuseVisit: (doctor: ScheduledDoctor, encounterId: string) =>
      ok(`mutation($id: ID!) { refuseEncounter(id: $id, reason: "Declined the treatment") { status } }`, { id: encounterId }, doctor.token),

    /** Reception confirms the outcome; once billing has issued it, the visit's invoice id. */
    async confirm(encounterId: string) {
      await ok(`mutation($id: ID!) { confirmVisitOutcome(encounterId: $id) { id } }`, { id: encounterId }, tokens.RECEPTIONIST);
      await stack.eventsSettled();
      const { encounter } = await ok<{ encounter: { invoice: { id: string; status: string } | null } | null }>(
        `query($id: ID!) { encounter(id: $id) { invoice { id status } } }`,
        { id: encounterId },
        tokens.RECEPTIONIST,
      );
      expect(encounter?.invoice?.status).toBe("ISSUED");
      return encounter!.invoice!.id;
    },

    /** The doctor orders an examination (a service code) during the visit; its id. */
    async order(doctor: ScheduledDoctor, encounterId: string, code: string) {
      const { orderExamination } = await ok<{ orderExamination: { id: string } }>(
        `mutation($e: ID!, $s: ID!) { orderExamination(encounterId: $e, serviceId: $s) { id } }`,
        { e: encounterId, s: services[code] },
        doctor.token,
      );
      return orderExamination.id;
    },
    perform: (id: string) => ok(`mutation($id: ID!) { performExamination(id: $id, result: "Within normal limits") { status } }`, { id }, tokens.EXAMINER),
    cancelExamination: (id: string) =>
      ok(`mutation($id: ID!) { cancelExamination(id: $id, reason: "Device out of order") { status } }`, { id }, tokens.EXAMINER),
    review: (doctor: ScheduledDoctor, id: string) => ok(`mutation($id: ID!) { reviewExamination(id: $id) { status } }`, { id }, doctor.token),

    /** The desk takes money for an invoice; the payment's id. */
    async pay(invoiceId: string, amountMinor: number, method: "CASH" | "CARD") {
      const { recordPayment } = await ok<{ recordPayment: { id: string } }>(
        `mutation($i: ID!, $a: MoneyInput!, $m: PaymentMethod!, $k: String!) { recordPayment(invoiceId: $i, amount: $a, method: $m, idempotencyKey: $k) { id } }`,
        { i: invoiceId, a: { amountMinor, currency: "EUR" }, m: method, k: `desk-${randomUUID()}` },
        tokens.RECEPTIONIST,
      );
      return recordPayment.id;
    },

    rate: (patientToken: string, appointmentId: string, rating: number) =>
      ok(`mutation($id: ID!, $r: Int!) { submitFeedback(appointmentId: $id, rating: $r) { id } }`, { id: appointmentId, r: rating }, patientToken),
  };
}

export type ClinicScript = ReturnType<typeof createClinicScript>;
