/** Choosing a doctor at the desk: the doctors (ordered by name), narrowed by name or specialty as reception types. */
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@apollo/client/react";
import { ErrorMessage, Loading } from "../../components/ErrorMessage";
import { FindDoctorsDocument, type FindDoctorsQuery } from "../../generated/operations";

export type PickedDoctor = FindDoctorsQuery["doctors"]["edges"][number]["node"];

export function DoctorPicker({ value, onChange }: { value: PickedDoctor | null; onChange(doctor: PickedDoctor | null): void }) {
  const { t } = useTranslation("reception");
  const id = useId();
  const [name, setName] = useState("");
  const [chosen, setChosen] = useState("");
  const doctors = useQuery(FindDoctorsDocument, { variables: { filter: name.trim() ? { name: name.trim() } : null, first: 100 } });
  const list = doctors.data?.doctors.edges.map((e) => e.node) ?? doctors.previousData?.doctors.edges.map((e) => e.node) ?? [];

  if (value)
    return (
      <div className="card row" style={{ justifyContent: "space-between" }}>
        <div>
          <div className="small muted">{t("picker.doctor")}</div>
          <strong>{value.name}</strong> · {value.specialty.name}
          {value.location ? ` · ${value.location}` : ""}
        </div>
        <button type="button" className="secondary" onClick={() => onChange(null)}>
          {t("picker.changeDoctor")}
        </button>
      </div>
    );

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} style={{ marginTop: 0 }}>
        {t("picker.chooseDoctor")}
      </h2>
      <form
        className="form-inline"
        onSubmit={(e) => {
          e.preventDefault();
          const doctor = list.find((d) => d.id === chosen);
          if (doctor) onChange(doctor);
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-name`}>{t("picker.doctorName")}</label>
          <input id={`${id}-name`} type="search" value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-doctor`}>{t("picker.doctor")}</label>
          <select id={`${id}-doctor`} value={chosen} required onChange={(e) => setChosen(e.target.value)}>
            <option value="">{t("picker.doctorCount", { count: list.length })}</option>
            {list.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} · {d.specialty.name}
                {d.location ? ` · ${d.location}` : ""}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t("picker.choose")}</button>
      </form>
      {doctors.loading && !list.length ? <Loading /> : null}
      <ErrorMessage error={doctors.error} onRetry={() => void doctors.refetch()} />
    </section>
  );
}
