import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage, Loading } from "../../components/ErrorMessage";
import { StatusBadge } from "../../components/StatusBadge";
import { WeekCalendar, type CalendarSlot } from "../../components/WeekCalendar";
import { addDays, daysRange, formatDateTime, mondayOf, today } from "../../lib/time";
import { DoctorWeekDocument, RequestAppointmentDocument, type AppointmentFieldsFragment, type SlotFieldsFragment } from "../../generated/operations";
import { PatientPicker, type PickedPatient } from "./PatientPicker";
import { DoctorPicker, type PickedDoctor } from "./DoctorPicker";

/** Booking for a patient at the desk or on the phone: the patient, the doctor, a free time of the doctor's week. */
export function BookForPatient() {
  const { t } = useTranslation("reception");
  const [patient, setPatient] = useState<PickedPatient | null>(null);
  const [doctor, setDoctor] = useState<PickedDoctor | null>(null);
  const [booked, setBooked] = useState<AppointmentFieldsFragment | null>(null);

  return (
    <Page title={t("book.title")}>
      <div role="status" aria-live="polite">
        {booked ? (
          <Booked
            appointment={booked}
            patient={patient}
            onNext={() => {
              setBooked(null);
              setPatient(null);
              setDoctor(null);
            }}
          />
        ) : null}
      </div>
      <PatientPicker
        value={patient}
        onChange={(p) => {
          setPatient(p);
          setBooked(null);
        }}
      />
      <DoctorPicker
        value={doctor}
        onChange={(d) => {
          setDoctor(d);
          setBooked(null);
        }}
      />
      {patient && doctor && !booked ? <DoctorSlots key={doctor.id} doctor={doctor} patient={patient} onBooked={setBooked} /> : null}
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
  const [monday, setMonday] = useState(() => mondayOf(today(doctor.timezone)));
  const range = daysRange(monday, addDays(monday, 6), doctor.timezone);
  const week = useQuery(DoctorWeekDocument, { variables: { doctorId: doctor.id, ...range }, fetchPolicy: "cache-and-network" });
  const [selected, setSelected] = useState<CalendarSlot | null>(null);
  const [reason, setReason] = useState("");
  const [serviceId, setServiceId] = useState("");
  const [unavailable, setUnavailable] = useState<{ message: string; alternatives: SlotFieldsFragment[] } | null>(null);
  const [request, requesting] = useMutation(RequestAppointmentDocument);
  const services = week.data?.doctor?.services ?? doctor.services;

  async function book(slot: CalendarSlot, event?: FormEvent) {
    event?.preventDefault();
    setUnavailable(null);
    const result = await request({
      variables: { input: { slotId: slot.id, patientId: patient.id, reason: reason.trim() || null, serviceId: serviceId || null } },
    }).catch(() => null);
    const answer = result?.data?.requestAppointment;
    if (!answer) return;
    if (answer.__typename === "Appointment") onBooked(answer);
    else {
      setUnavailable({ message: answer.message, alternatives: answer.alternatives });
      setSelected(null);
      void week.refetch();
    }
  }

  return (
    <section aria-label={t("book.slots", { doctor: doctor.name })}>
      {week.loading && !week.data ? <Loading /> : null}
      <ErrorMessage error={week.error} onRetry={() => void week.refetch()} />
      <p className="small">{doctor.autoApprove ? t("find.instant", { ns: "patient" }) : t("find.approval", { ns: "patient" })}</p>
      <WeekCalendar
        monday={monday}
        timezone={doctor.timezone}
        slots={week.data?.availableSlots ?? []}
        selectedId={selected?.id}
        onSelect={(slot) => {
          setSelected(slot);
          setUnavailable(null);
          requestAnimationFrame(() => document.getElementById("reception-booking-form")?.querySelector<HTMLElement>("select, textarea, button")?.focus());
        }}
        onPrevious={() => setMonday(addDays(monday, -7))}
        onNext={() => setMonday(addDays(monday, 7))}
      />
      {unavailable ? (
        <div className="alert" role="alert">
          <p>{unavailable.message}</p>
          {unavailable.alternatives.length ? <p>{t("book.alternatives", { ns: "patient" })}</p> : null}
          <div className="row">
            {unavailable.alternatives.map((slot) => (
              <button type="button" className="secondary" key={slot.id} onClick={() => void book(slot)}>
                {formatDateTime(slot.startsAt, slot.doctor.timezone, i18n.language)} · {slot.doctor.name}
              </button>
            ))}
          </div>
        </div>
      ) : null}
      {selected ? (
        <form id="reception-booking-form" className="card" onSubmit={(e) => void book(selected, e)} aria-labelledby="reception-booking-heading">
          <h2 id="reception-booking-heading">
            {patient.name} · {formatDateTime(selected.startsAt, doctor.timezone, i18n.language)}
          </h2>
          {services.length > 1 ? (
            <div className="field">
              <label htmlFor="reception-service">{t("book.service", { ns: "patient" })}</label>
              <select id="reception-service" value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
                <option value="">{t("book.defaultService", { ns: "patient" })}</option>
                {services.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="reception-reason">{t("book.reason")}</label>
            <textarea id="reception-reason" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <ErrorMessage error={requesting.error} />
          <button type="submit" disabled={requesting.loading}>
            {t("book.submit", { name: patient.name })}
          </button>
        </form>
      ) : null}
    </section>
  );
}
