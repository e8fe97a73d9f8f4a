/** The visit's note: the draft editor (save, sign) and the read-only view (also on the patient card). */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useMutation } from "@apollo/client/react";
import { ErrorMessage } from "../../components/ErrorMessage";
import { formatDateTime } from "../../lib/time";
import { SaveRecordDraftDocument, SignRecordDocument, type DoctorRecordFieldsFragment } from "../../generated/operations";
import { RecordStatusBadge } from "./badges";
import { recordChanged, recordForm, recordHasContent, recordInput, type RecordForm } from "./encounterModel";

const preWrap = { whiteSpace: "pre-wrap" as const, margin: 0 };

/** A record entry as text: status, version, when signed, and each field that says something. */
export function RecordView({ record, timezone }: { record: DoctorRecordFieldsFragment; timezone: string }) {
  const { t, i18n } = useTranslation("doctor");
  const language = i18n.language;
  return (
    <div data-testid="record">
      <div className="row small">
        <RecordStatusBadge status={record.status} />
        <span className="muted">{t("record.version", { version: record.version })}</span>
        {record.signedAt ? <span className="muted">{t("record.signedAt", { at: formatDateTime(record.signedAt, timezone, language) })}</span> : null}
      </div>
      <dl>
        {record.complaints ? (
          <>
            <dt>{t("record.complaints")}</dt>
            <dd style={preWrap}>{record.complaints}</dd>
          </>
        ) : null}
        {record.diagnosisCode || record.diagnosis ? (
          <>
            <dt>{t("record.diagnosis")}</dt>
            <dd style={preWrap}>{[record.diagnosisCode, record.diagnosis].filter(Boolean).join(" — ")}</dd>
          </>
        ) : null}
        {record.prescriptions.length ? (
          <>
            <dt>{t("record.prescriptions")}</dt>
            <dd>
              <ul>
                {record.prescriptions.map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {record.notes ? (
          <>
            <dt>{t("record.notes")}</dt>
            <dd style={preWrap}>{record.notes}</dd>
          </>
        ) : null}
        {record.amendReason ? (
          <>
            <dt>{t("record.amendReason")}</dt>
            <dd style={preWrap}>{record.amendReason}</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

/**
 * The treating doctor's draft of the visit: save as often as needed (the same draft is updated), then sign — a signed
 * note never changes. Signing saves unsaved changes first.
 */
export function RecordEditor({
  encounterId,
  record,
  editable,
  signable,
  onDone,
}: {
  encounterId: string;
  record: DoctorRecordFieldsFragment | null;
  editable: boolean;
  signable: boolean;
  onDone(message: string): void;
}) {
  const { t } = useTranslation("doctor");
  const [form, setForm] = useState<RecordForm>(() => recordForm(record));
  const [confirmSign, setConfirmSign] = useState(false);
  const [save, saving] = useMutation(SaveRecordDraftDocument);
  const [sign, signing] = useMutation(SignRecordDocument);
  const [error, setError] = useState<unknown>(null);
  const changed = recordChanged(form, record);
  const busy = saving.loading || signing.loading;

  async function saveDraft(): Promise<string | null> {
    if (!changed && record) return record.id;
    const result = await save({ variables: { encounterId, input: recordInput(form) } });
    return result.data?.saveRecordDraft.id ?? null;
  }

  async function run(action: () => Promise<string>) {
    setError(null);
    try {
      onDone(await action());
    } catch (err) {
      setError(err);
    }
  }

  const set = (field: keyof RecordForm) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [field]: e.target.value }));

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => {
          await saveDraft();
          return t("record.savedAnnouncement");
        });
      }}
    >
      <ErrorMessage error={error} />
      {editable ? (
        <>
          <div className="field">
            <label htmlFor="record-complaints">{t("record.complaints")}</label>
            <textarea id="record-complaints" value={form.complaints} onChange={set("complaints")} maxLength={4000} />
          </div>
          <div className="form-inline" style={{ marginBottom: "var(--space-3)" }}>
            <div className="field" style={{ flex: "0 1 10rem" }}>
              <label htmlFor="record-code">{t("record.diagnosisCode")}</label>
              <input
                id="record-code"
                value={form.diagnosisCode}
                onChange={set("diagnosisCode")}
                pattern="[A-Za-z][0-9]{2}(\.[0-9A-Za-z]{1,4})?"
                aria-describedby="record-code-hint"
                autoComplete="off"
              />
              <div className="hint" id="record-code-hint">
                {t("record.diagnosisCodeHint")}
              </div>
            </div>
            <div className="field">
              <label htmlFor="record-diagnosis">{t("record.diagnosis")}</label>
              <input id="record-diagnosis" value={form.diagnosis} onChange={set("diagnosis")} maxLength={2000} />
            </div>
          </div>
          <div className="field">
            <label htmlFor="record-prescriptions">{t("record.prescriptions")}</label>
            <textarea id="record-prescriptions" value={form.prescriptions} onChange={set("prescriptions")} aria-describedby="record-prescriptions-hint" />
            <div className="hint" id="record-prescriptions-hint">
              {t("record.prescriptionsHint")}
            </div>
          </div>
          <div className="field">
            <label htmlFor="record-notes">{t("record.notes")}</label>
            <textarea id="record-notes" value={form.notes} onChange={set("notes")} maxLength={20000} />
          </div>
        </>
      ) : record ? null : (
        <p className="muted">{t("record.none")}</p>
      )}
      <div className="row">
        {editable ? (
          <button type="submit" className="secondary" disabled={busy || !changed || !recordHasContent(form)}>
            {t("record.saveDraft")}
          </button>
        ) : null}
        {signable || (editable && recordHasContent(form)) ? (
          <button type="button" onClick={() => setConfirmSign((v) => !v)} aria-expanded={confirmSign} disabled={busy}>
            {t("record.sign")}
          </button>
        ) : null}
        {editable && changed ? <span className="small muted">{t("record.unsaved")}</span> : null}
        {editable && !changed && record ? <span className="small muted">{t("record.draftSaved")}</span> : null}
      </div>
      {confirmSign ? (
        <div className="alert info" role="group" aria-labelledby="sign-question">
          <p id="sign-question">{t("record.signConfirm")}</p>
          <div className="row">
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  const id = await saveDraft();
                  if (!id) throw new Error(t("record.nothingToSign"));
                  await sign({ variables: { id } });
                  setConfirmSign(false);
                  return t("record.signedAnnouncement");
                })
              }
            >
              {t("record.confirmSign")}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirmSign(false)}>
              {t("cancel", { ns: "common" })}
            </button>
          </div>
        </div>
      ) : null}
    </form>
  );
}
