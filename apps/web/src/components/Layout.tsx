import { Suspense, type ReactNode } from "react";
import { NavLink, useLocation, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { useMutation } from "@apollo/client/react";
import { useSession, HOME } from "../auth";
import { session } from "../session";
import { NAV } from "../nav";
import { LANGUAGES, setLanguage } from "../i18n";
import { LogoutDocument } from "../generated/operations";
import { Loading } from "./ErrorMessage";
import { ErrorBoundary } from "./ErrorBoundary";

const LANGUAGE_NAMES: Record<string, string> = { en: "English", ko: "한국어", ru: "Русский", fr: "Français" };

export function Layout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const current = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [logout] = useMutation(LogoutDocument);

  async function signOut() {
    const ending = session.get();
    session.set(null);
    navigate("/sign-in");
    // The refresh token is revoked at the API; the access token simply expires (it lives in this tab's memory only).
    if (ending) await logout({ variables: { refreshToken: ending.refreshToken } }).catch(() => undefined);
  }

  return (
    <>
      <a className="skip-link" href="#main">
        {t("skipToContent")}
      </a>
      <header className="app-header">
        <div className="bar">
          <NavLink className="brand" to={current ? HOME[current.user.role] : "/sign-in"} end>
            {t("app")}
          </NavLink>
          {current ? (
            <nav aria-label={t("nav.main")}>
              <ul>
                {NAV[current.user.role].map((item) => (
                  <li key={item.to}>
                    <NavLink to={item.to} end>
                      {t(`nav.${item.label}`)}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          <label className="visually-hidden" htmlFor="language">
            {t("language")}
          </label>
          <select id="language" value={i18n.language} onChange={(e) => setLanguage(e.target.value)} style={{ width: "auto" }}>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
          {current ? (
            <>
              <span className="small muted">{t("signedInAs", { name: current.user.name, role: t(`roles.${current.user.role}`) })}</span>
              <button type="button" className="secondary" onClick={() => void signOut()}>
                {t("signOut")}
              </button>
            </>
          ) : null}
        </div>
      </header>
      <main id="main">
        {/* A new page starts with a clean slate: the boundary is keyed by the path. */}
        <ErrorBoundary key={location.pathname}>
          <Suspense fallback={<Loading />}>{children}</Suspense>
        </ErrorBoundary>
      </main>
    </>
  );
}
