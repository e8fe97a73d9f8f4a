/**
 * Notification settings: the reminder offsets editor keeps to the API's limits (5 at most, 5 minutes – 14 days, no
 * duplicates), and the page saves language, channels and offsets, shows a BAD_USER_INPUT's message, and switches the
 * app's language on save.
 */
import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { useState } from "react";
import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { MockedProvider } from "@apollo/client/testing/react";
import i18n from "../../src/i18n";
import NotificationSettings, { ReminderOffsetsEditor, offsetProblem, sortOffsets } from "../../src/pages/settings/NotificationSettings";
import { MyNotificationPreferencesDocument, MyNotificationsDocument, UpdateNotificationPreferencesDocument } from "../../src/generated/operations";

afterEach(async () => {
  await act(() => i18n.changeLanguage("en"));
});

function Editor({ initial = [] as number[], onChange = (_: number[]) => undefined }) {
  const [value, setValue] = useState(initial);
  return (
    <ReminderOffsetsEditor
      value={value}
      onChange={(next) => {
        setValue(next);
        onChange(next);
      }}
    />
  );
}

function addOffset(amount: string, unit: "minutes" | "hours" | "days") {
  fireEvent.change(screen.getByLabelText("How long before"), { target: { value: amount } });
  fireEvent.change(screen.getByLabelText("Unit"), { target: { value: unit } });
  fireEvent.click(screen.getByRole("button", { name: "Add reminder" }));
}

const listed = () =>
  within(screen.getByRole("list", { name: "Reminders" }))
    .getAllByRole("listitem")
    .map((li) => li.querySelector("span")?.textContent);

describe("reminder offsets", () => {
  it("checks the API's limits", () => {
    expect(offsetProblem(4, [])).toBe("offsets.errors.range");
    expect(offsetProblem(5, [])).toBeNull();
    expect(offsetProblem(20_160, [])).toBeNull();
    expect(offsetProblem(20_161, [])).toBe("offsets.errors.range");
    expect(offsetProblem(7.5, [])).toBe("offsets.errors.range");
    expect(offsetProblem(60, [60])).toBe("offsets.errors.duplicate");
    expect(offsetProblem(60, [5, 10, 15, 20, 25])).toBe("offsets.errors.tooMany");
    expect(sortOffsets([60, 1440, 30])).toEqual([1440, 60, 30]);
  });

  it("adds in any unit (longest lead first), refuses what the API would, and removes", () => {
    const onChange = jest.fn<(next: number[]) => undefined>();
    render(<Editor initial={[60]} onChange={onChange} />);
    addOffset("1", "days");
    expect(onChange).toHaveBeenLastCalledWith([1440, 60]);
    expect(listed()).toEqual(["1 day before", "1 hour before"]);

    addOffset("24", "hours"); // the same as 1 day
    expect(screen.getByRole("alert").textContent).toBe("You already have this reminder.");
    addOffset("15", "days");
    expect(screen.getByRole("alert").textContent).toMatch(/from 5 minutes to 14 days/);
    addOffset("3", "minutes");
    expect(screen.getByRole("alert").textContent).toMatch(/from 5 minutes to 14 days/);
    expect(onChange).toHaveBeenCalledTimes(1);

    // Enter in the amount adds (and does not submit a surrounding form).
    fireEvent.change(screen.getByLabelText("How long before"), { target: { value: "90" } });
    fireEvent.change(screen.getByLabelText("Unit"), { target: { value: "minutes" } });
    fireEvent.keyDown(screen.getByLabelText("How long before"), { key: "Enter" });
    expect(listed()).toEqual(["1 day before", "90 minutes before", "1 hour before"]);
    expect(screen.queryByRole("alert")).toBeNull();

    fireEvent.click(screen.getByRole("button", { name: "Remove 90 minutes" }));
    expect(listed()).toEqual(["1 day before", "1 hour before"]);
  });

  it("stops at five", () => {
    render(<Editor initial={[20_160, 2880, 1440, 120, 30]} />);
    expect(screen.getByRole("button", { name: "Add reminder" })).toHaveProperty("disabled", true);
    expect(screen.getByLabelText("How long before")).toHaveProperty("disabled", true);
    expect(screen.getByText(/the most allowed/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Remove 30 minutes" }));
    expect(screen.getByRole("button", { name: "Add reminder" })).toHaveProperty("disabled", false);
  });
});

const preferences = (language: string, channels: string[], offsets: number[]) => ({
  __typename: "NotificationPreferences" as const,
  language,
  channels,
  reminderOffsetsMinutes: offsets,
});

const baseMocks = [
  {
    request: { query: MyNotificationPreferencesDocument },
    result: { data: { myNotificationPreferences: preferences("en", ["EMAIL"], [1440, 60]) } },
  },
  {
    request: { query: MyNotificationsDocument, variables: { first: 20 } },
    result: {
      data: {
        myNotifications: {
          __typename: "NotificationConnection",
          edges: [
            {
              __typename: "NotificationEdge",
              node: {
                __typename: "Notification",
                id: "n1",
                kind: "APPOINTMENT_REMINDER",
                channel: "EMAIL",
                subject: null,
                status: "SCHEDULED",
                dueAt: "2027-03-22T08:00:00Z",
                sentAt: null,
                createdAt: "2027-03-20T08:00:00Z",
                lastError: null,
                appointmentId: null,
              },
            },
          ],
          pageInfo: { __typename: "PageInfo", hasNextPage: false, endCursor: null },
        },
      },
    },
  },
];

describe("notification settings page", () => {
  it("shows the API's message when SMS cannot be chosen", async () => {
    const mocks = [
      ...baseMocks,
      {
        request: {
          query: UpdateNotificationPreferencesDocument,
          variables: { input: { language: "en", channels: ["EMAIL", "SMS"], reminderOffsetsMinutes: [1440, 60] } },
        },
        result: { errors: [{ message: "Add a phone number to your account to receive SMS", extensions: { code: "BAD_USER_INPUT", field: "input.channels" } }] },
      },
    ];
    render(
      <MockedProvider mocks={mocks}>
        <NotificationSettings />
      </MockedProvider>,
    );
    const sms = await screen.findByLabelText("Text message (SMS)");
    expect(screen.getByLabelText("E-mail")).toHaveProperty("checked", true);
    expect(listed()).toEqual(["1 day before", "1 hour before"]);
    expect(await screen.findByText("Appointment reminder")).toBeTruthy();
    fireEvent.click(sms);
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    const alert = await screen.findByText(/Add a phone number to your account to receive SMS/);
    expect(alert.closest("[role=alert]")?.textContent).toMatch(/BAD_USER_INPUT/);
  });

  it("saves the language and switches the app to it", async () => {
    const mocks = [
      ...baseMocks,
      {
        request: {
          query: UpdateNotificationPreferencesDocument,
          variables: { input: { language: "fr", channels: ["EMAIL"], reminderOffsetsMinutes: [1440, 60, 30] } },
        },
        result: { data: { updateNotificationPreferences: preferences("fr", ["EMAIL"], [1440, 60, 30]) } },
      },
    ];
    render(
      <MockedProvider mocks={mocks}>
        <NotificationSettings />
      </MockedProvider>,
    );
    fireEvent.change(await screen.findByLabelText("Language of messages and of this app"), { target: { value: "fr" } });
    addOffset("30", "minutes");
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("heading", { name: "Paramètres des notifications" })).toBeTruthy();
    expect(i18n.language).toBe("fr");
    expect(document.documentElement.lang).toBe("fr");
  });
});
