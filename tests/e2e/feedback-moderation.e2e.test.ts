/**
 * Feedback moderation through the router, on a fake clock: two patients rate their visits with a doctor (a third
 * rates another doctor); the administrator reads averages, counts and distributions per doctor and per service and
 * the comments, and hides an abusive one with a reason. The doctor's views (the appointment, their comment list)
 * no longer show its text, but their average still counts its rating; its author still sees it. Everyone but the
 * administrator is refused the moderation operations (FORBIDDEN, by the router); bad cursors and ids are
 * BAD_USER_INPUT.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { uniqueEmail } from "@clinigraph/testing";
import { createScheduledDoctor, freeSlotId, registerE2EPatient, type ScheduledDoctor } from "../support/people.js";
import { expectData, graphql, signIn, startStack, type Stack } from "../support/stack.js";

// Monday 2027-03-22 07:00 UTC = 08:00 in Berlin: the doctors' Monday slots (09:00–12:00) are bookable and due today.
const clock = { now: new Date("2027-03-22T07:00:00Z") };
let stack: Stack;
let url: string;
const tokens: Record<"ADMIN" | "RECEPTIONIST", string> = { ADMIN: "", RECEPTIONIST: "" };

const ok = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => expectData<T>(url, query, variables, token);

let doctor: ScheduledDoctor;
let other: ScheduledDoctor;
let serviceId: string;
let patients: { id: string; token: string }[];
let kind: string;
let abusive: string;
let elsewhere: string;

const SUMMARY = `query($d: ID, $s: ID) { feedbackSummary(doctorId: $d, serviceId: $s) { average count distribution } }`;
const COMMENTS = `query($d: ID, $all: Boolean, $first: Int, $after: String) {
  feedbackComments(doctorId: $d, includeHidden: $all, first: $first, after: $after) {
    edges { cursor node { appointmentId rating comment doctor { id name } service { id name } submittedAt hidden hiddenReason hiddenBy hiddenAt } }
    pageInfo { hasNextPage endCursor } } }`;
const HIDE = `mutation($id: ID!, $r: String!) { hideFeedbackComment(appointmentId: $id, reason: $r) { id feedback { rating comment hidden hiddenReason } history { action actorRole reason } } }`;
const UNHIDE = `mutation($id: ID!) { unhideFeedbackComment(appointmentId: $id) { id feedback { comment hidden } } }`;
const MY_SUMMARY = `{ myFeedbackSummary { average count distribution } }`;
const MY_COMMENTS = `{ myFeedbackComments { edges { node { rating comment hidden service { id } } } } }`;
const FEEDBACK_OF = `query($id: ID!) { appointment(id: $id) { feedback { rating comment hidden } history { action reason } } }`;

/** A visit of the patient with the doctor for the service, booked, checked in, fulfilled, then rated. */
async function ratedVisit(patient: { token: string }, of: ScheduledDoctor, slotIndex: number, rating: number, comment: string): Promise<string> {
  const slotId = await freeSlotId(url, of.id, slotIndex, { from: "2027-03-22T00:00:00Z", to: "2027-03-23T00:00:00Z" });
  const booked = await ok<{ requestAppointment: { id?: string; status?: string } }>(
    `mutation($i: RequestAppointmentInput!) { requestAppointment(input: $i) { ... on Appointment { id status } } }`,
    { i: { slotId, serviceId } },
    patient.token,
  );
  const id = booked.requestAppointment.id!;
  expect(booked.requestAppointment.status).toBe("BOOKED");
  await ok(`mutation($id: ID!) { checkInAppointment(id: $id) { id } }`, { id }, tokens.RECEPTIONIST);
  await ok(`mutation($id: ID!) { fulfillAppointment(id: $id) { id } }`, { id }, of.token);
  clock.now = new Date(clock.now.getTime() + 60_000); // each rating a minute after the last: a stable newest-first order
  await ok(
    `mutation($id: ID!, $r: Int!, $c: String) { submitFeedback(appointmentId: $id, rating: $r, comment: $c) { id } }`,
    { id, r: rating, c: comment },
    patient.token,
  );
  return id;
}

beforeAll(async () => {
  stack = await startStack({ clock: () => clock.now });
  url = stack.routerUrl;
  tokens.ADMIN = await signIn(url, stack.admin.email, stack.admin.password);
  const email = uniqueEmail("reception.feedback");
  await ok(
    `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`,
    { i: { email, password: "Reception-password-1", name: "Feedback Reception", role: "RECEPTIONIST" } },
    tokens.ADMIN,
  );
  tokens.RECEPTIONIST = await signIn(url, email, "Reception-password-1");
  doctor = await createScheduledDoctor(url, tokens.ADMIN, "Dr. Rated", { autoApprove: true });
  other = await createScheduledDoctor(url, tokens.ADMIN, "Dr. Other", { autoApprove: true });
  const services = await ok<{ doctor: { services: { id: string; code: string }[] } }>(`query($id: ID!) { doctor(id: $id) { services { id code } } }`, {
    id: doctor.id,
  });
  serviceId = services.doctor.services.find((s) => s.code === "SPECIALIST_CONSULT")!.id;
  patients = [await registerE2EPatient(url, "Kind Patient"), await registerE2EPatient(url, "Angry Patient")];
  kind = await ratedVisit(patients[0]!, doctor, 0, 5, "Listened carefully, explained everything");
  abusive = await ratedVisit(patients[1]!, doctor, 1, 1, "The nurse is an idiot and so is the doctor");
  elsewhere = await ratedVisit(patients[0]!, other, 0, 4, "Good, a bit rushed");
});

