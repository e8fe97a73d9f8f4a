/**
 * The weekly schedule editor: the API's rules (HH:MM, start before end, 5–480-minute slots filling the window, no
 * overlap within a day) checked on each row before saving, every problem at once; what is saved is normalised and
 * ordered Monday first.
 */
import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import i18n from "../../src/i18n";
import { nextRow, normalizeTime, parseTime, slotCount, toRuleInputs, validateRows, type RuleRow } from "../../src/pages/admin/schedule";
import { ScheduleEditor } from "../../src/pages/admin/ScheduleEditor";
import type { ScheduleRuleInput } from "../../src/generated/operations";

// The area's texts load on demand in the app: here, before anything renders.
await i18n.loadNamespaces(["admin", "common"]);

afterEach(cleanup);

const row = (key: string, dayOfWeek: RuleRow["dayOfWeek"], startTime: string, endTime: string, slotMinutes = "30"): RuleRow => ({
  key,
  dayOfWeek,
  startTime,
  endTime,
  slotMinutes,
});

describe("schedule rules", () => {
  it("reads HH:MM times, 24:00 only as an end", () => {
    expect(parseTime("09:30")).toBe(570);
    expect(parseTime("9:30")).toBe(570);
    expect(parseTime("24:00")).toBeNull();
    expect(parseTime("24:00", true)).toBe(1440);
    expect(parseTime("23:60")).toBeNull();
    expect(parseTime("nine")).toBeNull();
    expect(normalizeTime(" 8.15 ")).toBe("08:15");
  });

  it("finds every problem, on its row and field", () => {
    const problems = validateRows([
      row("ok", "MONDAY", "09:00", "12:00"),
      row("touching", "MONDAY", "12:00", "13:00", "60"), // touches, does not overlap
      row("bad-time", "TUESDAY", "25:00", "26:00"),
      row("backwards", "WEDNESDAY", "17:00", "09:00"),
      row("short-slot", "THURSDAY", "09:00", "10:00", "3"),
      row("not-whole", "FRIDAY", "09:00", "10:00", "45"),
      row("overlap", "MONDAY", "10:00", "11:00"),
      row("end-of-day", "SATURDAY", "20:00", "24:00", "240"),
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        { key: "bad-time", field: "startTime", problem: "time" },
        { key: "bad-time", field: "endTime", problem: "time" },
        { key: "backwards", field: "endTime", problem: "order" },
        { key: "short-slot", field: "slotMinutes", problem: "slot" },
        { key: "not-whole", field: "slotMinutes", problem: "divide" },
        { key: "overlap", field: "startTime", problem: "overlap", other: "09:00–12:00" },
      ]),
    );
    expect(problems.filter((p) => ["ok", "touching", "end-of-day"].includes(p.key))).toEqual([]);
    // The same window on another day is no overlap.
    expect(validateRows([row("a", "MONDAY", "09:00", "12:00"), row("b", "TUESDAY", "09:00", "12:00")])).toEqual([]);
  });

  it("saves the rows normalised, Monday first, then by start", () => {
    expect(toRuleInputs([row("a", "WEDNESDAY", "9:00", "12:00"), row("b", "MONDAY", "14:00", "18:00", " 20 "), row("c", "MONDAY", "08:00", "12:00")])).toEqual([
      { dayOfWeek: "MONDAY", startTime: "08:00", endTime: "12:00", slotMinutes: 30 },
      { dayOfWeek: "MONDAY", startTime: "14:00", endTime: "18:00", slotMinutes: 20 },
      { dayOfWeek: "WEDNESDAY", startTime: "09:00", endTime: "12:00", slotMinutes: 30 },
    ]);
  });

  it("counts slots and proposes the next day for a new row", () => {
    expect(slotCount(row("a", "MONDAY", "09:00", "17:00", "30"))).toBe(16);
    expect(slotCount(row("a", "MONDAY", "09:00", "10:00", "45"))).toBeNull();
    expect(nextRow([])).toMatchObject({ dayOfWeek: "MONDAY", startTime: "09:00", endTime: "17:00", slotMinutes: "30" });
    expect(nextRow([row("a", "SUNDAY", "10:00", "14:00", "20")])).toMatchObject({
      dayOfWeek: "MONDAY",
      startTime: "10:00",
      endTime: "14:00",
      slotMinutes: "20",
    });
  });
});

