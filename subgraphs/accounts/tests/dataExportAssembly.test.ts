/**
 * Assembling a data export, without the network: each subgraph's part is read page after page and mapped into the
 * document (entity references become ids), billing is asked about the appointments scheduling listed, and the whole
 * document is made in the patient's name. The `ask` here answers like the subgraphs' GraphQL would.
 */
import { describe, expect, it } from "@jest/globals";
import { createLogger } from "@clinigraph/platform";
import {
  collectBilling,
  collectClinical,
  collectDirectory,
  collectNotifications,
  collectScheduling,
  readAllPages,
  type Ask,
} from "../src/data/exportClients.js";
import {
  assembleDataExport,
  DEFAULT_DATA_EXPORT_SETTINGS,
  PermanentExportError,
  runDataExportPass,
  type ClaimedExport,
  type DataExportStore,
  type ExportWorkerDeps,
  type PatientDataSource,
} from "../src/domain/dataExport.js";
import type { AuditRecord, UserRecord } from "../src/domain/types.js";

type Json = Record<string, unknown>;

/** A connection served from `items`, `size` a page, with cursors "c<index>". */
function pages(items: Json[], size: number, variables: Json = {}) {
  const after = variables.after as string | null;
  const start = after ? Number(after.slice(1)) + 1 : 0;
  const page = items.slice(start, start + size);
  return {
    edges: page.map((node) => ({ node })),
    pageInfo: { hasNextPage: start + size < items.length, endCursor: page.length ? `c${start + page.length - 1}` : null },
  };
}

/** What the parts before have learnt. */
const contextOf = (appointmentIds: string[], doctorIds: string[] = [], serviceIds: string[] = []) => ({
  appointmentIds,
  doctorIds: new Set(doctorIds),
  serviceIds: new Set(serviceIds),
});

/** An ask answering by the root field the operation names; records each call. */
function fakeAsk(answers: Record<string, (variables: Json) => unknown>) {
  const calls: { field: string; variables: Json }[] = [];
  const ask: Ask = async (query, variables = {}) => {
    const field = Object.keys(answers).find((name) => new RegExp(`\\b${name}\\b`).test(query));
    if (!field) throw new Error(`unexpected operation: ${query.slice(0, 60)}`);
    calls.push({ field, variables });
    return { [field]: answers[field]!(variables) };
  };
  return { ask, calls };
}

