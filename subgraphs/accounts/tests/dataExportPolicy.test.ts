/** Who may request and read a data export, one PENDING export per patient, the daily limit: the rules, on in-memory ports. */
import { describe, expect, it } from "@jest/globals";
import { DomainError, type Identity } from "@clinigraph/platform";
import {
  canReadDataExport,
  DEFAULT_DATA_EXPORT_SETTINGS,
  readDataExport,
  readDataExportDocument,
  requestDataExport,
  requestMyDataExport,
  type DataExportRecord,
  type DataExportStore,
} from "../src/domain/dataExport.js";
import type { Deps } from "../src/domain/deps.js";
import type { UserRecord } from "../src/domain/types.js";

const NOW = new Date("2027-05-03T10:00:00Z");
const PATIENT = "0b6a3c1e-5d2f-4a8b-9c7d-1e2f3a4b5c6d";
const OTHER_PATIENT = "2d8c5e3a-7f4b-4cad-9e2f-3a4b5c6d7e8f";
const ADMIN = "3e9d6f4b-8a5c-4dbe-8f3a-4b5c6d7e8f9a";
const OTHER_ADMIN = "4fae7a5c-9b6d-4ecf-9a4b-5c6d7e8f9a0b";
const DOCTOR = "5abf8b6d-ac7e-4fd0-8b5c-6d7e8f9a0b1c";

const as = (userId: string, role: Identity["role"]): Identity => ({ userId, role, requestId: "r" });

function world() {
  const rows: (DataExportRecord & { document: string | null })[] = [];
  const audit: { actor: string; action: string; patientIds: readonly (string | null)[] }[] = [];
  const store: DataExportStore = {
    async create(input) {
      if (rows.some((r) => r.patientId === input.patientId && r.status === "PENDING")) return null;
      const row = {
        id: `00000000-0000-4000-8000-${String(rows.length).padStart(12, "0")}`,
        ...input,
        status: "PENDING" as const,
        requestedAt: input.at,
        attempts: 0,
        readyAt: null,
        expiresAt: null,
        failedAt: null,
        document: null,
      };
      rows.push(row);
      return row;
    },
    findById: async (id) => rows.find((r) => r.id === id) ?? null,
    findPending: async (patientId) => rows.find((r) => r.patientId === patientId && r.status === "PENDING") ?? null,
    countRequestedSince: async (patientId, since) => rows.filter((r) => r.patientId === patientId && r.requestedAt >= since).length,
    claim: async () => [],
    complete: async () => false,
    fail: async () => false,
    readDocument: async (id) => rows.find((r) => r.id === id)?.document ?? null,
    purgeExpired: async () => 0,
  };
  const patient = (id: string): UserRecord => ({
    id,
    active: true,
    deactivatedAt: null,
    deactivationReason: null,
    role: "PATIENT",
    name: "P",
    email: "p@example.test",
    phone: null,
    passwordHash: "x",
    passwordChangedAt: NOW,
    createdAt: NOW,
    patient: { dateOfBirth: null, gender: null, nationalId: null },
  });
  const clock = { now: NOW };
  const deps = {
    users: { findById: async (id: string) => ([PATIENT, OTHER_PATIENT].includes(id) ? patient(id) : null) },
    audit: {
      record: async (actor: Identity, action: string, patientIds: readonly (string | null)[] = [null]) =>
        void audit.push({ actor: actor.userId!, action, patientIds }),
    },
    clock: () => clock.now,
    dataExports: store,
    dataExportSettings: { ...DEFAULT_DATA_EXPORT_SETTINGS, maxPerDay: 2 },
  } as unknown as Deps;
  const finish = (id: string) =>
    Object.assign(
      rows.find((r) => r.id === id)!,
      { status: "READY", readyAt: clock.now, expiresAt: new Date(clock.now.getTime() + 1_000), document: "{}" },
    );
  return { deps, rows, audit, clock, finish };
}

const codeOf = async (work: Promise<unknown>) => {
  try {
    await work;
    return "none";
  } catch (err) {
    return err instanceof DomainError ? err.code : String(err);
  }
};

