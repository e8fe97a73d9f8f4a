/**
 * PHI at rest: the free text patients and clinicians type — the reason for a visit, for a
 * rejection, a cancellation or an overbooking, and feedback comments — is stored only sealed
 * (`v1.<kid>.…`, the platform's AES-256-GCM field cipher) and never copied into the outbox, while the API
 * shows it in clear. The data key rotates (`pnpm phi:rotate`'s engine) and the API still reads it all
 * with the old key gone.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createFieldCipher, generateKey, keyIdOf, parseKeyRing, type FieldCipher } from "@clinigraph/platform";
import { SEALED_COLUMNS, countValuesByKey, createRotationPool, rotateDataKeys } from "@clinigraph/platform/rotate";
import { TEST_DATA_KEYS } from "@clinigraph/testing";
import { LATER_THIS_WEEK, appointmentIn, newPatient, newStaff, seedDoctor, slotAt, type Caller } from "./support/factories.js";
import { startHarness, type Harness } from "./support/harness.js";
import { APPOINTMENT, CANCEL, FEEDBACK, OVERBOOK, REJECT, REQUEST, type AppointmentView, type BookingView } from "./support/operations.js";

/** Marks every piece of free text, so a scan of the raw tables finds any copy of it. */
const MARK = `phi${randomBytes(5).toString("hex")}`;
const TEXT = {
  request: `Chest pain since Tuesday ${MARK}`,
  cancel: `Feeling better now ${MARK}`,
  rejectRequest: `Recurring migraine ${MARK}`,
  reject: `Please see a neurologist ${MARK}`,
  overbook: `Post-operative check ${MARK}`,
  comment: `Kind and thorough ${MARK}`,
  hide: `Names another patient ${MARK}`,
};
const SEALED = /^v1\.([A-Za-z0-9_-]+)\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const SCHEDULING_SEALED = SEALED_COLUMNS.filter((t) => t.schema === "scheduling");

let h: Harness;
let pool: ReturnType<typeof createRotationPool>;
const made: Record<"cancelled" | "rejected" | "fulfilled" | "overbooked", { id: string; owner: Caller }> = {} as never;

beforeAll(async () => {
  h = await startHarness();
  pool = createRotationPool(h.db.url);
  const must = async <T>(query: string, variables: Record<string, unknown>, caller: Caller): Promise<T> => {
    const res = await h.call<T>(query, variables, caller);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data!;
  };
  const doctor = await seedDoctor(h);

  // Booked with a reason, then cancelled with one.
  const patient = newPatient();
  const slot = await slotAt(h, doctor.id, LATER_THIS_WEEK);
  const requested = (await must<{ requestAppointment: BookingView }>(REQUEST, { input: { slotId: slot.id, reason: TEXT.request } }, patient))
    .requestAppointment;
  if (requested.__typename !== "Appointment") throw new Error("could not book");
  await must(CANCEL, { id: requested.id, reason: TEXT.cancel }, patient);
  made.cancelled = { id: requested.id, owner: patient };

  // Requested with a reason, rejected with one.
  const other = newPatient();
  const otherSlot = await slotAt(h, doctor.id, "2026-03-04T11:00");
  const pending = (await must<{ requestAppointment: BookingView }>(REQUEST, { input: { slotId: otherSlot.id, reason: TEXT.rejectRequest } }, other))
    .requestAppointment;
  if (pending.__typename !== "Appointment") throw new Error("could not book");
  await must(REJECT, { id: pending.id, reason: TEXT.reject }, doctor.caller);
  made.rejected = { id: pending.id, owner: other };

  // Fulfilled, then rated with a comment.
  const visit = await appointmentIn(h, "FULFILLED", { doctor });
  h.clock.advanceMinutes(90);
  await must(FEEDBACK, { id: visit.appointment.id, rating: 4, comment: TEXT.comment }, visit.patient);
  made.fulfilled = { id: visit.appointment.id, owner: visit.patient };
  // Hidden by an administrator, with a reason (sealed in the moderation and in the history).
  await must(
    `mutation($id: ID!, $r: String!) { hideFeedbackComment(appointmentId: $id, reason: $r) { id } }`,
    { id: visit.appointment.id, r: TEXT.hide },
    newStaff("ADMIN"),
  );

  // Overbooked by an administrator, with the reason the action requires.
  const taken = await appointmentIn(h, "BOOKED", { doctor, local: "2026-03-05T10:00" });
  const extra = newPatient();
  const overbooked = (
    await must<{ overbookAppointment: AppointmentView }>(
      OVERBOOK,
      { input: { slotId: taken.slot.id, patientId: extra.userId, reason: TEXT.overbook } },
      newStaff("ADMIN"),
    )
  ).overbookAppointment;
  made.overbooked = { id: overbooked.id, owner: extra };
});

