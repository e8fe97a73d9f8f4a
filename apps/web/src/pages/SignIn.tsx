import { useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { useApolloClient, useMutation } from "@apollo/client/react";
import { Page } from "../components/Page";
import { ErrorMessage } from "../components/ErrorMessage";
import { LoginDocument, MyLanguageDocument, type SessionFieldsFragment } from "../generated/operations";
import { session } from "../session";
import { HOME } from "../auth";
import { setLanguage } from "../i18n";

/**
 * Starts a session from an AuthPayload. The user's UI language is their notification language: it is read in the
 * background, so the home page opens at once (and a click made meanwhile is not undone by a late redirect).
 */
export function startSession(payload: SessionFieldsFragment, client: ReturnType<typeof useApolloClient>): void {
  session.set(payload);
  void client
    .query({ query: MyLanguageDocument, fetchPolicy: "network-only" })
    .then(({ data }) => {
      if (data?.myNotificationPreferences.language) setLanguage(data.myNotificationPreferences.language.toLowerCase());
    })
    .catch(() => undefined);
}

export function SignIn() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const client = useApolloClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [login, { loading, error }] = useMutation(LoginDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { data } = await login({ variables: { email, password } }).catch(() => ({ data: undefined }));
    if (!data) return;
    startSession(data.login, client);
    const from = (location.state as { from?: string } | null)?.from;
    navigate(from && from !== "/sign-in" ? from : HOME[data.login.user.role], { replace: true });
  }

  return (
    <Page title={t("signIn.title")}>
      <form className="card" onSubmit={(e) => void submit(e)} style={{ maxWidth: "28rem" }}>
        <div className="field">
          <label htmlFor="email">{t("signIn.email")}</label>
          <input id="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="password">{t("signIn.password")}</label>
          <input id="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        <ErrorMessage error={error} />
        <button type="submit" disabled={loading}>
          {t("signIn.submit")}
        </button>
        <p>
          {t("signIn.noAccount")} <Link to="/register">{t("signIn.register")}</Link>
        </p>
      </form>
    </Page>
  );
}
