/**
 * Booking on a doctor's week (the patient's page; reception's and rescheduling share its pieces): the week in the
 * doctor's zone with next, a chosen slot moves the focus to the form, a time taken meanwhile shows the API's message
 * with the alternatives as buttons, and one press on an alternative requests that time.
 */
import { useState } from "react";
import { describe, expect, it } from "@jest/globals";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { MockedProvider } from "@apollo/client/testing/react";
import type { MockLink } from "@apollo/client/testing";
import { Route, Routes, MemoryRouter } from "react-router";
import i18n from "../../src/i18n";
import { formatDateTime } from "../../src/lib/time";
import { DoctorWeekDocument, RequestAppointmentDocument } from "../../src/generated/operations";
import { BookDoctor, type PickUnavailable } from "../../src/pages/patient/BookDoctor";
import { DoctorWeekCalendar, useDoctorWeek } from "../../src/components/DoctorWeek";

const ZONE = "Europe/Berlin";
const MONDAY = "2027-03-22";
const any = () => true;

const doctor = {
  __typename: "Doctor",
  id: "d1",
  name: "Dr. Week",
  timezone: ZONE,
  location: "Berlin",
  autoApprove: false,
  bio: null,
  specialty: { __typename: "Specialty", name: "Cardiology" },
  services: [
    { __typename: "MedicalService", id: "svc-1", name: "Consultation", kind: "CONSULTATION", durationMinutes: 30 },
    { __typename: "MedicalService", id: "svc-2", name: "ECG", kind: "CHECKUP", durationMinutes: 30 },
  ],
};
const slot = { __typename: "Slot", id: "s1", startsAt: "2027-03-23T08:00:00.000Z", endsAt: "2027-03-23T08:30:00.000Z" };
const alternative = {
  __typename: "Slot",
  id: "s2",
  startsAt: "2027-03-24T09:00:00.000Z",
  endsAt: "2027-03-24T09:30:00.000Z",
  doctor: { __typename: "Doctor", id: "d1", name: "Dr. Week", timezone: ZONE, location: "Berlin" },
};
const appointment = {
  __typename: "Appointment",
  id: "a1",
  status: "PENDING",
  startsAt: alternative.startsAt,
  endsAt: alternative.endsAt,
  reason: "chest pain",
  holdExpiresAt: null,
  allowedTransitions: [],
  doctor: { __typename: "Doctor", id: "d1", name: "Dr. Week", timezone: ZONE, location: "Berlin", specialty: { __typename: "Specialty", name: "Cardiology" } },
  service: { __typename: "MedicalService", id: "svc-2", name: "ECG" },
};

interface Asked {
  weeks: Record<string, unknown>[];
  requests: Record<string, unknown>[];
}

function mocks(asked: Asked, found = true): MockLink.MockedResponse[] {
  return [
    {
      request: { query: DoctorWeekDocument, variables: any },
      maxUsageCount: Number.POSITIVE_INFINITY,
      result: (variables: Record<string, unknown>) => {
        asked.weeks.push(variables);
        return { data: { doctor: found ? doctor : null, availableSlots: found ? [slot] : [] } };
      },
    },
    {
      request: { query: RequestAppointmentDocument, variables: any },
      maxUsageCount: Number.POSITIVE_INFINITY,
      result: (variables: Record<string, unknown>) => {
        asked.requests.push(variables);
        const input = variables.input as { slotId: string };
        return {
          data: {
            requestAppointment:
              input.slotId === "s1"
                ? { __typename: "SlotUnavailable", code: "SLOT_TAKEN", message: "That time was just taken.", alternatives: [alternative] }
                : appointment,
          },
        };
      },
    },
  ];
}

function renderPage(asked: Asked, page = <BookDoctor />, found = true) {
  return render(
    <MockedProvider mocks={mocks(asked, found)}>
      <MemoryRouter initialEntries={[`/patient/doctors/d1?week=${MONDAY}`]}>
        <Routes>
          <Route path="/patient/doctors/:doctorId" element={page} />
          <Route path="/patient/appointments/:id" element={<p>appointment page</p>} />
        </Routes>
      </MemoryRouter>
    </MockedProvider>,
  );
}

const at = (iso: string) => formatDateTime(iso, ZONE, i18n.language);

