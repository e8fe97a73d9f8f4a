import { useParams, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery, useSubscription } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage } from "../../components/ErrorMessage";
import { QueryState } from "../../components/QueryState";
import { StatusBadge } from "../../components/StatusBadge";
import { LiveIndicator, useOnLiveConnected } from "../../components/Live";
import { Alternatives } from "../../components/Alternatives";
import { formatDateTime } from "../../lib/time";
import { AppointmentDetailDocument, MyAppointmentUpdatesDocument, NearestSlotsDocument, RequestAppointmentDocument } from "../../generated/operations";
import { AppointmentActions } from "./AppointmentActions";

/**
 * One appointment, live: the patient's feed updates it in place (PENDING → BOOKED or REJECTED) without a reload. A
 * rejected request offers the doctor's nearest free times as buttons; one press requests that time instead.
 */
export function AppointmentLive() {
  const { t, i18n } = useTranslation("patient");
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const detail = useQuery(AppointmentDetailDocument, { variables: { id } });
  // Events carry the appointment as it is now; Apollo's cache (Appointment:id) updates this page from them.
  useSubscription(MyAppointmentUpdatesDocument, { variables: { since: null } });
  useOnLiveConnected(() => void detail.refetch());
  const appointment = detail.data?.appointment;
  const rejected = appointment?.status === "REJECTED" || appointment?.status === "EXPIRED";
  const now = new Date();
  const alternatives = useQuery(NearestSlotsDocument, {
    skip: !rejected || !appointment,
    variables: {
      doctorId: appointment?.doctor.id,
      from: now.toISOString(),
      to: new Date(now.getTime() + 14 * 86_400_000).toISOString(),
      first: 3,
    },
  });
  const [request, requesting] = useMutation(RequestAppointmentDocument);

  async function take(slotId: string) {
    const { data } = await request({
      variables: { input: { slotId, reason: appointment?.reason ?? null, serviceId: appointment?.service?.id ?? null } },
    }).catch(() => ({ data: undefined }));
    const result = data?.requestAppointment;
    if (result?.__typename === "Appointment") navigate(`/patient/appointments/${result.id}`);
    else void alternatives.refetch();
  }

  return (
    <Page title={t("appointment.title")} actions={<LiveIndicator />}>
      <QueryState result={detail} isEmpty={!appointment} notFound={t("appointment.notFound")} />
      {appointment ? (
        <div className="card stack">
          <div aria-live="polite" data-testid="appointment-status">
            <StatusBadge status={appointment.status} />
          </div>
          <div>
            <strong>{appointment.doctor.name}</strong> · {appointment.doctor.specialty.name}
          </div>
          <div>{formatDateTime(appointment.startsAt, appointment.doctor.timezone, i18n.language)}</div>
          <div className="muted">
            {appointment.doctor.location ?? "—"} · {appointment.service?.name ?? ""}
          </div>
          {appointment.status === "PENDING" ? <p className="small">{t("appointment.pendingHint")}</p> : null}
          <AppointmentActions appointment={appointment} />
          {rejected ? (
            <section aria-labelledby="alternatives-heading">
              <h2 id="alternatives-heading">{t("appointment.alternatives")}</h2>
              <ErrorMessage error={alternatives.error ?? requesting.error} />
              <Alternatives slots={alternatives.data?.availableSlots ?? []} disabled={requesting.loading} onPick={(slot) => void take(slot.id)} />
              {alternatives.data?.availableSlots.length === 0 ? <p className="muted">{t("appointment.noAlternatives")}</p> : null}
            </section>
          ) : null}
        </div>
      ) : null}
    </Page>
  );
}
