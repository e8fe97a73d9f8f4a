import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage } from "../../components/ErrorMessage";
import { QueryState } from "../../components/QueryState";
import { SuccessNotice } from "../../components/SuccessNotice";
import { browserZone, formatDateTime } from "../../lib/time";
import { AdminCreateStaffUserDocument, AdminUsersDocument, type Role } from "../../generated/operations";
import { Pager, RecentLoginHint, useCursorPages } from "./paging";

const ROLES: readonly Role[] = ["PATIENT", "DOCTOR", "RECEPTIONIST", "EXAMINER", "BILLING", "STAKEHOLDER", "ADMIN"];
/** Patients register themselves (or at reception); every other role is created here. */
export const STAFF_ROLES: readonly Role[] = ROLES.filter((r) => r !== "PATIENT");
const PAGE_SIZE = 25;

/** The admin's home: every user, by role, and new staff accounts. */
export function Users() {
  const { t, i18n } = useTranslation(["admin", "common"]);
  const [role, setRole] = useState<Role | "">("");
  const pages = useCursorPages();
  const users = useQuery(AdminUsersDocument, {
    variables: { role: role || null, first: PAGE_SIZE, after: pages.after },
    fetchPolicy: "cache-and-network",
  });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const zone = browserZone();
  const list = users.data?.users.edges.map((e) => e.node) ?? [];

  return (
    <Page
      title={t("users.title")}
      actions={
        <button
          type="button"
          onClick={() => {
            setCreating((c) => !c);
            setCreated(null);
          }}
          aria-expanded={creating}
        >
          {t("users.new")}
        </button>
      }
    >
      <SuccessNotice>{created ? t("users.createdOk", { name: created }) : null}</SuccessNotice>
      {creating ? (
        <CreateStaffUser
          onCreated={(name) => {
            setCreated(name);
            setCreating(false);
            pages.reset();
            void users.refetch();
          }}
        />
      ) : null}
      <div className="form-inline" style={{ marginBottom: "var(--space-3)" }}>
        <div className="field">
          <label htmlFor="users-role">{t("users.role")}</label>
          <select
            id="users-role"
            value={role}
            onChange={(e) => {
              setRole(e.target.value as Role | "");
              pages.reset();
            }}
          >
            <option value="">{t("users.allRoles")}</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`, { ns: "common" })}
              </option>
            ))}
          </select>
        </div>
      </div>
      <QueryState result={users} isEmpty={list.length === 0} empty={t("none", { ns: "common" })} />
      {list.length ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t("users.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("users.name")}</th>
                <th scope="col">{t("users.email")}</th>
                <th scope="col">{t("users.phone")}</th>
                <th scope="col">{t("users.role")}</th>
                <th scope="col">{t("users.created")}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((u) => (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>{u.phone ?? "—"}</td>
                  <td>{t(`roles.${u.role}`, { ns: "common" })}</td>
                  <td className="small">{formatDateTime(u.createdAt, zone, i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager label={t("users.title")} pages={pages} pageInfo={users.data?.users.pageInfo} />
    </Page>
  );
}

function CreateStaffUser({ onCreated }: { onCreated(name: string): void }) {
  const { t } = useTranslation(["admin", "common"]);
  const id = useId();
  const empty = { name: "", email: "", phone: "", password: "", role: "RECEPTIONIST" as Role };
  const [form, setForm] = useState(empty);
  const [create, creating] = useMutation(AdminCreateStaffUserDocument);
  const set = (field: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const result = await create({
      variables: { input: { name: form.name.trim(), email: form.email.trim(), phone: form.phone.trim() || null, password: form.password, role: form.role } },
    }).catch(() => null);
    if (result?.data) onCreated(result.data.createStaffUser.name);
  }

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} style={{ marginTop: 0 }}>
        {t("users.newTitle")}
      </h2>
      <div className="form-inline">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t("users.name")}</label>
          <input id={`${id}-name`} required value={form.name} onChange={set("name")} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-email`}>{t("users.email")}</label>
          <input id={`${id}-email`} type="email" required value={form.email} onChange={set("email")} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-phone`}>{t("users.phoneOptional")}</label>
          <input id={`${id}-phone`} type="tel" value={form.phone} onChange={set("phone")} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>{t("users.role")}</label>
          <select id={`${id}-role`} value={form.role} onChange={set("role")}>
            {STAFF_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`, { ns: "common" })}
              </option>
            ))}
          </select>
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
        </div>
      </div>
      <p className="small muted" id={`${id}-rules`}>
        {t("register.ruleLength", { ns: "common" })}; {t("register.ruleMix", { ns: "common" })}; {t("register.ruleNotEmail", { ns: "common" })}.
      </p>
      {form.role === "DOCTOR" ? <p className="small">{t("users.doctorHint")}</p> : null}
      <ErrorMessage error={creating.error} />
      <RecentLoginHint error={creating.error} />
      <button type="submit" disabled={creating.loading}>
        {t("users.create")}
      </button>
    </form>
  );
}
