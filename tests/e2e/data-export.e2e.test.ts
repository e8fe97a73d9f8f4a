/**
 * Patient data export end to end through the router (docs/adr/0027-patient-data-export.md): two patients of one
 * doctor, each with a booked visit (history, feedback), an encounter with a blood test and its result, a signed record
 * entry, an invoice with a payment and their notifications. The first patient asks for their export; once accounts'
 * worker has assembled it, the document holds every subgraph's part and nothing of the second patient. An ADMIN's
 * export on the second patient's behalf works the same (assembled as that patient) and is audited; nobody else reads
 * either; one PENDING export per patient, and a daily limit.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createClinicScript, type ClinicScript } from "../support/clinicScript.js";
import { createScheduledDoctor, registerE2EPatient, type ScheduledDoctor } from "../support/people.js";
import { expectData, graphql, startStack, type Stack } from "../support/stack.js";

const SUN = "2027-03-14";
const MON = "2027-03-15";
const berlin = (day: string, time: string) => new Date(`${day}T${time}:00+01:00`);
const clock = { now: berlin(SUN, "18:00") };
const PASSWORD = "Export-e2e-password-1";

let stack: Stack;
let url: string;
let clinic: ClinicScript;
let tokens: Record<string, string>;
let doctor: ScheduledDoctor;

interface Person {
  id: string;
  token: string;
  name: string;
  appointmentId: string;
  encounterId: string;
  examinationId: string;
  recordId: string;
  invoiceId: string;
  paymentId: string;
}
let alma: Person;
let bert: Person;

const ok = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => expectData<T>(url, query, variables, token);

interface ExportView {
  id: string;
  status: "PENDING" | "READY" | "FAILED";
  requestedAt: string;
  readyAt: string | null;
  expiresAt: string | null;
  attempts: number;
  failureReason: string | null;
}
type Row = Record<string, unknown> & { id: string };
/** The parts of the document the tests look at. */
interface ExportDocument {
  format: string;
  version: number;
  exportId: string;
  patientId: string;
  profile: Record<string, unknown>;
  recordAccess: { actorId: string; actorName: string | null; action: string }[];
  scheduling: { appointments: (Row & { history: { toStatus: string }[] })[]; waitlist: Row[] };
  clinical: { encounters: Row[]; examinations: Row[]; records: Row[] };
  billing: { invoices: Row[]; account: Record<string, unknown>; prepayments: Row[] };
  notifications: { deliveries: (Row & { recipientId: string; kind: string })[]; preferences: Record<string, unknown> };
  doctors: { doctors: Row[]; services: Row[] };
}
const FIELDS = "id status requestedAt readyAt expiresAt attempts failureReason";

/** A patient's visit: booked, checked in, a blood test performed and reviewed, a signed record, invoiced, paid in part, rated. */
async function visit(name: string, time: string): Promise<Person> {
  const patient = await registerE2EPatient(url, name, PASSWORD);
  const appointmentId = await clinic.book(patient.token, doctor, MON, time, "BOOKED", { serviceCode: "SPECIALIST_CONSULT" });
  return { ...patient, name, appointmentId, encounterId: "", examinationId: "", recordId: "", invoiceId: "", paymentId: "" };
}

async function treat(person: Person, arrival: string, rating: number): Promise<void> {
  await clinic.at(MON, arrival);
  person.encounterId = await clinic.checkIn(person.appointmentId, doctor, MON);
  await clinic.startVisit(doctor, person.encounterId);
  person.examinationId = await clinic.order(doctor, person.encounterId, "LAB_BLOOD");
  await clinic.perform(person.examinationId);
  await clinic.review(doctor, person.examinationId);
  const { saveRecordDraft } = await ok<{ saveRecordDraft: { id: string } }>(
    "mutation($e: ID!, $i: RecordInput!) { saveRecordDraft(encounterId: $e, input: $i) { id } }",
    { e: person.encounterId, i: { complaints: `Chest pain of ${person.name}`, diagnosisCode: "R07.4", diagnosis: "Chest pain", prescriptions: ["Rest"] } },
    doctor.token,
  );
  person.recordId = saveRecordDraft.id;
  await ok("mutation($id: ID!) { signRecord(id: $id) { id } }", { id: person.recordId }, doctor.token);
  await clinic.finishVisit(doctor, person.encounterId);
  person.invoiceId = await clinic.confirm(person.encounterId);
  person.paymentId = await clinic.pay(person.invoiceId, 1_000, "CASH");
  await stack.eventsSettled();
  await clinic.rate(person.token, person.appointmentId, rating);
}

