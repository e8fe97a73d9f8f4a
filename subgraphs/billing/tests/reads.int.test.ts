/**
 * Who reads invoices: the patient their own; BILLING, RECEPTIONIST and ADMIN anyone's, with filters and pages;
 * doctors, examiners and stakeholders none. Through Query and through the Appointment/Encounter entities.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { STREAMS } from "@clinigraph/events";
import type { Role } from "@clinigraph/platform";
import { startHarness, type Harness } from "./support/harness.js";
import { appointmentData, as, confirmedVisit, encounterData, newVisitors, setPrice, type Visitors } from "./support/visits.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

const INVOICE = `query ($id: ID!) { invoice(id: $id) { id number status patient { id } total { amountMinor } lines { unitPrice { amountMinor } } } }`;
const MY_INVOICES = `query ($first: Int, $after: String) { myInvoices(first: $first, after: $after) { edges { cursor node { id status } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
const INVOICES = `query ($filter: InvoiceFilter, $first: Int, $after: String) {
  invoices(filter: $filter, first: $first, after: $after) { edges { cursor node { id status patient { id } } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
}`;
const OF_ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Appointment { id invoice { id } } ... on Encounter { id invoice { id } } } }`;

interface Page {
  edges: { cursor: string; node: { id: string; status: string; patient?: { id: string } } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
}

/** A visit registered at `at` (the invoice's creation time) for `v`, confirmed unless `draft`; its invoice id. */
async function visitAt(v: Visitors, at: string, options: { draft?: boolean; appointmentId?: string } = {}) {
  h.clock.now = new Date(at);
  const overrides = { appointmentId: options.appointmentId ?? null };
  const encounter = options.draft ? encounterData(v, overrides) : await confirmedVisit(h, v, overrides);
  if (options.draft) await h.publish(STREAMS.clinical, [{ type: "EncounterRegistered", data: encounter }]);
  const res = await h.call(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Encounter { invoice { id } } } }`, as("BILLING"), {
    r: [{ __typename: "Encounter", id: encounter.encounterId }],
  });
  return { invoiceId: (res.data!._entities as { invoice: { id: string } }[])[0]!.invoice.id, encounterId: encounter.encounterId };
}

async function list(caller: { userId: string; role: Role }, variables: Record<string, unknown>): Promise<Page> {
  const res = await h.call(INVOICES, caller, variables);
  expect(res.errors).toBeUndefined();
  return res.data!.invoices as Page;
}

const ids = (page: Page) => page.edges.map((edge) => edge.node.id);

describe("the patient", () => {
  it("reads their own invoices, newest first, a draft priced as of its visit day; not another patient's", async () => {
    const v = newVisitors(h);
    h.clock.now = new Date("2028-01-10T07:00:00Z");
    await setPrice(h, v.consultation.id, 3000, 1900);
    const older = await visitAt(v, "2028-01-10T08:00:00Z");
    const newer = await visitAt(v, "2028-01-10T09:00:00Z", { draft: true });
    const patient = as("PATIENT", v.patientId);

    const own = await h.call(INVOICE, patient, { id: older.invoiceId });
    expect(own.errors).toBeUndefined();
    expect(own.data!.invoice).toMatchObject({ id: older.invoiceId, status: "ISSUED", patient: { id: v.patientId }, total: { amountMinor: 3570 } });
    const draft = await h.call(INVOICE, patient, { id: newer.invoiceId });
    expect(draft.data!.invoice).toMatchObject({ status: "DRAFT", number: null, lines: [{ unitPrice: { amountMinor: 3000 } }] });

    const mine = await h.call(MY_INVOICES, patient, {});
    expect(mine.errors).toBeUndefined();
    expect((mine.data!.myInvoices as Page).edges.map((edge) => [edge.node.id, edge.node.status])).toEqual([
      [newer.invoiceId, "DRAFT"],
      [older.invoiceId, "ISSUED"],
    ]);

    const stranger = as("PATIENT");
    const refused = await h.call(INVOICE, stranger, { id: older.invoiceId });
    expect(refused.data?.invoice ?? null).toBeNull();
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(((await h.call(MY_INVOICES, stranger, {})).data!.myInvoices as Page).edges).toEqual([]);
  });

  it("pages through myInvoices", async () => {
    const v = newVisitors(h);
    h.clock.now = new Date("2028-01-11T07:00:00Z");
    await setPrice(h, v.consultation.id, 1000);
    const made = [];
    for (const hour of ["08", "09", "10"]) made.push((await visitAt(v, `2028-01-11T${hour}:00:00Z`)).invoiceId);
    const patient = as("PATIENT", v.patientId);

    const first = (await h.call(MY_INVOICES, patient, { first: 2 })).data!.myInvoices as Page;
    expect(ids(first)).toEqual([made[2], made[1]]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = (await h.call(MY_INVOICES, patient, { first: 2, after: first.pageInfo.endCursor })).data!.myInvoices as Page;
    expect(ids(second)).toEqual([made[0]]);
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it("must be signed in; an unknown invoice is null and a malformed id refused", async () => {
    const v = newVisitors(h);
    const { invoiceId } = await visitAt(v, "2028-01-12T08:00:00Z", { draft: true });
    expect((await h.call(INVOICE, undefined, { id: invoiceId })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const unknown = await h.call(INVOICE, as("PATIENT", v.patientId), { id: randomUUID() });
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data!.invoice).toBeNull();
    expect((await h.call(INVOICE, as("BILLING"), { id: "INV-1" })).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "id" });
  });
});

describe("the billing desk", () => {
  it.each(["BILLING", "RECEPTIONIST", "ADMIN"] as const)("%s reads any invoice and lists them with filters and pages", async (role) => {
    // Each role's run has its own day, so the day's window holds exactly the invoices made here.
    const day = { BILLING: "2028-02-01", RECEPTIONIST: "2028-02-02", ADMIN: "2028-02-03" }[role];
    const first = newVisitors(h);
    const second = newVisitors(h);
    h.clock.now = new Date(`${day}T06:00:00Z`);
    await setPrice(h, first.consultation.id, 2000);
    await setPrice(h, second.consultation.id, 0); // free: PAID when issued
    const a = await visitAt(first, `${day}T08:00:00Z`);
    const b = await visitAt(second, `${day}T09:00:00Z`);
    const c = await visitAt(first, `${day}T10:00:00Z`, { draft: true });
    const d = await visitAt(second, `${day}T11:00:00Z`);
    const e = await visitAt(first, `${day}T12:00:00Z`);
    const caller = as(role);
    const wholeDay = { from: `${day}T00:00:00.000Z`, to: `${day}T23:59:59.999Z` };

    const one = await h.call(INVOICE, caller, { id: a.invoiceId });
    expect(one.errors).toBeUndefined();
    expect(one.data!.invoice).toMatchObject({ id: a.invoiceId, patient: { id: first.patientId } });

    const all = await list(caller, { filter: wholeDay });
    expect(ids(all)).toEqual([e, d, c, b, a].map((x) => x.invoiceId));
    expect(ids(await list(caller, { filter: { ...wholeDay, patientId: first.patientId } }))).toEqual([e, c, a].map((x) => x.invoiceId));
    expect(ids(await list(caller, { filter: { patientId: second.patientId } }))).toEqual([d, b].map((x) => x.invoiceId));
    expect(ids(await list(caller, { filter: { ...wholeDay, status: "DRAFT" } }))).toEqual([c.invoiceId]);
    expect(ids(await list(caller, { filter: { ...wholeDay, status: "PAID" } }))).toEqual([d, b].map((x) => x.invoiceId));
    expect(ids(await list(caller, { filter: { ...wholeDay, status: "ISSUED", patientId: first.patientId } }))).toEqual([e, a].map((x) => x.invoiceId));
    // from and to are inclusive.
    expect(ids(await list(caller, { filter: { from: `${day}T09:00:00.000Z`, to: `${day}T11:00:00.000Z` } }))).toEqual([d, c, b].map((x) => x.invoiceId));
    expect(ids(await list(caller, { filter: { from: `${day}T12:00:00.001Z`, to: `${day}T23:00:00.000Z` } }))).toEqual([]);

    // Pages of two: every invoice once, in order.
    const seen: string[] = [];
    let after: string | null = null;
    const pages: Page["pageInfo"][] = [];
    do {
      const page = await list(caller, { filter: wholeDay, first: 2, after });
      seen.push(...ids(page));
      pages.push(page.pageInfo);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(ids(all));
    expect(pages.map((info) => [info.hasNextPage, info.hasPreviousPage])).toEqual([
      [true, false],
      [true, true],
      [false, true],
    ]);
  });

  it.each([
    ["from after to", { filter: { from: "2028-02-02T00:00:00Z", to: "2028-02-01T00:00:00Z" } }, "filter.from"],
    ["a malformed patient id", { filter: { patientId: "patient-7" } }, "filter.patientId"],
    ["a page of 0", { first: 0 }, "first"],
    ["a page of 101", { first: 101 }, "first"],
    ["a made-up cursor", { after: "bm90LWEtY3Vyc29y" }, "after"],
  ])("refuses %s (BAD_USER_INPUT naming the field)", async (_name, variables, field) => {
    const res = await h.call(INVOICES, as("BILLING"), variables);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
  });
});

describe("doctors, examiners and stakeholders", () => {
  it.each(["DOCTOR", "EXAMINER", "STAKEHOLDER"] as const)("%s reads no invoice, not even of a visit they took part in", async (role) => {
    const v = newVisitors(h);
    const appointment = appointmentData(v, null, "2028-03-01T08:00:00.000Z");
    await h.publish(STREAMS.appointments, [{ type: "PatientCheckedIn", data: appointment }]);
    const { invoiceId, encounterId } = await visitAt(v, "2028-03-01T08:00:00Z", { draft: true, appointmentId: appointment.appointmentId });
    const caller = as(role, role === "DOCTOR" ? v.doctorUserId : randomUUID());

    const one = await h.call(INVOICE, caller, { id: invoiceId });
    expect(one.data?.invoice ?? null).toBeNull();
    expect(one.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const listed = await h.call(INVOICES, caller, { filter: { patientId: v.patientId } });
    expect(listed.data ?? null).toBeNull();
    expect(listed.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const entities = await h.call(OF_ENTITIES, caller, {
      r: [
        { __typename: "Encounter", id: encounterId },
        { __typename: "Appointment", id: appointment.appointmentId },
      ],
    });
    expect(entities.errors?.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN", "FORBIDDEN"]);
  });

  it("a patient lists no invoices but their own (invoices is for the desk)", async () => {
    const res = await h.call(INVOICES, as("PATIENT"), {});
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("Appointment.invoice and Encounter.invoice", () => {
  it("give the visit's invoice to its patient and the desk, null where there is none, and refuse anonymous callers", async () => {
    const v = newVisitors(h);
    h.clock.now = new Date("2028-04-01T07:00:00Z");
    await setPrice(h, v.consultation.id, 1500);
    const appointment = appointmentData(v, null, "2028-04-01T08:00:00.000Z");
    await h.publish(STREAMS.appointments, [{ type: "PatientCheckedIn", data: appointment }]);
    const { invoiceId, encounterId } = await visitAt(v, "2028-04-01T08:05:00Z", { appointmentId: appointment.appointmentId });
    const notCheckedIn = randomUUID();
    const representations = [
      { __typename: "Appointment", id: appointment.appointmentId },
      { __typename: "Encounter", id: encounterId },
      { __typename: "Appointment", id: notCheckedIn },
      { __typename: "Encounter", id: randomUUID() },
    ];

    for (const caller of [as("PATIENT", v.patientId), as("BILLING"), as("RECEPTIONIST"), as("ADMIN")]) {
      const res = await h.call(OF_ENTITIES, caller, { r: representations });
      expect(res.errors).toBeUndefined();
      expect(res.data!._entities).toEqual([
        { id: appointment.appointmentId, invoice: { id: invoiceId } },
        { id: encounterId, invoice: { id: invoiceId } },
        { id: notCheckedIn, invoice: null },
        { id: representations[3]!.id, invoice: null },
      ]);
    }

    const stranger = await h.call(OF_ENTITIES, as("PATIENT"), { r: representations.slice(0, 2) });
    expect(stranger.errors?.map((error) => error.extensions?.code)).toEqual(["FORBIDDEN", "FORBIDDEN"]);
    const anonymous = await h.call(OF_ENTITIES, undefined, { r: representations.slice(0, 1) });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