describe("ScheduleEditor", () => {
  const saved: ScheduleRuleInput[] = [{ dayOfWeek: "MONDAY", startTime: "09:00", endTime: "12:00", slotMinutes: 30 }];

  it("shows the problems on their rows and saves nothing until they are fixed", async () => {
    const onSave = jest.fn(async (_rules: ScheduleRuleInput[]) => true);
    render(<ScheduleEditor rules={saved} timezone="Europe/Berlin" onSave={onSave} />);
    expect(screen.getByText(/Europe\/Berlin/)).toBeTruthy();
    expect(screen.getAllByTestId("schedule-row")).toHaveLength(1);
    expect(within(screen.getAllByTestId("schedule-row")[0]!).getByText("6 slots")).toBeTruthy();
    const save = screen.getByRole("button", { name: "Save the schedule" }) as HTMLButtonElement;
    expect(save.disabled).toBe(true); // nothing changed yet

    // A second row on Tuesday (the day after the last), moved to Monday over the first window.
    fireEvent.click(screen.getByRole("button", { name: "Add a row" }));
    expect((screen.getByLabelText("Day of row 2") as HTMLSelectElement).value).toBe("TUESDAY");
    fireEvent.change(screen.getByLabelText("Day of row 2"), { target: { value: "MONDAY" } });
    fireEvent.change(screen.getByLabelText("Start of row 2"), { target: { value: "11:00" } });
    fireEvent.change(screen.getByLabelText("End of row 2"), { target: { value: "13:00" } });
    fireEvent.change(screen.getByLabelText("Slot minutes of row 1"), { target: { value: "40" } }); // 3 h is not whole 40-minute slots
    fireEvent.click(save);

    expect(onSave).not.toHaveBeenCalled();
    expect(screen.getByText("2 problems to fix before saving.")).toBeTruthy();
    const start2 = screen.getByLabelText("Start of row 2");
    expect(start2.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(start2.getAttribute("aria-describedby")!)!.textContent).toBe("Overlaps 09:00–12:00 on the same day.");
    expect(document.activeElement).toBe(screen.getByLabelText("Slot minutes of row 1")); // the first problem takes focus
    expect(screen.getByText("The window does not divide into whole slots of this length.")).toBeTruthy();

    // Fixed as the admin types: the messages follow.
    fireEvent.change(screen.getByLabelText("Slot minutes of row 1"), { target: { value: "15" } });
    fireEvent.change(screen.getByLabelText("Start of row 2"), { target: { value: "13:00" } });
    fireEvent.change(screen.getByLabelText("End of row 2"), { target: { value: "24:00" } });
    expect(screen.queryByText(/problems? to fix/)).toBeNull();
    fireEvent.click(save);
    await waitFor(() => expect(onSave).toHaveBeenCalledTimes(1));
    expect(onSave.mock.calls[0]![0]).toEqual([
      { dayOfWeek: "MONDAY", startTime: "09:00", endTime: "12:00", slotMinutes: 15 },
      { dayOfWeek: "MONDAY", startTime: "13:00", endTime: "24:00", slotMinutes: 30 },
    ]);
    await screen.findByText(/Schedule saved/);
  });

  it("removes rows, and can save an empty week", async () => {
    const onSave = jest.fn(async (_rules: ScheduleRuleInput[]) => true);
    render(<ScheduleEditor rules={saved} timezone="Asia/Seoul" onSave={onSave} />);
    fireEvent.click(screen.getByRole("button", { name: "Remove row 1" }));
    expect(screen.getByText(/cannot be booked/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Save the schedule" }));
    await waitFor(() => expect(onSave).toHaveBeenCalledWith([]));
  });
});
