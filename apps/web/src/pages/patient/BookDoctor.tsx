import { useState, type FormEvent, type ReactNode } from "react";
import { useNavigate, useParams, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { Page } from "../../components/Page";
import { ErrorMessage } from "../../components/ErrorMessage";
import { QueryState } from "../../components/QueryState";
import { type CalendarSlot } from "../../components/WeekCalendar";
import { DoctorWeekCalendar, RequestFields, useDoctorWeek } from "../../components/DoctorWeek";
import { type SlotUnavailable } from "../../components/Alternatives";
import { formatDateTime } from "../../lib/time";
import { JoinWaitlist } from "./JoinWaitlist";

/** What `onPick` answers when the time could not be taken: shown like a taken slot, alternatives as buttons. */
export type PickUnavailable = SlotUnavailable;

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
  const [picking, setPicking] = useState(false);
  const goTo = (day: string) => setParams((p) => (p.set("week", day), p), { replace: true });
  const week = useDoctorWeek(doctorId, [params.get("week"), goTo], { formId: "booking-form" });
  const { doctor, selected } = week;

  async function book(slot: CalendarSlot, event?: FormEvent) {
    event?.preventDefault();
    week.clearUnavailable();
    if (onPick) {
      if (picking) return;
      setPicking(true);
      const refused = await Promise.resolve(onPick(slot)).finally(() => setPicking(false));
      if (refused) week.refused(refused);
      return;
    }
    const appointment = await week.requestSlot({ slotId: slot.id, reason: week.reason || null, serviceId: week.serviceId || null });
    if (appointment) navigate(`/patient/appointments/${appointment.id}`);
  }

  return (
    <Page title={doctor ? doctor.name : t("book.title")}>
      {intro}
      <QueryState result={week.query} isEmpty={!doctor} notFound={t("book.noDoctor")} />
      {doctor ? (
        <>
          <p>
            {doctor.specialty.name} · {doctor.location ?? "—"} · {doctor.autoApprove ? t("find.instant") : t("find.approval")}
          </p>
          <DoctorWeekCalendar week={week} timezone={doctor.timezone} onAlternative={(slot) => void book(slot)} />
          {selected ? (
            <form id="booking-form" className="card" onSubmit={(e) => void book(selected, e)} aria-labelledby="booking-heading">
              <h2 id="booking-heading">{formatDateTime(selected.startsAt, doctor.timezone, i18n.language)}</h2>
              {onPick ? null : <RequestFields week={week} services={doctor.services} reasonLabel={t("book.reason")} />}
              <ErrorMessage error={week.requesting.error} />
              <button type="submit" disabled={week.requesting.loading || picking}>
                {pickLabel ?? (doctor.autoApprove ? t("book.submitBook") : t("book.submitRequest"))}
              </button>
            </form>
          ) : null}
          {onPick ? null : <JoinWaitlist doctor={doctor} monday={week.monday} open={week.query.data?.availableSlots.length === 0} />}
        </>
      ) : null}
    </Page>
  );
}
