/**
 * Finding the patient at the desk: by name, exact e-mail or exact national id (patients(search)), or registering a
 * new one on the spot (registerPatient needs no e-mail code when reception asks). The session the API opens for the
 * new patient is ended at once: the patient signs in themself later with the password reception hands over.
 */
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "@apollo/client/react";
import { ErrorMessage, Loading } from "../../components/ErrorMessage";
import { LogoutDocument, ReceptionPatientsDocument, ReceptionRegisterPatientDocument, type Gender } from "../../generated/operations";

export interface PickedPatient {
  id: string;
  name: string;
}

const GENDERS: readonly Gender[] = ["FEMALE", "MALE", "OTHER", "UNKNOWN"];

/** A password that meets the accounts rules (14 characters, four kinds), to hand to a patient registered at the desk. */
export function generatePassword(random: (n: number) => number = cryptoRandom): string {
  const sets = ["abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789", "-_.!?#"];
  const all = sets.join("");
  const chars = sets.map((set) => set[random(set.length)]!);
  while (chars.length < 14) chars.push(all[random(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join("");
}

function cryptoRandom(n: number): number {
  const buffer = new Uint32Array(1);
  crypto.getRandomValues(buffer);
  return buffer[0]! % n;
}

export function PatientPicker({ value, onChange }: { value: PickedPatient | null; onChange(patient: PickedPatient | null): void }) {
  const { t } = useTranslation(["reception", "common"]);
  const id = useId();
  const [text, setText] = useState("");
  const [search, setSearch] = useState<string | null>(null);
  const [registering, setRegistering] = useState(false);
  const [created, setCreated] = useState<NewPatient | null>(null);
  const found = useQuery(ReceptionPatientsDocument, { skip: search === null, variables: { search, first: 20 }, fetchPolicy: "network-only" });

  if (value)
    return (
      <div className="card row" style={{ justifyContent: "space-between" }}>
        <div>
          <div className="small muted">{t("picker.patient")}</div>
          <strong>{value.name}</strong>
          {created?.id === value.id ? (
            <p className="small" role="status">
              {t("picker.created", { name: created.name, email: created.email, password: created.password })}
            </p>
          ) : null}
        </div>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setCreated(null);
            setRegistering(false);
            onChange(null);
          }}
        >
          {t("picker.changePatient")}
        </button>
      </div>
    );

  const results = found.data?.patients.edges.map((e) => e.node) ?? [];
  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} style={{ marginTop: 0 }}>
        {t("picker.findPatient")}
      </h2>
      <form
        className="form-inline"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) setSearch(text.trim());
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-search`}>{t("picker.search")}</label>
          <input id={`${id}-search`} value={text} onChange={(e) => setText(e.target.value)} aria-describedby={`${id}-hint`} />
          <div className="hint" id={`${id}-hint`}>
            {t("picker.searchHint")}
          </div>
        </div>
        <button type="submit">{t("picker.find")}</button>
        <button type="button" className="secondary" onClick={() => setRegistering((r) => !r)} aria-expanded={registering}>
          {t("picker.newPatient")}
        </button>
      </form>
      {found.loading ? <Loading /> : null}
      <ErrorMessage error={found.error} onRetry={() => void found.refetch()} />
      <div aria-live="polite">
        {found.data && results.length === 0 ? <p className="muted">{t("picker.noPatients")}</p> : null}
        {results.length ? (
          <ul className="plain stack" style={{ marginTop: "var(--space-3)" }} aria-label={t("picker.results")}>
            {results.map((p) => (
              <li key={p.id} className="row" style={{ justifyContent: "space-between" }}>
                <div>
                  <strong>{p.name}</strong>
                  <div className="small muted">
                    {[p.dateOfBirth ? t("picker.born", { date: p.dateOfBirth }) : null, p.phone, p.user.email].filter(Boolean).join(" · ")}
                  </div>
                </div>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => onChange({ id: p.id, name: p.name })}
                  aria-label={t("picker.chooseName", { name: p.name })}
                >
                  {t("picker.choose")}
                </button>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {registering ? (
        <NewPatientForm
          onCreated={(p) => {
            setCreated(p);
            onChange({ id: p.id, name: p.name });
          }}
        />
      ) : null}
    </section>
  );
}

export interface NewPatient extends PickedPatient {
  email: string;
  /** To hand to the patient. */
  password: string;
}

/** Registering a patient at the desk. */
export function NewPatientForm({ onCreated }: { onCreated(patient: NewPatient): void }) {
  const { t } = useTranslation(["reception", "common"]);
  const id = useId();
  const [form, setForm] = useState({ name: "", email: "", phone: "", dateOfBirth: "", gender: "" as Gender | "", password: "" });
  const [register, registering] = useMutation(ReceptionRegisterPatientDocument);
  const [logout] = useMutation(LogoutDocument);
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const result = await register({
      variables: {
        input: {
          name: form.name.trim(),
          email: form.email.trim(),
          password: form.password,
          phone: form.phone.trim() || null,
          dateOfBirth: form.dateOfBirth || null,
          gender: form.gender || null,
        },
      },
    }).catch(() => null);
    const payload = result?.data?.registerPatient;
    if (!payload) return;
    // The new patient's session is not reception's to keep.
    void logout({ variables: { refreshToken: payload.refreshToken } }).catch(() => undefined);
    onCreated({ id: payload.user.id, name: payload.user.name, email: payload.user.email, password: form.password });
  }

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-new`} style={{ marginTop: "var(--space-4)" }}>
      <h3 id={`${id}-new`}>{t("picker.newPatientTitle")}</h3>
      <div className="form-inline">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t("register.name", { ns: "common" })}</label>
          <input id={`${id}-name`} required maxLength={200} value={form.name} onChange={set("name")} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-email`}>{t("signIn.email", { ns: "common" })}</label>
          <input id={`${id}-email`} type="email" required value={form.email} onChange={set("email")} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-phone`}>{t("register.phone", { ns: "common" })}</label>
          <input id={`${id}-phone`} type="tel" value={form.phone} onChange={set("phone")} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-dob`}>{t("picker.dateOfBirth")}</label>
          <input id={`${id}-dob`} type="date" value={form.dateOfBirth} onChange={set("dateOfBirth")} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-gender`}>{t("picker.gender")}</label>
          <select id={`${id}-gender`} value={form.gender} onChange={set("gender")}>
            <option value="">—</option>
            {GENDERS.map((g) => (
              <option key={g} value={g}>
                {t(`picker.genders.${g}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="form-inline" style={{ marginTop: "var(--space-3)" }}>
        <div className="field">
          <label htmlFor={`${id}-password`}>{t("picker.password")}</label>
          <input
            id={`${id}-password`}
            required
            minLength={10}
            value={form.password}
            onChange={set("password")}
            autoComplete="new-password"
            aria-describedby={`${id}-password-hint`}
            spellCheck={false}
          />
          <div className="hint" id={`${id}-password-hint`}>
            {t("picker.passwordHint")} {t("register.ruleLength", { ns: "common" })}; {t("register.ruleMix", { ns: "common" })}.
          </div>
        </div>
        <button type="button" className="secondary" onClick={() => setForm((f) => ({ ...f, password: generatePassword() }))}>
          {t("picker.generate")}
        </button>
      </div>
      <ErrorMessage error={registering.error} />
      <button type="submit" disabled={registering.loading} style={{ marginTop: "var(--space-3)" }}>
        {t("picker.register")}
      </button>
    </form>
  );
}
