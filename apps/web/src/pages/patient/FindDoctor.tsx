import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useLazyQuery, useQuery } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage, Loading } from "../../components/ErrorMessage";
import { ServiceSelect, SpecialtySelect } from "../../components/CatalogueSelects";
import { FindDoctorsDocument, SearchOptionsDocument, type DoctorFilter } from "../../generated/operations";

/** The patient's home: doctors by specialty, service, location or name. */
export function FindDoctor() {
  const { t } = useTranslation("patient");
  const options = useQuery(SearchOptionsDocument);
  const [filter, setFilter] = useState<DoctorFilter>({});
  const [search, result] = useLazyQuery(FindDoctorsDocument);
  const doctors = result.data?.doctors.edges.map((e) => e.node) ?? [];

  function submit(event: FormEvent) {
    event.preventDefault();
    const clean = Object.fromEntries(Object.entries(filter).filter(([, v]) => v)) as DoctorFilter;
    void search({ variables: { filter: clean, first: 50 } });
  }

  return (
    <Page title={t("find.title")}>
      <ErrorMessage error={options.error} onRetry={() => void options.refetch()} />
      <form className="card form-inline" onSubmit={submit} role="search">
        <SpecialtySelect
          id="specialty"
          label={t("find.specialty")}
          anyLabel={t("find.any")}
          specialties={options.data?.specialties}
          value={filter.specialty ?? ""}
          onChange={(specialty) => setFilter({ ...filter, specialty })}
        />
        <ServiceSelect
          id="service"
          label={t("find.service")}
          anyLabel={t("find.any")}
          services={options.data?.medicalServices}
          value={String(filter.serviceId ?? "")}
          onChange={(serviceId) => setFilter({ ...filter, serviceId })}
        />
        <div className="field">
          <label htmlFor="location">{t("find.location")}</label>
          <input id="location" value={filter.location ?? ""} onChange={(e) => setFilter({ ...filter, location: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="name">{t("find.name")}</label>
          <input id="name" value={filter.name ?? ""} onChange={(e) => setFilter({ ...filter, name: e.target.value })} />
        </div>
        <button type="submit">{t("find.search")}</button>
      </form>
      {result.loading ? <Loading /> : null}
      <ErrorMessage error={result.error} />
      {result.called && !result.loading && !result.error ? (
        <section aria-live="polite" aria-label={t("find.results")}>
          <h2>{t("find.found", { count: doctors.length })}</h2>
          <ul className="plain">
            {doctors.map((doctor) => (
              <li key={doctor.id} className="card">
                <Link to={`/patient/doctors/${doctor.id}`}>
                  <strong>{doctor.name}</strong>
                </Link>
                <div className="small">
                  {doctor.specialty.name} · {doctor.location ?? "—"} · {doctor.timezone}
                </div>
                <div className="small muted">{doctor.services.map((s) => s.name).join(", ")}</div>
                <div className="small muted">{doctor.autoApprove ? t("find.instant") : t("find.approval")}</div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Page>
  );
}
