import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { QueryState } from "../../components/QueryState";
import { browserZone, formatDateTime } from "../../lib/time";
import { AdminAuditLogDocument } from "../../generated/operations";
import { Pager, RecentLoginHint, useCursorPages } from "./paging";

const PAGE_SIZE = 50;

/** The audit log, newest first, for one patient or one actor if asked. Needs a recent sign-in (the API says so). */
export function AuditLog() {
  const { t, i18n } = useTranslation(["admin", "common"]);
  const [filter, setFilter] = useState({ patientId: "", actorId: "" });
  const [draft, setDraft] = useState(filter);
  const pages = useCursorPages();
  const log = useQuery(AdminAuditLogDocument, {
    variables: { patientId: filter.patientId || null, actorId: filter.actorId || null, first: PAGE_SIZE, after: pages.after },
    fetchPolicy: "network-only",
  });
  const zone = browserZone();
  const entries = log.data?.auditLog.edges.map((e) => e.node) ?? [];

  const apply = (next: typeof filter) => {
    setFilter(next);
    setDraft(next);
    pages.reset();
  };

  return (
    <Page title={t("audit.title")}>
      <form
        className="form-inline"
        role="search"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          apply({ patientId: draft.patientId.trim(), actorId: draft.actorId.trim() });
        }}
        style={{ marginBottom: "var(--space-3)" }}
      >
        <div className="field">
          <label htmlFor="audit-patient">{t("audit.patientId")}</label>
          <input id="audit-patient" value={draft.patientId} onChange={(e) => setDraft((d) => ({ ...d, patientId: e.target.value }))} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="audit-actor">{t("audit.actorId")}</label>
          <input id="audit-actor" value={draft.actorId} onChange={(e) => setDraft((d) => ({ ...d, actorId: e.target.value }))} autoComplete="off" />
        </div>
        <button type="submit">{t("audit.apply")}</button>
        {filter.patientId || filter.actorId ? (
          <button type="button" className="secondary" onClick={() => apply({ patientId: "", actorId: "" })}>
            {t("audit.clear")}
          </button>
        ) : null}
      </form>
      <QueryState result={log} loading={log.loading} isEmpty={entries.length === 0} empty={t("none", { ns: "common" })}>
        <RecentLoginHint error={log.error} />
      </QueryState>
      {entries.length ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t("audit.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("audit.at")}</th>
                <th scope="col">{t("audit.actor")}</th>
                <th scope="col">{t("audit.action")}</th>
                <th scope="col">{t("audit.patient")}</th>
                <th scope="col">{t("audit.requestId")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td className="small">{formatDateTime(entry.at, zone, i18n.language)}</td>
                  <td>
                    {entry.actor ? (
                      <>
                        {entry.actor.name}
                        <div className="small muted">
                          {entry.actor.email}
                          {entry.actorRole ? ` · ${t(`roles.${entry.actorRole}`, { ns: "common" })}` : ""}
                        </div>
                        {filter.actorId !== entry.actor.id ? (
                          <button
                            type="button"
                            className="secondary small"
                            onClick={() => apply({ ...filter, actorId: entry.actor!.id })}
                            aria-label={t("audit.onlyActorName", { name: entry.actor.name })}
                          >
                            {t("audit.onlyActor")}
                          </button>
                        ) : null}
                      </>
                    ) : (
                      <span className="muted">{t("audit.system")}</span>
                    )}
                  </td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>
                    {entry.patient ? (
                      <>
                        {entry.patient.name}
                        {filter.patientId !== entry.patient.id ? (
                          <div>
                            <button
                              type="button"
                              className="secondary small"
                              onClick={() => apply({ ...filter, patientId: entry.patient!.id })}
                              aria-label={t("audit.onlyPatientName", { name: entry.patient.name })}
                            >
                              {t("audit.onlyPatient")}
                            </button>
                          </div>
                        ) : null}
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="small">
                    <code>{entry.requestId ?? "—"}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager label={t("audit.title")} pages={pages} pageInfo={log.data?.auditLog.pageInfo} />
    </Page>
  );
}