const requestMine = async (token: string) =>
  (await ok<{ requestMyDataExport: ExportView }>(`mutation { requestMyDataExport { ${FIELDS} } }`, {}, token)).requestMyDataExport;
const requestFor = async (patientId: string, token: string) =>
  (await ok<{ requestDataExport: ExportView }>(`mutation($p: ID!) { requestDataExport(patientId: $p) { ${FIELDS} } }`, { p: patientId }, token))
    .requestDataExport;
const readExport = (id: string, token: string, withJson = false) =>
  graphql<{ dataExport: (ExportView & { json?: string | null }) | null }>(
    url,
    `query($id: ID!) { dataExport(id: $id) { ${FIELDS} ${withJson ? "json" : ""} } }`,
    { id },
    token,
  );

/** Settles accounts' export worker, then reads the export: READY (or FAILED) by then. At most a few rounds, no sleeps. */
async function settled(id: string, token: string): Promise<ExportView & { json: string | null }> {
  for (let round = 0; round < 5; round++) {
    await stack.dataExports.drain();
    const { data, errors } = await readExport(id, token, true);
    expect(errors).toBeUndefined();
    if (data?.dataExport && data.dataExport.status !== "PENDING") return data.dataExport as ExportView & { json: string | null };
  }
  throw new Error(`export ${id} still PENDING after draining the worker`);
}

const auditActions = async (patientId: string) => {
  const { auditLog } = await ok<{ auditLog: { edges: { node: { action: string; actor: { id: string } | null } }[] } }>(
    "query($p: ID!) { auditLog(patientId: $p, first: 100) { edges { node { action actor { id } } } } }",
    { p: patientId },
    tokens.admin,
  );
  return auditLog.edges.map((e) => ({ action: e.node.action, actorId: e.node.actor?.id ?? null }));
};

let adminId: string;

