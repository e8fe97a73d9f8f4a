import { useId, useMemo, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage } from "../../components/ErrorMessage";
import { QueryState } from "../../components/QueryState";
import { SpecialtySelect } from "../../components/CatalogueSelects";
import { browserZone } from "../../lib/time";
import { AdminCatalogueDocument, AdminCreateDoctorDocument, AdminDoctorsDocument } from "../../generated/operations";
import { Pager, useCursorPages } from "./paging";

const PAGE_SIZE = 25;

/** The IANA zones the browser knows (for the time zone field's suggestions). */
function knownZones(): string[] {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return [];
  }
}

/** Doctors: the list (by name), a new doctor; each doctor's page holds the weekly schedule and time off. */
export function Doctors() {
  const { t } = useTranslation(["admin", "common"]);
  const [name, setName] = useState("");
  const pages = useCursorPages();
  const doctors = useQuery(AdminDoctorsDocument, {
    variables: { filter: name.trim() ? { name: name.trim() } : null, first: PAGE_SIZE, after: pages.after },
    fetchPolicy: "cache-and-network",
  });
  const [creating, setCreating] = useState(false);
  const list = doctors.data?.doctors.edges.map((e) => e.node) ?? [];

  return (
    <Page
      title={t("doctors.title")}
      actions={
        <button type="button" onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
          {t("doctors.new")}
        </button>
      }
    >
      {creating ? <CreateDoctor defaultZone={list[0]?.timezone ?? browserZone()} /> : null}
      <div className="form-inline" style={{ marginBottom: "var(--space-3)" }}>
        <div className="field">
          <label htmlFor="doctors-name">{t("doctors.filterName")}</label>
          <input
            id="doctors-name"
            type="search"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              pages.reset();
            }}
          />
        </div>
      </div>
      <QueryState result={doctors} isEmpty={list.length === 0} empty={t("none", { ns: "common" })} />
      {list.length ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t("doctors.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("doctors.name")}</th>
                <th scope="col">{t("doctors.specialty")}</th>
                <th scope="col">{t("doctors.location")}</th>
                <th scope="col">{t("doctors.timezone")}</th>
                <th scope="col">{t("doctors.approval")}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={`/admin/doctors/${d.id}`}>{d.name}</Link>
                  </td>
                  <td>{d.specialty.name}</td>
                  <td>{d.location ?? "—"}</td>
                  <td>{d.timezone}</td>
                  <td>{d.autoApprove ? t("doctors.autoApprove") : t("doctors.manualApprove")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager label={t("doctors.title")} pages={pages} pageInfo={doctors.data?.doctors.pageInfo} />
    </Page>
  );
}

function CreateDoctor({ defaultZone }: { defaultZone: string }) {
  const { t } = useTranslation(["admin", "common"]);
  const id = useId();
  const navigate = useNavigate();
  const catalogue = useQuery(AdminCatalogueDocument);
  const zones = useMemo(knownZones, []);
  const [form, setForm] = useState({
    existingUser: false,
    userId: "",
    email: "",
    password: "",
    name: "",
    phone: "",
    specialtyCode: "",
    licenseNumber: "",
    bio: "",
    location: "",
    timezone: defaultZone,
    autoApprove: true,
  });
  const [services, setServices] = useState<string[]>([]);
  const [create, creating] = useMutation(AdminCreateDoctorDocument);
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: e.target.value }));
  const optional = (v: string) => v.trim() || null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const result = await create({
      variables: {
        input: {
          ...(form.existingUser ? { userId: form.userId.trim() } : { email: form.email.trim(), password: form.password }),
          name: form.name.trim(),
          phone: optional(form.phone),
          specialtyCode: form.specialtyCode,
          licenseNumber: optional(form.licenseNumber),
          bio: optional(form.bio),
          location: optional(form.location),
          timezone: form.timezone.trim(),
          serviceCodes: services,
          autoApprove: form.autoApprove,
        },
      },
    }).catch(() => null);
    if (result?.data) navigate(`/admin/doctors/${result.data.createDoctor.id}`);
  }

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} style={{ marginTop: 0 }}>
        {t("doctors.newTitle")}
      </h2>
      <ErrorMessage error={catalogue.error} onRetry={() => void catalogue.refetch()} />
      <fieldset className="field">
        <legend>{t("doctors.account")}</legend>
        <label className="row" style={{ fontWeight: 400 }}>
          <input
            type="radio"
            name={`${id}-account`}
            checked={!form.existingUser}
            onChange={() => setForm((f) => ({ ...f, existingUser: false }))}
            style={{ width: "auto", minHeight: 0 }}
          />
          {t("doctors.newAccount")}
        </label>
        <label className="row" style={{ fontWeight: 400 }}>
          <input
            type="radio"
            name={`${id}-account`}
            checked={form.existingUser}
            onChange={() => setForm((f) => ({ ...f, existingUser: true }))}
            style={{ width: "auto", minHeight: 0 }}
          />
          {t("doctors.existingAccount")}
        </label>
      </fieldset>
      <div className="form-inline">
        {form.existingUser ? (
          <div className="field">
            <label htmlFor={`${id}-user`}>{t("doctors.userId")}</label>
            <input id={`${id}-user`} required value={form.userId} onChange={set("userId")} autoComplete="off" />
          </div>
        ) : (
          <>
            <div className="field">
              <label htmlFor={`${id}-email`}>{t("users.email")}</label>
              <input id={`${id}-email`} type="email" required value={form.email} onChange={set("email")} autoComplete="off" />
            </div>
            <div className="field">
              <label htmlFor={`${id}-password`}>{t("users.password")}</label>
              <input
                id={`${id}-password`}
                type="password"
                required
                minLength={10}
                value={form.password}
                onChange={set("password")}
                autoComplete="new-password"
                aria-describedby={`${id}-rules`}
              />
              <div className="hint" id={`${id}-rules`}>
                {t("register.ruleLength", { ns: "common" })}; {t("register.ruleMix", { ns: "common" })}.
              </div>
            </div>
          </>
        )}
        <div className="field">
          <label htmlFor={`${id}-name`}>{t("doctors.name")}</label>
          <input id={`${id}-name`} required value={form.name} onChange={set("name")} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-phone`}>{t("users.phoneOptional")}</label>
          <input id={`${id}-phone`} type="tel" value={form.phone} onChange={set("phone")} autoComplete="off" />
        </div>
        <SpecialtySelect
          id={`${id}-specialty`}
          label={t("doctors.specialty")}
          anyLabel="—"
          required
          specialties={catalogue.data?.specialties}
          value={form.specialtyCode}
          onChange={(specialtyCode) => setForm((f) => ({ ...f, specialtyCode }))}
        />
        <div className="field">
          <label htmlFor={`${id}-license`}>{t("doctors.license")}</label>
          <input id={`${id}-license`} value={form.licenseNumber} onChange={set("licenseNumber")} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-location`}>{t("doctors.location")}</label>
          <input id={`${id}-location`} value={form.location} onChange={set("location")} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-zone`}>{t("doctors.timezone")}</label>
          <input id={`${id}-zone`} required list={`${id}-zones`} value={form.timezone} onChange={set("timezone")} aria-describedby={`${id}-zone-hint`} />
          <datalist id={`${id}-zones`}>
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <div className="hint" id={`${id}-zone-hint`}>
            {t("doctors.timezoneHint")}
          </div>
        </div>
      </div>
      <div className="field" style={{ marginTop: "var(--space-3)" }}>
        <label htmlFor={`${id}-bio`}>{t("doctors.bio")}</label>
        <textarea id={`${id}-bio`} value={form.bio} onChange={set("bio")} maxLength={2000} />
      </div>
      <fieldset className="field">
        <legend>{t("doctors.services")}</legend>
        <div className="row">
          {catalogue.data?.medicalServices.map((s) => (
            <label key={s.code} className="row" style={{ fontWeight: 400, marginRight: "var(--space-3)" }}>
              <input
                type="checkbox"
                checked={services.includes(s.code)}
                onChange={(e) => setServices((list) => (e.target.checked ? [...list, s.code] : list.filter((c) => c !== s.code)))}
                style={{ width: "auto", minHeight: 0 }}
              />
              {s.name}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="row" style={{ fontWeight: 400 }}>
        <input
          type="checkbox"
          checked={form.autoApprove}
          onChange={(e) => setForm((f) => ({ ...f, autoApprove: e.target.checked }))}
          style={{ width: "auto", minHeight: 0 }}
        />
        {t("doctors.autoApproveField")}
      </label>
      <ErrorMessage error={creating.error} />
      <button type="submit" disabled={creating.loading} style={{ marginTop: "var(--space-3)" }}>
        {t("doctors.create")}
      </button>
    </form>
  );
}
