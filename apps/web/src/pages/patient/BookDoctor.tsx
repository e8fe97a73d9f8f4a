import { useState, type FormEvent, type ReactNode } from "react";
import { useNavigate, useParams, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage, Loading } from "../../components/ErrorMessage";
import { WeekCalendar, type CalendarSlot } from "../../components/WeekCalendar";
import { addDays, daysRange, formatDateTime, mondayOf, today } from "../../lib/time";
import { DoctorWeekDocument, RequestAppointmentDocument, type SlotFieldsFragment } from "../../generated/operations";
import { JoinWaitlist } from "./JoinWaitlist";

/** What `onPick` answers when the time could not be taken: shown like a taken slot, alternatives as buttons. */
export type PickUnavailable = { message: string; alternatives: SlotFieldsFragment[] };

/**
 * A doctor's week of free slots (the doctor's zone) → a request with a reason. A slot taken meanwhile answers with
 * alternatives, offered as buttons. Rescheduling reuses the page (the caller passes `doctorId` and `onPick`, which
 * answers a refusal to show the same way). Without `onPick`, the patient may also join the doctor's waitlist.
 */
export function BookDoctor({
  onPick,
  pickLabel,
  doctorId: doctorIdProp,
  intro,
}: {
  onPick?: (slot: CalendarSlot) => Promise<PickUnavailable | void> | PickUnavailable | void;
  pickLabel?: string;
  /** The doctor, when the route does not name it (rescheduling). */
  doctorId?: string;
  /** Shown under the title. */
  intro?: ReactNode;
} = {}) {
  const { t, i18n } = useTranslation("patient");
  const routeParams = useParams();
  const doctorId = doctorIdProp ?? routeParams.doctorId ?? "";
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [selected, setSelected] = useState<CalendarSlot | null>(null);
  const [reason, setReason] = useState("");
  const [serviceId, setServiceId] = useState("");
  const [unavailable, setUnavailable] = useState<{ message: string; alternatives: SlotFieldsFragment[] } | null>(null);
  const [picking, setPicking] = useState(false);

  // The week is the doctor's: first load without a zone uses the browser's day, then the doctor's (a day apart at most).
  const [zone, setZone] = useState<string | null>(null);
  const monday = params.get("week") ?? mondayOf(today(zone ?? "UTC"));
  const range = daysRange(monday, addDays(monday, 6), zone ?? "UTC");
  const week = useQuery(DoctorWeekDocument, { variables: { doctorId, ...range }, fetchPolicy: "cache-and-network" });
  const doctor = week.data?.doctor;
  if (doctor && doctor.timezone !== zone) setZone(doctor.timezone);
  const [request, requesting] = useMutation(RequestAppointmentDocument);

  async function book(slot: CalendarSlot, event?: FormEvent) {
    event?.preventDefault();
    setUnavailable(null);
    if (onPick) {
      if (picking) return;
      setPicking(true);
      const refused = await Promise.resolve(onPick(slot)).finally(() => setPicking(false));
      if (refused) {
        setUnavailable(refused);
        setSelected(null);
        void week.refetch();
      }
      return;
    }
    const { data } = await request({ variables: { input: { slotId: slot.id, reason: reason || null, serviceId: serviceId || null } } }).catch(() => ({
      data: undefined,
    }));
    const result = data?.requestAppointment;
    if (!result) return;
    if (result.__typename === "Appointment") navigate(`/patient/appointments/${result.id}`);
    else {
      setUnavailable({ message: result.message, alternatives: result.alternatives });
      setSelected(null);
      void week.refetch();
    }
  }

  const goTo = (day: string) => setParams((p) => (p.set("week", day), p), { replace: true });

  return (
    <Page title={doctor ? doctor.name : t("book.title")}>
      {intro}
      {week.loading && !week.data ? <Loading /> : null}
      <ErrorMessage error={week.error} onRetry={() => void week.refetch()} />
      {week.data && !doctor ? <p role="alert">{t("book.noDoctor")}</p> : null}
      {doctor ? (
        <>
          <p>
            {doctor.specialty.name} · {doctor.location ?? "—"} · {doctor.autoApprove ? t("find.instant") : t("find.approval")}
          </p>
          <WeekCalendar
            monday={monday}
            timezone={doctor.timezone}
            slots={week.data?.availableSlots ?? []}
            selectedId={selected?.id}
            onSelect={(slot) => {
              setSelected(slot);
              setUnavailable(null);
              requestAnimationFrame(() => document.getElementById("booking-form")?.querySelector<HTMLElement>("select, textarea, button")?.focus());
            }}
            onPrevious={() => goTo(addDays(monday, -7))}
            onNext={() => goTo(addDays(monday, 7))}
          />
          {unavailable ? (
            <div className="alert" role="alert">
              <p>{unavailable.message}</p>
              {unavailable.alternatives.length ? <p>{t("book.alternatives")}</p> : null}
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
            <form id="booking-form" className="card" onSubmit={(e) => void book(selected, e)} aria-labelledby="booking-heading">
              <h2 id="booking-heading">{formatDateTime(selected.startsAt, doctor.timezone, i18n.language)}</h2>
              {onPick ? null : (
                <>
                  {doctor.services.length > 1 ? (
                    <div className="field">
                      <label htmlFor="service">{t("book.service")}</label>
                      <select id="service" value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
                        <option value="">{t("book.defaultService")}</option>
                        {doctor.services.map((s) => (
                          <option key={s.id} value={s.id}>
                            {s.name}
                          </option>
                        ))}
                      </select>
                    </div>
                  ) : null}
                  <div className="field">
                    <label htmlFor="reason">{t("book.reason")}</label>
                    <textarea id="reason" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
                  </div>
                </>
              )}
              <ErrorMessage error={requesting.error} />
              <button type="submit" disabled={requesting.loading || picking}>
                {pickLabel ?? (doctor.autoApprove ? t("book.submitBook") : t("book.submitRequest"))}
              </button>
            </form>
          ) : null}
          {onPick ? null : <JoinWaitlist doctor={doctor} monday={monday} open={week.data?.availableSlots.length === 0} />}
        </>
      ) : null}
    </Page>
  );
}