beforeAll(async () => {
  stack = await startStack({ clock: () => clock.now, env: { DATA_EXPORT_MAX_PER_DAY: "3" } });
  url = stack.routerUrl;
  clinic = createClinicScript(stack, clock, { localTime: berlin, label: "Export", password: PASSWORD });
  await clinic.open({ SPECIALIST_CONSULT: [6_000, 0], LAB_BLOOD: [2_550, 1_900] });
  tokens = clinic.tokens;
  adminId = (await ok<{ me: { id: string } }>("{ me { id } }", {}, tokens.admin)).me.id;
  doctor = await createScheduledDoctor(url, tokens.admin!, "Dr. Export Heart", { autoApprove: true });
  alma = await visit("Alma Exportova", "09:00");
  bert = await visit("Bert Otherpatient", "09:30");
  await treat(alma, "08:50", 5);
  await treat(bert, "09:20", 2);
  await ok("mutation($p: ID!, $n: String) { setPatientNationalId(patientId: $p, nationalId: $n) { id } }", { p: alma.id, n: "EXP 4711" }, tokens.admin);
  await ok("mutation($p: ID!, $n: String) { setPatientNationalId(patientId: $p, nationalId: $n) { id } }", { p: bert.id, n: "OTH 0815" }, tokens.admin);
  // The doctor reads Alma's card and profile: entries of "who read my record".
  await ok("query($p: ID!) { patient(id: $p) { name } patientCard(patientId: $p) { encounters { id } } }", { p: alma.id }, doctor.token);
  await stack.eventsSettled();
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

describe("a patient's own export", () => {
  let exportId: string;
  let document: ExportDocument;
  let text: string;

  it("is PENDING at once, without a document, and READY once the worker has assembled it", async () => {
    const requested = await requestMine(alma.token);
    expect(requested).toMatchObject({ status: "PENDING", readyAt: null, expiresAt: null });
    exportId = requested.id;
    const pending = await readExport(exportId, alma.token, true);
    expect(pending.data?.dataExport?.json ?? null).toBeNull();

    const ready = await settled(exportId, alma.token);
    expect(ready.status).toBe("READY");
    expect(ready.attempts).toBe(1);
    expect(new Date(ready.expiresAt!).getTime() - new Date(ready.readyAt!).getTime()).toBe(7 * 24 * 3_600_000);
    text = ready.json!;
    document = JSON.parse(text) as ExportDocument;
    expect(document).toMatchObject({ format: "clinigraph.patient-data-export", version: 1, exportId, patientId: alma.id });
  });

  it("holds accounts' part: the profile with the national id, and who read the record", () => {
    expect(document.profile).toMatchObject({ id: alma.id, name: "Alma Exportova", role: "PATIENT", nationalId: "EXP 4711" });
    const reads = document.recordAccess;
    expect(reads.some((r) => r.actorId === doctor.userId && r.actorName === "Dr. Export Heart")).toBe(true);
  });

  it("holds scheduling's part: the appointment with its history and feedback", () => {
    const [appointment, ...others] = document.scheduling.appointments;
    expect(others).toEqual([]);
    expect(appointment).toMatchObject({ id: alma.appointmentId, doctorId: doctor.id, feedback: { rating: 5 } });
    expect(appointment!.history.map((h) => h.toStatus)).toEqual(expect.arrayContaining(["BOOKED", "CHECKED_IN"]));
    expect(document.scheduling.waitlist).toEqual([]);
  });

  it("holds clinical's part: the encounter, the examination with its result, the signed record", () => {
    expect(document.clinical.encounters.map((e) => e.id)).toEqual([alma.encounterId]);
    expect(document.clinical.examinations).toEqual([
      expect.objectContaining({ id: alma.examinationId, encounterId: alma.encounterId, result: "Within normal limits", status: "REVIEWED" }),
    ]);
    expect(document.clinical.records).toEqual([
      expect.objectContaining({ id: alma.recordId, status: "SIGNED", complaints: "Chest pain of Alma Exportova", diagnosisCode: "R07.4" }),
    ]);
  });

  it("holds billing's part: the invoice with its payment, and the account", () => {
    expect(document.billing.invoices).toEqual([
      expect.objectContaining({ id: alma.invoiceId, status: "PARTIALLY_PAID", payments: [expect.objectContaining({ id: alma.paymentId, method: "CASH" })] }),
    ]);
    expect(document.billing.account).toMatchObject({ outstanding: { currency: "EUR" } });
  });

  it("holds notifications' part: the delivery log (Alma's only) and the preferences", () => {
    const deliveries = document.notifications.deliveries;
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.every((d) => d.recipientId === alma.id)).toBe(true);
    expect(deliveries.map((d) => d.kind)).toContain("APPOINTMENT_BOOKED");
    expect(document.notifications.preferences).toMatchObject({ language: "en" });
  });

  it("names the doctor and every service the other parts refer to by id", () => {
    expect(document.doctors.doctors).toEqual([{ id: doctor.id, name: "Dr. Export Heart", specialty: expect.any(String) }]);
    const referred = new Set(
      [
        ...document.scheduling.appointments.map((a) => a.serviceId),
        ...document.clinical.examinations.map((e) => e.serviceId),
        ...document.billing.invoices.flatMap((i) => (i.lines as Row[]).map((l) => l.serviceId)),
      ].filter((id) => id !== null),
    );
    expect(referred.size).toBeGreaterThanOrEqual(2); // the consultation booked and the blood test ordered
    expect(new Set(document.doctors.services.map((s) => s.id))).toEqual(referred);
    expect(document.doctors.services.map((s) => s.code)).toEqual(expect.arrayContaining(["SPECIALIST_CONSULT"]));
    for (const service of document.doctors.services)
      expect(service).toEqual({ id: service.id, code: expect.any(String), name: expect.any(String), kind: expect.any(String) });
  });

  it("holds nothing of the other patient: no id, no name, no national id", () => {
    for (const value of [
      bert.id,
      bert.name,
      "OTH 0815",
      bert.appointmentId,
      bert.encounterId,
      bert.examinationId,
      bert.recordId,
      bert.invoiceId,
      bert.paymentId,
    ])
      expect(text).not.toContain(value);
  });

  it("is read by nobody else: the other patient and an ADMIN who did not request it get null, other roles FORBIDDEN", async () => {
    expect((await readExport(exportId, bert.token, true)).data?.dataExport).toBeNull();
    expect((await readExport(exportId, tokens.admin!, true)).data?.dataExport).toBeNull();
    for (const token of [doctor.token, tokens.RECEPTIONIST!, tokens.BILLING!]) {
      const answer = await readExport(exportId, token, true);
      expect(answer.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(answer.data?.dataExport ?? null).toBeNull();
    }
  });

  it("is audited: the request and every read of the document, by the patient", async () => {
    const entries = await auditActions(alma.id);
    expect(entries).toEqual(
      expect.arrayContaining([
        { action: "DATA_EXPORT_REQUESTED", actorId: alma.id },
        { action: "DATA_EXPORT_READ", actorId: alma.id },
      ]),
    );
  });
});

describe("an ADMIN's export on a patient's behalf", () => {
  it("is assembled as the patient, readable by the ADMIN and the patient, audited under the ADMIN", async () => {
    const requested = await requestFor(bert.id, tokens.admin!);
    expect(requested.status).toBe("PENDING");
    const ready = await settled(requested.id, tokens.admin!);
    expect(ready.status).toBe("READY");
    const text = ready.json!;
    const document = JSON.parse(text) as ExportDocument;
    expect(document.patientId).toBe(bert.id);
    expect(document.profile).toMatchObject({ name: "Bert Otherpatient", nationalId: "OTH 0815" });
    expect(document.scheduling.appointments.map((a) => a.id)).toEqual([bert.appointmentId]);
    expect(document.clinical.records.map((r) => r.id)).toEqual([bert.recordId]);
    expect(document.billing.invoices.map((i) => i.id)).toEqual([bert.invoiceId]);
    for (const value of [alma.id, alma.name, "EXP 4711", alma.appointmentId, alma.encounterId, alma.invoiceId]) expect(text).not.toContain(value);
    // The patient reads the export made for them too; the other patient does not.
    expect((await readExport(requested.id, bert.token)).data?.dataExport?.id).toBe(requested.id);
    expect((await readExport(requested.id, alma.token)).data?.dataExport).toBeNull();
    expect(await auditActions(bert.id)).toEqual(
      expect.arrayContaining([
        { action: "DATA_EXPORT_REQUESTED", actorId: adminId },
        { action: "DATA_EXPORT_READ", actorId: adminId },
      ]),
    );
  });

  it("answers NOT_FOUND for an unknown patient and BAD_USER_INPUT for a malformed id", async () => {
    const unknown = await graphql(url, "mutation($p: ID!) { requestDataExport(patientId: $p) { id } }", { p: doctor.userId }, tokens.admin);
    expect(unknown.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const malformed = await graphql(url, "mutation($p: ID!) { requestDataExport(patientId: $p) { id } }", { p: "not-an-id" }, tokens.admin);
    expect(malformed.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("limits", () => {
  it("one PENDING export per patient: the requester gets it back, anyone else CONFLICT; then the daily limit", async () => {
    const first = await requestMine(alma.token);
    expect((await requestMine(alma.token)).id).toBe(first.id);
    const other = await graphql(url, "mutation($p: ID!) { requestDataExport(patientId: $p) { id } }", { p: alma.id }, tokens.admin);
    expect(other.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    expect((await settled(first.id, alma.token)).status).toBe("READY");
    // Alma's third request of the day (DATA_EXPORT_MAX_PER_DAY=3 here), then RATE_LIMITED.
    const third = await requestMine(alma.token);
    expect((await settled(third.id, alma.token)).status).toBe("READY");
    const refused = await graphql(url, "mutation { requestMyDataExport { id } }", {}, alma.token);
    expect(refused.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
  });
});
