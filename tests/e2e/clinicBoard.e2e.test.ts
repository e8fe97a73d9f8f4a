/**
 * The live clinic board and the doctor's live updates through the router, with real
 * graphql-ws clients: reception watches `clinicBoardUpdates`, a walk-in is registered, the doctor starts
 * the encounter → the board shows WAITING then WITH_DOCTOR with the patient's name (from accounts) and the
 * doctor's (from doctors); `clinicBoard(date)` lists it with minutes in state on the clinic's (fake) clock;
 * the doctor's `myEncounterUpdates` shows the registration and the start. Subscriptions start from the
 * feed's beginning (`since: "0"`: everything the feed keeps) so no event can slip past before they open.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { uniqueEmail } from "@clinigraph/testing";
import { closeFeeds, watchFeed } from "../support/feeds.js";
import { expectData, graphql, startStack, type Stack } from "../support/stack.js";

const clock = { now: new Date("2027-03-22T08:00:00Z") }; // 09:00 in the clinic (Europe/Berlin)
const DAY = "2027-03-22";
const PASSWORD = "Board-password-1";
let stack: Stack;
let url: string;

const ok = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => expectData<T>(url, query, variables, token);
const login = async (email: string) =>
  (
    await ok<{ login: { accessToken: string } }>(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`, {
      e: email,
      p: PASSWORD,
    })
  ).login.accessToken;

const watch = <T>(token: string, query: string, variables: Record<string, unknown>) => watchFeed<T>(url, token, query, variables);

let tokens: { reception: string; doctor: string; stakeholder: string };
let doctor: { id: string; userId: string };
let patient: { id: string; name: string };

beforeAll(async () => {
  stack = await startStack({ clock: () => clock.now });
  url = stack.routerUrl;
  const admin = (
    await ok<{ login: { accessToken: string } }>(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`, {
      e: stack.admin.email,
      p: stack.admin.password,
    })
  ).login.accessToken;
  const doctorEmail = uniqueEmail("dr.board");
  const created = await ok<{ createDoctor: { id: string; user: { id: string } } }>(
    `mutation($i: CreateDoctorInput!) { createDoctor(input: $i) { id user { id } } }`,
    {
      i: {
        email: doctorEmail,
        password: PASSWORD,
        name: "Dr. Board Watcher",
        specialtyCode: "CARD",
        timezone: "Europe/Berlin",
        serviceCodes: ["SPECIALIST_CONSULT"],
        autoApprove: true,
      },
    },
    admin,
  );
  doctor = { id: created.createDoctor.id, userId: created.createDoctor.user.id };
  const staff = async (role: string, name: string) => {
    const email = uniqueEmail(role.toLowerCase());
    await ok(`mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`, { i: { email, password: PASSWORD, name, role } }, admin);
    return login(email);
  };
  tokens = {
    reception: await staff("RECEPTIONIST", "Rita Reception"),
    stakeholder: await staff("STAKEHOLDER", "Sam Stakeholder"),
    doctor: await login(doctorEmail),
  };
  const reg = await ok<{ registerPatient: { user: { id: string } } }>(`mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { user { id } } }`, {
    i: { email: uniqueEmail("board.patient"), password: PASSWORD, name: "Bea Board" },
  });
  patient = { id: reg.registerPatient.user.id, name: "Bea Board" };
});

afterAll(async () => {
  await closeFeeds();
  await stack?.stop();
});

interface BoardUpdate {
  cursor: string;
  entry: { encounterId: string; state: string; since: string; minutesInState: number; day: string; patient: { name: string }; doctor: { name: string } };
}
const BOARD_FEED = `subscription($d: Date, $since: String) { clinicBoardUpdates(date: $d, since: $since) {
  cursor entry { encounterId state since minutesInState day patient { name } doctor { name } } } }`;
const DOCTOR_FEED = `subscription($since: String) { myEncounterUpdates(since: $since) { cursor type byMe encounter { id status patient { id } } } }`;
const BOARD = `query($d: Date) { clinicBoard(date: $d) { encounterId state since minutesInState pendingExams unreviewedExams arrivedAt patient { name } doctor { name } } }`;

describe("the live clinic board through the router", () => {
  it("reception sees a walk-in waiting, then with the doctor, with names from accounts and doctors; the doctor's feed shows the registration", async () => {
    const board = watch<BoardUpdate>(tokens.reception, BOARD_FEED, { d: DAY, since: "0" });
    const doctorFeed = watch<{ type: string; byMe: boolean; encounter: { id: string; status: string; patient: { id: string } } }>(tokens.doctor, DOCTOR_FEED, {
      since: "0",
    });

    const encounterId = (
      await ok<{ registerWalkIn: { id: string } }>(
        `mutation($p: ID!, $d: ID!) { registerWalkIn(patientId: $p, doctorId: $d) { id } }`,
        { p: patient.id, d: doctor.id },
        tokens.reception,
      )
    ).registerWalkIn.id;
    const [waiting] = await board.take(1);
    expect(waiting!.entry).toMatchObject({
      encounterId,
      state: "WAITING",
      day: DAY,
      since: "2027-03-22T08:00:00.000Z",
      patient: { name: patient.name },
      doctor: { name: "Dr. Board Watcher" },
    });
    const [registered] = await doctorFeed.take(1);
    expect(registered).toMatchObject({ type: "REGISTERED", byMe: false, encounter: { id: encounterId, status: "ARRIVED", patient: { id: patient.id } } });

    clock.now = new Date("2027-03-22T08:12:00Z");
    await ok(`mutation($id: ID!) { startEncounter(id: $id) { id } }`, { id: encounterId }, tokens.doctor);
    const [withDoctor] = await board.take(1);
    expect(withDoctor!.entry).toMatchObject({ encounterId, state: "WITH_DOCTOR", since: "2027-03-22T08:12:00.000Z", patient: { name: patient.name } });
    expect(withDoctor!.cursor).not.toBe(waiting!.cursor);
    expect(await doctorFeed.take(1)).toMatchObject([{ type: "STARTED", byMe: true, encounter: { id: encounterId, status: "IN_PROGRESS" } }]);

    // The query: the clinic's day by default, minutes in state on the clinic's clock; stakeholders see it too.
    clock.now = new Date("2027-03-22T08:19:30Z");
    await stack.eventsSettled();
    const { clinicBoard } = await ok<{ clinicBoard: { encounterId: string }[] }>(BOARD, {}, tokens.reception);
    expect(clinicBoard.find((e) => e.encounterId === encounterId)).toMatchObject({
      state: "WITH_DOCTOR",
      minutesInState: 7,
      pendingExams: 0,
      unreviewedExams: 0,
      arrivedAt: "2027-03-22T08:00:00.000Z",
      patient: { name: patient.name },
      doctor: { name: "Dr. Board Watcher" },
    });
    // Stakeholders see the board, not who the patients are (accounts keeps patient records from them).
    const forStakeholder = await ok<{ clinicBoard: { encounterId: string }[] }>(
      `query { clinicBoard { encounterId state minutesInState patient { id } } }`,
      {},
      tokens.stakeholder,
    );
    expect(forStakeholder.clinicBoard.find((e) => e.encounterId === encounterId)).toMatchObject({
      state: "WITH_DOCTOR",
      minutesInState: 7,
      patient: { id: patient.id },
    });
    expect((await ok<{ clinicBoard: unknown[] }>(BOARD, { d: "2027-03-21" }, tokens.reception)).clinicBoard).toEqual([]);

    // Resuming from a cursor replays what came after it.
    const resumed = watch<BoardUpdate>(tokens.reception, BOARD_FEED, { d: DAY, since: waiting!.cursor });
    expect((await resumed.take(1))[0]).toMatchObject({ cursor: withDoctor!.cursor, entry: { state: "WITH_DOCTOR" } });
  });

  it("refuses the board to callers outside the customer-management team", async () => {
    const res = await graphql<{ clinicBoard: unknown }>(url, BOARD, {}, tokens.doctor);
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
