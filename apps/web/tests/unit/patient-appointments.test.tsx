/**
 * The patient's appointments: upcoming and past in a sensible order, actions only as allowedTransitions say, a
 * feedback form that sends nothing without a rating, and the waitlist's range rules.
 */
import { TextDecoder, TextEncoder } from "node:util";
import { describe, expect, it, jest } from "@jest/globals";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { MockedProvider } from "@apollo/client/testing/react";
import "../../src/i18n";
import { SubmitFeedbackDocument, type AppointmentAction, type AppointmentFieldsFragment } from "../../src/generated/operations";

// jsdom has no TextEncoder, which react-router needs when it loads: the modules using it are imported after this.
Object.assign(globalThis, { TextEncoder, TextDecoder });
const { MemoryRouter } = await import("react-router");
const { splitAppointments } = await import("../../src/pages/patient/Appointments");
const { AppointmentActions, FeedbackForm } = await import("../../src/pages/patient/AppointmentActions");
const { waitlistRangeProblem } = await import("../../src/pages/patient/JoinWaitlist");

const appointment = (id: string, status: string, startsAt: string, allowedTransitions: AppointmentAction[] = []) => ({
  __typename: "Appointment" as const,
  id,
  status,
  startsAt,
  endsAt: new Date(new Date(startsAt).getTime() + 30 * 60_000).toISOString(),
  reason: null,
  holdExpiresAt: null,
  allowedTransitions,
  doctor: {
    __typename: "Doctor" as const,
    id: "d1",
    name: "Dr. Test",
    timezone: "Europe/Berlin",
    location: "Berlin",
    specialty: { __typename: "Specialty" as const, name: "Cardiology" },
  },
  service: null,
});

describe("my appointments", () => {
  it("lists upcoming soonest first and past newest first", () => {
    const now = new Date("2027-03-22T12:00:00Z");
    const all = [
      appointment("old-fulfilled", "FULFILLED", "2027-03-01T09:00:00Z"),
      appointment("later", "BOOKED", "2027-03-30T09:00:00Z"),
      appointment("cancelled-ahead", "CANCELLED", "2027-03-25T09:00:00Z"),
      appointment("soon", "PENDING", "2027-03-23T09:00:00Z"),
      appointment("missed", "BOOKED", "2027-03-10T09:00:00Z"),
      appointment("in-visit", "CHECKED_IN", "2027-03-22T08:00:00Z"),
    ];
    const { upcoming, past } = splitAppointments(all, now);
    expect(upcoming.map((a) => a.id)).toEqual(["in-visit", "soon", "later"]);
    expect(past.map((a) => a.id)).toEqual(["cancelled-ahead", "missed", "old-fulfilled"]);
  });

  it("offers only what allowedTransitions allow, and cancelling asks first", () => {
    const booked = appointment("a1", "BOOKED", "2027-03-30T09:00:00Z", ["RESCHEDULE", "CANCEL"]) as AppointmentFieldsFragment;
    render(
      <MockedProvider>
        <MemoryRouter>
          <AppointmentActions appointment={booked} />
        </MemoryRouter>
      </MockedProvider>,
    );
    expect(screen.getByRole("link", { name: "Reschedule" }).getAttribute("href")).toBe("/patient/appointments/a1/reschedule");
    expect(screen.queryByRole("button", { name: "Rate this visit" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Cancel appointment" }));
    expect(screen.getByLabelText("Reason (optional, seen by the doctor)")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Yes, cancel it" })).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Keep the appointment" }));
    expect(screen.queryByRole("button", { name: "Yes, cancel it" })).toBeNull();
  });

  it("sends feedback only with a rating, then the rating and comment", async () => {
    const sent = jest.fn(() => ({
      data: {
        submitFeedback: {
          ...appointment("a2", "FULFILLED", "2027-03-01T09:00:00Z"),
          feedback: { __typename: "Feedback" as const, rating: 4, comment: "Kind and clear", submittedAt: "2027-03-02T09:00:00Z" },
        },
      },
    }));
    const onSubmitted = jest.fn();
    const onClose = jest.fn();
    render(
      <MockedProvider
        mocks={[{ request: { query: SubmitFeedbackDocument, variables: { appointmentId: "a2", rating: 4, comment: "Kind and clear" } }, result: sent }]}
      >
        <FeedbackForm appointmentId="a2" onClose={onClose} onSubmitted={onSubmitted} />
      </MockedProvider>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Send feedback" }));
    expect(screen.getByRole("alert").textContent).toBe("Choose a rating from 1 to 5.");
    expect(sent).not.toHaveBeenCalled();

    const radios = screen.getAllByRole("radio");
    expect(radios).toHaveLength(5);
    fireEvent.click(screen.getByLabelText("4 – Very good"));
    expect(screen.queryByRole("alert")).toBeNull();
    fireEvent.change(screen.getByLabelText("Comment (optional)"), { target: { value: "  Kind and clear " } });
    fireEvent.click(screen.getByRole("button", { name: "Send feedback" }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(sent).toHaveBeenCalledTimes(1);
    expect(onSubmitted).toHaveBeenCalledWith({ rating: 4, comment: "Kind and clear" });
  });
});

describe("waitlist range", () => {
  it("takes 1 to 92 days of the doctor's calendar, not in the past", () => {
    expect(waitlistRangeProblem("2027-03-22", "2027-04-04", "2027-03-22")).toBeNull();
    expect(waitlistRangeProblem("2027-03-22", "2027-03-22", "2027-03-22")).toBeNull();
    expect(waitlistRangeProblem("2027-03-22", "2027-03-21", "2027-03-20")).toBe("waitlist.errors.order");
    expect(waitlistRangeProblem("2027-03-01", "2027-03-10", "2027-03-22")).toBe("waitlist.errors.past");
    expect(waitlistRangeProblem("2027-03-22", "2027-06-21", "2027-03-22")).toBeNull(); // 92 days
    expect(waitlistRangeProblem("2027-03-22", "2027-06-22", "2027-03-22")).toBe("waitlist.errors.tooLong");
    expect(waitlistRangeProblem("", "2027-06-22", "2027-03-22")).toBe("waitlist.errors.required");
  });
});
