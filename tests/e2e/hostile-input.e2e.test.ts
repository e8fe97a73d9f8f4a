/**
 * The hostile-input corpus (tests/e2e/hostile/corpus.ts) end to end through the router, on a fresh stack.
 *
 * Every case must be refused: a 4xx-class `extensions.code` (or a bare HTTP 4xx from the HTTP layer),
 * never a 5xx or INTERNAL, never a stack trace or database text. Afterwards the router and every subgraph
 * still answer, and no table of any schema changed (row counts and content digests, before and after).
 *
 * Then hostile text that is valid data (SQL, script and template strings in names, reasons, bios,
 * passwords, searches) is sent to every free-text argument: it must be stored and returned verbatim, or
 * match nothing when it is a search — and every table still exists.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createPrivateKey, createPublicKey, randomBytes } from "node:crypto";
import WebSocket from "ws";
import { fieldCipherFromEnv, isSafeText } from "@clinigraph/platform";
import { TEST_ROUTER_SECRETS, queryDatabase, snapshotTables, testEnv, uniqueEmail, type TableState } from "@clinigraph/testing";
import { startStack, type Stack } from "../support/stack.js";
import {
  CORPUS,
  DATA_TEXT,
  INJECTIONS,
  REFUSAL_CODES,
  SCHEDULING_NOW,
  argumentSlots,
  familySizes,
  kindOf,
  operation,
  realToken,
  rootFields,
  uncoveredTextSlots,
  BASELINES,
  REFUSED_BY_CONFIGURATION,
  SLOT_BASELINES,
  type Caller,
  type DataOutcome,
  type Fixtures,
  type GraphQLAnswer,
  type Harness,
  type HttpCase,
  type WsCase,
} from "./hostile/corpus.js";

const clock = { now: new Date(SCHEDULING_NOW) };
const PASSWORD = "Hostile-fixture-1";

let stack: Stack;
let url: string;
let fx: Fixtures;
let before: Record<string, TableState>;
/** Free slots not used by any case yet, per doctor and day (YYYY-MM-DD). */
const pools: Record<"auto" | "manual", Map<string, string[]>> = { auto: new Map(), manual: new Map() };
let dayCounter = 0;

// ---------------------------------------------------------------------------------------------------------------
// Calls

async function call(caller: Caller | { token: string }, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer> {
  const token = typeof caller === "object" ? caller.token : caller === "ANONYMOUS" ? undefined : fx.tokens[caller];
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, ...((await res.json()) as Omit<GraphQLAnswer, "status">) };
}

async function ok<T = Record<string, unknown>>(caller: Caller | { token: string }, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await call(caller, query, variables);
  if (res.errors?.length) throw new Error(`${query.slice(0, 60)}: ${res.errors[0]!.extensions?.code}: ${res.errors[0]!.message}`);
  return res.data as T;
}

async function login(email: string, password: string): Promise<string> {
  const data = await ok<{ login: { accessToken: string } }>(
    "ANONYMOUS",
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }",
    { e: email, p: password },
  );
  return data.login.accessToken;
}

/** A session of the user that was signed out: its id (the access token's `sid`) names an ended session. */
async function endedSession(email: string): Promise<string> {
  const { login: session } = await ok<{ login: { accessToken: string; refreshToken: string } }>(
    "ANONYMOUS",
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken } }",
    { e: email, p: PASSWORD },
  );
  await ok("ANONYMOUS", "mutation($r: String!) { logout(refreshToken: $r) }", { r: session.refreshToken });
  return (JSON.parse(Buffer.from(session.accessToken.split(".")[1]!, "base64url").toString("utf8")) as { sid: string }).sid;
}

async function registerPatient(name: string) {
  const email = uniqueEmail("hostile.patient");
  const data = await ok<{ registerPatient: { accessToken: string; refreshToken: string; user: { id: string } } }>(
    "ANONYMOUS",
    "mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken refreshToken user { id } } }",
    { i: { email, password: PASSWORD, name } },
  );
  return {
    id: data.registerPatient.user.id,
    email,
    password: PASSWORD,
    token: data.registerPatient.accessToken,
    refreshToken: data.registerPatient.refreshToken,
  };
}

