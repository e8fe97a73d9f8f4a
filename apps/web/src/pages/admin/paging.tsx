/** Page by page through a connection (first/after): the cursors of the pages seen, to go back as well as on. */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { errorCode } from "../../components/ErrorMessage";

export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    after: cursors[cursors.length - 1] ?? null,
    page: cursors.length,
    next: (endCursor: string | null | undefined) => {
      if (endCursor) setCursors((c) => [...c, endCursor]);
    },
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    reset: () => setCursors([null]),
  };
}

export type CursorPages = ReturnType<typeof useCursorPages>;

/** Previous and next through a connection's pages (nothing when there is one page). */
export function Pager({
  label,
  pages,
  pageInfo,
}: {
  label: string;
  pages: CursorPages;
  pageInfo: { hasNextPage: boolean; endCursor: string | null } | undefined;
}) {
  const { t } = useTranslation("admin");
  const { page } = pages;
  const hasNext = pageInfo?.hasNextPage ?? false;
  if (page === 1 && !hasNext) return null;
  return (
    <nav className="row" aria-label={label} style={{ marginTop: "var(--space-3)" }}>
      <button type="button" className="secondary" disabled={page === 1} onClick={pages.previous}>
        {t("paging.previous")}
      </button>
      <span className="small">{t("paging.page", { page })}</span>
      <button type="button" className="secondary" disabled={!hasNext} onClick={() => pages.next(pageInfo?.endCursor)}>
        {t("paging.next")}
      </button>
    </nav>
  );
}

/**
 * Privileged actions (creating staff users, reading the audit log) need a sign-in with a password within the last
 * hour (the `recent_login` policy); the API refuses them with FORBIDDEN otherwise. Says what to do about it.
 */
export function RecentLoginHint({ error }: { error: unknown }) {
  const { t } = useTranslation("admin");
  if (errorCode(error) !== "FORBIDDEN") return null;
  return <p className="small">{t("recentLogin")}</p>;
}
