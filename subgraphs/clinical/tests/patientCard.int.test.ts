/**
 * The patient card on a real database: draft → signed → amended with the full history; a signed
 * entry is never edited (the domain answers CONFLICT, the database trigger refuses a direct UPDATE/DELETE);
 * who reads the card; clinical text sealed at rest; every read by someone else audited in the outbox.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Role } from "@clinigraph/platform";
import { queryDatabase, type TestCaller } from "@clinigraph/testing";
import { codeOf, person, startHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** A signed-in caller of `role` (a patient's user id is their patient id). */
const newCaller = (role: Role) => person(role).caller as TestCaller & { userId: string; role: Role };

/** A doctor the fake doctors directory knows: `doctorId` (doctors subgraph) and the caller (accounts user). */
function newDoctor(harness: Harness) {
  const caller = newCaller("DOCTOR");
  const doctorId = randomUUID();
  harness.doctors.doctors.set(doctorId, { id: doctorId, userId: caller.userId });
  return { doctorId, caller };
}

const reception = newCaller("RECEPTIONIST");

const ENTRY = `id status version complaints diagnosisCode diagnosis prescriptions notes amendReason createdAt signedAt`;
const SAVE = `mutation($e: ID!, $i: RecordInput!) { saveRecordDraft(encounterId: $e, input: $i) { ${ENTRY} } }`;
const SIGN = `mutation($id: ID!) { signRecord(id: $id) { ${ENTRY} } }`;
const AMEND = `mutation($id: ID!, $i: RecordInput!, $r: String!) { amendRecord(id: $id, input: $i, reason: $r) { ${ENTRY} history { ${ENTRY} } } }`;
const CARD = `query($p: ID!) { patientCard(patientId: $p) { patient { id } encounters { id status } records { ${ENTRY} history { id version status } } examinations { id status result } } }`;
const ENCOUNTER_RECORDS = `query($id: ID!) { encounter(id: $id) { id records { id status version } } }`;

interface Entry {
  id: string;
  status: string;
  version: number;
  complaints: string | null;
  diagnosisCode: string | null;
  diagnosis: string | null;
  prescriptions: string[];
  notes: string | null;
  amendReason: string | null;
  createdAt: string;
  signedAt: string | null;
  history?: Entry[];
}
interface Card {
  patient: { id: string };
  encounters: { id: string; status: string }[];
  records: (Entry & { history: { id: string; version: number; status: string }[] })[];
  examinations: { id: string; status: string; result: string | null }[];
}

type Doctor = ReturnType<typeof newDoctor>;

/** A walk-in registered by reception and (by default) started by its doctor. */
async function encounterOf(patientId: string, doctor: Doctor, start = true): Promise<string> {
  const reg = await h.call<{ registerWalkIn: { id: string } }>(
    `mutation($p: ID!, $d: ID!) { registerWalkIn(patientId: $p, doctorId: $d) { id } }`,
    { p: patientId, d: doctor.doctorId },
    reception,
  );
  expect(reg.errors).toBeUndefined();
  const id = reg.data!.registerWalkIn.id;
  if (start) {
    const res = await h.call(`mutation($id: ID!) { startEncounter(id: $id) { status } }`, { id }, doctor.caller);
    expect(res.errors).toBeUndefined();
  }
  return id;
}

async function ok<T>(query: string, variables: Record<string, unknown>, caller: TestCaller): Promise<T> {
  const res = await h.call<T>(query, variables, caller);
  expect(res.errors).toBeUndefined();
  return res.data!;
}

const save = (encounterId: string, input: Record<string, unknown>, caller: TestCaller) =>
  ok<{ saveRecordDraft: Entry }>(SAVE, { e: encounterId, i: input }, caller).then((d) => d.saveRecordDraft);

/** An entry of `doctor` in a new encounter, signed unless `draft`. */
async function entryOf(patientId: string, doctor: Doctor, draft = false): Promise<{ encounterId: string; entry: Entry }> {
  const encounterId = await encounterOf(patientId, doctor);
  const entry = await save(encounterId, { complaints: "Headache", diagnosisCode: "R51", diagnosis: "Headache, unspecified" }, doctor.caller);
  if (draft) return { encounterId, entry };
  return { encounterId, entry: (await ok<{ signRecord: Entry }>(SIGN, { id: entry.id }, doctor.caller)).signRecord };
}