async function createDoctor(name: string, autoApprove: boolean) {
  const email = uniqueEmail("hostile.dr");
  const { createDoctor: doctor } = await ok<{ createDoctor: { id: string; user: { id: string } } }>(
    "ADMIN",
    "mutation($i: CreateDoctorInput!) { createDoctor(input: $i) { id user { id } } }",
    { i: { email, password: PASSWORD, name, specialtyCode: "GP", timezone: "Europe/Berlin", serviceCodes: ["GENERAL_CHECKUP"], autoApprove } },
  );
  const rules = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"].map((dayOfWeek) => ({
    dayOfWeek,
    startTime: "08:00",
    endTime: "18:00",
    slotMinutes: 15,
  }));
  await ok("ADMIN", "mutation($d: ID!, $r: [ScheduleRuleInput!]!) { setWeeklySchedule(doctorId: $d, rules: $r) { id } }", { d: doctor.id, r: rules });
  await stack.eventsSettled(); // scheduling makes the slots on doctors' DoctorScheduleChanged event
  const slots = await ok<{ availableSlots: { id: string; startsAt: string }[] }>(
    "ANONYMOUS",
    "query($f: SlotFilter!) { availableSlots(filter: $f, first: 500) { id startsAt } }",
    { f: { doctorId: doctor.id, from: "2027-03-22T00:00:00Z", to: "2027-04-05T00:00:00Z" } },
  );
  const pool = new Map<string, string[]>();
  for (const slot of slots.availableSlots) pool.set(slot.startsAt.slice(0, 10), [...(pool.get(slot.startsAt.slice(0, 10)) ?? []), slot.id]);
  return { id: doctor.id, userId: doctor.user.id, email, pool };
}

/**
 * A free slot: "today" ones (check-in is open) for appointments that must be fulfilled, else spread over the
 * other days (a patient may hold a limited number of appointments per doctor and day).
 */
function takeSlot(doctor: "auto" | "manual", today = false): string {
  const pool = pools[doctor];
  const todayKey = SCHEDULING_NOW.slice(0, 10);
  const days = today ? [todayKey] : [...pool.keys()].filter((d) => d !== todayKey);
  const day = today ? todayKey : days[dayCounter++ % days.length]!;
  const slot = pool.get(day)?.pop();
  if (!slot) throw new Error(`no free slot left on ${day} for the ${doctor} doctor`);
  return slot;
}

async function book(doctor: "auto" | "manual", today = false): Promise<string> {
  const data = await ok<{ requestAppointment: { id?: string; message?: string } }>(
    "PATIENT",
    "mutation($i: RequestAppointmentInput!) { requestAppointment(input: $i) { ... on Appointment { id } ... on SlotUnavailable { message } } }",
    { i: { slotId: takeSlot(doctor, today) } },
  );
  if (!data.requestAppointment.id) throw new Error(`booking refused: ${data.requestAppointment.message}`);
  return data.requestAppointment.id;
}

async function staffToken(role: "RECEPTIONIST" | "EXAMINER"): Promise<string> {
  const email = uniqueEmail(`hostile.${role.toLowerCase()}`);
  await ok("ADMIN", "mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }", {
    i: { email, password: PASSWORD, name: `Hostile ${role}`, role },
  });
  return login(email, PASSWORD);
}

/** The clinical fixtures (see Fixtures): two walk-ins of the patient with the doctor, an examination, a signed entry. */
/** A specialty and a medical service of the corpus's own (no doctor has them), made by ADMIN. */
async function catalogueFixtures(): Promise<Fixtures["catalogue"]> {
  const code = () => `FX${randomBytes(5).toString("hex").toUpperCase()}`;
  const { createSpecialty } = await ok<{ createSpecialty: { id: string } }>(
    "ADMIN",
    "mutation($i: CreateSpecialtyInput!) { createSpecialty(input: $i) { id } }",
    {
      i: { code: code(), name: "Corpus medicine" },
    },
  );
  const { createMedicalService } = await ok<{ createMedicalService: { id: string } }>(
    "ADMIN",
    "mutation($i: CreateMedicalServiceInput!) { createMedicalService(input: $i) { id } }",
    { i: { code: code(), name: "Corpus scan", kind: "IMAGING", durationMinutes: 30 } },
  );
  return { specialtyId: createSpecialty.id, serviceId: createMedicalService.id };
}

