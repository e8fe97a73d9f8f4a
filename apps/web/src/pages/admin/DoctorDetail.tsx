import { Link, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage } from "../../components/ErrorMessage";
import { QueryState } from "../../components/QueryState";
import { formatDateTime } from "../../lib/time";
import { AdminAddTimeOffDocument, AdminDoctorDocument, AdminSetWeeklyScheduleDocument } from "../../generated/operations";
import { ScheduleEditor } from "./ScheduleEditor";
import { TimeOffForm } from "./TimeOffForm";

/** One doctor: profile, weekly schedule (editable), current and upcoming time off. */
export function DoctorDetail() {
  const { t, i18n } = useTranslation(["admin", "common"]);
  const { id = "" } = useParams();
  const query = useQuery(AdminDoctorDocument, { variables: { id }, fetchPolicy: "cache-and-network" });
  const doctor = query.data?.doctor;
  const [setSchedule, saving] = useMutation(AdminSetWeeklyScheduleDocument);
  const [addTimeOff, adding] = useMutation(AdminAddTimeOffDocument);

  return (
    <Page title={doctor?.name ?? t("doctors.title")}>
      <p>
        <Link to="/admin/doctors">{t("doctors.back")}</Link>
      </p>
      <QueryState result={query} isEmpty={!doctor} notFound={t("doctors.notFound")} />
      {doctor ? (
        <>
          <dl className="card">
            <dt className="small muted">{t("doctors.specialty")}</dt>
            <dd>{doctor.specialty.name}</dd>
            <dt className="small muted">{t("users.email")}</dt>
            <dd>{doctor.user?.email ?? "—"}</dd>
            <dt className="small muted">{t("doctors.licenseNumber")}</dt>
            <dd>{doctor.licenseNumber ?? "—"}</dd>
            <dt className="small muted">{t("doctors.location")}</dt>
            <dd>{doctor.location ?? "—"}</dd>
            <dt className="small muted">{t("doctors.timezone")}</dt>
            <dd>{doctor.timezone}</dd>
            <dt className="small muted">{t("doctors.approval")}</dt>
            <dd>{doctor.autoApprove ? t("doctors.autoApprove") : t("doctors.manualApprove")}</dd>
            <dt className="small muted">{t("doctors.services")}</dt>
            <dd>{doctor.services.map((s) => s.name).join(", ") || "—"}</dd>
          </dl>

          <ScheduleEditor
            key={doctor.id}
            rules={doctor.weeklySchedule}
            timezone={doctor.timezone}
            saving={saving.loading}
            onSave={async (rules) => Boolean((await setSchedule({ variables: { doctorId: doctor.id, rules } }).catch(() => null))?.data)}
          />
          <ErrorMessage error={saving.error} />

          <section aria-labelledby="time-off-title">
            <h2 id="time-off-title">{t("timeOff.title")}</h2>
            {doctor.timeOff.length === 0 ? <p className="muted">{t("timeOff.none")}</p> : null}
            {doctor.timeOff.length ? (
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t("timeOff.from")}</th>
                      <th scope="col">{t("timeOff.to")}</th>
                      <th scope="col">{t("timeOff.reason")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {doctor.timeOff.map((o) => (
                      <tr key={o.id}>
                        <td>{formatDateTime(o.from, doctor.timezone, i18n.language)}</td>
                        <td>{formatDateTime(o.to, doctor.timezone, i18n.language)}</td>
                        <td>{o.reason ?? "—"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
            <TimeOffForm
              timezone={doctor.timezone}
              adding={adding.loading}
              onAdd={async (period) => Boolean((await addTimeOff({ variables: { doctorId: doctor.id, ...period } }).catch(() => null))?.data)}
            />
            <ErrorMessage error={adding.error} />
          </section>
        </>
      ) : null}
    </Page>
  );
}