async function addCare(doctor: Doctor, patientId: string): Promise<void> {
  await h.prisma.careRelationship.create({ data: { doctorUserId: doctor.caller.userId, patientId, since: h.clock.now(), source: "appointment" } });
}

/** The PatientRecordAccessed payloads in the outbox for `patientId`, oldest first. */
async function accessesOf(patientId: string): Promise<Record<string, unknown>[]> {
  const rows = await h.prisma.outboxEvent.findMany({ where: { type: "PatientRecordAccessed" }, orderBy: { sequence: "asc" } });
  return rows.map((r) => r.payload as Record<string, unknown>).filter((p) => p.patientId === patientId);
}

describe("draft → signed → amended", () => {
  it("keeps one draft per doctor and visit, signs it, and corrects it only by amended versions with the history", async () => {
    const doctor = newDoctor(h);
    const patient = newCaller("PATIENT");
    const encounterId = await encounterOf(patient.userId, doctor);

    const first = await save(encounterId, { complaints: " Cough for three weeks ", diagnosisCode: "j20.9", prescriptions: ["Rest"] }, doctor.caller);
    expect(first).toMatchObject({
      status: "DRAFT",
      version: 1,
      complaints: "Cough for three weeks",
      diagnosisCode: "J20.9",
      prescriptions: ["Rest"],
      signedAt: null,
    });
    // Saving again updates the same draft (a patch: what is left out stays).
    h.clock.advanceMinutes(5);
    const second = await save(encounterId, { diagnosis: "Acute bronchitis", prescriptions: ["Rest", "Fluids"] }, doctor.caller);
    expect(second).toMatchObject({
      id: first.id,
      status: "DRAFT",
      version: 1,
      complaints: "Cough for three weeks",
      diagnosis: "Acute bronchitis",
      prescriptions: ["Rest", "Fluids"],
    });
    expect(await h.prisma.recordEntry.count({ where: { encounterId } })).toBe(1);

    h.clock.advanceMinutes(5);
    const signed = (await ok<{ signRecord: Entry }>(SIGN, { id: first.id }, doctor.caller)).signRecord;
    expect(signed).toMatchObject({ id: first.id, status: "SIGNED", version: 1, signedAt: h.clock.now().toISOString() });

    // A signed entry is not edited: neither as a draft nor signed again.
    const edit = await h.call(SAVE, { e: encounterId, i: { notes: "changed my mind" } }, doctor.caller);
    expect(codeOf(edit)).toBe("CONFLICT");
    expect(codeOf(await h.call(SIGN, { id: first.id }, doctor.caller))).toBe("CONFLICT");

    // An amendment needs a reason.
    expect(codeOf(await h.call(AMEND, { id: first.id, i: { diagnosisCode: "J18.9" }, r: "  " }, doctor.caller))).toBe("BAD_USER_INPUT");
    h.clock.advanceMinutes(60);
    const amended = (
      await ok<{ amendRecord: Entry }>(AMEND, { id: first.id, i: { diagnosisCode: "J18.9", diagnosis: "Pneumonia" }, r: "X-ray result" }, doctor.caller)
    ).amendRecord;
    expect(amended).toMatchObject({
      id: first.id,
      status: "AMENDED",
      version: 2,
      diagnosisCode: "J18.9",
      diagnosis: "Pneumonia",
      complaints: "Cough for three weeks",
      prescriptions: ["Rest", "Fluids"],
      amendReason: "X-ray result",
      signedAt: h.clock.now().toISOString(),
    });
    expect(amended.history!.map((v) => [v.version, v.status, v.diagnosisCode, v.amendReason])).toEqual([
      [1, "SIGNED", "J20.9", null],
      [2, "AMENDED", "J18.9", "X-ray result"],
    ]);

    // Another doctor with a care relationship amends too; one without may not.
    const colleague = newDoctor(h);
    const stranger = newDoctor(h);
    expect(codeOf(await h.call(AMEND, { id: first.id, i: { notes: "Seen in follow-up" }, r: "Follow-up" }, colleague.caller))).toBe("FORBIDDEN");
    await addCare(colleague, patient.userId);
    const third = (await ok<{ amendRecord: Entry }>(AMEND, { id: first.id, i: { notes: "Seen in follow-up" }, r: "Follow-up" }, colleague.caller)).amendRecord;
    expect(third).toMatchObject({ version: 3, status: "AMENDED", notes: "Seen in follow-up", diagnosisCode: "J18.9" });
    expect(third.history!.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(codeOf(await h.call(AMEND, { id: first.id, i: { notes: "x" }, r: "y" }, stranger.caller))).toBe("FORBIDDEN");

    // The rows: version 1 unchanged since signing; the entry points at version 3.
    const versions = await h.prisma.recordVersion.findMany({ where: { entryId: first.id }, orderBy: { version: "asc" } });
    expect(versions.map((v) => [v.version, v.status, v.authorId])).toEqual([
      [1, "SIGNED", doctor.caller.userId],
      [2, "AMENDED", doctor.caller.userId],
      [3, "AMENDED", colleague.caller.userId],
    ]);
    expect(versions[0]!.diagnosisCode).toBe("J20.9");
    expect((await h.prisma.recordEntry.findUniqueOrThrow({ where: { id: first.id } })).currentVersion).toBe(3);
  });

  it("refuses a draft by anyone but the treating doctor, after the visit, and bad input", async () => {
    const doctor = newDoctor(h);
    const other = newDoctor(h);
    const patient = newCaller("PATIENT");
    const encounterId = await encounterOf(patient.userId, doctor, false);
    await addCare(other, patient.userId);

    // ARRIVED: the patient is in the clinic; the treating doctor may already write.
    const draft = await save(encounterId, { complaints: "Back pain" }, doctor.caller);
    expect(draft.status).toBe("DRAFT");
    for (const caller of [other.caller, patient, reception, newCaller("ADMIN"), newCaller("EXAMINER")])
      expect(codeOf(await h.call(SAVE, { e: encounterId, i: { complaints: "x" } }, caller))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(SIGN, { id: draft.id }, other.caller))).toBe("FORBIDDEN");
    // A draft is not amended: its author edits or signs it.
    expect(codeOf(await h.call(AMEND, { id: draft.id, i: { notes: "x" }, r: "y" }, doctor.caller))).toBe("CONFLICT");

    expect(codeOf(await h.call(SAVE, { e: encounterId, i: { diagnosisCode: "back pain" } }, doctor.caller))).toBe("BAD_USER_INPUT");
    const tooMany = Array.from({ length: 51 }, (_, i) => `Drug ${i}`);
    expect(codeOf(await h.call(SAVE, { e: encounterId, i: { prescriptions: tooMany } }, doctor.caller))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(SAVE, { e: encounterId, i: { complaints: "x".repeat(4_001) } }, doctor.caller))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(SAVE, { e: encounterId, i: { complaints: null } }, doctor.caller))).toBe("BAD_USER_INPUT"); // nothing left
    expect(codeOf(await h.call(SAVE, { e: randomUUID(), i: { complaints: "x" } }, doctor.caller))).toBe("NOT_FOUND");
    expect(codeOf(await h.call(SIGN, { id: randomUUID() }, doctor.caller))).toBe("NOT_FOUND");

    // After the visit no draft is written, but the open one can still be signed.
    await ok(`mutation($id: ID!) { refuseEncounter(id: $id, reason: "Patient declined") { status } }`, { id: encounterId }, doctor.caller);
    expect(codeOf(await h.call(SAVE, { e: encounterId, i: { complaints: "Later" } }, doctor.caller))).toBe("CONFLICT");
    expect((await ok<{ signRecord: Entry }>(SIGN, { id: draft.id }, doctor.caller)).signRecord.status).toBe("SIGNED");
  });

  it("serialises concurrent saves of the same draft into one entry", async () => {
    const doctor = newDoctor(h);
    const patient = newCaller("PATIENT");
    const encounterId = await encounterOf(patient.userId, doctor);
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => h.call(SAVE, { e: encounterId, i: { notes: `note ${i}` } }, doctor.caller)));
    expect(results.map(codeOf)).toEqual(["OK", "OK", "OK", "OK", "OK"]);
    expect(await h.prisma.recordEntry.count({ where: { encounterId } })).toBe(1);
  });

  it("never saves a draft over a signature made at the same time", async () => {
    for (let round = 0; round < 5; round++) {
      const doctor = newDoctor(h);
      const encounterId = await encounterOf(newCaller("PATIENT").userId, doctor);
      const draft = await save(encounterId, { notes: "first" }, doctor.caller);
      const [edit, sign] = await Promise.all([
        h.call<{ saveRecordDraft: Entry }>(SAVE, { e: encounterId, i: { notes: "second" } }, doctor.caller),
        h.call<{ signRecord: Entry }>(SIGN, { id: draft.id }, doctor.caller),
      ]);
      expect(codeOf(sign)).toBe("OK");
      expect(["OK", "CONFLICT"]).toContain(codeOf(edit));
      // What was signed is what the entry holds now.
      const rows = await h.prisma.recordVersion.findMany({ where: { entryId: draft.id } });
      expect(rows).toHaveLength(1);
      expect(rows[0]!.status).toBe("SIGNED");
      expect(h.cipher.decrypt(rows[0]!.notesEnc!)).toBe(codeOf(edit) === "OK" ? "second" : "first");
      expect(sign.data!.signRecord.notes).toBe(rows[0]!.notesEnc && h.cipher.decrypt(rows[0]!.notesEnc));
    }
  });
});