async function clinicalFixtures(): Promise<Pick<Fixtures, "encounterId" | "examinationId" | "recordId" | "openEncounterId">> {
  const walkIn = "mutation($p: ID!, $d: ID!) { registerWalkIn(patientId: $p, doctorId: $d) { id } }";
  const walkInVars = { p: fx.patient.id, d: fx.doctor.id };
  const encounterId = (await ok<{ registerWalkIn: { id: string } }>("RECEPTIONIST", walkIn, walkInVars)).registerWalkIn.id;
  await ok("DOCTOR", "mutation($id: ID!) { startEncounter(id: $id) { id } }", { id: encounterId });
  const examination = await ok<{ orderExamination: { id: string } }>(
    "DOCTOR",
    "mutation($e: ID!, $s: ID!) { orderExamination(encounterId: $e, serviceId: $s) { id } }",
    { e: encounterId, s: fx.examServiceId },
  );
  const draft = await ok<{ saveRecordDraft: { id: string } }>(
    "DOCTOR",
    "mutation($e: ID!, $i: RecordInput!) { saveRecordDraft(encounterId: $e, input: $i) { id } }",
    { e: encounterId, i: { complaints: "Cough for a week", diagnosisCode: "J06.9" } },
  );
  await ok("DOCTOR", "mutation($id: ID!) { signRecord(id: $id) { id } }", { id: draft.saveRecordDraft.id });
  const openEncounterId = (await ok<{ registerWalkIn: { id: string } }>("RECEPTIONIST", walkIn, walkInVars)).registerWalkIn.id;
  return { encounterId, examinationId: examination.orderExamination.id, recordId: draft.saveRecordDraft.id, openEncounterId };
}

/**
 * The billing fixtures (see Fixtures): the doctor's consultation service priced; a third walk-in of the patient, finished
 * and confirmed, whose invoice billing issues from clinical's events, partly paid at the desk; and the draft invoice
 * of the fixture encounter.
 */
async function billingFixtures(): Promise<Pick<Fixtures, "invoiceId" | "draftInvoiceId" | "paymentId" | "creditableInvoiceIds">> {
  await ok("ADMIN", "mutation($s: ID!, $p: MoneyInput!) { setServicePrice(serviceId: $s, price: $p) { id } }", {
    s: fx.serviceId,
    p: { amountMinor: 5_000, currency: "EUR" },
  });
  /** A walk-in of the fixture patient, run to the confirmed outcome (billing issues its invoice). */
  const visit = async () => {
    const { registerWalkIn } = await ok<{ registerWalkIn: { id: string } }>(
      "RECEPTIONIST",
      "mutation($p: ID!, $d: ID!) { registerWalkIn(patientId: $p, doctorId: $d) { id } }",
      { p: fx.patient.id, d: fx.doctor.id },
    );
    await ok("DOCTOR", "mutation($id: ID!) { startEncounter(id: $id) { id } }", { id: registerWalkIn.id });
    await ok("DOCTOR", "mutation($id: ID!) { finishEncounter(id: $id) { id } }", { id: registerWalkIn.id });
    await ok("RECEPTIONIST", "mutation($id: ID!) { confirmVisitOutcome(encounterId: $id) { id } }", { id: registerWalkIn.id });
    return registerWalkIn.id;
  };
  const registerWalkIn = { id: await visit() };
  // One per credit note the corpus writes (the baseline and each hostile reason), and a few to spare.
  const creditable: string[] = [];
  for (let i = 0; i < INJECTIONS.length + 3; i++) creditable.push(await visit());
  await stack.eventsSettled();
  const invoiceOf = async (encounterId: string, status: string) => {
    const { encounter } = await ok<{ encounter: { invoice: { id: string; status: string } | null } }>(
      "ADMIN",
      "query($id: ID!) { encounter(id: $id) { invoice { id status } } }",
      { id: encounterId },
    );
    if (encounter.invoice?.status !== status)
      throw new Error(`encounter ${encounterId}: expected a ${status} invoice, got ${JSON.stringify(encounter.invoice)}`);
    return encounter.invoice.id;
  };
  const invoiceId = await invoiceOf(registerWalkIn.id, "ISSUED");
  const { recordPayment } = await ok<{ recordPayment: { id: string } }>(
    "RECEPTIONIST",
    'mutation($i: ID!, $a: MoneyInput!) { recordPayment(invoiceId: $i, amount: $a, method: CASH, idempotencyKey: "hostile-fixture-payment") { id } }',
    { i: invoiceId, a: { amountMinor: 2_000, currency: "EUR" } },
  );
  // One after the other: the fixture needs the ids, not the load (the corpus's own cases are what is measured).
  const creditableInvoiceIds: string[] = [];
  for (const encounterId of creditable) creditableInvoiceIds.push(await invoiceOf(encounterId, "ISSUED"));
  return { invoiceId, draftInvoiceId: await invoiceOf(fx.encounterId, "DRAFT"), paymentId: recordPayment.id, creditableInvoiceIds };
}

