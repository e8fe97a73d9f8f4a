/** The clinic board's state derivation (pure): one event at a time over a whole visit, replays and strays. */
import { describe, expect, it } from "@jest/globals";
import { applyBoardEvent, minutesInState, withDoctorState, type BoardEntry, type BoardEvent } from "../src/domain/board.js";

const TZ = "Europe/Berlin";
const ids = {
  encounterId: "e0000000-0000-4000-8000-000000000001",
  patientId: "p0000000-0000-4000-8000-000000000001",
  doctorId: "d0000000-0000-4000-8000-000000000001",
};
const base = { ...ids, doctorUserId: "u0000000-0000-4000-8000-000000000001", actorId: null };
const at = (hhmm: string) => new Date(`2027-03-22T${hhmm}:00.000Z`);

const encounter = (type: string, time: string, pendingExaminations = 0): BoardEvent => ({
  type,
  time: at(time),
  data: { ...base, appointmentId: "a0000000-0000-4000-8000-000000000001", status: "X", pendingExaminations },
});
const exam = (type: string, time: string, pendingExaminations?: number): BoardEvent => ({
  type,
  time: at(time),
  data: {
    ...base,
    examinationId: "x1",
    serviceId: "s1",
    status: "X",
    orderedAt: at("08:00").toISOString(),
    ...(pendingExaminations === undefined ? {} : { pendingExaminations }),
  },
});

function run(events: BoardEvent[], start: BoardEntry | null = null) {
  const states: (BoardEntry | null)[] = [];
  let entry = start;
  for (const event of events) {
    const next = applyBoardEvent(entry, event, TZ);
    states.push(next);
    entry = next ?? entry;
  }
  return { entry: entry!, states };
}

describe("applyBoardEvent", () => {
  it("registration puts the patient on the board of the clinic-local day, waiting since the event", () => {
    const entry = applyBoardEvent(null, encounter("EncounterRegistered", "23:30"), TZ)!; // 00:30 in Berlin the next day
    expect(entry).toMatchObject({ ...ids, state: "WAITING", day: "2027-03-23", pendingExams: 0, unreviewed: 0 });
    expect(entry.since).toEqual(at("23:30"));
    expect(entry.arrivedAt).toEqual(at("23:30"));
    expect(entry.appointmentId).toBe("a0000000-0000-4000-8000-000000000001");
  });

  it("follows a whole visit: waiting → with doctor → at examination → awaiting review → with doctor → finished → confirmed", () => {
    const { entry, states } = run([
      encounter("EncounterRegistered", "08:00"),
      encounter("EncounterStarted", "08:10"),
      exam("ExaminationOrdered", "08:20"),
      exam("ExaminationOrdered", "08:21"),
      exam("ExaminationPerformed", "08:40"),
      exam("ExaminationCancelled", "08:45"),
      exam("ExaminationReviewed", "08:50"),
      encounter("EncounterFinished", "09:00"),
      encounter("VisitOutcomeConfirmed", "09:05"),
    ]);
    expect(states.map((s) => s && [s.state, s.pendingExams, s.unreviewed])).toEqual([
      ["WAITING", 0, 0],
      ["WITH_DOCTOR", 0, 0],
      ["AT_EXAMINATION", 1, 0],
      ["AT_EXAMINATION", 2, 0],
      ["AT_EXAMINATION", 1, 1],
      ["AWAITING_REVIEW", 0, 1],
      ["WITH_DOCTOR", 0, 0],
      ["FINISHED", 0, 0],
      ["CONFIRMED", 0, 0],
    ]);
    // `since` moves only with the state: the second order and the first result kept AT_EXAMINATION's since.
    expect(states[3]!.since).toEqual(at("08:20"));
    expect(states[4]!.since).toEqual(at("08:20"));
    expect(states[5]!.since).toEqual(at("08:45"));
    expect(entry.since).toEqual(at("09:05"));
    expect(entry.arrivedAt).toEqual(at("08:00"));
  });

  it("uses the producer's count of ORDERED examinations when the event carries it", () => {
    const { entry } = run([encounter("EncounterRegistered", "08:00"), encounter("EncounterStarted", "08:10"), exam("ExaminationOrdered", "08:20", 3)]);
    expect(entry).toMatchObject({ state: "AT_EXAMINATION", pendingExams: 3 });
    expect(applyBoardEvent(entry, exam("ExaminationCancelled", "08:30", 0), TZ)).toMatchObject({ state: "WITH_DOCTOR", pendingExams: 0 });
  });

  it("a refusal ends the visit; cancellations of its orders that follow change the counts, not the state", () => {
    const { entry, states } = run([
      encounter("EncounterRegistered", "08:00"),
      encounter("EncounterStarted", "08:10"),
      exam("ExaminationOrdered", "08:20"),
      encounter("EncounterRefused", "08:30", 0),
      exam("ExaminationCancelled", "08:30", 0),
    ]);
    expect(states[3]).toMatchObject({ state: "REFUSED", pendingExams: 0 });
    expect(states[4]).toBeNull(); // nothing left to change
    expect(entry.since).toEqual(at("08:30"));
  });

  it("never moves back: a replayed registration or a late start changes nothing", () => {
    const { entry } = run([encounter("EncounterRegistered", "08:00"), encounter("EncounterStarted", "08:10"), encounter("EncounterFinished", "08:20")]);
    expect(applyBoardEvent(entry, encounter("EncounterRegistered", "08:00"), TZ)).toBeNull();
    expect(applyBoardEvent(entry, encounter("EncounterStarted", "08:10"), TZ)).toBeNull();
    const started = run([encounter("EncounterRegistered", "08:00"), encounter("EncounterStarted", "08:10")]).entry;
    expect(applyBoardEvent(started, encounter("EncounterStarted", "08:10"), TZ)).toBeNull();
  });

  it("an encounter seen first through a later event still gets an entry; unknown events change nothing", () => {
    expect(applyBoardEvent(null, exam("ExaminationOrdered", "08:20"), TZ)).toMatchObject({ state: "AT_EXAMINATION", pendingExams: 1, appointmentId: null });
    expect(applyBoardEvent(null, { ...encounter("EncounterRegistered", "08:00"), type: "PatientCheckedIn" }, TZ)).toBeNull();
  });

  it("counts never go below zero", () => {
    const { entry } = run([encounter("EncounterRegistered", "08:00"), encounter("EncounterStarted", "08:10"), exam("ExaminationReviewed", "08:20")]);
    expect(entry).toMatchObject({ state: "WITH_DOCTOR", unreviewed: 0 });
  });
});

describe("withDoctorState and minutesInState", () => {
  it("derives the state with the doctor from the counts", () => {
    expect(withDoctorState(0, 0)).toBe("WITH_DOCTOR");
    expect(withDoctorState(1, 5)).toBe("AT_EXAMINATION");
    expect(withDoctorState(0, 2)).toBe("AWAITING_REVIEW");
  });
  it("counts whole minutes on the given clock, never negative", () => {
    expect(minutesInState({ since: at("08:00") }, new Date("2027-03-22T08:14:59.999Z"))).toBe(14);
    expect(minutesInState({ since: at("08:00") }, at("07:59"))).toBe(0);
  });
});
