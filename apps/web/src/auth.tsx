/** The session in React: who is signed in, where each role lands, and the guard of each role's pages. */
import { useSyncExternalStore, type ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { useTranslation } from "react-i18next";
import { session, type Role, type Session } from "./session";
import { Page } from "./components/Page";

export function useSession(): Session | null {
  return useSyncExternalStore(session.subscribe, session.get, session.get);
}

/** Each role's home page after sign-in. */
export const HOME: Record<Role, string> = {
  PATIENT: "/patient",
  DOCTOR: "/doctor",
  RECEPTIONIST: "/reception",
  EXAMINER: "/examiner",
  BILLING: "/billing",
  STAKEHOLDER: "/stakeholder",
  ADMIN: "/admin",
};

/** Renders `children` for the given roles; sends a signed-out visitor to sign in, and tells anyone else it is not theirs. */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const current = useSession();
  const location = useLocation();
  const { t } = useTranslation();
  if (!current) return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  if (!roles.includes(current.user.role))
    return (
      <Page title={t("forbidden.title")}>
        <p role="alert">{t("forbidden.body", { roles: roles.map((r) => t(`roles.${r}`)).join(", "), role: t(`roles.${current.user.role}`) })}</p>
      </Page>
    );
  return <>{children}</>;
}