const harness: Harness = {
  get fx() {
    return fx;
  },
  call,
  freshPatient: () => registerPatient("Fresh Patient"),
  freeSlot: async (doctor) => takeSlot(doctor),
  async appointment(state) {
    if (state === "PENDING") return book("manual");
    if (state === "BOOKED") return book("auto");
    const id = await book("auto", true);
    await ok("ADMIN", "mutation($id: ID!) { checkInAppointment(id: $id) { id } }", { id });
    await ok("ADMIN", "mutation($id: ID!) { fulfillAppointment(id: $id) { id } }", { id });
    return id;
  },
  freshDay: () => new Date(Date.parse("2028-01-03T00:00:00Z") + dayCounter++ * 86_400_000).toISOString(),
  readDatabase: <T extends Record<string, unknown>>(sql: string, values: readonly unknown[] = []) => queryDatabase<T>(stack.databaseUrl, sql, values),
};

/** Accounts' active signing key, from its table, decrypted with the test data key (as accounts does). */
async function signingKey(databaseUrl: string): Promise<Fixtures["signingKey"]> {
  const [row] = await queryDatabase<{ kid: string; public_jwk: Record<string, unknown>; private_key_enc: string }>(
    databaseUrl,
    "SELECT kid, public_jwk, private_key_enc FROM accounts.signing_keys WHERE active ORDER BY created_at DESC LIMIT 1",
  );
  if (!row) throw new Error("accounts has no signing key");
  const privateKey = createPrivateKey(fieldCipherFromEnv(testEnv(databaseUrl)).decrypt(row.private_key_enc));
  return { kid: row.kid, privateKey, publicKey: createPublicKey(privateKey), publicJwk: row.public_jwk };
}

// ---------------------------------------------------------------------------------------------------------------
// Sending cases and judging answers

interface HttpAnswer {
  status: number;
  text: string;
  body?: { data?: unknown; errors?: { message?: unknown; extensions?: Record<string, unknown> }[] };
}

async function sendHttp(c: HttpCase): Promise<HttpAnswer> {
  const request = c.request(fx);
  const headers: Record<string, string> = {};
  const authorization = c.authorization ? c.authorization(fx) : c.caller && c.caller !== "ANONYMOUS" ? `Bearer ${fx.tokens[c.caller]}` : undefined;
  if (authorization !== undefined) headers.authorization = authorization;
  Object.assign(headers, await c.headers?.(fx));
  const init: RequestInit =
    "graphql" in request
      ? { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(request.graphql) }
      : {
          method: request.raw.method,
          headers: { ...headers, ...request.raw.headers },
          body: typeof request.raw.body === "string" || request.raw.body === undefined ? request.raw.body : new Uint8Array(request.raw.body),
        };
  const res = await fetch(url + ("raw" in request ? (request.raw.search ?? "") : ""), init);
  const text = await res.text();
  let body: HttpAnswer["body"];
  try {
    body = JSON.parse(text) as HttpAnswer["body"];
  } catch {
    body = undefined;
  }
  return { status: res.status, text, body };
}

