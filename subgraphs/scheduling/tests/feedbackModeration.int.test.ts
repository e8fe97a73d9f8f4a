/**
 * Feedback follow-up on the real subgraph and database: summaries (per doctor, per service, over submission time,
 * with the distribution), comment lists with keyset pages, and moderation (hide / unhide: ADMIN only, audited in
 * the history, idempotent, serialised under concurrency; hidden comments gone for the doctor, the rating kept).
 */
import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { encodeCursor } from "@clinigraph/platform";
import { submitFeedback } from "../src/domain/feedback.js";
import { changeStatus } from "../src/domain/transitions.js";
import { actorOf, newPatient, newStaff, request, seedDoctor, slotAt, type Caller, type SeededDoctor } from "./support/factories.js";
import { codeOf, useHarness } from "./support/harness.js";
import { APPOINTMENT, type AppointmentView } from "./support/operations.js";

const h = useHarness();

const SUMMARY = `query($d: ID, $s: ID, $from: DateTime, $to: DateTime) {
  feedbackSummary(doctorId: $d, serviceId: $s, from: $from, to: $to) { average count distribution } }`;
const MY_SUMMARY = `query($from: DateTime, $to: DateTime) { myFeedbackSummary(from: $from, to: $to) { average count distribution } }`;
const BY_DOCTOR = `query($from: DateTime, $to: DateTime) { feedbackByDoctor(from: $from, to: $to) { doctor { id } average count distribution } }`;
const BY_SERVICE = `query($from: DateTime, $to: DateTime) { feedbackByService(from: $from, to: $to) { service { id } average count distribution } }`;
const COMMENT_FIELDS = "appointmentId rating comment doctor { id } service { id } submittedAt hidden hiddenReason hiddenBy hiddenAt";
const COMMENTS = `query($d: ID, $s: ID, $all: Boolean, $first: Int, $after: String) {
  feedbackComments(doctorId: $d, serviceId: $s, includeHidden: $all, first: $first, after: $after) {
    edges { cursor node { ${COMMENT_FIELDS} } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
const MY_COMMENTS = `query($first: Int, $after: String) { myFeedbackComments(first: $first, after: $after) {
  edges { node { ${COMMENT_FIELDS} } } pageInfo { hasNextPage } } }`;
const HIDE = `mutation($id: ID!, $r: String!) { hideFeedbackComment(appointmentId: $id, reason: $r) {
  id feedback { rating comment hidden hiddenReason } history { action actorId actorRole reason } } }`;
const UNHIDE = `mutation($id: ID!) { unhideFeedbackComment(appointmentId: $id) { id feedback { rating comment hidden hiddenReason } history { action reason } } }`;
const FEEDBACK_AS_SEEN = `query($id: ID!) { appointment(id: $id) { feedback { rating comment hidden } history { action reason } } }`;

interface Summary {
  average: number | null;
  count: number;
  distribution: number[];
}
interface CommentView {
  appointmentId: string | null;
  rating: number;
  comment: string;
  doctor: { id: string };
  service: { id: string } | null;
  submittedAt: string;
  hidden: boolean;
  hiddenReason: string | null;
  hiddenBy: string | null;
  hiddenAt: string | null;
}
interface Page {
  edges: { cursor: string; node: CommentView }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
}

const admin = newStaff("ADMIN");

/** Monday's afternoon slots of the base week (check-in is open, one patient each). */
const AFTERNOON = ["10:00", "10:30", "11:00", "11:30", "12:00", "12:30", "13:00", "13:30", "14:00", "14:30", "15:00", "15:30", "16:00", "16:30"];

/**
 * A FULFILLED appointment of `doctor` at Monday `time` (for `serviceId` if given), rated `rating` by a new patient
 * with `comment`, the feedback submitted at `submittedAt`.
 */
async function rated(doctor: SeededDoctor, time: string, rating: number, comment: string | null, submittedAt: string, serviceId?: string) {
  const patient = newPatient();
  const slot = await slotAt(h, doctor.id, `2026-03-02T${time}`);
  h.clock.reset();
  let appointment = await request(h, patient, slot.id, serviceId ? { serviceId } : {});
  if (appointment.status === "PENDING") appointment = await changeStatus(h.deps, doctor.actor, appointment.id, "APPROVE");
  await changeStatus(h.deps, actorOf(newStaff("RECEPTIONIST")), appointment.id, "CHECK_IN");
  await changeStatus(h.deps, doctor.actor, appointment.id, "FULFILL");
  h.clock.set(submittedAt);
  await submitFeedback(h.deps, actorOf(patient), appointment.id, rating, comment);
  return { id: appointment.id, patient };
}

const data = async <T>(query: string, variables: Record<string, unknown>, caller: Caller): Promise<T> => {
  const res = await h.call<T>(query, variables, caller);
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!;
};

describe("summaries", () => {
  it("count, average and distribution per doctor, per service and over submission time; the range is [from, to)", async () => {
    const [s1, s2] = [randomUUID(), randomUUID()];
    const doctor = await seedDoctor(h, { serviceIds: [s1, s2], autoApprove: true });
    const other = await seedDoctor(h, { serviceIds: [s1], autoApprove: true });
    await rated(doctor, AFTERNOON[0]!, 5, "Excellent", "2026-04-06T10:00:00Z", s1);
    await rated(doctor, AFTERNOON[1]!, 4, null, "2026-04-06T11:00:00Z", s1);
    await rated(doctor, AFTERNOON[2]!, 1, "Rude", "2026-04-07T10:00:00Z", s2);
    await rated(doctor, AFTERNOON[3]!, 5, "Kind", "2026-04-08T10:00:00Z");
    await rated(other, AFTERNOON[0]!, 2, "Late", "2026-04-07T12:00:00Z", s1);

    expect((await data<{ feedbackSummary: Summary }>(SUMMARY, { d: doctor.id }, admin)).feedbackSummary).toEqual({
      count: 4,
      average: 15 / 4,
      distribution: [1, 0, 0, 1, 2],
    });
    expect((await data<{ feedbackSummary: Summary }>(SUMMARY, { s: s1 }, admin)).feedbackSummary).toEqual({
      count: 3,
      average: 11 / 3,
      distribution: [0, 1, 0, 1, 1],
    });
    expect((await data<{ feedbackSummary: Summary }>(SUMMARY, { d: doctor.id, s: s1 }, admin)).feedbackSummary).toMatchObject({ count: 2, average: 4.5 });
    // [from, to): the 6th and the 7th; 8 April 10:00 is the (excluded) end.
    const window = { from: "2026-04-06T00:00:00Z", to: "2026-04-08T10:00:00Z" };
    expect((await data<{ feedbackSummary: Summary }>(SUMMARY, { d: doctor.id, ...window }, admin)).feedbackSummary).toEqual({
      count: 3,
      average: 10 / 3,
      distribution: [1, 0, 0, 1, 1],
    });
    // Every rating of the window, whoever the doctor (the file's other tests submit at other times).
    expect((await data<{ feedbackSummary: Summary }>(SUMMARY, window, admin)).feedbackSummary).toEqual({
      count: 4,
      average: 12 / 4,
      distribution: [1, 1, 0, 1, 1],
    });

    const byDoctor = (await data<{ feedbackByDoctor: (Summary & { doctor: { id: string } })[] }>(BY_DOCTOR, window, admin)).feedbackByDoctor;
    expect(byDoctor).toEqual([
      { doctor: { id: doctor.id }, count: 3, average: 10 / 3, distribution: [1, 0, 0, 1, 1] },
      { doctor: { id: other.id }, count: 1, average: 2, distribution: [0, 1, 0, 0, 0] },
    ]);
    const byService = (await data<{ feedbackByService: (Summary & { service: { id: string } | null })[] }>(BY_SERVICE, window, admin)).feedbackByService;
    expect(byService).toEqual([
      { service: { id: s1 }, count: 3, average: 11 / 3, distribution: [0, 1, 0, 1, 1] },
      { service: { id: s2 }, count: 1, average: 1, distribution: [1, 0, 0, 0, 0] },
    ]);
    // Feedback on an appointment booked without a service is its own group.
    const all = (
      await data<{ feedbackByService: (Summary & { service: { id: string } | null })[] }>(BY_SERVICE, { from: window.from, to: "2026-04-09T00:00:00Z" }, admin)
    ).feedbackByService;
    expect(all.find((g) => g.service === null)).toMatchObject({ count: 1, average: 5 });

    // The doctor's own summary.
    expect((await data<{ myFeedbackSummary: Summary }>(MY_SUMMARY, {}, doctor.caller)).myFeedbackSummary).toMatchObject({ count: 4, average: 15 / 4 });
    expect((await data<{ myFeedbackSummary: Summary }>(MY_SUMMARY, window, doctor.caller)).myFeedbackSummary).toMatchObject({ count: 3 });
  });

  it("is empty, without an average, where nothing was rated", async () => {
    const doctor = await seedDoctor(h);
    expect((await data<{ feedbackSummary: Summary }>(SUMMARY, { d: doctor.id }, admin)).feedbackSummary).toEqual({
      count: 0,
      average: null,
      distribution: [0, 0, 0, 0, 0],
    });
    expect((await data<{ myFeedbackSummary: Summary }>(MY_SUMMARY, {}, doctor.caller)).myFeedbackSummary.count).toBe(0);
    expect((await data<{ feedbackByDoctor: unknown[] }>(BY_DOCTOR, { from: "2030-01-01T00:00:00Z" }, admin)).feedbackByDoctor).toEqual([]);
  });

  it("refuses bad ids and ranges (BAD_USER_INPUT), and callers who are not administrators (FORBIDDEN)", async () => {
    expect((await h.call(SUMMARY, { d: "not-a-uuid" }, admin)).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "doctorId" });
    expect((await h.call(SUMMARY, { s: "1 OR 1=1" }, admin)).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "serviceId" });
    expect(codeOf(await h.call(SUMMARY, { from: "2026-04-08T00:00:00Z", to: "2026-04-01T00:00:00Z" }, admin))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(SUMMARY, { from: "yesterday" }, admin))).toBe("BAD_USER_INPUT");
    const doctor = await seedDoctor(h);
    for (const caller of [doctor.caller, newPatient(), newStaff("RECEPTIONIST"), newStaff("STAKEHOLDER")]) {
      expect(codeOf(await h.call(SUMMARY, {}, caller))).toBe("FORBIDDEN");
      expect(codeOf(await h.call(BY_DOCTOR, {}, caller))).toBe("FORBIDDEN");
      expect(codeOf(await h.call(COMMENTS, {}, caller))).toBe("FORBIDDEN");
    }
    expect(codeOf(await h.call(MY_SUMMARY, {}, admin))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(MY_COMMENTS, {}, newPatient()))).toBe("FORBIDDEN");
  });
});

describe("comment lists", () => {
  it("pages newest first with opaque cursors; ratings without a comment are not listed; bad cursors are BAD_USER_INPUT", async () => {
    const doctor = await seedDoctor(h, { autoApprove: true });
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await rated(doctor, AFTERNOON[i]!, 1 + i, `Comment ${i}`, `2026-05-0${1 + i}T10:00:00Z`));
    await rated(doctor, AFTERNOON[5]!, 3, null, "2026-05-09T10:00:00Z");

    const first = (await data<{ feedbackComments: Page }>(COMMENTS, { d: doctor.id, first: 2 }, admin)).feedbackComments;
    expect(first.edges.map((e) => e.node.comment)).toEqual(["Comment 4", "Comment 3"]);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.edges[0]!.node).toEqual({
      appointmentId: made[4]!.id,
      rating: 5,
      comment: "Comment 4",
      doctor: { id: doctor.id },
      service: null,
      submittedAt: "2026-05-05T10:00:00.000Z",
      hidden: false,
      hiddenReason: null,
      hiddenBy: null,
      hiddenAt: null,
    });
    const rest = (await data<{ feedbackComments: Page }>(COMMENTS, { d: doctor.id, first: 10, after: first.pageInfo.endCursor }, admin)).feedbackComments;
    expect(rest.edges.map((e) => e.node.comment)).toEqual(["Comment 2", "Comment 1", "Comment 0"]);
    expect(rest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });

    for (const after of [
      "%%%",
      encodeCursor(["2026-05-01T00:00:00Z"]),
      encodeCursor(["soon", randomUUID()]),
      encodeCursor(["2026-05-01T00:00:00Z", "x' OR 1=1"]),
    ])
      expect((await h.call(COMMENTS, { d: doctor.id, after }, admin)).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
    expect(codeOf(await h.call(COMMENTS, { first: 0 }, admin))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(COMMENTS, { d: "nope" }, admin))).toBe("BAD_USER_INPUT");
  });

  it("leaves hidden comments out unless asked; the doctor's list never shows them, nor the appointment", async () => {
    const doctor = await seedDoctor(h, { autoApprove: true });
    const kind = await rated(doctor, AFTERNOON[0]!, 5, "Very kind", "2026-06-01T10:00:00Z");
    const abusive = await rated(doctor, AFTERNOON[1]!, 1, "Abusive words about the nurse", "2026-06-01T11:00:00Z");
    await data(HIDE, { id: abusive.id, r: "Abusive language about staff" }, admin);

    const shown = (await data<{ feedbackComments: Page }>(COMMENTS, { d: doctor.id }, admin)).feedbackComments;
    expect(shown.edges.map((e) => e.node.appointmentId)).toEqual([kind.id]);
    const all = (await data<{ feedbackComments: Page }>(COMMENTS, { d: doctor.id, all: true }, admin)).feedbackComments;
    expect(all.edges.map((e) => [e.node.appointmentId, e.node.hidden, e.node.hiddenReason, e.node.hiddenBy])).toEqual([
      [abusive.id, true, "Abusive language about staff", admin.userId],
      [kind.id, false, null, null],
    ]);
    expect(all.edges[0]!.node.hiddenAt).toBe("2026-06-01T11:00:00.000Z"); // the clock when it was hidden

    // The doctor: their list holds the shown comment only, without the appointment (the patient).
    const mine = (await data<{ myFeedbackComments: Page }>(MY_COMMENTS, {}, doctor.caller)).myFeedbackComments;
    expect(mine.edges.map((e) => [e.node.appointmentId, e.node.comment, e.node.hidden])).toEqual([[null, "Very kind", false]]);
    // The appointment itself: the rating, no text; the history says it was hidden, not why.
    const seen = (
      await data<{ appointment: { feedback: unknown; history: { action: string; reason: string | null }[] } }>(
        FEEDBACK_AS_SEEN,
        { id: abusive.id },
        doctor.caller,
      )
    ).appointment;
    expect(seen.feedback).toEqual({ rating: 1, comment: null, hidden: true });
    expect(seen.history.at(-1)).toEqual({ action: "HIDE_FEEDBACK", reason: null });
    // Reception likewise; the author still sees what they wrote.
    expect(
      (await data<{ appointment: { feedback: unknown } }>(FEEDBACK_AS_SEEN, { id: abusive.id }, newStaff("RECEPTIONIST"))).appointment.feedback,
    ).toMatchObject({
      comment: null,
    });
    expect((await data<{ appointment: { feedback: unknown } }>(FEEDBACK_AS_SEEN, { id: abusive.id }, abusive.patient)).appointment.feedback).toEqual({
      rating: 1,
      comment: "Abusive words about the nurse",
      hidden: true,
    });
    // The rating still counts.
    expect((await data<{ myFeedbackSummary: Summary }>(MY_SUMMARY, {}, doctor.caller)).myFeedbackSummary).toMatchObject({ count: 2, average: 3 });
  });

  it("audits reads of comments as reads of the patients' appointments", async () => {
    const doctor = await seedDoctor(h, { autoApprove: true });
    const made = await rated(doctor, AFTERNOON[0]!, 4, "Good", "2026-06-10T10:00:00Z");
    const before = await h.prisma.outboxEvent.count({ where: { type: "PatientRecordAccessed" } });
    await data(COMMENTS, { d: doctor.id }, admin);
    const events = await h.prisma.outboxEvent.findMany({ where: { type: "PatientRecordAccessed" }, orderBy: { sequence: "desc" }, take: 1 });
    expect(await h.prisma.outboxEvent.count({ where: { type: "PatientRecordAccessed" } })).toBe(before + 1);
    expect(JSON.stringify(events[0]!.payload)).toContain(made.patient.userId);
  });
});

describe("hideFeedbackComment / unhideFeedbackComment", () => {
  it("hides with a reason, audited in the history; hiding again changes nothing; unhiding shows it again, audited", async () => {
    const doctor = await seedDoctor(h, { autoApprove: true });
    const made = await rated(doctor, AFTERNOON[0]!, 2, "Names another patient", "2026-07-01T10:00:00Z");
    h.clock.set("2026-07-02T09:00:00Z");
    const hidden = (
      await data<{ hideFeedbackComment: AppointmentView & { feedback: { hiddenReason: string } } }>(
        HIDE,
        { id: made.id, r: "  Names another patient  " },
        admin,
      )
    ).hideFeedbackComment;
    expect(hidden.feedback).toEqual({ rating: 2, comment: "Names another patient", hidden: true, hiddenReason: "Names another patient" });
    expect(hidden.history.at(-1)).toEqual({ action: "HIDE_FEEDBACK", actorId: admin.userId, actorRole: "ADMIN", reason: "Names another patient" });

    // Idempotent: the same (or another) admin hiding again, with another reason, changes nothing.
    const again = (
      await data<{ hideFeedbackComment: AppointmentView & { feedback: { hiddenReason: string } } }>(
        HIDE,
        { id: made.id, r: "Another reason" },
        newStaff("ADMIN"),
      )
    ).hideFeedbackComment;
    expect(again.feedback.hiddenReason).toBe("Names another patient");
    expect(again.history.filter((c) => c.action === "HIDE_FEEDBACK")).toHaveLength(1);
    const row = await h.prisma.feedbackModeration.findUniqueOrThrow({ where: { appointmentId: made.id } });
    expect(row).toMatchObject({ hiddenBy: admin.userId, hiddenAt: new Date("2026-07-02T09:00:00Z") });
    // The reason is sealed at rest, like every free text.
    expect(row.hiddenReasonEnc).not.toContain("Names");
    expect(h.deps.cipher.decrypt(row.hiddenReasonEnc)).toBe("Names another patient");

    const shown = (await data<{ unhideFeedbackComment: AppointmentView & { feedback: { hiddenReason: string | null } } }>(UNHIDE, { id: made.id }, admin))
      .unhideFeedbackComment;
    expect(shown.feedback).toEqual({ rating: 2, comment: "Names another patient", hidden: false, hiddenReason: null });
    expect(shown.history.slice(-2).map((c) => c.action)).toEqual(["HIDE_FEEDBACK", "UNHIDE_FEEDBACK"]);
    const unhiddenAgain = (await data<{ unhideFeedbackComment: AppointmentView }>(UNHIDE, { id: made.id }, admin)).unhideFeedbackComment;
    expect(unhiddenAgain.history.filter((c) => c.action === "UNHIDE_FEEDBACK")).toHaveLength(1);
    expect(await h.prisma.feedbackModeration.count({ where: { appointmentId: made.id } })).toBe(0);
    // No event: moderation stays inside scheduling.
    expect((await h.prisma.outboxEvent.findMany({ where: { aggregateId: made.id } })).map((e) => e.type)).not.toContain("FeedbackHidden");
  });

  it("refuses bad input, unknown appointments, appointments without a comment, and non-administrators", async () => {
    const doctor = await seedDoctor(h, { autoApprove: true });
    const made = await rated(doctor, AFTERNOON[0]!, 3, "Fine", "2026-07-05T10:00:00Z");
    const silent = await rated(doctor, AFTERNOON[1]!, 3, null, "2026-07-05T11:00:00Z");
    const expectRefused = async (variables: Record<string, unknown>, code: string, field?: string) => {
      const res = await h.call(HIDE, variables, admin);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code, ...(field ? { field } : {}) });
    };
    await expectRefused({ id: made.id, r: "" }, "BAD_USER_INPUT", "reason");
    await expectRefused({ id: made.id, r: "bad" }, "BAD_USER_INPUT", "reason");
    await expectRefused({ id: made.id, r: "Two\nlines" }, "BAD_USER_INPUT", "reason");
    await expectRefused({ id: made.id, r: "x".repeat(501) }, "BAD_USER_INPUT", "reason");
    await expectRefused({ id: "not-a-uuid", r: "A good reason" }, "BAD_USER_INPUT", "appointmentId");
    await expectRefused({ id: randomUUID(), r: "A good reason" }, "NOT_FOUND");
    await expectRefused({ id: silent.id, r: "A good reason" }, "CONFLICT");
    expect(codeOf(await h.call(UNHIDE, { id: silent.id }, admin))).toBe("CONFLICT");
    expect(codeOf(await h.call(UNHIDE, { id: "nope" }, admin))).toBe("BAD_USER_INPUT");
    for (const caller of [doctor.caller, made.patient, newStaff("RECEPTIONIST")]) {
      expect(codeOf(await h.call(HIDE, { id: made.id, r: "A good reason" }, caller))).toBe("FORBIDDEN");
      expect(codeOf(await h.call(UNHIDE, { id: made.id }, caller))).toBe("FORBIDDEN");
    }
    expect(await h.prisma.feedbackModeration.count({ where: { appointmentId: { in: [made.id, silent.id] } } })).toBe(0);
    const view = await data<{ appointment: AppointmentView }>(APPOINTMENT, { id: made.id }, admin);
    expect(view.appointment.history.map((c) => c.action)).not.toContain("HIDE_FEEDBACK");
  });

  it("serialises concurrent hides and unhides: one change each, the history alternating and ending in the current state", async () => {
    const doctor = await seedDoctor(h, { autoApprove: true });
    const made = await rated(doctor, AFTERNOON[0]!, 1, "Shouting in capitals", "2026-07-10T10:00:00Z");
    // Ten concurrent hides: exactly one takes effect.
    const hides = await Promise.all(Array.from({ length: 10 }, () => h.call(HIDE, { id: made.id, r: "Abusive language" }, admin)));
    expect(hides.map(codeOf)).toEqual(Array(10).fill("OK"));
    const moderation = () =>
      h.prisma.appointmentChange.findMany({ where: { appointmentId: made.id, action: { in: ["HIDE_FEEDBACK", "UNHIDE_FEEDBACK"] } }, orderBy: { seq: "asc" } });
    expect((await moderation()).map((c) => c.action)).toEqual(["HIDE_FEEDBACK"]);

    // Hides and unhides racing: every answer is a success, the history alternates, and its last entry is the state.
    const mixed = await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 2 ? h.call(HIDE, { id: made.id, r: "Abusive language" }, admin) : h.call(UNHIDE, { id: made.id }, admin))),
    );
    expect(mixed.map(codeOf)).toEqual(Array(16).fill("OK"));
    const actions = (await moderation()).map((c) => c.action);
    actions.forEach((action, i) => expect(action).toBe(i % 2 === 0 ? "HIDE_FEEDBACK" : "UNHIDE_FEEDBACK"));
    const isHidden = (await h.prisma.feedbackModeration.count({ where: { appointmentId: made.id } })) === 1;
    expect(actions.at(-1)).toBe(isHidden ? "HIDE_FEEDBACK" : "UNHIDE_FEEDBACK");
  });
});