describe("signed versions are immutable in the database", () => {
  it("refuses a direct UPDATE or DELETE of a signed version; a draft may change", async () => {
    const doctor = newDoctor(h);
    const patient = newCaller("PATIENT");
    const { entry: signed } = await entryOf(patient.userId, doctor);
    const { entry: draft } = await entryOf(patient.userId, doctor, true);

    await expect(queryDatabase(h.db.url, `UPDATE clinical.record_versions SET diagnosis_code = 'Z00' WHERE entry_id = $1`, [signed.id])).rejects.toThrow(
      /signed record versions are immutable/,
    );
    await expect(
      queryDatabase(h.db.url, `UPDATE clinical.record_versions SET status = 'DRAFT', signed_at = NULL WHERE entry_id = $1`, [signed.id]),
    ).rejects.toThrow(/immutable/);
    await expect(queryDatabase(h.db.url, `DELETE FROM clinical.record_versions WHERE entry_id = $1`, [signed.id])).rejects.toThrow(/immutable/);
    const [row] = await queryDatabase<{ diagnosis_code: string; status: string }>(
      h.db.url,
      `SELECT diagnosis_code, status FROM clinical.record_versions WHERE entry_id = $1`,
      [signed.id],
    );
    expect(row).toEqual({ diagnosis_code: "R51", status: "SIGNED" });

    await queryDatabase(h.db.url, `UPDATE clinical.record_versions SET diagnosis_code = 'R52' WHERE entry_id = $1`, [draft.id]);
  });
});