/** Text that must never reach a caller: stack frames, source paths, database and driver messages. */
const LEAKS: RegExp[] = [
  /\n\s+at\s/,
  /\.(?:ts|js|mjs|cjs):\d+/,
  /node_modules/,
  /prisma/i,
  /postgres/i,
  /invalid input syntax/i,
  /violates .* constraint/i,
  /duplicate key/i,
  /syntax error at or near/i,
  /\brelation "/,
  /\bcolumn "/,
  /\bP[12]\d{3}\b/,
  /ECONN(?:REFUSED|RESET)/,
  /\b(?:TypeError|ReferenceError|RangeError)\b/,
  /Maximum call stack/i,
  /Cannot read propert/i,
  /Unexpected error/,
  // Schema names are not advertised through messages either (introspection is off in production).
  /Did you mean/,
];

type ErrorLike = { message?: unknown; extensions?: Record<string, unknown> };

/** What is wrong with a refusal's errors (empty: nothing). */
function errorProblems(errors: readonly ErrorLike[] | undefined, codes: readonly string[] | undefined): string[] {
  const problems: string[] = [];
  if (codes && !errors?.length) problems.push("no errors");
  for (const error of errors ?? []) {
    const code = error.extensions?.code;
    if (typeof code !== "string") problems.push(`an error without a code: ${String(error.message).slice(0, 120)}`);
    else if (!(REFUSAL_CODES as readonly string[]).includes(code)) problems.push(`code ${code}: ${String(error.message).slice(0, 160)}`);
    const shown = JSON.stringify({ message: error.message, extensions: error.extensions });
    for (const leak of LEAKS) if (leak.test(shown)) problems.push(`leaks ${leak}: ${shown.slice(0, 200)}`);
    if (error.extensions && ("stacktrace" in error.extensions || "exception" in error.extensions)) problems.push("a stack trace in extensions");
  }
  if (codes && errors?.length && !errors.some((e) => codes.includes(String(e.extensions?.code))))
    problems.push(
      `expected one of ${codes.join(", ")}, got ${errors.map((e) => `${String(e.extensions?.code)} (${String(e.message).slice(0, 100)})`).join("; ")}`,
    );
  return problems;
}

const answeredData = (data: unknown) => data !== null && data !== undefined && typeof data === "object" && Object.values(data).some((v) => v !== null);

function httpProblems(c: HttpCase, a: HttpAnswer): string[] {
  // A lookup that answers null for a malformed id (its owner's design, NULL_FOR_MALFORMED_ID): no error, no data.
  if (c.expect.orNull && a.status === 200 && !a.body?.errors?.length && a.body?.data && !answeredData(a.body.data)) return [];
  const problems: string[] = [];
  if (a.status >= 500) problems.push(`HTTP ${a.status}`);
  if (c.expect.status && !c.expect.status.includes(a.status)) problems.push(`HTTP ${a.status}, expected ${c.expect.status.join(" or ")}`);
  if (c.expect.codes && !a.body) problems.push(`not JSON: ${a.text.slice(0, 200)}`);
  problems.push(...errorProblems(a.body?.errors, c.expect.codes));
  if (answeredData(a.body?.data)) problems.push(`answered with data: ${JSON.stringify(a.body?.data).slice(0, 200)}`);
  if (!a.body) for (const leak of LEAKS) if (leak.test(a.text)) problems.push(`leaks ${leak} in a non-JSON body`);
  return problems;
}

interface WsOutcome {
  close?: number;
  errors?: ErrorLike[];
  data?: unknown;
  acked?: boolean;
  completed?: boolean;
  timedOut?: boolean;
}

function sendWs(c: WsCase): Promise<WsOutcome> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url.replace(/^http/, "ws"), "graphql-transport-ws");
    let settled = false;
    const done = (outcome: WsOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
      socket.terminate();
    };
    const timer = setTimeout(() => done({ timedOut: true }), 4_000);
    socket.on("open", () => {
      const payload = c.connectionParams(fx);
      socket.send(JSON.stringify(payload === undefined ? { type: "connection_init" } : { type: "connection_init", payload }));
    });
    socket.on("message", (raw: Buffer) => {
      const message = JSON.parse(raw.toString("utf8")) as { type: string; payload?: { data?: unknown; errors?: ErrorLike[] } | ErrorLike[] };
      if (message.type === "ping") socket.send(JSON.stringify({ type: "pong" }));
      else if (message.type === "connection_ack") {
        if (c.subscribe) socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: c.subscribe(fx) }));
        else done({ acked: true });
      } else if (message.type === "error") done({ errors: message.payload as ErrorLike[] });
      else if (message.type === "next") {
        const payload = message.payload as { data?: unknown; errors?: ErrorLike[] };
        done({ errors: payload.errors, data: payload.data });
      } else if (message.type === "complete") done({ completed: true });
    });
    socket.on("close", (code: number) => done({ close: code }));
    socket.on("error", () => undefined);
  });
}

