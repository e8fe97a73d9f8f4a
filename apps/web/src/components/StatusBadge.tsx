import { useTranslation } from "react-i18next";

/** An appointment's status in words (never colour alone). */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`status status-${status}`}>{t(`status.${status}`, { defaultValue: status })}</span>;
}
