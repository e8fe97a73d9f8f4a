/**
 * The clinic board: minutes in state count on by themselves every minute (from the clinic's `since` when the
 * browser's clock agrees with the clinic's, from the moment the entry was read when it does not); live updates
 * replace an entry; reception confirms finished visits, stakeholders see the board without names and cannot confirm.
 */
import { TextDecoder, TextEncoder } from "node:util";
import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { act, cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { Observable, type Observer } from "rxjs";
import i18n from "../../src/i18n";
import { session, type Role } from "../../src/session";
import type { BoardState } from "../../src/generated/operations";
import { displayedMinutes, msUntilNextMinute, splitMinutes } from "../../src/pages/reception/boardTime";

// The area's texts load on demand in the app: here, before anything renders.
await i18n.loadNamespaces(["reception", "common"]);

// jsdom has no TextEncoder, which react-router (imported by the session guard) needs when it loads.
Object.assign(globalThis, { TextEncoder, TextDecoder });
const { ClinicBoard, MinutesInState, sortBoard, upsertEntry } = await import("../../src/pages/reception/ClinicBoard");

const MINUTE = 60_000;
let seq = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++seq}`;

afterEach(() => {
  cleanup();
  jest.useRealTimers();
  session.set(null);
});

describe("minutes in state", () => {
  const since = "2026-03-30T08:00:00.000Z";
  const at = (iso: string) => new Date(iso).getTime();

  it("counts from `since` when the browser's clock agrees with the clinic's", () => {
    const entry = { since, minutesInState: 7 };
    const readAt = at("2026-03-30T08:07:40Z"); // 7 min 40 s: agrees with 7
    expect(displayedMinutes(entry, readAt, readAt)).toBe(7);
    expect(displayedMinutes(entry, readAt, at("2026-03-30T08:07:59.999Z"))).toBe(7);
    expect(displayedMinutes(entry, readAt, at("2026-03-30T08:08:00Z"))).toBe(8); // turns exactly on the minute
    expect(msUntilNextMinute(entry, readAt, readAt)).toBe(20_000);
  });

  it("adds the minutes its own clock saw pass when the clocks disagree (a fake or skewed clinic clock)", () => {
    const entry = { since, minutesInState: 7 };
    const readAt = at("2026-05-01T12:00:30Z"); // the browser is weeks ahead
    expect(displayedMinutes(entry, readAt, readAt)).toBe(7);
    expect(displayedMinutes(entry, readAt, readAt + MINUTE - 1)).toBe(7);
    expect(displayedMinutes(entry, readAt, readAt + MINUTE)).toBe(8);
    expect(displayedMinutes(entry, readAt, readAt + 61 * MINUTE)).toBe(68);
    expect(msUntilNextMinute(entry, readAt, readAt + 15_000)).toBe(45_000);
    // A browser behind the clinic never shows less than the API said.
    expect(displayedMinutes({ since, minutesInState: 12 }, at("2026-03-30T07:00:00Z"), at("2026-03-30T07:00:00Z"))).toBe(12);
  });

  it("splits hours", () => {
    expect(splitMinutes(0)).toEqual({ hours: 0, minutes: 0 });
    expect(splitMinutes(59)).toEqual({ hours: 0, minutes: 59 });
    expect(splitMinutes(125)).toEqual({ hours: 2, minutes: 5 });
  });

  it("re-renders the shown minutes every minute, by itself", () => {
    jest.useFakeTimers({ now: new Date("2026-03-30T08:07:30Z") });
    const entry = { encounterId: unique("enc"), since: "2026-03-30T08:00:00.000Z", minutesInState: 7 };
    render(
      <span data-testid="m">
        <MinutesInState entry={entry} />
      </span>,
    );
    expect(screen.getByTestId("m").textContent).toBe("7 min");
    act(() => void jest.advanceTimersByTime(30_000));
    expect(screen.getByTestId("m").textContent).toBe("8 min");
    // Each minute's timer is set after the previous one re-rendered.
    const minutes = (n: number) => {
      for (let i = 0; i < n; i++) act(() => void jest.advanceTimersByTime(MINUTE));
    };
    minutes(52);
    expect(screen.getByTestId("m").textContent).toBe("1 h 00 min");
    minutes(5);
    expect(screen.getByTestId("m").textContent).toBe("1 h 05 min");
    act(() => void jest.advanceTimersByTime(MINUTE - 1));
    expect(screen.getByTestId("m").textContent).toBe("1 h 05 min");
  });
});

describe("board list", () => {
  const e = (encounterId: string, state: BoardState, since: string, arrivedAt = since) => ({ encounterId, state, since, arrivedAt });

  it("keeps the newer version of an entry and adds new ones", () => {
    const list = [e("a", "WAITING", "2026-03-30T08:00:00Z")];
    expect(upsertEntry(list, e("a", "WITH_DOCTOR", "2026-03-30T08:10:00Z"))[0]!.state).toBe("WITH_DOCTOR");
    expect(upsertEntry(list, e("a", "WITH_DOCTOR", "2026-03-30T07:10:00Z"))[0]!.state).toBe("WAITING"); // an older update
    expect(upsertEntry(list, e("b", "WAITING", "2026-03-30T08:05:00Z")).map((x) => x.encounterId)).toEqual(["a", "b"]);
  });

  it("puts visits awaiting confirmation first and closed ones last", () => {
    const sorted = sortBoard([
      e("closed", "CONFIRMED", "2026-03-30T09:00:00Z", "2026-03-30T07:00:00Z"),
      e("late", "WAITING", "2026-03-30T09:00:00Z", "2026-03-30T09:00:00Z"),
      e("early", "WITH_DOCTOR", "2026-03-30T08:30:00Z", "2026-03-30T08:00:00Z"),
      e("done", "FINISHED", "2026-03-30T09:10:00Z", "2026-03-30T08:10:00Z"),
    ]);
    expect(sorted.map((x) => x.encounterId)).toEqual(["done", "early", "late", "closed"]);
  });
});

/** An Apollo client over a link that answers from `answers` by operation name and keeps subscriptions open for the test to feed. */
function fakeApi(answers: Record<string, (variables: Record<string, unknown>) => unknown>) {
  const feeds: Observer<ApolloLink.Result>[] = [];
  const asked: string[] = [];
  const link = new ApolloLink(
    (operation) =>
      new Observable<ApolloLink.Result>((observer) => {
        asked.push(operation.operationName ?? "");
        if (operation.operationName?.endsWith("Updates")) {
          feeds.push(observer);
          return;
        }
        const answer = answers[operation.operationName ?? ""];
        if (!answer) observer.error(new Error(`unexpected ${operation.operationName}`));
        else {
          observer.next({ data: answer(operation.variables) } as ApolloLink.Result);
          observer.complete();
        }
      }),
  );
  return { client: new ApolloClient({ link, cache: new InMemoryCache() }), feeds, asked };
}

function signIn(role: Role) {
  session.set({
    accessToken: "t",
    refreshToken: "r",
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    user: { id: unique("user"), email: "desk@example.test", name: "Desk", role },
  });
}

const doctor = { __typename: "Doctor", id: "doc-1", name: "Dr. Ada Board", timezone: "Europe/Berlin", location: "Room 3" };
function entry(encounterId: string, state: string, patientName: string | null, minutes: number, arrivedAt: string) {
  const since = new Date(Date.now() - minutes * MINUTE - 5_000).toISOString();
  return {
    __typename: "ClinicBoardEntry",
    encounterId,
    appointmentId: `${encounterId}-appointment`,
    day: "2026-03-30",
    state,
    since,
    minutesInState: minutes,
    arrivedAt,
    pendingExams: state === "AT_EXAMINATION" ? 1 : 0,
    unreviewedExams: 0,
    patient: patientName === null ? { __typename: "Patient", id: `${encounterId}-p` } : { __typename: "Patient", id: `${encounterId}-p`, name: patientName },
    doctor,
  };
}

describe("ClinicBoard", () => {
  it("lets reception confirm finished visits, and follows live updates", async () => {
    signIn("RECEPTIONIST");
    const finished = unique("enc");
    const waiting = unique("enc");
    const confirmed: string[] = [];
    const api = fakeApi({
      ClinicBoard: () => ({
        clinicBoard: [
          entry(waiting, "WAITING", "Wanda Waiting", 12, "2026-03-30T07:50:00Z"),
          entry(finished, "FINISHED", "Fred Finished", 3, "2026-03-30T07:00:00Z"),
        ],
      }),
      ConfirmVisitOutcome: (v) => {
        confirmed.push(v.encounterId as string);
        return { confirmVisitOutcome: { __typename: "Encounter", id: v.encounterId, status: "FINISHED", outcomeConfirmedAt: new Date().toISOString() } };
      },
    });
    render(
      <ApolloProvider client={api.client}>
        <ClinicBoard />
      </ApolloProvider>,
    );
    const rows = await screen.findAllByTestId("board-entry");
    // Awaiting confirmation first.
    expect(rows.map((r) => within(r).getAllByRole("cell")[0]!.textContent)).toEqual(["Fred Finished", "Wanda Waiting"]);
    expect(within(rows[1]!).getByText("12 min")).toBeTruthy();
    expect(within(rows[1]!).queryByRole("button")).toBeNull(); // nothing to confirm while waiting
    expect(screen.getByText(/1 visit awaits your confirmation/)).toBeTruthy();

    fireEvent.click(within(rows[0]!).getByRole("button", { name: "Confirm outcome: Fred Finished" }));
    await screen.findByText("Visit of Fred Finished closed.");
    expect(confirmed).toEqual([finished]);
    await waitFor(() =>
      expect(screen.getAllByTestId("board-entry").map((r) => within(r).getAllByRole("cell")[0]!.textContent)).toEqual(["Wanda Waiting", "Fred Finished"]),
    );
    expect(within(screen.getAllByTestId("board-entry")[1]!).getByText("Closed")).toBeTruthy();

    // The live feed moves Wanda to the doctor.
    expect(api.asked).toContain("ClinicBoardUpdates");
    act(() =>
      api.feeds[0]!.next({
        data: {
          clinicBoardUpdates: {
            __typename: "ClinicBoardUpdate",
            cursor: "c1",
            entry: entry(waiting, "WITH_DOCTOR", "Wanda Waiting", 0, "2026-03-30T07:50:00Z"),
          },
        },
      }),
    );
    await waitFor(() => expect(within(screen.getAllByTestId("board-entry")[0]!).getByText("With the doctor")).toBeTruthy());
    expect(within(screen.getAllByTestId("board-entry")[0]!).getByText("0 min")).toBeTruthy();
  });

  it("shows stakeholders the board without names and without the confirm action", async () => {
    signIn("STAKEHOLDER");
    const api = fakeApi({
      ClinicBoardAnonymous: () => ({
        clinicBoard: [
          entry(unique("enc"), "FINISHED", null, 3, "2026-03-30T08:00:00Z"),
          entry(unique("enc"), "AT_EXAMINATION", null, 25, "2026-03-30T07:00:00Z"),
        ],
      }),
    });
    render(
      <ApolloProvider client={api.client}>
        <ClinicBoard title="Board" />
      </ApolloProvider>,
    );
    const rows = await screen.findAllByTestId("board-entry");
    expect(api.asked).not.toContain("ClinicBoard");
    expect(api.asked).toContain("ClinicBoardAnonymousUpdates");
    // Numbered by arrival: the examination patient came first.
    expect(rows.map((r) => within(r).getAllByRole("cell")[0]!.textContent)).toEqual(["Patient #2", "Patient #1"]);
    expect(screen.queryByRole("button", { name: /Confirm outcome/ })).toBeNull();
    expect(screen.queryByRole("columnheader", { name: "Action" })).toBeNull();
    expect(within(rows[1]!).getByText("1 to perform")).toBeTruthy();
  });
});
