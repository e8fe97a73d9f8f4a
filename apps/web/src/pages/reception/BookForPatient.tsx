import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Page } from "../../components/Page";
import { ErrorMessage } from "../../components/ErrorMessage";
import { QueryState } from "../../components/QueryState";
import { StatusBadge } from "../../components/StatusBadge";
import { type CalendarSlot } from "../../components/WeekCalendar";
import { DoctorWeekCalendar, RequestFields, useDoctorWeek } from "../../components/DoctorWeek";
import { formatDateTime, mondayOf, today } from "../../lib/time";
import { type AppointmentFieldsFragment } from "../../generated/operations";
import { type PickedPatient } from "./PatientPicker";
import { type PickedDoctor } from "./DoctorPicker";
import { DeskPickers, useDeskChoice } from "./DeskChoice";

/** Booking for a patient at the desk or on the phone: the patient, the doctor, a free time of the doctor's week. */
export function BookForPatient() {
  const { t } = useTranslation("reception");
  const choice = useDeskChoice<AppointmentFieldsFragment>();
  const { patient, doctor, done: booked } = choice;

  return (
    <Page title={t("book.title")}>
      <div role="status" aria-live="polite">
        {booked ? <Booked appointment={booked} patient={patient} onNext={choice.next} /> : null}
      </div>
      <DeskPickers choice={choice} />
      {patient && doctor && !booked ? <DoctorSlots key={doctor.id} doctor={doctor} patient={patient} onBooked={choice.setDone} /> : null}
      {!patient || !doctor ? <p className="small muted">{t("book.needBoth")}</p> : null}
    </Page>
  );
}

function Booked({ appointment, patient, onNext }: { appointment: AppointmentFieldsFragment; patient: PickedPatient | null; onNext(): void }) {
  const { t, i18n } = useTranslation("reception");
  return (
    <div className="alert success">
      <p>
        {t(appointment.status === "PENDING" ? "book.requested" : "book.booked", {
          patient: patient?.name ?? "",
          doctor: appointment.doctor.name,
          time: formatDateTime(appointment.startsAt, appointment.doctor.timezone, i18n.language),
        })}{" "}
        <StatusBadge status={appointment.status} />
      </p>
      <button type="button" className="secondary" onClick={onNext}>
        {t("book.next")}
      </button>
    </div>
  );
}

function DoctorSlots({ doctor, patient, onBooked }: { doctor: PickedDoctor; patient: PickedPatient; onBooked(a: AppointmentFieldsFragment): void }) {
  const { t, i18n } = useTranslation(["reception", "patient"]);
  const weekState = useState<string>(() => mondayOf(today(doctor.timezone)));
  const week = useDoctorWeek(doctor.id, weekState, { zone: doctor.timezone, formId: "reception-booking-form" });
  const services = week.doctor?.services ?? doctor.services;
  const { selected } = week;

  async function book(slot: CalendarSlot, event?: FormEvent) {
    event?.preventDefault();
    week.clearUnavailable();
    const appointment = await week.requestSlot({
      slotId: slot.id,
      patientId: patient.id,
      reason: week.reason.trim() || null,
      serviceId: week.serviceId || null,
    });
    if (appointment) onBooked(appointment);
  }

  return (
    <section aria-label={t("book.slots", { doctor: doctor.name })}>
      <QueryState result={week.query} />
      <p className="small">{doctor.autoApprove ? t("find.instant", { ns: "patient" }) : t("find.approval", { ns: "patient" })}</p>
      <DoctorWeekCalendar week={week} timezone={doctor.timezone} onAlternative={(slot) => void book(slot)} />
      {selected ? (
        <form id="reception-booking-form" className="card" onSubmit={(e) => void book(selected, e)} aria-labelledby="reception-booking-heading">
          <h2 id="reception-booking-heading">
            {patient.name} · {formatDateTime(selected.startsAt, doctor.timezone, i18n.language)}
          </h2>
          <RequestFields week={week} services={services} reasonLabel={t("book.reason")} idPrefix="reception-" />
          <ErrorMessage error={week.requesting.error} />
          <button type="submit" disabled={week.requesting.loading}>
            {t("book.submit", { name: patient.name })}
          </button>
        </form>
      ) : null}
    </section>
  );
}
