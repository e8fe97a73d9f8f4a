/** The shared read recorder: batching per tick, the caller's own record skipped, once per request when asked. */
import { describe, expect, it } from "@jest/globals";
import { createReadRecorder, type PatientRecordAccessedData } from "../src/index.js";

const doctor = { userId: "00000000-0000-4000-8000-00000000d001", role: "DOCTOR" as const, requestId: "req-1" };

function recorder(oncePerRequest: boolean) {
  const writes: PatientRecordAccessedData[][] = [];
  const r = createReadRecorder({
    identity: doctor,
    clock: () => new Date("2027-03-22T08:00:00Z"),
    write: async (reads) => void writes.push(reads),
    oncePerRequest,
  });
  return { r, writes };
}

describe("createReadRecorder", () => {
  it("writes the reads of one tick in one batch, one event per patient and action, and skips the caller's own record", async () => {
    const { r, writes } = recorder(false);
    await Promise.all([r.record("APPOINTMENT_READ", ["p1", "p2", "p1"]), r.record("APPOINTMENT_READ", ["p2", doctor.userId]), r.record("CARD", ["p1"])]);
    expect(writes).toHaveLength(1);
    expect(writes[0]!.map((w) => [w.action, w.patientId])).toEqual([
      ["APPOINTMENT_READ", "p1"],
      ["APPOINTMENT_READ", "p2"],
      ["CARD", "p1"],
    ]);
    expect(writes[0]![0]).toMatchObject({ actorId: doctor.userId, actorRole: "DOCTOR", requestId: "req-1", at: "2027-03-22T08:00:00.000Z" });
    expect(new Set(writes[0]!.map((w) => w.accessId)).size).toBe(3);
  });

  it("records every tick in a long-lived context, each (patient, action) once with oncePerRequest", async () => {
    const everyTick = recorder(false);
    await everyTick.r.record("FEED", ["p1"]);
    await everyTick.r.record("FEED", ["p1"]);
    expect(everyTick.writes).toHaveLength(2);
    const once = recorder(true);
    await once.r.record("CARD", ["p1"]);
    await once.r.record("CARD", ["p1", "p2"]);
    expect(once.writes.flat().map((w) => w.patientId)).toEqual(["p1", "p2"]);
  });

  it("records each (patient, action) once per delivered event in a subscription's context (nextRequest)", async () => {
    const { r, writes } = recorder(true);
    await Promise.all([r.record("ENCOUNTER_READ", ["p1"]), r.record("EXAMINATION_READ", ["p1"])]);
    await r.record("ENCOUNTER_READ", ["p1"]); // the same event: already recorded
    r.nextRequest(); // the next event of the feed
    await r.record("ENCOUNTER_READ", ["p1"]);
    await r.record("ENCOUNTER_READ", ["p1"]);
    expect(writes.map((batch) => batch.map((w) => w.action))).toEqual([["ENCOUNTER_READ", "EXAMINATION_READ"], ["ENCOUNTER_READ"]]);
  });

  it("records nothing for an anonymous caller, and fails the read when the write fails", async () => {
    const writes: unknown[] = [];
    const anonymous = createReadRecorder({ identity: { userId: null, role: null, requestId: "r" }, write: async (reads) => void writes.push(reads) });
    await anonymous.record("X", ["p1"]);
    expect(writes).toEqual([]);
    const failing = createReadRecorder({ identity: doctor, write: async () => Promise.reject(new Error("db down")) });
    await expect(failing.record("X", ["p1"])).rejects.toThrow("db down");
  });
});