describe("readAllPages", () => {
  it("reads every page, 100 a time, each after the previous end cursor", async () => {
    const items = Array.from({ length: 250 }, (_, i) => ({ id: `n${i}` }));
    const { ask, calls } = fakeAsk({ myThings: (v) => pages(items, 100, v) });
    const nodes = await readAllPages(ask, "myThings", "query($first: Int, $after: String) { myThings(first: $first, after: $after) { x } }");
    expect(nodes.map((n) => n.id)).toEqual(items.map((n) => n.id));
    expect(calls.map((c) => c.variables)).toEqual([
      { first: 100, after: null },
      { first: 100, after: "c99" },
      { first: 100, after: "c199" },
    ]);
  });

  it("an empty connection is one call and no nodes", async () => {
    const { ask, calls } = fakeAsk({ myThings: (v) => pages([], 100, v) });
    expect(await readAllPages(ask, "myThings", "{ myThings }")).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it("refuses a connection that promises more pages without a new cursor (no endless loop)", async () => {
    const stuck = { edges: [{ node: { id: "a" } }], pageInfo: { hasNextPage: true, endCursor: "same" } };
    await expect(readAllPages(fakeAsk({ myThings: () => stuck }).ask, "myThings", "{ myThings }")).rejects.toThrow(/no new cursor/);
    const noCursor = { edges: [], pageInfo: { hasNextPage: true, endCursor: null } };
    await expect(readAllPages(fakeAsk({ myThings: () => noCursor }).ask, "myThings", "{ myThings }")).rejects.toThrow(/no new cursor/);
  });

  it("an answer without the connection is an error, not an empty part", async () => {
    await expect(readAllPages(fakeAsk({ myThings: () => null }).ask, "myThings", "{ myThings }")).rejects.toThrow(/no connection/);
  });
});

describe("the parts", () => {
  it("scheduling: every appointment (history, feedback) and the waitlist, references as ids", async () => {
    const appointments = Array.from({ length: 130 }, (_, i) => ({
      id: `a${i}`,
      status: "FULFILLED",
      doctor: { id: "d1" },
      service: i === 0 ? null : { id: "s1" },
      history: [{ action: "BOOK", toStatus: "BOOKED" }],
      feedback: i === 0 ? { rating: 4, comment: null } : null,
    }));
    const { ask } = fakeAsk({
      myAppointments: (v) => pages(appointments, 100, v),
      myWaitlist: () => [{ id: "w1", status: "WAITING", doctor: null, service: { id: "s2" }, offeredAppointment: { id: "a5" } }],
    });
    const part = (await collectScheduling(ask)) as { appointments: Json[]; waitlist: Json[] };
    expect(part.appointments).toHaveLength(130);
    expect(part.appointments[0]).toEqual({
      id: "a0",
      status: "FULFILLED",
      doctorId: "d1",
      serviceId: null,
      history: [{ action: "BOOK", toStatus: "BOOKED" }],
      feedback: { rating: 4, comment: null },
    });
    expect(part.waitlist).toEqual([{ id: "w1", status: "WAITING", doctorId: null, serviceId: "s2", offeredAppointmentId: "a5" }]);
  });

  it("clinical: the patient's card for the patient's own id; null (clinical could not answer) is an error", async () => {
    const card = {
      encounters: [{ id: "e1", status: "FINISHED", doctor: { id: "d1" }, appointment: null }],
      records: [{ id: "r1", status: "SIGNED", encounter: { id: "e1" }, history: [] }],
      examinations: [{ id: "x1", result: "fine", encounter: { id: "e1" }, service: { id: "s9" } }],
    };
    const { ask, calls } = fakeAsk({ patientCard: () => card });
    expect(await collectClinical(ask, "p1")).toEqual({
      encounters: [{ id: "e1", status: "FINISHED", doctorId: "d1", appointmentId: null }],
      records: [{ id: "r1", status: "SIGNED", encounterId: "e1", history: [] }],
      examinations: [{ id: "x1", result: "fine", encounterId: "e1", serviceId: "s9" }],
    });
    expect(calls[0]!.variables).toEqual({ p: "p1" });
    await expect(collectClinical(fakeAsk({ patientCard: () => null }).ask, "p1")).rejects.toThrow(/could not answer/);
  });

  it("billing: every invoice with lines and payments, the account, and prepayments asked 100 appointments a call", async () => {
    const invoices = Array.from({ length: 3 }, (_, i) => ({
      id: `i${i}`,
      creditFor: i === 2 ? { id: "i0" } : null,
      lines: [{ description: "Consultation", service: { id: "s1" } }],
      payments: [{ id: `pay${i}` }],
    }));
    const appointmentIds = Array.from({ length: 150 }, (_, i) => `a${i}`);
    const { ask, calls } = fakeAsk({
      myInvoices: (v) => pages(invoices, 2, v),
      myBillingAccount: () => ({ credit: { amountMinor: 0, currency: "EUR" } }),
      _entities: (v) => (v.r as { id: string }[]).map(({ id }) => ({ id, prepayment: id === "a120" ? { id: "pre1", invoice: { id: "i1" } } : null })),
    });
    const part = (await collectBilling(ask, contextOf(appointmentIds))) as { invoices: Json[]; prepayments: Json[]; account: Json };
    expect(part.invoices.map((i) => i.id)).toEqual(["i0", "i1", "i2"]);
    expect(part.invoices[2]).toEqual({
      id: "i2",
      creditForInvoiceId: "i0",
      lines: [{ description: "Consultation", serviceId: "s1" }],
      payments: [{ id: "pay2" }],
    });
    expect(part.account).toEqual({ credit: { amountMinor: 0, currency: "EUR" } });
    expect(part.prepayments).toEqual([{ id: "pre1", appointmentId: "a120", invoiceId: "i1" }]);
    const entityCalls = calls.filter((c) => c.field === "_entities").map((c) => (c.variables.r as unknown[]).length);
    expect(entityCalls).toEqual([100, 50]);
    expect((calls.find((c) => c.field === "_entities")!.variables.r as Json[])[0]).toEqual({ __typename: "Appointment", id: "a0" });
  });

  it("billing without appointments asks no _entities", async () => {
    const { ask, calls } = fakeAsk({ myInvoices: (v) => pages([], 100, v), myBillingAccount: () => null, _entities: () => [] });
    expect(await collectBilling(ask, contextOf([]))).toEqual({ account: null, invoices: [], prepayments: [] });
    expect(calls.map((c) => c.field)).toEqual(["myInvoices", "myBillingAccount"]);
  });

  it("doctors: names every doctor and service the parts before referred to, 100 references a call; unknown ids are left out", async () => {
    const doctorIds = Array.from({ length: 120 }, (_, i) => `d${String(i).padStart(3, "0")}`);
    const { ask, calls } = fakeAsk({
      _entities: (v) =>
        (v.r as { __typename: string; id: string }[]).map(({ __typename, id }) =>
          id === "d007"
            ? null
            : __typename === "Doctor"
              ? { __typename, id, name: `Dr. ${id}`, specialty: { name: "Cardiology" } }
              : { __typename, id, code: "CONS_CARD", name: "Cardiology consultation", kind: "CONSULTATION" },
        ),
    });
    const part = (await collectDirectory(ask, contextOf([], doctorIds, ["s1"]))) as { doctors: Json[]; services: Json[] };
    expect(part.doctors).toHaveLength(119);
    expect(part.doctors[0]).toEqual({ id: "d000", name: "Dr. d000", specialty: "Cardiology" });
    expect(part.doctors.map((d) => d.id)).not.toContain("d007");
    expect(part.services).toEqual([{ id: "s1", code: "CONS_CARD", name: "Cardiology consultation", kind: "CONSULTATION" }]);
    expect(calls.map((c) => (c.variables.r as unknown[]).length)).toEqual([100, 21]);
    expect((calls[1]!.variables.r as Json[]).at(-1)).toEqual({ __typename: "MedicalService", id: "s1" });
  });

  it("doctors with nothing to name asks nothing", async () => {
    const { ask, calls } = fakeAsk({ _entities: () => [] });
    expect(await collectDirectory(ask, contextOf([]))).toEqual({ doctors: [], services: [] });
    expect(calls).toEqual([]);
  });

  it("notifications: every delivery and the preferences", async () => {
    const deliveries = Array.from({ length: 205 }, (_, i) => ({ id: `n${i}`, kind: "APPOINTMENT_BOOKED" }));
    const { ask } = fakeAsk({
      myNotifications: (v) => pages(deliveries, 100, v),
      myNotificationPreferences: () => ({ language: "en", channels: ["EMAIL"], reminderOffsetsMinutes: [60] }),
    });
    const part = (await collectNotifications(ask)) as { deliveries: Json[]; preferences: Json };
    expect(part.deliveries).toHaveLength(205);
    expect(part.preferences).toEqual({ language: "en", channels: ["EMAIL"], reminderOffsetsMinutes: [60] });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The document and the worker's bookkeeping, with in-memory ports

const NOW = new Date("2027-05-03T10:00:00Z");
const PATIENT_ID = "0b6a3c1e-5d2f-4a8b-9c7d-1e2f3a4b5c6d";
const DOCTOR_ID = "1c7b4d2f-6e3a-4b9c-8d1e-2f3a4b5c6d7e";
const OTHER_PATIENT_ID = "2d8c5e3a-7f4b-4cad-9e2f-3a4b5c6d7e8f";

const user = (id: string, role: UserRecord["role"], name: string): UserRecord => ({
  id,
  active: true,
  deactivatedAt: null,
  deactivationReason: null,
  role,
  name,
  email: `${name.split(" ")[0]!.toLowerCase()}@example.test`,
  phone: null,
  passwordHash: "x",
  passwordChangedAt: NOW,
  createdAt: NOW,
  patient: role === "PATIENT" ? { dateOfBirth: new Date("1990-04-01T00:00:00Z"), gender: "FEMALE", nationalId: "AB 123" } : null,
});

function workerDeps(sources: PatientDataSource[], store: Partial<DataExportStore> = {}, audit: AuditRecord[] = []): ExportWorkerDeps {
  const users = [user(PATIENT_ID, "PATIENT", "Paula Patient"), user(DOCTOR_ID, "DOCTOR", "Dr. Dora"), user(OTHER_PATIENT_ID, "PATIENT", "Otto Other")];
  return {
    users: {
      findById: async (id: string) => users.find((u) => u.id === id) ?? null,
      findByIds: async (ids: readonly string[]) => users.filter((u) => ids.includes(u.id)),
    } as unknown as ExportWorkerDeps["users"],
    audit: {
      list: async (filter: { patientId?: string }, before: bigint | null, limit: number) =>
        audit.filter((a) => a.patientId === filter.patientId && (before === null || a.seq < before)).slice(0, limit),
    } as unknown as ExportWorkerDeps["audit"],
    clock: () => NOW,
    dataExports: store as DataExportStore,
    dataExportSettings: DEFAULT_DATA_EXPORT_SETTINGS,
    logger: createLogger("export-unit", "silent"),
    sources,
  };
}

describe("assembleDataExport", () => {
  it("makes the document in the patient's name: profile, who read the record (every page), then each part in order", async () => {
    const audit: AuditRecord[] = Array.from({ length: 120 }, (_, i) => ({
      id: `r${i}`,
      seq: BigInt(1_000 - i),
      at: NOW,
      actorId: i === 0 ? OTHER_PATIENT_ID : DOCTOR_ID,
      actorRole: i === 0 ? "PATIENT" : "DOCTOR",
      action: "PATIENT_RECORD_READ",
      patientId: PATIENT_ID,
      requestId: null,
      targetType: null,
      targetId: null,
    }));
    const seen: { part: string; userId: string; role: string; appointmentIds: string[] }[] = [];
    const source = (part: string, collected: unknown, learn?: PatientDataSource["learn"]): PatientDataSource => ({
      part,
      async collect(patient, context) {
        seen.push({ part, userId: patient.userId, role: patient.role, appointmentIds: [...context.appointmentIds] });
        return collected;
      },
      learn,
    });
    const document = await assembleDataExport(
      workerDeps(
        [
          source("scheduling", { appointments: [{ id: "a1" }] }, (c, ctx) =>
            ctx.appointmentIds.push(...(c as { appointments: { id: string }[] }).appointments.map((a) => a.id)),
          ),
          source("billing", { invoices: [] }),
        ],
        {},
        audit,
      ),
      { id: "e1", patientId: PATIENT_ID },
    );
    expect(document).toMatchObject({
      format: "clinigraph.patient-data-export",
      version: 1,
      exportId: "e1",
      patientId: PATIENT_ID,
      profile: { id: PATIENT_ID, name: "Paula Patient", email: "paula@example.test", dateOfBirth: "1990-04-01", gender: "FEMALE", nationalId: "AB 123" },
      scheduling: { appointments: [{ id: "a1" }] },
      billing: { invoices: [] },
    });
    expect(seen).toEqual([
      { part: "scheduling", userId: PATIENT_ID, role: "PATIENT", appointmentIds: [] },
      { part: "billing", userId: PATIENT_ID, role: "PATIENT", appointmentIds: ["a1"] },
    ]);
    const reads = document.recordAccess as { id: string; actorName: string | null }[];
    expect(reads).toHaveLength(120);
    // Staff are named; another patient's name never is.
    expect(reads[0]).toMatchObject({ id: "r0", actorName: null });
    expect(reads[1]).toMatchObject({ id: "r1", actorName: "Dr. Dora" });
    expect(JSON.stringify(document)).not.toContain("Otto Other");
  });

  it("an account that is no longer a patient is a permanent failure", async () => {
    await expect(assembleDataExport(workerDeps([]), { id: "e1", patientId: DOCTOR_ID })).rejects.toThrow(PermanentExportError);
  });
});

describe("runDataExportPass", () => {
  const claim: ClaimedExport = { id: "e1", patientId: PATIENT_ID, attempts: 1, claimToken: "t" };
  const failing: PatientDataSource = {
    part: "clinical",
    collect: async () => {
      throw new Error("clinical: unreachable");
    },
  };

  it("stores a READY document with its expiry", async () => {
    const completed: { document: string; expiresAt: Date }[] = [];
    const deps = workerDeps([], {
      claim: async () => [claim],
      complete: async (_c, document, _readyAt, expiresAt) => (completed.push({ document, expiresAt }), true),
    });
    expect(await runDataExportPass(deps)).toBe(1);
    expect(completed).toHaveLength(1);
    expect(completed[0]!.expiresAt.getTime() - NOW.getTime()).toBe(DEFAULT_DATA_EXPORT_SETTINGS.ttlMs);
    expect(JSON.parse(completed[0]!.document)).toMatchObject({ patientId: PATIENT_ID });
  });

  it("a failed attempt is retried after a pause growing with the attempts; the last one is FAILED", async () => {
    const failures: { attempts: number; retryAt: Date | null; error: string }[] = [];
    for (const attempts of [1, 2, 3]) {
      const deps = workerDeps([failing], {
        claim: async () => [{ ...claim, attempts }],
        fail: async (c, error, _now, retryAt) => (failures.push({ attempts: c.attempts, retryAt, error }), true),
      });
      await runDataExportPass(deps);
    }
    const backoff = DEFAULT_DATA_EXPORT_SETTINGS.retryBackoffMs;
    expect(failures.map((f) => [f.attempts, f.retryAt?.getTime() ?? null])).toEqual([
      [1, NOW.getTime() + backoff],
      [2, NOW.getTime() + 2 * backoff],
      [3, null],
    ]);
    expect(failures[0]!.error).toBe("Error: clinical: unreachable");
  });
});