/** HOSTILE_TRACE=1: one line per case (status, codes, first message), to see what answered each. */
function trace(name: string, status: number | string, errors: readonly ErrorLike[] | undefined) {
  if (!process.env.HOSTILE_TRACE) return;
  const codes = errors?.map((e) => String(e.extensions?.code)).join(",") ?? "-";
  process.stdout.write(`${name}\t${status}\t${codes}\t${String(errors?.[0]?.message ?? "").slice(0, 120)}\n`);
}

function wsProblems(c: WsCase, o: WsOutcome): string[] {
  if ("close" in c.expect) return o.close === c.expect.close ? [] : [`expected close ${c.expect.close}, got ${JSON.stringify(o).slice(0, 200)}`];
  if (o.close !== undefined || o.timedOut || o.acked || o.completed) return [`expected a refused subscription, got ${JSON.stringify(o).slice(0, 200)}`];
  const problems = errorProblems(o.errors, c.expect.codes);
  if (answeredData(o.data)) problems.push(`answered with data: ${JSON.stringify(o.data).slice(0, 200)}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  stack = await startStack({
    clock: () => clock.now,
    env: {
      // The corpus comes from one address in a burst: neither the edge limits nor sign-in throttling may answer for it.
      RATE_LIMIT_PER_MINUTE: "100000",
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: "100000",
      LOGIN_MAX_FAILURES: "100000",
      LOGIN_MAX_FAILURES_PER_IP: "100000",
      // Data-text cases book many appointments for one patient with one doctor.
      BOOKING_MAX_PER_PATIENT_DOCTOR_DAY: "20",
    },
  });
  url = stack.routerUrl;
  const adminToken = await login(stack.admin.email, stack.admin.password);
  const tokens = { ADMIN: adminToken } as Fixtures["tokens"];
  fx = { tokens } as Fixtures; // createDoctor below runs as ADMIN
  const adminId = (await ok<{ me: { id: string } }>("ADMIN", "{ me { id } }")).me.id;
  const auto = await createDoctor("Dr. Auto Hostile", true);
  const manual = await createDoctor("Dr. Manual Hostile", false);
  pools.auto = auto.pool;
  pools.manual = manual.pool;
  tokens.DOCTOR = await login(auto.email, PASSWORD);
  const patient = await registerPatient("Hostile Fixture Patient");
  tokens.PATIENT = patient.token;
  tokens.RECEPTIONIST = await staffToken("RECEPTIONIST");
  tokens.EXAMINER = await staffToken("EXAMINER");
  const services = await ok<{ medicalServices: { id: string; code: string; kind: string }[] }>("ANONYMOUS", "{ medicalServices { id code kind } }");
  Object.assign(fx, {
    admin: { id: adminId, email: stack.admin.email },
    patient: { id: patient.id, email: patient.email, password: PASSWORD, refreshToken: patient.refreshToken },
    doctor: { id: auto.id, userId: auto.userId },
    serviceId: services.medicalServices.find((s) => s.code === "GENERAL_CHECKUP")!.id,
    examServiceId: services.medicalServices.find((s) => s.kind === "LAB_TEST")!.id,
    catalogue: await catalogueFixtures(),
    signingKey: await signingKey(stack.databaseUrl),
    routerSecrets: TEST_ROUTER_SECRETS,
    endedSessionId: await endedSession(patient.email),
  });
  fx.leavingDoctorId = (
    await ok<{ createDoctor: { id: string } }>("ADMIN", "mutation($i: CreateDoctorInput!) { createDoctor(input: $i) { id } }", {
      i: { email: uniqueEmail("hostile.leaving"), password: PASSWORD, name: "Dr. Leaving Hostile", specialtyCode: "GP", timezone: "Europe/Berlin" },
    })
  ).createDoctor.id;
  fx.slotId = takeSlot("auto");
  fx.templateId = (
    await ok<{ createScheduleTemplate: { id: string } }>("ADMIN", "mutation($i: ScheduleTemplateInput!) { createScheduleTemplate(input: $i) { id } }", {
      i: { name: "Hostile fixture: Tuesdays", rules: [{ dayOfWeek: "TUESDAY", startTime: "09:00", slotCount: 10, slotMinutes: 30 }] },
    })
  ).createScheduleTemplate.id;
  fx.appointmentId = await book("auto");
  Object.assign(fx, await clinicalFixtures());
  await stack.eventsSettled();
  Object.assign(fx, await billingFixtures());
  await stack.eventsSettled(); // billing's events (and its audit of the desk's reads) delivered before the snapshot
  before = await snapshotTables(stack.databaseUrl);
});

afterAll(async () => {
  await stack?.stop();
});

describe("the corpus", () => {
  it("holds at least 200 cases, in every family", () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(200);
    const sizes = familySizes();
    const families = [
      "depth",
      "fragments",
      "aliases",
      "duplicates",
      "cost",
      "directives",
      "batching",
      "size",
      "nesting",
      "unknown",
      "variables",
      "json",
      "http",
      "persisted",
      "identity",
      "ids",
      "datetimes",
      "dates",
      "enums",
      "page sizes",
      "cursors",
      "time zones",
      "clock times",
      "integers",
      "injection",
      "tokens",
    ];
    expect(families.filter((family) => !sizes[family])).toEqual([]);
    expect(new Set(CORPUS.map((c) => c.name)).size).toBe(CORPUS.length);
  });

  it("covers every argument of the supergraph: a family, or a documented exclusion", () => {
    const withArgs = rootFields()
      .filter(({ field }) => field.args.length > 0)
      .map(({ root, field }) => `${root}.${field.name}`);
    expect(withArgs.filter((c) => !BASELINES[c])).toEqual([]);
    for (const slot of argumentSlots()) expect(() => kindOf(slot)).not.toThrow();
    expect(uncoveredTextSlots()).toEqual([]);
  });

  it("the fixture tokens and a token signed with accounts' key are accepted (so refusals below are for the reason given)", async () => {
    expect((await ok<{ me: { id: string } }>({ token: realToken(fx) }, "{ me { id } }")).me.id).toBe(fx.patient.id);
    expect((await ok<{ me: { role: string } }>("ADMIN", "{ me { role } }")).me.role).toBe("ADMIN");
  });
});

describe("every hostile request is refused (4xx, a code, no leak)", () => {
  const http = CORPUS.filter((c): c is HttpCase => c.transport === "http");
  const ws = CORPUS.filter((c): c is WsCase => c.transport === "ws");

  it.each(http.map((c) => [`[${c.family}] ${c.name}`, c] as const))("%s", async (name, c) => {
    const answer = await sendHttp(c);
    trace(name, answer.status, answer.body?.errors);
    expect(httpProblems(c, answer)).toEqual([]);
  });

  it.each(ws.map((c) => [`[${c.family}] ${c.name}`, c] as const))("%s", async (name, c) => {
    const outcome = await sendWs(c);
    trace(name, outcome.close ?? "ws", outcome.errors);
    expect(wsProblems(c, outcome)).toEqual([]);
  });
});

describe("after the corpus", () => {
  it("the router and every subgraph still answer", async () => {
    const data = await ok<{ specialties: unknown[]; me: { id: string } }>("PATIENT", "{ specialties { code } me { id } }");
    expect(data.specialties.length).toBeGreaterThan(0);
    expect(data.me.id).toBe(fx.patient.id);
    expect((await fetch(url.replace("/graphql", "/health"))).status).toBe(200);
    for (const [name, subgraph] of Object.entries(stack.subgraphs))
      expect({ name, status: (await fetch(subgraph.url.replace("/graphql", "/health"))).status }).toEqual({ name, status: 200 });
  });

  it("nothing was written: every table of every schema holds what it held before", async () => {
    await stack.eventsSettled();
    const after = await snapshotTables(stack.databaseUrl);
    // No exclusions: refused input must leave every table alone, the append-only audit log included.
    const changed = Object.keys({ ...before, ...after }).filter((table) => JSON.stringify(before[table]) !== JSON.stringify(after[table]));
    expect(changed.map((table) => ({ table, before: before[table], after: after[table] }))).toEqual([]);
    expect(Object.keys(before).length).toBeGreaterThan(10);
  });
});

describe("hostile text that is valid data is stored verbatim, never executed", () => {
  const cases = DATA_TEXT.flatMap((spec) => INJECTIONS.map(([label, text]) => [`${spec.covers.join(", ")} ← ${label}`, spec, text] as const));

  it.each(cases)("%s", async (_name, spec, text) => {
    const outcome: DataOutcome = await spec.run(harness, text);
    const { answer } = outcome;
    const problems: string[] = [];
    if (answer.status >= 500) problems.push(`HTTP ${answer.status}`);
    const errors = answer.errors ?? [];
    problems.push(...errorProblems(errors, undefined));
    // PostgreSQL cannot store NUL or unpaired surrogates as sent, and bidirectional overrides and control characters
    // (other than tab and line breaks) reorder or hide text when shown: no field has a use for them, refused everywhere.
    if (!isSafeText(text)) {
      if (!errors.some((e) => e.extensions?.code === "BAD_USER_INPUT")) problems.push(`unstorable text not refused: ${JSON.stringify(answer).slice(0, 200)}`);
    } else if (outcome.kind === "stored") {
      if (errors.length) problems.push(`refused: ${errors.map((e) => `${e.extensions?.code}: ${e.message}`).join("; ")}`);
      else if (outcome.stored !== text) problems.push(`stored ${JSON.stringify(outcome.stored)} instead of ${JSON.stringify(text)}`);
    } else if (outcome.kind === "secret") {
      if (errors.length ? errors.some((e) => e.extensions?.code !== "BAD_USER_INPUT") : outcome.usable !== true)
        problems.push(`password neither refused by policy nor usable verbatim: ${JSON.stringify(answer).slice(0, 200)}`);
    } else {
      if (errors.some((e) => e.extensions?.code !== "BAD_USER_INPUT")) problems.push(`lookup refused oddly: ${JSON.stringify(errors).slice(0, 200)}`);
      if (outcome.matches !== 0) problems.push(`matched ${outcome.matches} rows`);
    }
    expect(problems).toEqual([]);
  });

  it("every table still exists, and the stack still answers", async () => {
    const after = await snapshotTables(stack.databaseUrl);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const table of ["accounts.users", "scheduling.appointments"]) expect(after[table]!.rows).toBeGreaterThanOrEqual(before[table]!.rows);
    const data = await ok<{ specialties: unknown[] }>("PATIENT", "{ specialties { code } }");
    expect(data.specialties.length).toBeGreaterThan(0);
  });
});

describe("the corpus's own baselines", () => {
  // Run last (they may write): each argument case changes one value of these, so each must pass validation as it is —
  // else a case above could have been refused for the baseline's fault rather than for its hostile value.
  const operations = rootFields().filter(
    ({ root, field }) => root !== "Subscription" && BASELINES[`${root}.${field.name}`] && !REFUSED_BY_CONFIGURATION[`${root}.${field.name}`],
  );
  it.each(operations.map(({ root, field }) => [`${root}.${field.name}`, root, field] as const))("%s passes validation", async (coordinate, root, field) => {
    const baseline = BASELINES[coordinate]!;
    const { query, variables } = operation(root, field, baseline.variables(fx));
    const answer = await call(baseline.caller, query, variables);
    const refusals = (answer.errors ?? []).filter((e) =>
      ["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED"].includes(String(e.extensions?.code)),
    );
    expect(refusals).toEqual([]);
    expect(answer.status).toBeLessThan(500);
  });

  it.each(Object.entries(SLOT_BASELINES))("%s's own baseline passes validation", async (coordinate, variables) => {
    const { root, field } = rootFields().find(({ root, field }) => coordinate.startsWith(`${root}.${field.name}.`))!;
    const { query, variables: values } = operation(root, field, variables(fx));
    const answer = await call(BASELINES[`${root}.${field.name}`]!.caller, query, values);
    const refusals = (answer.errors ?? []).filter((e) =>
      ["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED"].includes(String(e.extensions?.code)),
    );
    expect(refusals).toEqual([]);
  });
});
