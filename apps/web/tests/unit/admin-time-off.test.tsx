/**
 * Time off is typed in the doctor's local dates and times and sent as instants: the doctor's zone decides, never the
 * admin's browser's (the Jest process runs in whatever zone the machine has), across both DST changes.
 */
import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import i18n from "../../src/i18n";
import { localToInstant, timeOffRange } from "../../src/pages/admin/timeOff";
import { TimeOffForm } from "../../src/pages/admin/TimeOffForm";

// The area's texts load on demand in the app: here, before anything renders.
await i18n.loadNamespaces(["admin", "common"]);

afterEach(cleanup);

describe("local time → instant", () => {
  it("uses the zone's offset of that day", () => {
    expect(localToInstant("2026-03-28", "09:00", "Europe/Berlin")).toBe("2026-03-28T08:00:00.000Z"); // CET
    expect(localToInstant("2026-03-30", "09:00", "Europe/Berlin")).toBe("2026-03-30T07:00:00.000Z"); // CEST
    expect(localToInstant("2026-07-01", "00:00", "Asia/Seoul")).toBe("2026-06-30T15:00:00.000Z");
    expect(localToInstant("2026-01-01", "00:00", "Pacific/Kiritimati")).toBe("2025-12-31T10:00:00.000Z");
    expect(localToInstant("2026-07-01", "", "America/New_York")).toBe("2026-07-01T04:00:00.000Z"); // no time: midnight
  });

  it("moves a time the clocks skip forward by the gap, and takes the first of a repeated time", () => {
    expect(localToInstant("2026-03-29", "02:30", "Europe/Berlin")).toBe("2026-03-29T01:30:00.000Z"); // reads 03:30 CEST
    expect(localToInstant("2026-03-08", "02:30", "America/New_York")).toBe("2026-03-08T07:30:00.000Z"); // reads 03:30 EDT
    expect(localToInstant("2026-10-25", "02:30", "Europe/Berlin")).toBe("2026-10-25T00:30:00.000Z"); // 02:30 CEST, not CET
    expect(localToInstant("2026-11-01", "01:30", "America/New_York")).toBe("2026-11-01T05:30:00.000Z"); // 01:30 EDT, not EST
  });

  it("refuses what is not a date, a time or a zone", () => {
    expect(localToInstant("2026-04-31", "09:00", "Europe/Berlin")).toBeNull();
    expect(localToInstant("2026-02-29", "09:00", "Europe/Berlin")).toBeNull();
    expect(localToInstant("2026-03-01", "24:00", "Europe/Berlin")).toBeNull();
    expect(localToInstant("01/03/2026", "09:00", "Europe/Berlin")).toBeNull();
    expect(localToInstant("2026-03-01", "09:00", "Not/AZone")).toBeNull();
  });

  it("checks the period's order", () => {
    const day = { fromDate: "2026-03-29", toDate: "2026-03-29" };
    expect(timeOffRange({ ...day, fromTime: "13:00", toTime: "12:00" }, "Europe/Berlin")).toEqual({ problem: "order" });
    expect(timeOffRange({ ...day, fromTime: "xx", toTime: "12:00" }, "Europe/Berlin")).toEqual({ problem: "from" });
    expect(timeOffRange({ ...day, fromTime: "00:00", toTime: "23:59" }, "Europe/Berlin")).toEqual({
      from: "2026-03-28T23:00:00.000Z", // midnight CET
      to: "2026-03-29T21:59:00.000Z", // 23:59 CEST: the day has 23 hours
    });
  });
});

describe("TimeOffForm", () => {
  it("sends the doctor's local period as instants, with the reason", async () => {
    const onAdd = jest.fn(async (_period: { from: string; to: string; reason: string | null }) => true);
    render(<TimeOffForm timezone="Asia/Seoul" onAdd={onAdd} />);
    expect(screen.getByText(/Asia\/Seoul/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText("From (date)"), { target: { value: "2026-08-03" } });
    fireEvent.change(screen.getByLabelText("From (time)"), { target: { value: "09:00" } });
    fireEvent.change(screen.getByLabelText("To (date)"), { target: { value: "2026-08-07" } });
    fireEvent.change(screen.getByLabelText("To (time)"), { target: { value: "18:00" } });
    fireEvent.change(screen.getByLabelText("Reason (optional)"), { target: { value: "  Conference " } });
    // The preview reads the period back in the doctor's zone.
    expect(screen.getByTestId("time-off-preview").textContent).toMatch(/3 Aug.*09:00.*7 Aug.*18:00/);
    fireEvent.click(screen.getByRole("button", { name: "Add time off" }));
    await waitFor(() => expect(onAdd).toHaveBeenCalledWith({ from: "2026-08-03T00:00:00.000Z", to: "2026-08-07T09:00:00.000Z", reason: "Conference" }));
    await screen.findByText(/Time off added/);
  });

  it("says what is wrong instead of sending a backwards period", () => {
    const onAdd = jest.fn(async () => true);
    render(<TimeOffForm timezone="Europe/Berlin" onAdd={onAdd} />);
    fireEvent.change(screen.getByLabelText("From (date)"), { target: { value: "2026-08-03" } });
    fireEvent.change(screen.getByLabelText("To (date)"), { target: { value: "2026-08-02" } });
    fireEvent.click(screen.getByRole("button", { name: "Add time off" }));
    expect(screen.getByText("The end must be after the start.")).toBeTruthy();
    expect(onAdd).not.toHaveBeenCalled();
  });
});