describe("who reads the patient card", () => {
  const patient = newCaller("PATIENT");
  let treating: Doctor;
  let caring: Doctor;
  let signedEntry: Entry;
  let draftEntry: Entry;
  let signedEncounter: string;
  let draftEncounter: string;

  beforeAll(async () => {
    treating = newDoctor(h);
    caring = newDoctor(h);
    ({ encounterId: signedEncounter, entry: signedEntry } = await entryOf(patient.userId, treating));
    ({ encounterId: draftEncounter, entry: draftEntry } = await entryOf(patient.userId, treating, true));
    await addCare(caring, patient.userId);
    // An examination of the patient, performed and reviewed (ordered by the treating doctor): its result is released.
    await h.prisma.examination.create({
      data: {
        id: randomUUID(),
        encounterId: signedEncounter,
        patientId: patient.userId,
        serviceId: randomUUID(),
        status: "REVIEWED",
        orderedAt: h.clock.now(),
        orderedBy: treating.caller.userId,
        performedAt: h.clock.now(),
        performedBy: randomUUID(),
        reviewedAt: h.clock.now(),
        reviewedBy: treating.caller.userId,
        resultEnc: h.cipher.encrypt("CRP 5 mg/L"),
        updatedAt: h.clock.now(),
      },
    });
  });

  it.each<[string, () => TestCaller]>([
    ["the treating doctor", () => treating.caller],
    ["a doctor with a care relationship", () => caring.caller],
  ])("%s reads everything, drafts included", async (_, caller) => {
    const card = (await ok<{ patientCard: Card }>(CARD, { p: patient.userId }, caller())).patientCard;
    expect(card.patient.id).toBe(patient.userId);
    expect(card.encounters.map((e) => e.id).sort()).toEqual([signedEncounter, draftEncounter].sort());
    expect(card.records.map((r) => [r.id, r.status]).sort()).toEqual(
      [
        [signedEntry.id, "SIGNED"],
        [draftEntry.id, "DRAFT"],
      ].sort(),
    );
    expect(card.records.find((r) => r.id === signedEntry.id)).toMatchObject({
      complaints: "Headache",
      diagnosisCode: "R51",
      diagnosis: "Headache, unspecified",
    });
    expect(card.examinations.map((x) => [x.status, x.result])).toEqual([["REVIEWED", "CRP 5 mg/L"]]);
  });

  it("the patient reads their own signed entries, never drafts", async () => {
    const card = (await ok<{ patientCard: Card }>(CARD, { p: patient.userId }, patient)).patientCard;
    expect(card.records.map((r) => [r.id, r.status])).toEqual([[signedEntry.id, "SIGNED"]]);
    expect(card.records[0]!.history.map((v) => v.status)).toEqual(["SIGNED"]);
    expect(card.encounters).toHaveLength(2);
    expect(card.examinations.map((x) => x.result)).toEqual(["CRP 5 mg/L"]);
    // Through the encounter: the signed entry, and nothing of the draft.
    const signedVisit = await ok<{ encounter: { records: { id: string }[] } }>(ENCOUNTER_RECORDS, { id: signedEncounter }, patient);
    expect(signedVisit.encounter.records.map((r) => r.id)).toEqual([signedEntry.id]);
    const draftVisit = await ok<{ encounter: { records: { id: string }[] } }>(ENCOUNTER_RECORDS, { id: draftEncounter }, patient);
    expect(draftVisit.encounter.records).toEqual([]);
  });

  it.each<[string, () => TestCaller]>([
    ["a doctor without a care relationship", () => newDoctor(h).caller],
    ["another patient", () => newCaller("PATIENT")],
    ["reception", () => newCaller("RECEPTIONIST")],
    ["billing", () => newCaller("BILLING")],
    ["an examiner", () => newCaller("EXAMINER")],
    ["a stakeholder", () => newCaller("STAKEHOLDER")],
    ["an admin", () => newCaller("ADMIN")],
  ])("%s may not read it (FORBIDDEN), and nothing is audited", async (_, makeCaller) => {
    const before = (await accessesOf(patient.userId)).length;
    const res = await h.call<{ patientCard: Card | null }>(CARD, { p: patient.userId }, makeCaller());
    expect(codeOf(res)).toBe("FORBIDDEN");
    expect(res.data?.patientCard ?? null).toBeNull();
    expect(await accessesOf(patient.userId)).toHaveLength(before);
  });

  it.each<[string, () => TestCaller]>([
    ["reception", () => newCaller("RECEPTIONIST")],
    ["an examiner", () => newCaller("EXAMINER")],
    ["an admin", () => newCaller("ADMIN")],
  ])("%s sees the encounter but not its records", async (_, makeCaller) => {
    const res = await h.call<{ encounter: { id: string } | null }>(ENCOUNTER_RECORDS, { id: signedEncounter }, makeCaller());
    expect(codeOf(res)).toBe("FORBIDDEN");
    expect(res.errors![0]!.path).toEqual(["encounter", "records"]);
  });

  it("anonymous callers are UNAUTHENTICATED", async () => {
    expect(codeOf(await h.call(CARD, { p: patient.userId }))).toBe("UNAUTHENTICATED");
  });
});

