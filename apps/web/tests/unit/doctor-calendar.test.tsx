/**
 * The doctor's calendar: the views' days and the instants asked for, appointments grouped by the doctor's local day
 * (a DST week included, whatever the browser's zone), the month grid's blanks, and the days rendered as lists.
 */
import { TextDecoder, TextEncoder } from "node:util";
import { afterEach, describe, expect, it } from "@jest/globals";
import { cleanup, render, screen, within } from "@testing-library/react";
import "../../src/i18n";
import { appointmentsByDay, isDay, leadingBlanks, shiftAnchor, viewDays, viewRange } from "../../src/pages/doctor/calendarModel";
import type { CalendarAppointment } from "../../src/pages/doctor/Calendar";

// jsdom has no TextEncoder, which react-router needs when it loads: the modules using it are imported after this.
Object.assign(globalThis, { TextEncoder, TextDecoder });
const { MemoryRouter } = await import("react-router");
const { CalendarDays, periodLabel, rangeZoneLabel } = await import("../../src/pages/doctor/Calendar");

afterEach(cleanup);

const BERLIN = "Europe/Berlin";

function appointment(id: string, name: string, startsAt: string, status = "BOOKED"): CalendarAppointment {
  return {
    id,
    status,
    startsAt,
    endsAt: new Date(new Date(startsAt).getTime() + 30 * 60_000).toISOString(),
    reason: null,
    patient: { id: `p-${id}`, name },
    service: { name: `Service of ${name}` },
  };
}

describe("calendar model", () => {
  it("gives each view its local days and the instants bounding them, DST included", () => {
    // Berlin moves to summer time on Sunday 29 March 2026: the week is 7 days but 167 hours long.
    const week = viewRange("week", "2026-03-25", BERLIN);
    expect(week.days).toEqual(["2026-03-23", "2026-03-24", "2026-03-25", "2026-03-26", "2026-03-27", "2026-03-28", "2026-03-29"]);
    expect(week.from).toBe("2026-03-22T23:00:00.000Z"); // Monday 00:00 CET
    expect(week.to).toBe("2026-03-29T22:00:00.000Z"); // the next Monday 00:00 CEST
    const day = viewRange("day", "2026-10-25", BERLIN); // back to winter time: a 25-hour day
    expect(day.days).toEqual(["2026-10-25"]);
    expect(new Date(day.to).getTime() - new Date(day.from).getTime()).toBe(25 * 3600_000);
    expect(viewDays("month", "2028-02-10")).toHaveLength(29); // a leap year
    expect(viewDays("month", "2026-02-10")[0]).toBe("2026-02-01");
    expect(viewRange("month", "2026-03-31", BERLIN).days).toHaveLength(31); // within the API's 62 days
  });

  it("moves by a day, a week (from its Monday) or a month (to the 1st)", () => {
    expect(shiftAnchor("day", "2026-03-01", -1)).toBe("2026-02-28");
    expect(shiftAnchor("week", "2026-03-26", 1)).toBe("2026-03-30");
    expect(shiftAnchor("week", "2026-03-26", -1)).toBe("2026-03-16");
    expect(shiftAnchor("month", "2026-01-31", 1)).toBe("2026-02-01");
    expect(shiftAnchor("month", "2026-03-15", -1)).toBe("2026-02-01");
    expect(shiftAnchor("month", "2026-12-05", 1)).toBe("2027-01-01");
  });

  it("starts the month grid on Mondays", () => {
    expect(leadingBlanks("2026-02-01")).toBe(6); // a Sunday
    expect(leadingBlanks("2026-06-01")).toBe(0); // a Monday
    expect(isDay("2026-02-29")).toBe(false);
    expect(isDay("2028-02-29")).toBe(true);
    expect(isDay("tomorrow")).toBe(false);
  });

  it("groups appointments by the doctor's local day across the DST change, in time order", () => {
    const days = viewDays("week", "2026-03-25");
    const byDay = appointmentsByDay(days, BERLIN, [
      appointment("late-sunday", "Late Sunday", "2026-03-29T21:59:00Z"), // 23:59 CEST, Sunday
      appointment("next-monday", "Next Monday", "2026-03-29T22:30:00Z"), // 00:30 CEST, Monday 30: another week
      appointment("early-sunday", "Early Sunday", "2026-03-28T23:30:00Z"), // 00:30 CET, Sunday (UTC still says Saturday)
      appointment("saturday", "Saturday", "2026-03-28T22:30:00Z"), // 23:30 CET, Saturday
    ]);
    expect(byDay.get("2026-03-28")!.map((a) => a.id)).toEqual(["saturday"]);
    expect(byDay.get("2026-03-29")!.map((a) => a.id)).toEqual(["early-sunday", "late-sunday"]);
    expect([...byDay.values()].flat().map((a) => a.id)).not.toContain("next-monday");
  });

  it("names the zone, and both offsets over a DST change", () => {
    const dst = viewRange("week", "2026-03-25", BERLIN);
    expect(rangeZoneLabel(BERLIN, dst.from, dst.to, "en")).toMatch(/^Europe\/Berlin \(.+ → .+\)$/);
    const plain = viewRange("week", "2026-03-16", BERLIN);
    expect(rangeZoneLabel(BERLIN, plain.from, plain.to, "en")).not.toContain("→");
    expect(periodLabel("month", viewDays("month", "2026-03-10"), "en")).toBe("March 2026");
  });
});

describe("calendar days", () => {
  it("shows each local day as a heading with its appointments as a list: time, patient (linked to the card), status, service", () => {
    const tokyo = "Asia/Tokyo"; // far from the test machine's zone: days are Tokyo's
    const days = viewDays("week", "2026-05-06");
    render(
      <MemoryRouter>
        <CalendarDays
          view="week"
          days={days}
          timezone={tokyo}
          appointments={[
            appointment("c1", "Calendar Patient One", "2026-05-05T15:30:00Z"), // Wednesday 00:30 in Tokyo
            appointment("c2", "Calendar Patient Two", "2026-05-04T23:00:00Z", "PENDING"), // Tuesday 08:00
          ]}
        />
      </MemoryRouter>,
    );
    const wednesday = screen.getByTestId("calendar-day-2026-05-06");
    expect(within(wednesday).getByRole("heading", { level: 3 }).textContent).toContain("1 appointment");
    const link = within(wednesday).getByRole("link", { name: "Calendar Patient One — patient card" });
    expect(link.getAttribute("href")).toBe("/doctor/patients/p-c1");
    expect(within(wednesday).getByText("Booked")).toBeTruthy();
    expect(within(wednesday).getByText("Service of Calendar Patient One")).toBeTruthy();
    expect(wednesday.querySelector("time")!.getAttribute("dateTime")).toBe("2026-05-05T15:30:00Z");
    const tuesday = screen.getByTestId("calendar-day-2026-05-05");
    expect(within(tuesday).getByText("Waiting for approval")).toBeTruthy();
    expect(within(screen.getByTestId("calendar-day-2026-05-04")).getByText("No appointments")).toBeTruthy();
    expect(screen.getAllByRole("listitem")).toHaveLength(2);
  });

  it("pads a month to start on Monday without announcing the blanks", () => {
    const days = viewDays("month", "2026-02-01");
    const { container } = render(
      <MemoryRouter>
        <CalendarDays view="month" days={days} timezone={BERLIN} appointments={[]} />
      </MemoryRouter>,
    );
    expect(container.querySelectorAll('[aria-hidden="true"]')).toHaveLength(6);
    expect(screen.getAllByRole("heading", { level: 3 })).toHaveLength(28);
  });
});
