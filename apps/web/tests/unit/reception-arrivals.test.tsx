/**
 * Reception's arrivals: the clinic's today (each appointment on its doctor's calendar day, whatever the browser's zone),
 * check-in where the API allows it, appointments needing attention flagged in words; and the desk's generated passwords
 * meet the accounts rules.
 */
import { TextDecoder, TextEncoder } from "node:util";
import { afterEach, describe, expect, it } from "@jest/globals";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { Observable } from "rxjs";
import i18n from "../../src/i18n";
import { addDays, startOfDay, today } from "../../src/lib/time";
import { generatePassword } from "../../src/pages/reception/PatientPicker";
import type { AppointmentAction, AppointmentStatus, ArrivalFieldsFragment } from "../../src/generated/operations";

// The area's texts load on demand in the app: here, before anything renders.
await i18n.loadNamespaces(["reception", "patient", "common"]);

// jsdom has no TextEncoder, which react-router needs when it loads: the modules using it are imported after this.
Object.assign(globalThis, { TextEncoder, TextDecoder });
const { MemoryRouter } = await import("react-router");
const { Arrivals, arrivalsRange, todaysArrivals } = await import("../../src/pages/reception/Arrivals");

afterEach(cleanup);

let seq = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++seq}`;
const HOUR = 3_600_000;

/** Noon of the zone's today plus `days`, and `hours` more: an instant that is that local day whatever "now" is. */
function localNoon(tz: string, days = 0, hours = 0): string {
  return new Date(startOfDay(addDays(today(tz), days), tz).getTime() + (12 + hours) * HOUR).toISOString();
}

function appointment(
  tz: string,
  startsAt: string,
  status: AppointmentStatus,
  options: { patient?: string; needsAttention?: boolean; allowed?: AppointmentAction[]; doctor?: string } = {},
): ArrivalFieldsFragment {
  // Typed as the fragment, sent with the __typename the cache needs.
  const value = {
    __typename: "Appointment",
    id: unique("appt"),
    status,
    startsAt,
    endsAt: new Date(new Date(startsAt).getTime() + 30 * 60_000).toISOString(),
    needsAttention: options.needsAttention ?? false,
    overbooked: false,
    allowedTransitions: options.allowed ?? (status === "BOOKED" ? (["CHECK_IN", "CANCEL"] as AppointmentAction[]) : []),
    patient: { __typename: "Patient", id: unique("patient"), name: options.patient ?? "Someone" },
    doctor: { __typename: "Doctor", id: `doc-${tz}`, name: options.doctor ?? `Dr. ${tz}`, timezone: tz, location: null },
    service: null,
  };
  return value as ArrivalFieldsFragment;
}

describe("today's arrivals", () => {
  it("keeps the appointments of each doctor's today that will still come, by start", () => {
    const seoul = "Asia/Seoul";
    const ny = "America/New_York";
    const later = appointment(seoul, localNoon(seoul, 0, 3), "BOOKED");
    const earlier = appointment(seoul, localNoon(seoul, 0, -2), "CHECKED_IN");
    const nyToday = appointment(ny, localNoon(ny), "NO_SHOW");
    const list = [
      later,
      appointment(seoul, localNoon(seoul, 1), "BOOKED"), // tomorrow in Seoul
      appointment(seoul, localNoon(seoul, -1), "FULFILLED"), // yesterday in Seoul
      appointment(seoul, localNoon(seoul), "CANCELLED"),
      appointment(seoul, localNoon(seoul), "REJECTED"),
      earlier,
      nyToday,
    ];
    expect(todaysArrivals(list).map((a) => a.id)).toEqual([earlier, later, nyToday].sort((a, b) => a.startsAt.localeCompare(b.startsAt)).map((a) => a.id));
  });

  it("asks for three of the browser's days, which hold the clinic's today", () => {
    expect(arrivalsRange("2026-03-29", "Europe/Berlin")).toEqual({ from: "2026-03-27T23:00:00.000Z", to: "2026-03-30T22:00:00.000Z" }); // 28 (CET) to 30 (CEST) March, both included
  });

  it("checks a patient in and flags appointments that need attention", async () => {
    const tz = "Europe/Berlin";
    const asked: string[] = [];
    const flagged = appointment(tz, localNoon(tz, 0, -3), "BOOKED", { patient: "Anna Attention", needsAttention: true });
    const inside = appointment(tz, localNoon(tz, 0, -2), "CHECKED_IN", { patient: "Ian Inside" });
    const tooEarly = appointment(tz, localNoon(tz, 0, 4), "BOOKED", { patient: "Erin Early", allowed: ["CANCEL"] });
    const link = new ApolloLink(
      (operation) =>
        new Observable<ApolloLink.Result>((observer) => {
          asked.push(operation.operationName ?? "");
          if (operation.operationName === "ReceptionArrivals")
            observer.next({
              data: {
                calendar: [tooEarly, inside, flagged, appointment(tz, localNoon(tz), "CANCELLED", { patient: "Carl Cancelled" })],
                doctors: {
                  __typename: "DoctorConnection",
                  edges: [{ __typename: "DoctorEdge", node: { __typename: "Doctor", id: `doc-${tz}`, timezone: tz } }],
                },
              },
            });
          else if (operation.operationName === "ReceptionCheckIn") {
            expect(operation.variables).toEqual({ id: flagged.id });
            observer.next({ data: { checkInAppointment: { ...flagged, status: "CHECKED_IN", allowedTransitions: [] } } });
          } else observer.error(new Error(`unexpected ${operation.operationName}`));
          observer.complete();
        }),
    );
    render(
      <ApolloProvider client={new ApolloClient({ link, cache: new InMemoryCache() })}>
        <MemoryRouter>
          <Arrivals />
        </MemoryRouter>
      </ApolloProvider>,
    );
    const rows = await screen.findAllByTestId("arrival");
    expect(rows.map((r) => within(r).getAllByRole("cell")[1]!.textContent)).toEqual(["Anna Attention", "Ian Inside", "Erin Early"]);
    expect(screen.getByText(/3 appointments today · 2 still expected/)).toBeTruthy();
    expect(screen.getByText(/Times in the clinic's time zone: Europe\/Berlin/)).toBeTruthy();
    expect(within(rows[0]!).getByText(/Needs attention/)).toBeTruthy();
    expect(within(rows[1]!).getByText("Checked in")).toBeTruthy();
    expect(within(rows[1]!).getByRole("link", { name: "On the clinic board" })).toBeTruthy();
    expect(within(rows[2]!).queryByRole("button")).toBeNull();
    expect(within(rows[2]!).getByText("Check-in not open yet")).toBeTruthy();

    fireEvent.click(within(rows[0]!).getByRole("button", { name: "Check in Anna Attention" }));
    await screen.findByText("Anna Attention is checked in.");
    await waitFor(() => expect(within(screen.getAllByTestId("arrival")[0]!).queryByRole("button")).toBeNull());
    expect(within(screen.getAllByTestId("arrival")[0]!).getByText("Checked in")).toBeTruthy();
    expect(asked).toContain("ReceptionCheckIn");
  });
});

describe("desk registration", () => {
  it("generates passwords the accounts rules accept", () => {
    for (let i = 0; i < 50; i++) {
      const password = generatePassword();
      expect(password).toHaveLength(14);
      expect([/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].every((re) => re.test(password))).toBe(true);
    }
    expect(new Set(Array.from({ length: 20 }, () => generatePassword())).size).toBe(20);
  });
});
