/**
 * Billing end to end through the router, on the stack's fake clock, every subgraph real: the billing desk prices
 * the services, a whole visit (booked, checked in, two examinations ordered, one performed and one cancelled,
 * finished, confirmed by reception) becomes one issued invoice from clinical's events, reception takes the money
 * in two payments (a retried request is the same payment), a later price change leaves the issued invoice alone,
 * a refused treatment is billed for its consultation only, and only the patient and the desk read an invoice.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { uniqueEmail } from "@clinigraph/testing";
import { createScheduledDoctor, freeSlotId, registerE2EPatient, type ScheduledDoctor } from "../support/people.js";
import { expectData, graphql, signIn, startStack, type Stack } from "../support/stack.js";

const clock = { now: new Date("2027-03-22T07:00:00Z") }; // Monday, 08:00 in Berlin (the clinic's time zone)
const TODAY = "2027-03-22";
let stack: Stack;
let url: string;
const tokens: Record<string, string> = {};
let doctor: ScheduledDoctor;
/** Service ids by code (the doctors subgraph's catalogue). */
let services: Record<string, string>;

const ok = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => expectData<T>(url, query, variables, token);
const PASSWORD = "Billing-e2e-password-1";

/** The price list the desk sets before the visits (EUR, minor units). */
const PRICES = {
  // The doctor's consultation service (kind CONSULTATION): billed for a visit booked without a service.
  SPECIALIST_CONSULT: { amountMinor: 6_000, taxRateBp: 0 },
  // Booked as the appointment's service by the second patient.
  GENERAL_CHECKUP: { amountMinor: 4_000, taxRateBp: 0 },
  // 2550 × 19 % = 484.5: the line's tax rounds half to even, to 484.
  LAB_BLOOD: { amountMinor: 2_550, taxRateBp: 1_900 },
  // Ordered and cancelled: never billed.
  IMG_ULTRASOUND: { amountMinor: 9_000, taxRateBp: 1_900 },
} as const;

interface Money {
  amountMinor: number;
  currency: string;
}
interface Line {
  service: { id: string } | null;
  description: string;
  quantity: number;
  unitPrice: Money | null;
  taxRateBp: number | null;
  net: Money | null;
  tax: Money | null;
  total: Money | null;
}
interface Payment {
  id: string;
  kind: string;
  method: string;
  amount: Money;
  credit: Money;
  createdAt: string;
}
interface Invoice {
  id: string;
  number: string | null;
  status: string;
  patient: { id: string };
  visitDate: string;
  issuedAt: string | null;
  lines: Line[];
  net: Money;
  tax: Money;
  total: Money;
  paid: Money;
  balance: Money;
  payments: Payment[];
}

const MONEY = `{ amountMinor currency }`;
const PAYMENT = `id kind method amount ${MONEY} credit ${MONEY} createdAt`;
const INVOICE = `id number status patient { id } visitDate issuedAt
  lines { service { id } description quantity unitPrice ${MONEY} taxRateBp net ${MONEY} tax ${MONEY} total ${MONEY} }
  net ${MONEY} tax ${MONEY} total ${MONEY} paid ${MONEY} balance ${MONEY} payments { ${PAYMENT} }`;

const eur = (amountMinor: number): Money => ({ amountMinor, currency: "EUR" });

async function staff(role: "RECEPTIONIST" | "EXAMINER" | "BILLING" | "STAKEHOLDER") {
  const email = uniqueEmail(`billing.${role.toLowerCase()}`);
  await ok(
    `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`,
    { i: { email, password: PASSWORD, name: `Billing E2E ${role}`, role } },
    tokens.admin,
  );
  return signIn(url, email, PASSWORD);
}

