/**
 * Booking on a doctor's week: the week of free slots in the doctor's zone with previous and next, a slot chosen
 * (then the booking form takes focus), the request, and a time taken meanwhile answered with alternatives.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "@apollo/client/react";
import { WeekCalendar, type CalendarSlot } from "./WeekCalendar";
import { SlotUnavailableAlert, type SlotUnavailable } from "./Alternatives";
import { DoctorServiceSelect } from "./CatalogueSelects";
import { addDays, daysRange, mondayOf, today } from "../lib/time";
import {
  DoctorWeekDocument,
  RequestAppointmentDocument,
  type AppointmentFieldsFragment,
  type RequestAppointmentInput,
  type SlotFieldsFragment,
} from "../generated/operations";

/** Where the week shown is kept (the address, a state): its Monday (null: this week) and how to change it. */
export type WeekState = readonly [week: string | null, setWeek: (monday: string) => void];

export function useDoctorWeek(
  doctorId: string,
  [week, setWeek]: WeekState,
  {
    zone: knownZone,
    formId,
  }: {
    /** The doctor's zone when known before the week is read. */
    zone?: string;
    /** The booking form's id: choosing a slot moves the focus to its first field. */
    formId: string;
  },
) {
  // The week is the doctor's: first load without a zone uses UTC's day, then the doctor's (a day apart at most).
  const [zone, setZone] = useState<string | null>(knownZone ?? null);
  const monday = week ?? mondayOf(today(zone ?? "UTC"));
  const range = daysRange(monday, addDays(monday, 6), zone ?? "UTC");
  const query = useQuery(DoctorWeekDocument, { variables: { doctorId, ...range }, fetchPolicy: "cache-and-network" });
  const doctor = query.data?.doctor;
  if (doctor && doctor.timezone !== zone) setZone(doctor.timezone);
  const [selected, setSelected] = useState<CalendarSlot | null>(null);
  const [unavailable, setUnavailable] = useState<SlotUnavailable | null>(null);
  // The request's other fields (RequestFields): the service ("" for the doctor's usual one) and the reason.
  const [serviceId, setServiceId] = useState("");
  const [reason, setReason] = useState("");
  const [request, requesting] = useMutation(RequestAppointmentDocument);

  /** The time could not be taken: say so with its alternatives, drop the choice, read the week again. */
  function refused(answer: SlotUnavailable) {
    setUnavailable(answer);
    setSelected(null);
    void query.refetch();
  }

  /** Requests a time: the appointment, or null (an error, shown by `requesting`; or refused, shown by `unavailable`). */
  async function requestSlot(input: RequestAppointmentInput): Promise<AppointmentFieldsFragment | null> {
    const result = await request({ variables: { input } }).catch(() => null);
    const answer = result?.data?.requestAppointment;
    if (!answer) return null;
    if (answer.__typename === "Appointment") return answer;
    refused({ message: answer.message, alternatives: answer.alternatives });
    return null;
  }

  return {
    monday,
    query,
    doctor,
    selected,
    unavailable,
    select(slot: CalendarSlot) {
      setSelected(slot);
      setUnavailable(null);
      requestAnimationFrame(() => document.getElementById(formId)?.querySelector<HTMLElement>("select, textarea, button")?.focus());
    },
    clearUnavailable: () => setUnavailable(null),
    serviceId,
    setServiceId,
    reason,
    setReason,
    refused,
    requestSlot,
    requesting,
    previous: () => setWeek(addDays(monday, -7)),
    next: () => setWeek(addDays(monday, 7)),
  };
}

export type DoctorWeek = ReturnType<typeof useDoctorWeek>;

/** The week's free slots (the doctor's zone) and, after a refusal, the alternatives offered. */
export function DoctorWeekCalendar({ week, timezone, onAlternative }: { week: DoctorWeek; timezone: string; onAlternative(slot: SlotFieldsFragment): void }) {
  return (
    <>
      <WeekCalendar
        monday={week.monday}
        timezone={timezone}
        slots={week.query.data?.availableSlots ?? []}
        selectedId={week.selected?.id}
        onSelect={week.select}
        onPrevious={week.previous}
        onNext={week.next}
      />
      {week.unavailable ? <SlotUnavailableAlert unavailable={week.unavailable} onPick={onAlternative} /> : null}
    </>
  );
}

/** What a request says besides its time: the service (when the doctor offers several) and the reason for the visit. */
export function RequestFields({
  week,
  services,
  reasonLabel,
  idPrefix = "",
}: {
  week: DoctorWeek;
  services: readonly { id: string; name: string }[];
  reasonLabel: string;
  /** Put before the fields' ids ("service", "reason"). */
  idPrefix?: string;
}) {
  const { t } = useTranslation("patient");
  return (
    <>
      <DoctorServiceSelect
        id={`${idPrefix}service`}
        label={t("book.service")}
        anyLabel={t("book.defaultService")}
        services={services}
        value={week.serviceId}
        onChange={week.setServiceId}
      />
      <div className="field">
        <label htmlFor={`${idPrefix}reason`}>{reasonLabel}</label>
        <textarea id={`${idPrefix}reason`} maxLength={500} value={week.reason} onChange={(e) => week.setReason(e.target.value)} />
      </div>
    </>
  );
}