afterAll(async () => {
  await pool?.end();
  await h?.stop();
});

/** What the owner sees through the API. */
async function view(which: keyof typeof made): Promise<AppointmentView> {
  const res = await h.call<{ appointment: AppointmentView }>(APPOINTMENT, { id: made[which].id }, made[which].owner);
  expect(res.errors).toBeUndefined();
  return res.data!.appointment;
}

async function expectClearTextThroughTheApi() {
  const cancelled = await view("cancelled");
  expect(cancelled.reason).toBe(TEXT.request);
  expect(cancelled.history.map((c) => [c.action, c.reason])).toEqual([
    ["REQUEST", TEXT.request],
    ["CANCEL", TEXT.cancel],
  ]);
  const rejected = await view("rejected");
  expect(rejected.reason).toBe(TEXT.rejectRequest);
  expect(rejected.history.map((c) => [c.action, c.reason])).toEqual([
    ["REQUEST", TEXT.rejectRequest],
    ["REJECT", TEXT.reject],
  ]);
  const fulfilled = await view("fulfilled");
  expect(fulfilled.feedback).toMatchObject({ rating: 4, comment: TEXT.comment, hidden: true }); // its author still sees it
  const moderated = await h.call<{ appointment: { feedback: { hiddenReason: string }; history: { action: string; reason: string }[] } }>(
    `query($id: ID!) { appointment(id: $id) { feedback { hiddenReason } history { action reason } } }`,
    { id: made.fulfilled.id },
    newStaff("ADMIN"),
  );
  expect(moderated.data?.appointment.feedback.hiddenReason).toBe(TEXT.hide);
  expect(moderated.data?.appointment.history.at(-1)).toEqual({ action: "HIDE_FEEDBACK", reason: TEXT.hide });
  const overbooked = await view("overbooked");
  expect(overbooked.reason).toBe(TEXT.overbook);
  expect(overbooked.history.map((c) => [c.action, c.reason])).toEqual([["OVERBOOK", TEXT.overbook]]);
}

/** Every sealed value of the scheduling schema, with the column it is in. */
async function sealedValues(): Promise<{ column: string; value: string }[]> {
  const values: { column: string; value: string }[] = [];
  for (const { table, columns } of SCHEDULING_SEALED) {
    for (const column of columns) {
      const { rows } = await pool.query<{ value: string }>(`SELECT "${column}" AS value FROM scheduling."${table}" WHERE "${column}" IS NOT NULL`);
      values.push(...rows.map((row) => ({ column: `${table}.${column}`, value: row.value })));
    }
  }
  return values;
}

