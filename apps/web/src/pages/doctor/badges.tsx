import { useTranslation } from "react-i18next";

/** An encounter's status in words (never colour alone). */
export function EncounterStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation("doctor");
  return <span className="status">{t(`encounterStatus.${status}`, { defaultValue: status })}</span>;
}

/** An examination's status in words. */
export function ExaminationStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation("doctor");
  return <span className="status">{t(`examinationStatus.${status}`, { defaultValue: status })}</span>;
}

/** A record entry's status (draft, signed, amended) in words. */
export function RecordStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation("doctor");
  return <span className="status">{t(`recordStatus.${status}`, { defaultValue: status })}</span>;
}
