/** The rules of feedback moderation (domain/feedbackModeration.ts), without a database. */
import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { encodeCursor } from "@clinigraph/platform";
import { commentCursor, feedbackRange, feedbackView, hideReason, summarise, visibleChange, type FeedbackModeration } from "../src/domain/feedbackModeration.js";
import type { Actor, AppointmentChange } from "../src/domain/types.js";

const patientId = randomUUID();
const actor = (role: Actor["role"], userId = randomUUID()): Actor => ({ userId, role, doctorId: role === "DOCTOR" ? randomUUID() : null });
const rated = { patientId, feedbackRating: 2, feedbackComment: "Rude and careless", feedbackAt: new Date("2026-03-02T10:00:00Z") };
const hidden: FeedbackModeration = { appointmentId: randomUUID(), hiddenAt: new Date(), hiddenBy: randomUUID(), hiddenReason: "Insults a nurse by name" };

const codeOf = (run: () => unknown) => {
  try {
    run();
    return "OK";
  } catch (err) {
    return (err as { extensions?: { code?: string } }).extensions?.code ?? String(err);
  }
};

describe("summarise", () => {
  it("counts, averages and keeps the distribution of ratings 1 to 5", () => {
    expect(summarise([1, 0, 0, 2, 3])).toEqual({ count: 6, average: (1 + 4 * 2 + 5 * 3) / 6, distribution: [1, 0, 0, 2, 3] });
  });

  it("has no average without ratings, and always five buckets", () => {
    expect(summarise([])).toEqual({ count: 0, average: null, distribution: [0, 0, 0, 0, 0] });
  });
});

describe("feedbackView: who sees a comment", () => {
  it("shows a comment that is not hidden to everyone who may read the appointment, and no reason", () => {
    for (const role of ["PATIENT", "DOCTOR", "RECEPTIONIST", "ADMIN"] as const)
      expect(feedbackView(actor(role, role === "PATIENT" ? patientId : undefined), rated, null)).toEqual({
        rating: 2,
        comment: "Rude and careless",
        submittedAt: rated.feedbackAt,
        hidden: false,
        hiddenReason: null,
      });
  });

  it("hides a hidden comment from the doctor and reception; the rating and the hidden flag stay", () => {
    for (const role of ["DOCTOR", "RECEPTIONIST"] as const)
      expect(feedbackView(actor(role), rated, hidden)).toEqual({ rating: 2, comment: null, submittedAt: rated.feedbackAt, hidden: true, hiddenReason: null });
  });

  it("shows a hidden comment to its author (without the reason) and to administrators (with it)", () => {
    expect(feedbackView(actor("PATIENT", patientId), rated, hidden)).toMatchObject({ comment: "Rude and careless", hidden: true, hiddenReason: null });
    expect(feedbackView(actor("PATIENT"), rated, hidden)).toMatchObject({ comment: null });
    expect(feedbackView(actor("ADMIN"), rated, hidden)).toMatchObject({ comment: "Rude and careless", hidden: true, hiddenReason: "Insults a nurse by name" });
  });

  it("is null without feedback", () => {
    expect(feedbackView(actor("ADMIN"), { patientId, feedbackRating: null, feedbackComment: null, feedbackAt: null }, null)).toBeNull();
  });
});

describe("visibleChange", () => {
  const change = (action: string): AppointmentChange => ({
    id: randomUUID(),
    appointmentId: randomUUID(),
    at: new Date(),
    actorId: randomUUID(),
    actorRole: "ADMIN",
    action,
    fromStatus: "FULFILLED",
    toStatus: "FULFILLED",
    fromStartsAt: null,
    toStartsAt: null,
    reason: "Insults a nurse by name",
  });

  it("keeps the reason of a moderation entry for administrators only", () => {
    expect(visibleChange(actor("ADMIN"), change("HIDE_FEEDBACK")).reason).toBe("Insults a nurse by name");
    for (const role of ["PATIENT", "DOCTOR", "RECEPTIONIST"] as const) expect(visibleChange(actor(role), change("HIDE_FEEDBACK")).reason).toBeNull();
    expect(visibleChange(null, change("UNHIDE_FEEDBACK")).reason).toBeNull();
  });

  it("leaves other entries alone", () => {
    expect(visibleChange(actor("PATIENT"), change("CANCEL")).reason).toBe("Insults a nurse by name");
  });
});

describe("hideReason", () => {
  it("trims and keeps a one-line reason", () => {
    expect(hideReason("  Names another patient  ")).toBe("Names another patient");
  });

  it.each([
    ["missing", ""],
    ["blank", "    "],
    ["too short", "bad"],
    ["too long", "x".repeat(501)],
    ["several lines", "Abusive\nand more"],
    ["a tab", "Abusive\tlanguage"],
    ["a control character", "Abusive \u001b[2J"],
    ["a bidirectional override", "Abusive \u202e language"],
  ])("refuses a %s reason (BAD_USER_INPUT)", (_name, reason) => {
    expect(codeOf(() => hideReason(reason))).toBe("BAD_USER_INPUT");
  });
});

describe("feedbackRange", () => {
  it("leaves either bound open and refuses an empty or reversed range", () => {
    expect(feedbackRange({})).toEqual({ from: null, to: null });
    const from = new Date("2026-03-01T00:00:00Z");
    expect(feedbackRange({ from })).toEqual({ from, to: null });
    expect(codeOf(() => feedbackRange({ from, to: from }))).toBe("BAD_USER_INPUT");
    expect(codeOf(() => feedbackRange({ from, to: new Date("2026-02-01T00:00:00Z") }))).toBe("BAD_USER_INPUT");
  });
});

describe("commentCursor", () => {
  it("reads back what a page encodes", () => {
    const appointmentId = randomUUID();
    expect(commentCursor(encodeCursor(["2026-03-02T10:00:00.000Z", appointmentId]))).toEqual({
      submittedAt: new Date("2026-03-02T10:00:00.000Z"),
      appointmentId,
    });
    expect(commentCursor(null)).toBeNull();
  });

  it.each([
    ["not base64 JSON", "%%%"],
    ["wrong arity", encodeCursor(["2026-03-02T10:00:00.000Z"])],
    ["a bad date", encodeCursor(["yesterday", randomUUID()])],
    ["a bad id", encodeCursor(["2026-03-02T10:00:00.000Z", "1 OR 1=1"])],
    ["objects", encodeCursor([{ gt: "" }, { not: null }])],
  ])("refuses %s (BAD_USER_INPUT)", (_name, cursor) => {
    expect(codeOf(() => commentCursor(cursor))).toBe("BAD_USER_INPUT");
  });
});
