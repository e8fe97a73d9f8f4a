/**
 * Examinations on a real database, through the subgraph's API: the treating doctor orders from
 * the catalogue while the encounter is IN_PROGRESS; an examiner performs (result) or cancels (reason); the
 * ordering doctor cancels or reviews; each change one transaction with its outbox event (no clinical text);
 * results and reasons sealed and readable only by the patient, their doctors and the text's author; the
 * encounter's pending work follows, and it cannot finish while examinations are ORDERED.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { queryDatabase } from "@clinigraph/testing";
import { codeOf, person, SERVICES, startHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const FIELDS = `id status result cancelReason allowedTransitions encounter { id pendingExaminations } service { id } patient { id }`;
const ORDER = `mutation($e: ID!, $s: ID!) { orderExamination(encounterId: $e, serviceId: $s) { id status allowedTransitions } }`;
const PERFORM = `mutation($id: ID!, $r: String!) { performExamination(id: $id, result: $r) { id status allowedTransitions } }`;
const CANCEL = `mutation($id: ID!, $r: String!) { cancelExamination(id: $id, reason: $r) { id status } }`;
const REVIEW = `mutation($id: ID!) { reviewExamination(id: $id) { id status } }`;
const ENCOUNTER = `query($id: ID!) { encounter(id: $id) { id status pendingExaminations allowedTransitions examinations { id status } } }`;
const FINISH = `mutation($id: ID!) { finishEncounter(id: $id, summary: "ok") { id status } }`;
const ENTITY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Examination { ${FIELDS} } } }`;

type Exam = { id: string; status: string; allowedTransitions: string[] };

async function order(visit: Awaited<ReturnType<Harness["visit"]>>, serviceId: string = SERVICES.LAB_BLOOD.id): Promise<Exam> {
  const res = await h.call<{ orderExamination: Exam }>(ORDER, { e: visit.encounter.id, s: serviceId }, visit.doctor.caller);
  expect(res.errors).toBeUndefined();
  return res.data!.orderExamination;
}

const outbox = (encounterId: string) =>
  queryDatabase<{ type: string; payload: Record<string, unknown> }>(
    h.db.url,
    `SELECT type, payload FROM clinical.outbox WHERE aggregate_id = $1 AND type LIKE 'Examination%' ORDER BY sequence`,
    [encounterId],
  );

describe("orderExamination", () => {
  it("lets the treating doctor order a lab test or imaging for an IN_PROGRESS encounter, with its event", async () => {
    const visit = await h.visit();
    const lab = await order(visit);
    expect(lab).toMatchObject({ status: "ORDERED", allowedTransitions: ["CANCEL"] });
    await order(visit, SERVICES.IMG_XRAY.id);
    const enc = await h.call<{ encounter: { pendingExaminations: number; allowedTransitions: string[] } }>(
      ENCOUNTER,
      { id: visit.encounter.id },
      visit.doctor.caller,
    );
    expect(enc.data!.encounter.pendingExaminations).toBe(2);
    expect(enc.data!.encounter.allowedTransitions).not.toContain("FINISH");
    const events = await outbox(visit.encounter.id);
    expect(events.map((e) => [e.type, e.payload.status, e.payload.pendingExaminations])).toEqual([
      ["ExaminationOrdered", "ORDERED", 1],
      ["ExaminationOrdered", "ORDERED", 2],
    ]);
    expect(events[0]!.payload).toMatchObject({
      examinationId: lab.id,
      encounterId: visit.encounter.id,
      patientId: visit.patient.userId,
      doctorId: visit.doctor.doctorId,
      doctorUserId: visit.doctor.userId,
      serviceId: SERVICES.LAB_BLOOD.id,
      actorId: visit.doctor.userId,
    });
  });

  it.each([
    ["a consultation", SERVICES.GP_CONSULT.id, "BAD_USER_INPUT"],
    ["a procedure (not a diagnostic kind)", SERVICES.PROC_ECG.id, "BAD_USER_INPUT"],
    ["an operation", SERVICES.OP_APPENDECTOMY.id, "BAD_USER_INPUT"],
    ["a service the catalogue does not know", randomUUID(), "BAD_USER_INPUT"],
    ["a service id that is no id", "LAB_BLOOD", "BAD_USER_INPUT"],
  ])("refuses %s", async (_, serviceId, code) => {
    const visit = await h.visit();
    const res = await h.call(ORDER, { e: visit.encounter.id, s: serviceId }, visit.doctor.caller);
    expect(codeOf(res)).toBe(code);
    expect(await h.prisma.examination.count({ where: { encounterId: visit.encounter.id } })).toBe(0);
  });

  it("answers SERVICE_UNAVAILABLE while the catalogue (doctors) is down, and orders nothing", async () => {
    const visit = await h.visit();
    h.doctors.down = true;
    try {
      expect(codeOf(await h.call(ORDER, { e: visit.encounter.id, s: SERVICES.LAB_BLOOD.id }, visit.doctor.caller))).toBe("SERVICE_UNAVAILABLE");
    } finally {
      h.doctors.down = false;
    }
    expect(await h.prisma.examination.count({ where: { encounterId: visit.encounter.id } })).toBe(0);
  });

  it("is the treating doctor's, while the encounter is IN_PROGRESS", async () => {
    const arrived = await h.visit({ start: false });
    expect(codeOf(await h.call(ORDER, { e: arrived.encounter.id, s: SERVICES.LAB_BLOOD.id }, arrived.doctor.caller))).toBe("CONFLICT");
    const visit = await h.visit();
    const calls = h.doctors.calls;
    for (const caller of [person("DOCTOR").caller, person("EXAMINER").caller, person("RECEPTIONIST").caller, visit.patient.caller])
      expect(codeOf(await h.call(ORDER, { e: visit.encounter.id, s: SERVICES.LAB_BLOOD.id }, caller))).toBe("FORBIDDEN");
    expect(h.doctors.calls).toBe(calls); // refused before asking the catalogue
    expect(codeOf(await h.call(ORDER, { e: randomUUID(), s: SERVICES.LAB_BLOOD.id }, visit.doctor.caller))).toBe("NOT_FOUND");
  });

  it("refuses the same service twice while the first is still ORDERED (a double submit), and allows it again once done", async () => {
    const visit = await h.visit();
    const first = await order(visit);
    expect(codeOf(await h.call(ORDER, { e: visit.encounter.id, s: SERVICES.LAB_BLOOD.id }, visit.doctor.caller))).toBe("CONFLICT");
    await h.call(PERFORM, { id: first.id, r: "Hb 14.1 g/dL" }, person("EXAMINER").caller);
    await order(visit);
  });

  it("serialises with finishing: concurrent orders and a finish never leave an ORDERED examination on a FINISHED encounter", async () => {
    const visit = await h.visit();
    const results = await Promise.all([
      h.call(ORDER, { e: visit.encounter.id, s: SERVICES.LAB_BLOOD.id }, visit.doctor.caller),
      h.call(FINISH, { id: visit.encounter.id }, visit.doctor.caller),
      h.call(ORDER, { e: visit.encounter.id, s: SERVICES.IMG_XRAY.id }, visit.doctor.caller),
    ]);
    const encounter = await h.prisma.encounter.findUniqueOrThrow({ where: { id: visit.encounter.id } });
    const ordered = await h.prisma.examination.count({ where: { encounterId: visit.encounter.id, status: "ORDERED" } });
    if (encounter.status === "FINISHED") expect(ordered).toBe(0);
    else expect(codeOf(results[1]!)).toBe("CONFLICT");
  });
});

describe("performExamination, cancelExamination, reviewExamination", () => {
  it("an examiner performs with a result (sealed at rest); the ordering doctor reviews it", async () => {
    const visit = await h.visit();
    const exam = await order(visit);
    const examiner = person("EXAMINER");
    expect(codeOf(await h.call(PERFORM, { id: exam.id, r: "   " }, examiner.caller))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(PERFORM, { id: exam.id, r: "x".repeat(20_001) }, examiner.caller))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(PERFORM, { id: exam.id, r: "Hb 9.8 g/dL" }, visit.doctor.caller))).toBe("FORBIDDEN");
    const performed = await h.call<{ performExamination: Exam }>(PERFORM, { id: exam.id, r: "Hb 9.8 g/dL (low)" }, examiner.caller);
    expect(performed.errors).toBeUndefined();
    expect(performed.data!.performExamination).toMatchObject({ status: "PERFORMED", allowedTransitions: [] });
    expect(codeOf(await h.call(PERFORM, { id: exam.id, r: "again" }, person("EXAMINER").caller))).toBe("CONFLICT");

    const [row] = await queryDatabase<{ result_enc: string; performed_by: string; version: number }>(
      h.db.url,
      `SELECT result_enc, performed_by, version FROM clinical.examinations WHERE id = $1`,
      [exam.id],
    );
    expect(row!.result_enc).not.toContain("Hb 9.8"); // the text, not two letters a base64 ciphertext may hold by chance
    expect(h.cipher.decrypt(row!.result_enc)).toBe("Hb 9.8 g/dL (low)");
    expect(row).toMatchObject({ performed_by: examiner.userId, version: 1 });

    expect(codeOf(await h.call(REVIEW, { id: exam.id }, examiner.caller))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(REVIEW, { id: exam.id }, person("DOCTOR").caller))).toBe("FORBIDDEN");
    const reviewed = await h.call<{ reviewExamination: Exam }>(REVIEW, { id: exam.id }, visit.doctor.caller);
    expect(reviewed.data!.reviewExamination.status).toBe("REVIEWED");
    expect(codeOf(await h.call(REVIEW, { id: exam.id }, visit.doctor.caller))).toBe("CONFLICT");
    const events = await outbox(visit.encounter.id);
    expect(events.map((e) => e.type)).toEqual(["ExaminationOrdered", "ExaminationPerformed", "ExaminationReviewed"]);
    expect(events[1]!.payload).toMatchObject({ status: "PERFORMED", actorId: examiner.userId, pendingExaminations: 0 });
    expect(JSON.stringify(events)).not.toContain("Hb");
  });

  it("reviewing needs a result: an ORDERED examination cannot be reviewed", async () => {
    const visit = await h.visit();
    const exam = await order(visit);
    expect(codeOf(await h.call(REVIEW, { id: exam.id }, visit.doctor.caller))).toBe("CONFLICT");
  });

  it("an examiner's cancellation (reason required, sealed) updates the encounter's pending work and lets it finish; the event tells the doctor", async () => {
    const visit = await h.visit();
    const lab = await order(visit);
    const xray = await order(visit, SERVICES.IMG_XRAY.id);
    expect(codeOf(await h.call(FINISH, { id: visit.encounter.id }, visit.doctor.caller))).toBe("CONFLICT");
    const examiner = person("EXAMINER");
    expect(codeOf(await h.call(CANCEL, { id: lab.id, r: "" }, examiner.caller))).toBe("BAD_USER_INPUT");
    expect((await h.call<{ cancelExamination: Exam }>(CANCEL, { id: lab.id, r: "Sample haemolysed" }, examiner.caller)).data!.cancelExamination.status).toBe(
      "CANCELLED",
    );
    const enc = await h.call<{ encounter: { pendingExaminations: number; allowedTransitions: string[] } }>(
      ENCOUNTER,
      { id: visit.encounter.id },
      visit.doctor.caller,
    );
    expect(enc.data!.encounter.pendingExaminations).toBe(1);
    // The ordering doctor cancels the other one to finish.
    expect(codeOf(await h.call(CANCEL, { id: xray.id, r: "Not needed" }, person("DOCTOR").caller))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(CANCEL, { id: xray.id, r: "Not needed any more" }, visit.doctor.caller))).toBe("OK");
    const after = await h.call<{ encounter: { pendingExaminations: number; allowedTransitions: string[] } }>(
      ENCOUNTER,
      { id: visit.encounter.id },
      visit.doctor.caller,
    );
    expect(after.data!.encounter).toMatchObject({ pendingExaminations: 0 });
    expect(after.data!.encounter.allowedTransitions).toContain("FINISH");
    expect(codeOf(await h.call(FINISH, { id: visit.encounter.id }, visit.doctor.caller))).toBe("OK");

    const cancelled = (await outbox(visit.encounter.id)).filter((e) => e.type === "ExaminationCancelled");
    expect(cancelled.map((e) => e.payload)).toEqual([
      expect.objectContaining({
        examinationId: lab.id,
        doctorUserId: visit.doctor.userId,
        actorId: examiner.userId,
        serviceId: SERVICES.LAB_BLOOD.id,
        pendingExaminations: 1,
      }),
      expect.objectContaining({ examinationId: xray.id, actorId: visit.doctor.userId, pendingExaminations: 0 }),
    ]);
    expect(JSON.stringify(cancelled)).not.toContain("haemolysed");
    const [row] = await queryDatabase<{ cancel_reason_enc: string }>(h.db.url, `SELECT cancel_reason_enc FROM clinical.examinations WHERE id = $1`, [lab.id]);
    expect(h.cipher.decrypt(row!.cancel_reason_enc)).toBe("Sample haemolysed");
  });

  it("refusing the treatment cancels the ORDERED examinations, each event with the pending work left", async () => {
    const visit = await h.visit();
    await order(visit);
    await order(visit, SERVICES.IMG_XRAY.id);
    const res = await h.call(
      `mutation($id: ID!) { refuseEncounter(id: $id, reason: "Patient declined") { status pendingExaminations } }`,
      { id: visit.encounter.id },
      visit.doctor.caller,
    );
    expect(res.data).toEqual({ refuseEncounter: { status: "REFUSED", pendingExaminations: 0 } });
    const cancelled = (await outbox(visit.encounter.id)).filter((e) => e.type === "ExaminationCancelled");
    expect(cancelled.map((e) => e.payload.pendingExaminations)).toEqual([1, 0]);
  });

  it("one of two examiners performing the same examination at once wins; the other gets CONFLICT", async () => {
    const visit = await h.visit();
    const exam = await order(visit);
    const results = await Promise.all([
      h.call(PERFORM, { id: exam.id, r: "first" }, person("EXAMINER").caller),
      h.call(CANCEL, { id: exam.id, r: "second" }, person("EXAMINER").caller),
      h.call(PERFORM, { id: exam.id, r: "third" }, person("EXAMINER").caller),
    ]);
    expect(results.map(codeOf).sort()).toEqual(["CONFLICT", "CONFLICT", "OK"]);
    const events = (await outbox(visit.encounter.id)).filter((e) => e.type !== "ExaminationOrdered");
    expect(events).toHaveLength(1);
  });

  it("answers NOT_FOUND for an unknown examination and BAD_USER_INPUT for a malformed id", async () => {
    expect(codeOf(await h.call(PERFORM, { id: randomUUID(), r: "x" }, person("EXAMINER").caller))).toBe("NOT_FOUND");
    expect(codeOf(await h.call(PERFORM, { id: "1 OR 1=1", r: "x" }, person("EXAMINER").caller))).toBe("BAD_USER_INPUT");
  });
});

describe("who reads an examination and its clinical text", () => {
  it("results and reasons: the patient (own), the treating doctor and the author; reception, other examiners and other doctors are refused", async () => {
    const visit = await h.visit();
    const exam = await order(visit);
    const author = person("EXAMINER");
    await h.call(PERFORM, { id: exam.id, r: "Glucose 5.2 mmol/L" }, author.caller);
    const read = (caller: Parameters<Harness["call"]>[2]) =>
      h.call<{ _entities: ({ result: string | null; status: string } | null)[] }>(ENTITY, { r: [{ __typename: "Examination", id: exam.id }] }, caller);

    for (const caller of [visit.doctor.caller, author.caller]) {
      const res = await read(caller);
      expect(res.errors).toBeUndefined();
      expect(res.data!._entities[0]).toMatchObject({ status: "PERFORMED", result: "Glucose 5.2 mmol/L" });
    }
    // The patient gets the result once the doctor has reviewed it.
    const early = await read(visit.patient.caller);
    expect(early.errors).toBeUndefined();
    expect(early.data!._entities[0]).toMatchObject({ status: "PERFORMED", result: null });
    await h.call(`mutation($id: ID!) { reviewExamination(id: $id) { status } }`, { id: exam.id }, visit.doctor.caller);
    const reviewed = await read(visit.patient.caller);
    expect(reviewed.data!._entities[0]).toMatchObject({ status: "REVIEWED", result: "Glucose 5.2 mmol/L" });
    for (const caller of [person("RECEPTIONIST").caller, person("EXAMINER").caller, person("ADMIN").caller]) {
      const res = await read(caller);
      expect(codeOf(res)).toBe("FORBIDDEN");
      expect(res.errors![0]!.path).toEqual(["_entities", 0, "result"]);
      expect(JSON.stringify(res)).not.toContain("Glucose");
    }
    // Without a relation to the encounter, the examination itself is not theirs.
    for (const caller of [person("PATIENT").caller, person("DOCTOR").caller, person("BILLING").caller]) {
      const res = await read(caller);
      expect(codeOf(res)).toBe("FORBIDDEN");
      expect(JSON.stringify(res.data ?? null)).not.toContain("PERFORMED");
    }
    expect(codeOf(await read({ userId: null, role: null }))).toBe("UNAUTHENTICATED");
  });

  it("reception sees status and service but not the reason of a cancellation", async () => {
    const visit = await h.visit();
    const exam = await order(visit);
    await h.call(CANCEL, { id: exam.id, r: "Contrast allergy" }, person("EXAMINER").caller);
    const res = await h.call<{ _entities: { status: string; service: { id: string } }[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Examination { status service { id } } } }`,
      { r: [{ __typename: "Examination", id: exam.id }] },
      person("RECEPTIONIST").caller,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities[0]).toEqual({ status: "CANCELLED", service: { id: SERVICES.LAB_BLOOD.id } });
    const reason = await h.call(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Examination { cancelReason } } }`,
      { r: [{ __typename: "Examination", id: exam.id }] },
      person("RECEPTIONIST").caller,
    );
    expect(codeOf(reason)).toBe("FORBIDDEN");
  });
});