beforeAll(async () => {
  stack = await startStack({ clock: () => clock.now });
  url = stack.routerUrl;
  tokens.admin = await signIn(url, stack.admin.email, stack.admin.password);
  for (const role of ["RECEPTIONIST", "EXAMINER", "BILLING", "STAKEHOLDER"] as const) tokens[role] = await staff(role);
  doctor = await createScheduledDoctor(url, tokens.admin, "Dr. Ledger", { autoApprove: true, serviceCodes: ["SPECIALIST_CONSULT", "GENERAL_CHECKUP"] });
  tokens.DOCTOR = doctor.token;
  const catalogue = await ok<{ medicalServices: { id: string; code: string }[] }>(`{ medicalServices { id code } }`);
  services = Object.fromEntries(catalogue.medicalServices.map((s) => [s.code, s.id]));
});

afterAll(async () => {
  await stack?.stop();
});

/** A patient books one of the doctor's slots on `day` (default today; optionally for one of the doctor's services); the appointment's id. */
async function bookToday(patientToken: string, serviceId?: string, day = TODAY): Promise<string> {
  const slotId = await freeSlotId(url, doctor.id, 0, { from: `${day}T00:00:00Z`, to: `${day}T23:59:59Z` });
  const booked = await ok<{ requestAppointment: { id: string; status: string } }>(
    `mutation($i: RequestAppointmentInput!) { requestAppointment(input: $i) { ... on Appointment { id status } } }`,
    { i: { slotId, ...(serviceId ? { serviceId } : {}) } },
    patientToken,
  );
  expect(booked.requestAppointment.status).toBe("BOOKED");
  return booked.requestAppointment.id;
}

/** Reception checks the patient in; once clinical has registered the arrival, the encounter's id (from the doctor's list). */
async function checkIn(appointmentId: string): Promise<string> {
  await ok(`mutation($id: ID!) { checkInAppointment(id: $id) { status } }`, { id: appointmentId }, tokens.RECEPTIONIST);
  await stack.eventsSettled();
  const list = await ok<{ encounters: { id: string; appointment: { id: string } | null }[] }>(`{ encounters { id appointment { id } } }`, {}, tokens.DOCTOR);
  const encounter = list.encounters.find((e) => e.appointment?.id === appointmentId);
  if (!encounter) throw new Error(`no encounter for appointment ${appointmentId}`);
  return encounter.id;
}

const invoiceOfAppointment = async (appointmentId: string, token: string) =>
  (await ok<{ appointment: { invoice: Invoice | null } }>(`query($id: ID!) { appointment(id: $id) { invoice { ${INVOICE} } } }`, { id: appointmentId }, token))
    .appointment.invoice;

const readInvoice = (id: string, token: string) =>
  graphql<{ invoice: Invoice | null }>(url, `query($id: ID!) { invoice(id: $id) { ${INVOICE} } }`, { id }, token);

const RECORD_PAYMENT = `mutation($i: ID!, $a: MoneyInput!, $m: PaymentMethod!, $k: String!) {
  recordPayment(invoiceId: $i, amount: $a, method: $m, idempotencyKey: $k) { ${PAYMENT} } }`;

/** State carried from one step of the story to the next (the tests run in order on one stack). */
const visit: { patient?: { id: string; token: string }; appointmentId?: string; invoice?: Invoice } = {};