describe("clinical text at rest", () => {
  it("stores complaints, diagnosis, prescriptions, notes and the amend reason only sealed", async () => {
    const doctor = newDoctor(h);
    const patient = newCaller("PATIENT");
    const encounterId = await encounterOf(patient.userId, doctor);
    const plain = {
      complaints: "Secret complaint",
      diagnosisCode: "F32.1",
      diagnosis: "Secret diagnosis",
      prescriptions: ["Secret pill"],
      notes: "Secret note",
    };
    const draft = await save(encounterId, plain, doctor.caller);
    await ok(SIGN, { id: draft.id }, doctor.caller);
    await ok(AMEND, { id: draft.id, i: { notes: "Secret amendment" }, r: "Secret reason" }, doctor.caller);

    const rows = await queryDatabase<Record<string, string | null>>(
      h.db.url,
      `SELECT complaints_enc, diagnosis_code, diagnosis_enc, prescriptions_enc, notes_enc, amend_reason_enc FROM clinical.record_versions WHERE entry_id = $1 ORDER BY version`,
      [draft.id],
    );
    expect(rows).toHaveLength(2);
    const sealed = rows.flatMap((r) => [r.complaints_enc, r.diagnosis_enc, r.prescriptions_enc, r.notes_enc]).concat(rows[1]!.amend_reason_enc);
    for (const value of sealed) expect(value).toMatch(/^v1\.t1\./);
    expect(rows[0]!.amend_reason_enc).toBeNull();
    expect(JSON.stringify(rows)).not.toMatch(/Secret/);
    // The code is kept in clear (structured, for statistics); it is not free text.
    expect(rows.map((r) => r.diagnosis_code)).toEqual(["F32.1", "F32.1"]);
    // Nothing clinical went to the outbox either.
    const outbox = await queryDatabase<{ payload: unknown }>(h.db.url, `SELECT payload FROM clinical.outbox`);
    expect(JSON.stringify(outbox)).not.toMatch(/Secret/);
  });
});