afterAll(async () => {
  await stack?.stop();
});

describe("feedback moderation through the router", () => {
  it("the administrator sees averages, counts and distributions per doctor and per service", async () => {
    expect((await ok<{ feedbackSummary: unknown }>(SUMMARY, { d: doctor.id }, tokens.ADMIN)).feedbackSummary).toEqual({
      average: 3,
      count: 2,
      distribution: [1, 0, 0, 0, 1],
    });
    expect((await ok<{ feedbackSummary: unknown }>(SUMMARY, { s: serviceId }, tokens.ADMIN)).feedbackSummary).toEqual({
      average: 10 / 3,
      count: 3,
      distribution: [1, 0, 0, 1, 1],
    });
    const byDoctor = await ok<{ feedbackByDoctor: { doctor: { id: string; name: string }; average: number; count: number }[] }>(
      `{ feedbackByDoctor { doctor { id name } average count } }`,
      {},
      tokens.ADMIN,
    );
    expect(byDoctor.feedbackByDoctor).toEqual([
      { doctor: { id: doctor.id, name: "Dr. Rated" }, average: 3, count: 2 },
      { doctor: { id: other.id, name: "Dr. Other" }, average: 4, count: 1 },
    ]);
    const byService = await ok<{ feedbackByService: { service: { id: string; code: string } | null; count: number; distribution: number[] }[] }>(
      `{ feedbackByService { service { id code } count distribution } }`,
      {},
      tokens.ADMIN,
    );
    expect(byService.feedbackByService).toEqual([{ service: { id: serviceId, code: "SPECIALIST_CONSULT" }, count: 3, distribution: [1, 0, 0, 1, 1] }]);
  });

  it("the administrator reads the comments, newest first, page by page", async () => {
    const first = await ok<{ feedbackComments: { edges: { node: Record<string, unknown> }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(
      COMMENTS,
      { first: 2 },
      tokens.ADMIN,
    );
    expect(first.feedbackComments.edges.map((e) => e.node.appointmentId)).toEqual([elsewhere, abusive]);
    expect(first.feedbackComments.edges[1]!.node).toMatchObject({
      rating: 1,
      comment: "The nurse is an idiot and so is the doctor",
      doctor: { id: doctor.id, name: "Dr. Rated" },
      service: { id: serviceId },
      hidden: false,
      hiddenReason: null,
    });
    expect(first.feedbackComments.pageInfo.hasNextPage).toBe(true);
    const rest = await ok<{ feedbackComments: { edges: { node: { appointmentId: string } }[] } }>(
      COMMENTS,
      { first: 2, after: first.feedbackComments.pageInfo.endCursor },
      tokens.ADMIN,
    );
    expect(rest.feedbackComments.edges.map((e) => e.node.appointmentId)).toEqual([kind]);
  });

  it("hides an abusive comment with a reason: the doctor no longer sees it, their average still counts it; unhiding shows it again", async () => {
    const hidden = await ok<{ hideFeedbackComment: { feedback: unknown; history: { action: string; actorRole: string; reason: string | null }[] } }>(
      HIDE,
      { id: abusive, r: "Insults staff by name" },
      tokens.ADMIN,
    );
    expect(hidden.hideFeedbackComment.feedback).toEqual({
      rating: 1,
      comment: "The nurse is an idiot and so is the doctor",
      hidden: true,
      hiddenReason: "Insults staff by name",
    });
    expect(hidden.hideFeedbackComment.history.at(-1)).toEqual({ action: "HIDE_FEEDBACK", actorRole: "ADMIN", reason: "Insults staff by name" });
    // Again: nothing changes (a retry is harmless).
    const again = await ok<{ hideFeedbackComment: { history: { action: string }[] } }>(HIDE, { id: abusive, r: "Insults staff by name" }, tokens.ADMIN);
    expect(again.hideFeedbackComment.history.filter((c) => c.action === "HIDE_FEEDBACK")).toHaveLength(1);

    // The administrator's list leaves it out unless asked.
    const shown = await ok<{ feedbackComments: { edges: { node: { appointmentId: string } }[] } }>(COMMENTS, { d: doctor.id }, tokens.ADMIN);
    expect(shown.feedbackComments.edges.map((e) => e.node.appointmentId)).toEqual([kind]);
    const all = await ok<{ feedbackComments: { edges: { node: { appointmentId: string; hidden: boolean; hiddenReason: string; hiddenAt: string } }[] } }>(
      COMMENTS,
      { d: doctor.id, all: true },
      tokens.ADMIN,
    );
    expect(all.feedbackComments.edges[0]!.node).toMatchObject({
      appointmentId: abusive,
      hidden: true,
      hiddenReason: "Insults staff by name",
      hiddenAt: clock.now.toISOString(),
    });

    // The doctor: no text on the appointment (nor why it was hidden), not in their list; the rating still counts.
    const seen = await ok<{ appointment: { feedback: unknown; history: { action: string; reason: string | null }[] } }>(
      FEEDBACK_OF,
      { id: abusive },
      doctor.token,
    );
    expect(seen.appointment.feedback).toEqual({ rating: 1, comment: null, hidden: true });
    expect(seen.appointment.history.at(-1)).toEqual({ action: "HIDE_FEEDBACK", reason: null });
    const mine = await ok<{ myFeedbackComments: { edges: { node: { comment: string } }[] } }>(MY_COMMENTS, {}, doctor.token);
    expect(mine.myFeedbackComments.edges.map((e) => e.node.comment)).toEqual(["Listened carefully, explained everything"]);
    expect((await ok<{ myFeedbackSummary: unknown }>(MY_SUMMARY, {}, doctor.token)).myFeedbackSummary).toEqual({
      average: 3,
      count: 2,
      distribution: [1, 0, 0, 0, 1],
    });
    // Why it was hidden is the administrator's: the router removes the field for the doctor.
    const reason = await graphql(
      url,
      `
        query ($id: ID!) {
          appointment(id: $id) {
            feedback {
              hiddenReason
            }
          }
        }
      `,
      { id: abusive },
      doctor.token,
    );
    expect(reason.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    // The author still sees what they wrote.
    const author = await ok<{ appointment: { feedback: unknown } }>(FEEDBACK_OF, { id: abusive }, patients[1]!.token);
    expect(author.appointment.feedback).toEqual({ rating: 1, comment: "The nurse is an idiot and so is the doctor", hidden: true });

    const unhidden = await ok<{ unhideFeedbackComment: { feedback: unknown } }>(UNHIDE, { id: abusive }, tokens.ADMIN);
    expect(unhidden.unhideFeedbackComment.feedback).toEqual({ comment: "The nurse is an idiot and so is the doctor", hidden: false });
    expect((await ok<{ appointment: { feedback: { comment: string } } }>(FEEDBACK_OF, { id: abusive }, doctor.token)).appointment.feedback.comment).toBe(
      "The nurse is an idiot and so is the doctor",
    );
    await ok(HIDE, { id: abusive, r: "Insults staff by name" }, tokens.ADMIN); // hidden for the rest of the file
  });

  it("refuses the moderation operations to everyone but the administrator (FORBIDDEN, by the router)", async () => {
    const callers = { DOCTOR: doctor.token, PATIENT: patients[1]!.token, RECEPTIONIST: tokens.RECEPTIONIST };
    const adminOnly: [string, Record<string, unknown>][] = [
      [SUMMARY, {}],
      [COMMENTS, {}],
      [`{ feedbackByDoctor { count } }`, {}],
      [`{ feedbackByService { count } }`, {}],
      [HIDE, { id: kind, r: "Trying to hide it" }],
      [UNHIDE, { id: abusive }],
    ];
    for (const [role, token] of Object.entries(callers))
      for (const [query, variables] of adminOnly) {
        const res = await graphql(url, query, variables, token);
        expect({ role, query: query.slice(0, 40), codes: res.errors?.map((e) => e.extensions?.code) }).toEqual({
          role,
          query: query.slice(0, 40),
          codes: ["FORBIDDEN"],
        });
      }
    for (const query of [MY_SUMMARY, MY_COMMENTS])
      for (const token of [tokens.ADMIN, patients[0]!.token]) expect((await graphql(url, query, {}, token)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // A doctor's list never names the appointment (it names the patient).
    const named = await graphql(
      url,
      `
        {
          myFeedbackComments {
            edges {
              node {
                appointmentId
              }
            }
          }
        }
      `,
      {},
      doctor.token,
    );
    expect(named.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    // Nothing changed.
    const all = await ok<{ feedbackComments: { edges: { node: { appointmentId: string; hidden: boolean } }[] } }>(
      COMMENTS,
      { d: doctor.id, all: true },
      tokens.ADMIN,
    );
    expect(all.feedbackComments.edges.map((e) => [e.node.appointmentId, e.node.hidden])).toEqual([
      [abusive, true],
      [kind, false],
    ]);
  });

  it("answers BAD_USER_INPUT for bad cursors and ids", async () => {
    for (const variables of [{ after: "not-a-cursor" }, { after: Buffer.from('["x","y"]').toString("base64url") }, { d: "42" }, { first: 1000 }]) {
      const res = await graphql(url, COMMENTS, variables, tokens.ADMIN);
      expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
    for (const id of ["not-a-uuid", randomUUID()]) {
      const res = await graphql(url, HIDE, { id, r: "Insults staff by name" }, tokens.ADMIN);
      expect(res.errors?.[0]?.extensions?.code).toBe(id === "not-a-uuid" ? "BAD_USER_INPUT" : "NOT_FOUND");
    }
    expect((await graphql(url, HIDE, { id: kind, r: "Two\nlines" }, tokens.ADMIN)).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