describe("free text at rest", () => {
  it("the API answers in clear", async () => {
    await expectClearTextThroughTheApi();
  });

  it("the tables hold only sealed values, under the active key, and no clear copy anywhere", async () => {
    const { rows: clearColumns } = await pool.query(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'scheduling' AND column_name IN ('reason', 'feedback_comment', 'comment')`,
    );
    expect(clearColumns).toEqual([]);

    const values = await sealedValues();
    for (const { value } of values) {
      expect(value).toMatch(SEALED);
      expect(keyIdOf(value)).toBe("t1");
      expect(value).not.toContain(MARK);
    }
    // Every piece of free text typed above: 3 appointment reasons (cancelled, rejected, overbooked), 6 change
    // reasons (request + cancel, request + reject, overbook, hiding the comment), 1 feedback comment, 1 reason for hiding it.
    const count = (column: string) => values.filter((v) => v.column === column).length;
    expect([
      count("appointments.reason_enc"),
      count("appointment_changes.reason_enc"),
      count("appointments.feedback_comment_enc"),
      count("feedback_moderation.hidden_reason_enc"),
    ]).toEqual([3, 6, 1, 1]);

    // No table of the schema holds the text in clear: not the appointments, not their history, not the outbox.
    const { rows: tables } = await pool.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'scheduling' AND table_type = 'BASE TABLE'",
    );
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(["appointments", "appointment_changes", "outbox"]));
    for (const { name } of tables) {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM scheduling."${name}" t WHERE t::text LIKE '%' || $1 || '%'`, [MARK]);
      expect({ table: name, rowsWithClearText: rows[0]!.n }).toEqual({ table: name, rowsWithClearText: 0 });
    }
  });

  it("outbox payloads carry no free text", async () => {
    const ids = Object.values(made).map((m) => m.id);
    const { rows } = await pool.query<{ type: string; payload: Record<string, unknown> }>(
      "SELECT type, payload FROM scheduling.outbox WHERE aggregate_id = ANY($1::uuid[]) ORDER BY sequence",
      [ids],
    );
    expect(rows.map((r) => r.type)).toEqual(
      expect.arrayContaining(["AppointmentRequested", "AppointmentCancelled", "AppointmentRejected", "FeedbackSubmitted", "AppointmentOverbooked"]),
    );
    for (const { type, payload } of rows) {
      const freeTextFields = Object.keys(payload).filter((key) => ["reason", "comment", "feedbackComment"].includes(key));
      expect({ type, freeTextFields }).toEqual({ type, freeTextFields: [] });
      expect(JSON.stringify(payload)).not.toContain(MARK);
    }
    expect(rows.find((r) => r.type === "FeedbackSubmitted")!.payload).toMatchObject({ appointmentId: made.fulfilled.id, rating: 4 });
  });
});

describe("key rotation", () => {
  /** The test key ring the subgraph runs with (t1). */
  const testKeys = parseKeyRing(TEST_DATA_KEYS);
  const k2 = Buffer.from(generateKey(), "base64");
  let serving: FieldCipher;

  beforeAll(() => {
    serving = h.deps.cipher;
  });
  afterAll(() => {
    h.deps.cipher = serving;
  });

  it("re-encrypts scheduling's sealed columns under the new key; the API reads them with the old key gone", async () => {
    const before = await sealedValues();
    const rotating = createFieldCipher({ keys: { ...testKeys, k2 }, activeKeyId: "k2" });
    // New values under k2 while the rotation runs (step 3 of ADR 3's procedure): the service switched keys first.
    h.deps.cipher = rotating;
    const result = await rotateDataKeys(pool, rotating, { tables: SCHEDULING_SEALED, batchSize: 2 });
    expect(result.failures).toEqual([]);
    expect(result.total).toBe(before.length);
    expect(Object.keys(result.rotated).sort()).toEqual([
      "scheduling.appointment_changes.reason_enc",
      "scheduling.appointments.feedback_comment_enc",
      "scheduling.appointments.reason_enc",
      "scheduling.feedback_moderation.hidden_reason_enc",
    ]);
    for (const byKey of Object.values(await countValuesByKey(pool, SCHEDULING_SEALED))) expect(Object.keys(byKey)).toEqual(["k2"]);

    // Only k2 configured now (step 5): every value still opens, the API is unchanged.
    h.deps.cipher = createFieldCipher({ keys: { k2 }, activeKeyId: "k2" });
    await expectClearTextThroughTheApi();
    for (const { value } of await sealedValues()) expect(keyIdOf(value)).toBe("k2");
    // And a run with nothing left changes nothing.
    expect((await rotateDataKeys(pool, rotating, { tables: SCHEDULING_SEALED })).total).toBe(0);
  });
});