describe("auditing reads of the card", () => {
  it("records each read by someone other than the patient, once per request and action", async () => {
    const doctor = newDoctor(h);
    const patient = newCaller("PATIENT");
    const { encounterId } = await entryOf(patient.userId, doctor);
    expect(await accessesOf(patient.userId)).toEqual([]); // writing is not reading

    await ok(CARD, { p: patient.userId }, patient);
    await ok(ENCOUNTER_RECORDS, { id: encounterId }, patient);
    expect(await accessesOf(patient.userId)).toEqual([]); // the patient's own reads

    await ok(CARD, { p: patient.userId }, doctor.caller);
    const [card, ...none] = await accessesOf(patient.userId);
    expect(none).toEqual([]);
    expect(card).toMatchObject({
      actorId: doctor.caller.userId,
      actorRole: "DOCTOR",
      action: "PATIENT_CARD_READ",
      requestId: "test",
      at: h.clock.now().toISOString(),
    });
    expect(card!.accessId).toMatch(/^[0-9a-f-]{36}$/);

    await ok(ENCOUNTER_RECORDS, { id: encounterId }, doctor.caller); // the encounter itself (metadata), then its records
    expect((await accessesOf(patient.userId)).map((a) => a.action)).toEqual(["PATIENT_CARD_READ", "ENCOUNTER_READ", "CLINICAL_RECORD_READ"]);

    // One request reading the card and every encounter's records: one event per action.
    await ok(`query($p: ID!) { patientCard(patientId: $p) { encounters { records { id } summary } records { id } } }`, { p: patient.userId }, doctor.caller);
    expect((await accessesOf(patient.userId)).map((a) => a.action)).toEqual([
      "PATIENT_CARD_READ",
      "ENCOUNTER_READ",
      "CLINICAL_RECORD_READ",
      "PATIENT_CARD_READ",
      "CLINICAL_RECORD_READ",
    ]);
  });

  it("batches a doctor's list of several patients' encounters and records into one event per patient and action", async () => {
    const doctor = newDoctor(h);
    const patients = [newCaller("PATIENT"), newCaller("PATIENT"), newCaller("PATIENT")];
    for (const p of patients) await entryOf(p.userId, doctor);
    const res = await ok<{ encounters: { records: { id: string }[] }[] }>(`{ encounters { id records { id status } } }`, {}, doctor.caller);
    expect(res.encounters).toHaveLength(3);
    for (const p of patients)
      expect((await accessesOf(p.userId)).map((a) => [a.action, a.actorId])).toEqual([
        ["ENCOUNTER_READ", doctor.caller.userId],
        ["CLINICAL_RECORD_READ", doctor.caller.userId],
      ]);
  });
});