describe("booking on a doctor's week", () => {
  it("requests a chosen time; a taken one offers alternatives, and one press requests that instead", async () => {
    const asked: Asked = { weeks: [], requests: [] };
    renderPage(asked);
    const slotButton = await screen.findByRole("button", { name: at(slot.startsAt) });
    expect(screen.getByTestId("calendar-zone").textContent).toContain(ZONE);

    fireEvent.click(slotButton);
    const form = await screen.findByRole("form", { name: at(slot.startsAt) });
    const service = within(form).getByLabelText(i18n.t("book.service", { ns: "patient" }));
    await waitFor(() => expect(document.activeElement).toBe(service));
    fireEvent.change(service, { target: { value: "svc-2" } });
    fireEvent.change(screen.getByLabelText(i18n.t("book.reason", { ns: "patient" })), { target: { value: "chest pain" } });
    fireEvent.click(screen.getByRole("button", { name: i18n.t("book.submitRequest", { ns: "patient" }) }));

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("That time was just taken.");
    expect(alert.textContent).toContain(i18n.t("book.alternatives", { ns: "patient" }));
    expect(asked.requests[0]).toEqual({ input: { slotId: "s1", reason: "chest pain", serviceId: "svc-2" } });
    // The choice is dropped (the form is gone) and the week is read again.
    expect(screen.queryByLabelText(i18n.t("book.reason", { ns: "patient" }))).toBeNull();
    await waitFor(() => expect(asked.weeks.length).toBeGreaterThan(1));

    fireEvent.click(within(alert).getByRole("button", { name: `${at(alternative.startsAt)} · Dr. Week` }));
    await screen.findByText("appointment page");
    expect(asked.requests[1]).toEqual({ input: { slotId: "s2", reason: "chest pain", serviceId: "svc-2" } });
  });

  it("moves to the next week in the doctor's zone", async () => {
    const asked: Asked = { weeks: [], requests: [] };
    renderPage(asked);
    await screen.findByRole("button", { name: at(slot.startsAt) });
    // The first read knows no zone yet (UTC's week); then the doctor's: Monday 00:00 in Berlin (UTC+1).
    await waitFor(() => expect(asked.weeks.at(-1)).toMatchObject({ doctorId: "d1", from: "2027-03-21T23:00:00.000Z" }));
    fireEvent.click(screen.getByRole("button", { name: i18n.t("calendar.next", { ns: "patient" }) }));
    // 2027-03-29 00:00 in Berlin is summer time (UTC+2).
    await waitFor(() => expect(asked.weeks.at(-1)).toMatchObject({ doctorId: "d1", from: "2027-03-28T22:00:00.000Z" }));
  });

  it("hands the time to onPick (rescheduling) and shows its refusal the same way", async () => {
    const asked: Asked = { weeks: [], requests: [] };
    const picked: string[] = [];
    const onPick = (s: { id: string }): PickUnavailable => {
      picked.push(s.id);
      return { message: "Not that one.", alternatives: [alternative] };
    };
    renderPage(asked, <BookDoctor doctorId="d1" onPick={onPick} pickLabel="Move here" />);
    fireEvent.click(await screen.findByRole("button", { name: at(slot.startsAt) }));
    expect(screen.queryByLabelText(i18n.t("book.reason", { ns: "patient" }))).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Move here" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Not that one.");
    fireEvent.click(within(alert).getByRole("button", { name: `${at(alternative.startsAt)} · Dr. Week` }));
    await waitFor(() => expect(picked).toEqual(["s1", "s2"]));
    expect(asked.requests).toEqual([]);
  });

  it("says so when the doctor does not exist", async () => {
    const asked: Asked = { weeks: [], requests: [] };
    renderPage(asked, <BookDoctor />, false);
    expect((await screen.findByRole("alert")).textContent).toBe(i18n.t("book.noDoctor", { ns: "patient" }));
  });

  it("reads the week in a zone known beforehand (reception's picked doctor) from the first read on", async () => {
    const asked: Asked = { weeks: [], requests: [] };
    function Week() {
      const week = useDoctorWeek("d1", useState<string>(MONDAY), { zone: ZONE, formId: "form" });
      return <DoctorWeekCalendar week={week} timezone={ZONE} onAlternative={() => undefined} />;
    }
    render(
      <MockedProvider mocks={mocks(asked)}>
        <Week />
      </MockedProvider>,
    );
    await screen.findByRole("button", { name: at(slot.startsAt) });
    expect(asked.weeks).toEqual([expect.objectContaining({ doctorId: "d1", from: "2027-03-21T23:00:00.000Z" })]);
  });
});