describe("billing through the router", () => {
  it("the desk sets the price list; anyone reads a service's price without signing in, only the desk sets one", async () => {
    for (const [code, { amountMinor, taxRateBp }] of Object.entries(PRICES)) {
      const set = await ok<{ setServicePrice: { id: string; price: Money; taxRateBp: number } }>(
        `mutation($s: ID!, $p: MoneyInput!, $t: Int) { setServicePrice(serviceId: $s, price: $p, taxRateBp: $t) { id price ${MONEY} taxRateBp } }`,
        { s: services[code], p: eur(amountMinor), t: taxRateBp },
        tokens.BILLING,
      );
      expect(set.setServicePrice).toEqual({ id: services[code], price: eur(amountMinor), taxRateBp });
    }
    // Reception may take money but not price services: the router refuses it.
    const reception = await graphql(
      url,
      `
        mutation ($s: ID!, $p: MoneyInput!) {
          setServicePrice(serviceId: $s, price: $p) {
            id
          }
        }
      `,
      { s: services.LAB_BLOOD, p: eur(1) },
      tokens.RECEPTIONIST,
    );
    expect(reception.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const anonymous = await graphql<{ medicalServices: { id: string; code: string; name: string; price: Money | null; taxRateBp: number | null }[] }>(
      url,
      `
        {
          medicalServices {
            id
            code
            name
            price {
              amountMinor
              currency
            }
            taxRateBp
          }
        }
      `,
    );
    expect(anonymous.errors).toBeUndefined();
    const byCode = Object.fromEntries(anonymous.data!.medicalServices.map((s) => [s.code, s]));
    expect(byCode.LAB_BLOOD).toMatchObject({ id: services.LAB_BLOOD, price: eur(2_550), taxRateBp: 1_900 });
    expect(byCode.SPECIALIST_CONSULT).toMatchObject({ price: eur(6_000), taxRateBp: 0 });
    expect(byCode.IMG_MRI).toMatchObject({ price: null, taxRateBp: null }); // never priced
  });

  it("a whole visit becomes one issued invoice: the consultation and the performed examination, not the cancelled one", async () => {
    const patient = await registerE2EPatient(url, "Paula Payer", PASSWORD);
    visit.patient = patient;
    const appointmentId = await bookToday(patient.token); // no service booked: the doctor's consultation service is billed
    visit.appointmentId = appointmentId;
    expect(await invoiceOfAppointment(appointmentId, patient.token)).toBeNull(); // nothing before the patient arrives

    const encounterId = await checkIn(appointmentId);
    await ok(`mutation($id: ID!) { startEncounter(id: $id) { status } }`, { id: encounterId }, tokens.DOCTOR);
    const order = (serviceId: string) =>
      ok<{ orderExamination: { id: string } }>(
        `mutation($e: ID!, $s: ID!) { orderExamination(encounterId: $e, serviceId: $s) { id } }`,
        { e: encounterId, s: serviceId },
        tokens.DOCTOR,
      );
    const blood = (await order(services.LAB_BLOOD!)).orderExamination.id;
    const ultrasound = (await order(services.IMG_ULTRASOUND!)).orderExamination.id;
    await stack.eventsSettled();
    await ok(`mutation($id: ID!) { performExamination(id: $id, result: "CRP 4 mg/L") { status } }`, { id: blood }, tokens.EXAMINER);
    await ok(`mutation($id: ID!) { cancelExamination(id: $id, reason: "Probe out of order") { status } }`, { id: ultrasound }, tokens.EXAMINER);
    await stack.eventsSettled();

    // While the visit runs the invoice is a draft, priced as of the visit day, unnumbered.
    const draft = await invoiceOfAppointment(appointmentId, patient.token);
    expect(draft).toMatchObject({ status: "DRAFT", number: null, issuedAt: null, visitDate: TODAY, total: eur(9_034) });
    expect(draft!.lines.map((l) => l.service?.id).sort()).toEqual([services.LAB_BLOOD, services.SPECIALIST_CONSULT].sort());

    await ok(`mutation($id: ID!) { reviewExamination(id: $id) { status } }`, { id: blood }, tokens.DOCTOR);
    await ok(`mutation($id: ID!) { finishEncounter(id: $id, summary: "Mild infection") { status } }`, { id: encounterId }, tokens.DOCTOR);
    await stack.eventsSettled();
    await ok(`mutation($id: ID!) { confirmVisitOutcome(encounterId: $id) { outcomeConfirmedAt } }`, { id: encounterId }, tokens.RECEPTIONIST);
    await stack.eventsSettled();

    const mine = await ok<{ myInvoices: { edges: { node: Invoice }[]; pageInfo: { hasNextPage: boolean } } }>(
      `{ myInvoices { edges { node { ${INVOICE} } } pageInfo { hasNextPage } } }`,
      {},
      patient.token,
    );
    expect(mine.myInvoices.edges).toHaveLength(1);
    expect(mine.myInvoices.pageInfo.hasNextPage).toBe(false);
    const invoice = mine.myInvoices.edges[0]!.node;
    expect(invoice).toMatchObject({
      status: "ISSUED",
      patient: { id: patient.id },
      visitDate: TODAY,
      issuedAt: clock.now.toISOString(),
      net: eur(8_550),
      tax: eur(484),
      total: eur(9_034),
      paid: eur(0),
      balance: eur(9_034),
      payments: [],
    });
    expect(invoice.number).toMatch(/^\d{4}-\d{6}$/);
    expect(invoice.number!.slice(0, 4)).toBe("2027");
    const lines = [...invoice.lines].sort((a, b) => a.description.localeCompare(b.description));
    expect(lines).toEqual([
      {
        service: { id: services.LAB_BLOOD },
        description: "Blood test (complete blood count)",
        quantity: 1,
        unitPrice: eur(2_550),
        taxRateBp: 1_900,
        net: eur(2_550),
        tax: eur(484),
        total: eur(3_034),
      },
      {
        service: { id: services.SPECIALIST_CONSULT },
        description: "Specialist consultation",
        quantity: 1,
        unitPrice: eur(6_000),
        taxRateBp: 0,
        net: eur(6_000),
        tax: eur(0),
        total: eur(6_000),
      },
    ]);
    // The same invoice on the appointment, for the patient.
    expect(await invoiceOfAppointment(appointmentId, patient.token)).toEqual(invoice);
    visit.invoice = invoice;
  });

  it("reception takes a partial payment, then the rest; the same idempotency key again is the same payment", async () => {
    const invoice = visit.invoice!;
    const pay = (token: string, amountMinor: number, method: string, key: string) =>
      graphql<{ recordPayment: Payment }>(url, RECORD_PAYMENT, { i: invoice.id, a: eur(amountMinor), m: method, k: key }, token);

    const firstKey = `desk-${randomUUID()}`;
    const first = await pay(tokens.RECEPTIONIST!, 4_000, "CASH", firstKey);
    expect(first.errors).toBeUndefined();
    expect(first.data!.recordPayment).toMatchObject({ kind: "PAYMENT", method: "CASH", amount: eur(4_000), credit: eur(0) });
    const partial = (await readInvoice(invoice.id, tokens.RECEPTIONIST!)).data!.invoice!;
    expect(partial).toMatchObject({ status: "PARTIALLY_PAID", paid: eur(4_000), balance: eur(5_034), number: invoice.number, total: eur(9_034) });

    const restKey = `desk-${randomUUID()}`;
    const rest = await pay(tokens.RECEPTIONIST!, 5_034, "CARD", restKey);
    expect(rest.data!.recordPayment).toMatchObject({ method: "CARD", amount: eur(5_034), credit: eur(0) });
    const paid = (await readInvoice(invoice.id, visit.patient!.token)).data!.invoice!;
    expect(paid).toMatchObject({ status: "PAID", paid: eur(9_034), balance: eur(0), total: eur(9_034) });
    expect(paid.payments.map((p) => p.id).sort()).toEqual([first.data!.recordPayment.id, rest.data!.recordPayment.id].sort());

    // A retried request (the desk's network dropped the answer): the same payment, nothing taken twice.
    const retried = await pay(tokens.RECEPTIONIST!, 4_000, "CASH", firstKey);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.recordPayment).toEqual(first.data!.recordPayment);
    // The same key for another amount is a mistake, not a retry.
    const reused = await pay(tokens.RECEPTIONIST!, 100, "CASH", firstKey);
    expect(reused.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "IDEMPOTENCY_KEY_REUSED" });
    // A paid invoice takes no new payment.
    const more = await pay(tokens.BILLING!, 100, "CASH", `desk-${randomUUID()}`);
    expect(more.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "INVOICE_NOT_PAYABLE" });

    const after = (await readInvoice(invoice.id, tokens.BILLING!)).data!.invoice!;
    expect(after).toMatchObject({ status: "PAID", paid: eur(9_034), balance: eur(0) });
    expect(after.payments).toHaveLength(2);
    // The desk finds it among the paid invoices of the patient.
    const listed = await ok<{ invoices: { edges: { node: { id: string; status: string } }[] } }>(
      `query($f: InvoiceFilter) { invoices(filter: $f) { edges { node { id status } } } }`,
      { f: { patientId: visit.patient!.id, status: "PAID" } },
      tokens.BILLING,
    );
    expect(listed.invoices.edges.map((e) => e.node)).toEqual([{ id: invoice.id, status: "PAID" }]);
  });

  it("a refused treatment is billed for its consultation only (the appointment's service), with the next number", async () => {
    const patient = await registerE2EPatient(url, "Rita Refused", PASSWORD);
    const appointmentId = await bookToday(patient.token, services.GENERAL_CHECKUP);
    const encounterId = await checkIn(appointmentId);
    await ok(`mutation($id: ID!) { startEncounter(id: $id) { status } }`, { id: encounterId }, tokens.DOCTOR);
    await ok(
      `mutation($e: ID!, $s: ID!) { orderExamination(encounterId: $e, serviceId: $s) { id } }`,
      { e: encounterId, s: services.LAB_BLOOD },
      tokens.DOCTOR,
    );
    const refused = await ok<{ refuseEncounter: { status: string; examinations: { status: string }[] } }>(
      `mutation($id: ID!) { refuseEncounter(id: $id, reason: "Needs a cardiologist") { status examinations { status } } }`,
      { id: encounterId },
      tokens.DOCTOR,
    );
    expect(refused.refuseEncounter).toEqual({ status: "REFUSED", examinations: [{ status: "CANCELLED" }] });
    await ok(`mutation($id: ID!) { confirmVisitOutcome(encounterId: $id) { status } }`, { id: encounterId }, tokens.RECEPTIONIST);
    await stack.eventsSettled();

    const invoice = await invoiceOfAppointment(appointmentId, patient.token);
    expect(invoice).toMatchObject({ status: "ISSUED", patient: { id: patient.id }, net: eur(4_000), tax: eur(0), total: eur(4_000), balance: eur(4_000) });
    expect(invoice!.lines).toEqual([
      {
        service: { id: services.GENERAL_CHECKUP },
        description: "General check-up",
        quantity: 1,
        unitPrice: eur(4_000),
        taxRateBp: 0,
        net: eur(4_000),
        tax: eur(0),
        total: eur(4_000),
      },
    ]);
    // Gapless: the year's next number after the first visit's.
    const [year, sequence] = visit.invoice!.number!.split("-");
    expect(invoice!.number).toBe(`${year}-${String(Number(sequence) + 1).padStart(6, "0")}`);
    // Each patient sees their own invoices only.
    const mine = await ok<{ myInvoices: { edges: { node: { id: string } }[] } }>(`{ myInvoices { edges { node { id } } } }`, {}, patient.token);
    expect(mine.myInvoices.edges.map((e) => e.node.id)).toEqual([invoice!.id]);
  });

  it("only the patient and the desk read an invoice: the doctor, the examiner, a stakeholder and another patient are refused", async () => {
    const { id } = visit.invoice!;
    const stranger = await registerE2EPatient(url, "Nosy Neighbour", PASSWORD);
    for (const [who, token] of [
      ["DOCTOR", tokens.DOCTOR!],
      ["EXAMINER", tokens.EXAMINER!],
      ["STAKEHOLDER", tokens.STAKEHOLDER!],
      ["another patient", stranger.token],
    ] as const) {
      const res = await readInvoice(id, token);
      expect({ who, invoice: res.data?.invoice ?? null, code: res.errors?.[0]?.extensions?.code, path: res.errors?.[0]?.path }).toEqual({
        who,
        invoice: null,
        code: "FORBIDDEN",
        path: ["invoice"],
      });
    }
    // The treating doctor reads the appointment, not its invoice.
    const onAppointment = await graphql<{ appointment: { id: string; invoice: unknown } | null }>(
      url,
      `
        query ($id: ID!) {
          appointment(id: $id) {
            id
            invoice {
              id
              total {
                amountMinor
              }
            }
          }
        }
      `,
      { id: visit.appointmentId },
      tokens.DOCTOR,
    );
    expect(onAppointment.data?.appointment).toEqual({ id: visit.appointmentId, invoice: null });
    expect(onAppointment.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[["appointment", "invoice"], "FORBIDDEN"]]);
    // Anonymous callers are asked to sign in.
    expect((await readInvoice(id, "")).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    // The patient, reception, billing and the admin read it.
    for (const token of [visit.patient!.token, tokens.RECEPTIONIST!, tokens.BILLING!, tokens.admin!]) {
      const res = await readInvoice(id, token);
      expect(res.errors).toBeUndefined();
      expect(res.data?.invoice?.id).toBe(id);
    }
    // The desk's reads are in the patient's access log; the patient's own and the refused ones are not.
    await stack.eventsSettled();
    const access = await ok<{ myRecordAccess: { edges: { node: { action: string; actorRole: string | null } }[] } }>(
      `{ myRecordAccess(first: 100) { edges { node { action actorRole } } } }`,
      {},
      visit.patient!.token,
    );
    const invoiceReaders = new Set(access.myRecordAccess.edges.filter((e) => e.node.action === "INVOICE_READ").map((e) => e.node.actorRole));
    expect([...invoiceReaders].sort()).toEqual(["ADMIN", "BILLING", "RECEPTIONIST"]);
  });

  it("a price change after the visit leaves the issued invoice as it was issued", async () => {
    const before = (await readInvoice(visit.invoice!.id, tokens.BILLING!)).data!.invoice!;
    const setPrice = (code: keyof typeof PRICES, amountMinor: number, effectiveFrom?: string) =>
      ok(
        `mutation($s: ID!, $p: MoneyInput!, $t: Int, $f: Date) { setServicePrice(serviceId: $s, price: $p, taxRateBp: $t, effectiveFrom: $f) { id } }`,
        { s: services[code], p: eur(amountMinor), t: PRICES[code].taxRateBp, f: effectiveFrom ?? null },
        tokens.BILLING,
      );
    // From tomorrow on, the consultation costs more; and the blood test, from today (the visit's own day).
    await setPrice("SPECIALIST_CONSULT", 7_500, "2027-03-23");
    await setPrice("LAB_BLOOD", 3_000);
    const history = await ok<{ medicalServices: { id: string; price: Money; priceHistory: { price: Money; effectiveFrom: string }[] }[] }>(
      `{ medicalServices { id price ${MONEY} priceHistory { price ${MONEY} effectiveFrom } } }`,
      {},
      tokens.BILLING,
    );
    const consult = history.medicalServices.find((s) => s.id === services.SPECIALIST_CONSULT)!;
    expect(consult.price).toEqual(eur(6_000)); // still today's price
    expect(consult.priceHistory.map((p) => [p.price.amountMinor, p.effectiveFrom])).toEqual([
      [7_500, "2027-03-23"],
      [6_000, TODAY],
    ]);

    clock.now = new Date("2027-03-23T08:00:00Z"); // the next day: the new price is in force
    const publicPrice = await ok<{ medicalServices: { id: string; price: Money | null }[] }>(`{ medicalServices { id price { amountMinor currency } } }`);
    expect(publicPrice.medicalServices.find((s) => s.id === services.SPECIALIST_CONSULT)!.price).toEqual(eur(7_500));

    const after = (await readInvoice(visit.invoice!.id, tokens.BILLING!)).data!.invoice!;
    expect(after).toEqual(before);
    expect(after).toMatchObject({ number: visit.invoice!.number, net: eur(8_550), tax: eur(484), total: eur(9_034) });
  });
  it("a patient pays ahead online: cancelling refunds the prepayment, and a kept appointment's invoice spends it", async () => {
    const patient = await registerE2EPatient(url, "Paula Prepaid", PASSWORD);
    const account = async () =>
      (
        await ok<{ myBillingAccount: { credit: Money; prepaid: Money; outstanding: Money } }>(
          `{ myBillingAccount { credit ${MONEY} prepaid ${MONEY} outstanding ${MONEY} } }`,
          {},
          patient.token,
        )
      ).myBillingAccount;
    const prepay = async (appointmentId: string) => {
      // Billing knows an appointment from scheduling's events: it answers NOT_FOUND until the booking has reached it.
      await stack.eventsSettled();
      const { prepayAppointment } = await ok<{ prepayAppointment: { status: string; provider: string; checkoutUrl: string; amount: Money } }>(
        `mutation($a: ID!, $k: String!) { prepayAppointment(appointmentId: $a, idempotencyKey: $k) { status provider checkoutUrl amount ${MONEY} } }`,
        { a: appointmentId, k: `prepay-${randomUUID()}` },
        patient.token,
      );
      expect(prepayAppointment).toMatchObject({ status: "OPEN", provider: "test" });
      // The payer confirms on the test provider's checkout page, which billing serves itself.
      const page = `${new URL(stack.subgraphs.billing!.url).origin}${new URL(prepayAppointment.checkoutUrl).pathname}`;
      expect((await fetch(`${page}/confirm`, { method: "POST" })).status).toBe(200);
      await stack.eventsSettled();
      return prepayAppointment.amount;
    };
    const prepaymentOf = async (appointmentId: string) =>
      (
        await ok<{ appointment: { prepayment: { method: string; amount: Money; refunded: Money; creditLeft: Money } | null } }>(
          `query($id: ID!) { appointment(id: $id) { prepayment { method amount ${MONEY} refunded ${MONEY} creditLeft ${MONEY} } } }`,
          { id: appointmentId },
          patient.token,
        )
      ).appointment.prepayment;

    const calledOff = await bookToday(patient.token, undefined, "2027-03-24"); // Wednesday: today's slots are taken by now
    const amount = await prepay(calledOff);
    expect(amount.amountMinor).toBeGreaterThan(0);
    expect(await account()).toEqual({ credit: eur(0), prepaid: amount, outstanding: eur(0) });
    await ok(`mutation($id: ID!) { cancelAppointment(id: $id) { status } }`, { id: calledOff }, patient.token);
    await stack.eventsSettled();
    expect(await prepaymentOf(calledOff)).toEqual({ method: "ONLINE", amount, refunded: amount, creditLeft: eur(0) });
    expect(await account()).toEqual({ credit: eur(0), prepaid: eur(0), outstanding: eur(0) });

    const kept = await bookToday(patient.token, undefined, "2027-03-24");
    await prepay(kept);
    clock.now = new Date("2027-03-24T07:00:00Z"); // the visit's morning
    const encounterId = await checkIn(kept);
    await ok(`mutation($id: ID!) { startEncounter(id: $id) { status } }`, { id: encounterId }, tokens.DOCTOR);
    await ok(`mutation($id: ID!) { finishEncounter(id: $id) { status } }`, { id: encounterId }, tokens.DOCTOR);
    await ok(`mutation($id: ID!) { confirmVisitOutcome(encounterId: $id) { status } }`, { id: encounterId }, tokens.RECEPTIONIST);
    await stack.eventsSettled();
    const invoice = await invoiceOfAppointment(kept, patient.token);
    expect(invoice).toMatchObject({ status: "PAID", total: amount, paid: amount, balance: eur(0) });
    expect(invoice!.payments.map((p) => [p.kind, p.method, p.amount])).toEqual([["PAYMENT", "CREDIT", amount]]);
    expect(await account()).toEqual({ credit: eur(0), prepaid: eur(0), outstanding: eur(0) });
  });
});