describe("requesting", () => {
  it("a patient for themself; anyone else may not use requestMyDataExport", async () => {
    const { deps, audit } = world();
    const record = await requestMyDataExport(deps, as(PATIENT, "PATIENT"));
    expect(record).toMatchObject({ patientId: PATIENT, requestedBy: PATIENT, status: "PENDING" });
    expect(audit).toEqual([{ actor: PATIENT, action: "DATA_EXPORT_REQUESTED", patientIds: [PATIENT] }]);
    for (const role of ["ADMIN", "DOCTOR", "RECEPTIONIST", "BILLING"] as const)
      expect(await codeOf(requestMyDataExport(deps, as(ADMIN, role)))).toBe("FORBIDDEN");
    expect(await codeOf(requestMyDataExport(deps, { userId: null, role: null, requestId: "r" }))).toBe("UNAUTHENTICATED");
  });

  it("an ADMIN on a patient's behalf; an unknown patient or a staff user is NOT_FOUND, a malformed id BAD_USER_INPUT, other roles FORBIDDEN", async () => {
    const { deps } = world();
    expect(await requestDataExport(deps, as(ADMIN, "ADMIN"), { patientId: PATIENT })).toMatchObject({
      patientId: PATIENT,
      requestedBy: ADMIN,
      requestedRole: "ADMIN",
    });
    expect(await codeOf(requestDataExport(deps, as(ADMIN, "ADMIN"), { patientId: DOCTOR }))).toBe("NOT_FOUND");
    expect(await codeOf(requestDataExport(deps, as(ADMIN, "ADMIN"), { patientId: "x" }))).toBe("BAD_USER_INPUT");
    expect(await codeOf(requestDataExport(deps, as(PATIENT, "PATIENT"), { patientId: PATIENT }))).toBe("FORBIDDEN");
    expect(await codeOf(requestDataExport(deps, as(DOCTOR, "RECEPTIONIST"), { patientId: PATIENT }))).toBe("FORBIDDEN");
  });

  it("one PENDING export per patient: the requester gets it again, anyone else CONFLICT", async () => {
    const { deps, rows } = world();
    const first = await requestMyDataExport(deps, as(PATIENT, "PATIENT"));
    expect((await requestMyDataExport(deps, as(PATIENT, "PATIENT"))).id).toBe(first.id);
    expect(await codeOf(requestDataExport(deps, as(ADMIN, "ADMIN"), { patientId: PATIENT }))).toBe("CONFLICT");
    expect(rows).toHaveLength(1);
    // Another patient's export is independent.
    expect((await requestDataExport(deps, as(ADMIN, "ADMIN"), { patientId: OTHER_PATIENT })).patientId).toBe(OTHER_PATIENT);
  });

  it("at most maxPerDay requests per patient in 24 hours, whoever asks; a day later again", async () => {
    const { deps, finish, clock } = world();
    finish((await requestMyDataExport(deps, as(PATIENT, "PATIENT"))).id);
    finish((await requestDataExport(deps, as(ADMIN, "ADMIN"), { patientId: PATIENT })).id);
    expect(await codeOf(requestMyDataExport(deps, as(PATIENT, "PATIENT")))).toBe("RATE_LIMITED");
    clock.now = new Date(NOW.getTime() + 24 * 3_600_000 + 1);
    expect((await requestMyDataExport(deps, as(PATIENT, "PATIENT"))).status).toBe("PENDING");
  });
});

describe("reading", () => {
  const record = { patientId: PATIENT, requestedBy: ADMIN };

  it("the patient it belongs to and the ADMIN who requested it; nobody else", () => {
    expect(canReadDataExport(as(PATIENT, "PATIENT"), record)).toBe(true);
    expect(canReadDataExport(as(ADMIN, "ADMIN"), record)).toBe(true);
    expect(canReadDataExport(as(OTHER_ADMIN, "ADMIN"), record)).toBe(false);
    expect(canReadDataExport(as(OTHER_PATIENT, "PATIENT"), record)).toBe(false);
    // The same user id under another role does not make a staff member the patient.
    expect(canReadDataExport(as(PATIENT, "DOCTOR"), record)).toBe(false);
    expect(canReadDataExport({ userId: null, role: null, requestId: "r" }, record)).toBe(false);
  });

  it("an export nobody else sees answers null, as an unknown one; the document only while READY and unexpired, audited", async () => {
    const { deps, finish, audit, clock } = world();
    const requested = await requestMyDataExport(deps, as(PATIENT, "PATIENT"));
    expect(await readDataExport(deps, as(OTHER_PATIENT, "PATIENT"), { id: requested.id })).toBeNull();
    expect(await readDataExport(deps, as(ADMIN, "ADMIN"), { id: requested.id })).toBeNull();
    expect(await codeOf(readDataExport(deps, as(PATIENT, "PATIENT"), { id: "nope" }))).toBe("BAD_USER_INPUT");
    const pending = (await readDataExport(deps, as(PATIENT, "PATIENT"), { id: requested.id }))!;
    expect(await readDataExportDocument(deps, as(PATIENT, "PATIENT"), pending)).toBeNull();
    finish(requested.id);
    const ready = (await readDataExport(deps, as(PATIENT, "PATIENT"), { id: requested.id }))!;
    expect(await readDataExportDocument(deps, as(OTHER_PATIENT, "PATIENT"), ready)).toBeNull();
    audit.length = 0;
    expect(await readDataExportDocument(deps, as(PATIENT, "PATIENT"), ready)).toBe("{}");
    expect(audit).toEqual([{ actor: PATIENT, action: "DATA_EXPORT_READ", patientIds: [PATIENT] }]);
    clock.now = new Date(ready.expiresAt!.getTime());
    expect(await readDataExportDocument(deps, as(PATIENT, "PATIENT"), ready)).toBeNull();
    expect(audit).toHaveLength(1);
  });
});
