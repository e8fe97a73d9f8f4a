import { Link, useNavigate, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { errorText } from "../../components/ErrorMessage";
import { QueryState } from "../../components/QueryState";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDateTime } from "../../lib/time";
import { MyAppointmentActionsDocument, RescheduleAppointmentDocument } from "../../generated/operations";
import { BookDoctor, type PickUnavailable } from "./BookDoctor";

/**
 * Moves an appointment to another free time of the same doctor: the doctor's week (BookDoctor), a pick moves it
 * (atomically: the new time is taken and the old one freed, or nothing changes). A time taken meanwhile answers with
 * the nearest free ones, offered as buttons.
 */
export function Reschedule() {
  const { t, i18n } = useTranslation(["patient", "common"]);
  const { id = "" } = useParams();
  const navigate = useNavigate();
  const detail = useQuery(MyAppointmentActionsDocument, { variables: { id } });
  const [reschedule] = useMutation(RescheduleAppointmentDocument);
  const appointment = detail.data?.appointment;

  async function pick(slot: { id: string }): Promise<PickUnavailable | void> {
    try {
      const { data } = await reschedule({ variables: { id, slotId: slot.id } });
      const result = data?.rescheduleAppointment;
      if (result?.__typename === "Appointment") {
        navigate(`/patient/appointments/${result.id}`);
        return;
      }
      if (result) return { message: result.message, alternatives: result.alternatives };
    } catch (error) {
      return { message: errorText(error, t("error.network", { ns: "common" })), alternatives: [] };
    }
  }

  if (!appointment || !appointment.allowedTransitions.includes("RESCHEDULE")) {
    return (
      <Page title={t("reschedule.title")}>
        <QueryState result={detail} isEmpty={!appointment} notFound={t("appointment.notFound")} />
        {appointment ? (
          <p role="alert">
            {t("reschedule.notAllowed")} <StatusBadge status={appointment.status} />
          </p>
        ) : null}
        <p>
          <Link to="/patient/appointments">{t("reschedule.back")}</Link>
        </p>
      </Page>
    );
  }

  return (
    <BookDoctor
      doctorId={appointment.doctor.id}
      onPick={pick}
      pickLabel={t("reschedule.submit")}
      intro={
        <p className="alert info">
          {t("reschedule.intro", { when: formatDateTime(appointment.startsAt, appointment.doctor.timezone, i18n.language) })}{" "}
          <Link to={`/patient/appointments/${appointment.id}`}>{t("reschedule.keep")}</Link>
        </p>
      }
    />
  );
}
