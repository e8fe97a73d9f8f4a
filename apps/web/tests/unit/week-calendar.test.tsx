/**
 * The week calendar shows slots in the doctor's zone, whatever the browser's zone is, and a DST day with its real
 * local times. (The Jest process runs in whatever TZ the machine has; the calendar never reads it.)
 */
import { describe, expect, it, jest } from "@jest/globals";
import { render, screen, within, fireEvent } from "@testing-library/react";
import "../../src/i18n";
import { WeekCalendar, slotsByDay } from "../../src/components/WeekCalendar";
import { daysRange, mondayOf, startOfDay } from "../../src/lib/time";

const slot = (id: string, startsAt: string, minutes = 30) => ({
  id,
  startsAt,
  endsAt: new Date(new Date(startsAt).getTime() + minutes * 60_000).toISOString(),
});

describe("week calendar", () => {
  it("puts each slot on the doctor's local day, in local time, across the spring-forward night (Europe/Berlin)", () => {
    // 2026-03-29: clocks go from 02:00 to 03:00 in Berlin. 01:30 local = 00:30Z; 03:30 local = 01:30Z.
    const slots = [
      slot("a", "2026-03-29T00:30:00Z"), // Sun 01:30 CET
      slot("b", "2026-03-29T01:30:00Z"), // Sun 03:30 CEST
      slot("c", "2026-03-27T22:30:00Z"), // Fri 23:30 CET (Sat in UTC+14, Fri in Berlin)
      slot("d", "2026-03-23T07:00:00Z"), // Mon 08:00 CET
    ];
    render(<WeekCalendar monday="2026-03-23" timezone="Europe/Berlin" slots={slots} onSelect={() => undefined} viewerZone="Pacific/Kiritimati" />);
    const sunday = screen.getByRole("group", { name: /Sun/ });
    expect(
      within(sunday)
        .getAllByRole("button")
        .map((b) => b.textContent),
    ).toEqual(["01:30", "03:30"]);
    const friday = screen.getByRole("group", { name: /Fri/ });
    expect(
      within(friday)
        .getAllByRole("button")
        .map((b) => b.textContent),
    ).toEqual(["23:30"]);
    const monday = screen.getByRole("group", { name: /Mon/ });
    expect(
      within(monday)
        .getAllByRole("button")
        .map((b) => b.textContent),
    ).toEqual(["08:00"]);
    // The zone is named, with the viewer's own zone beside it.
    expect(screen.getByTestId("calendar-zone").textContent).toMatch(/Europe\/Berlin/);
    expect(screen.getByTestId("calendar-zone").textContent).toMatch(/Pacific\/Kiritimati/);
    // Each slot's accessible name is its full date and time in the doctor's zone, zone included.
    expect(within(sunday).getAllByRole("button")[1]!.getAttribute("aria-label")).toMatch(/29.*03:30.*(GMT\+2|CEST)/);
  });

  it("shows the fall-back night's repeated hour twice (America/New_York, 2026-11-01)", () => {
    // 01:30 EDT = 05:30Z, 01:30 EST = 06:30Z: the same wall time, two instants.
    const slots = [slot("first", "2026-11-01T05:30:00Z"), slot("second", "2026-11-01T06:30:00Z")];
    const onSelect = jest.fn();
    render(<WeekCalendar monday="2026-10-26" timezone="America/New_York" slots={slots} onSelect={onSelect} viewerZone="America/New_York" />);
    const sunday = screen.getByRole("group", { name: /Sun/ });
    const buttons = within(sunday).getAllByRole("button");
    expect(buttons.map((b) => b.textContent)).toEqual(["01:30", "01:30"]);
    expect(buttons[0]!.getAttribute("aria-label")).toMatch(/EDT|GMT-4/);
    expect(buttons[1]!.getAttribute("aria-label")).toMatch(/EST|GMT-5/);
    fireEvent.click(buttons[1]!);
    expect(onSelect).toHaveBeenCalledWith(expect.objectContaining({ id: "second" }));
    // The same zone as the viewer's: not named twice.
    expect(screen.getByTestId("calendar-zone").textContent).not.toMatch(/\(Yours/);
  });

  it("groups by the zone's day and asks the API for the zone's week (23-hour and 25-hour days included)", () => {
    expect([...slotsByDay("2026-03-23", "Asia/Seoul", [slot("x", "2026-03-22T15:00:00Z")]).entries()].find(([, s]) => s.length)?.[0]).toBe("2026-03-23");
    expect(mondayOf("2026-03-29")).toBe("2026-03-23");
    expect(startOfDay("2026-03-29", "Europe/Berlin").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(startOfDay("2026-03-30", "Europe/Berlin").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(daysRange("2026-10-26", "2026-11-01", "America/New_York")).toEqual({
      from: "2026-10-26T04:00:00.000Z",
      to: "2026-11-02T05:00:00.000Z",
    });
  });
});
