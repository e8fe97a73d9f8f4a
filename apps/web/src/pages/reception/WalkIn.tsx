import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useMutation } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatDateTime } from "../../lib/time";
import { ReceptionRegisterWalkInDocument, type ReceptionRegisterWalkInMutation } from "../../generated/operations";
import { DeskPickers, useDeskChoice } from "./DeskChoice";

/** A patient without an appointment arrives: find them (or register them), choose the doctor, put them on the board. */
export function WalkIn() {
  const { t, i18n } = useTranslation("reception");
  const choice = useDeskChoice<ReceptionRegisterWalkInMutation["registerWalkIn"]>();
  const { patient, doctor, done } = choice;
  const [register, registering] = useMutation(ReceptionRegisterWalkInDocument);

  async function submit() {
    if (!patient || !doctor) return;
    const result = await register({ variables: { patientId: patient.id, doctorId: doctor.id } }).catch(() => null);
    if (result?.data) choice.setDone(result.data.registerWalkIn);
  }

  return (
    <Page title={t("walkIn.title")}>
      <div role="status" aria-live="polite">
        {done ? (
          <div className="alert success">
            <p>
              {t("walkIn.done", {
                patient: done.patient.name,
                doctor: done.doctor.name,
                time: formatDateTime(done.arrivedAt, done.doctor.timezone, i18n.language),
              })}
            </p>
            <div className="row">
              <Link to="/reception/board">{t("walkIn.toBoard")}</Link>
              <button type="button" className="secondary" onClick={choice.next}>
                {t("walkIn.next")}
              </button>
            </div>
          </div>
        ) : null}
      </div>
      <DeskPickers choice={choice} />
      <ErrorMessage error={registering.error} />
      {done ? null : (
        <button type="button" disabled={!patient || !doctor || registering.loading} onClick={() => void submit()}>
          {t("walkIn.submit")}
        </button>
      )}
      {!patient || !doctor ? <p className="small muted">{t("walkIn.needBoth")}</p> : null}
    </Page>
  );
}
