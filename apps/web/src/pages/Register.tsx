import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { useApolloClient, useMutation } from "@apollo/client/react";
import { Page } from "../components/Page";
import { ErrorMessage, errorCode, errorField } from "../components/ErrorMessage";
import { RegisterPatientDocument, RequestRegistrationCodeDocument } from "../generated/operations";
import { startSession } from "./SignIn";

/** The API's password policy, checked as the user types (the API checks it again). */
export function passwordRules(password: string, email: string) {
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  return {
    ruleLength: password.length >= 10 && password.length <= 256,
    ruleMix: classes >= 3,
    ruleNotEmail: password.length > 0 && password.trim().toLowerCase() !== email.trim().toLowerCase(),
  };
}

export function Register() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useApolloClient();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [phone, setPhone] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  // "email": asking for the address; "code": the code was sent; "direct": this clinic registers without codes.
  const [step, setStep] = useState<"email" | "code" | "direct">("email");
  const [requestCode, requested] = useMutation(RequestRegistrationCodeDocument);
  const [register, registered] = useMutation(RegisterPatientDocument);
  const rules = passwordRules(password, email);

  async function sendCode(event: FormEvent) {
    event.preventDefault();
    try {
      await requestCode({ variables: { email } });
      setStep("code");
    } catch (error) {
      // This clinic registers without codes: the API refuses the request on the code's field.
      if (errorCode(error) === "BAD_USER_INPUT" && errorField(error) === "verificationCode") setStep("direct");
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { data } = await register({
      variables: { input: { email, name, password, phone: phone || null, verificationCode: step === "code" ? code : null } },
    }).catch(() => ({ data: undefined }));
    if (!data) return;
    startSession(data.registerPatient, client);
    navigate("/patient", { replace: true });
  }

  return (
    <Page title={t("register.title")}>
      {step === "email" ? (
        <form className="card" onSubmit={(e) => void sendCode(e)} style={{ maxWidth: "28rem" }}>
          <div className="field">
            <label htmlFor="email">{t("signIn.email")}</label>
            <input id="email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </div>
          <ErrorMessage error={requested.error} />
          <button type="submit" disabled={requested.loading}>
            {t("register.sendCode")}
          </button>
        </form>
      ) : (
        <form className="card" onSubmit={(e) => void submit(e)} style={{ maxWidth: "28rem" }}>
          {step === "code" ? (
            <p className="alert info" role="status">
              {t("register.codeSent", { email })}
            </p>
          ) : null}
          {step === "code" ? (
            <div className="field">
              <label htmlFor="code">{t("register.code")}</label>
              <input id="code" inputMode="numeric" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} />
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="name">{t("register.name")}</label>
            <input id="name" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="phone">{t("register.phone")}</label>
            <input id="phone" type="tel" autoComplete="tel" value={phone} onChange={(e) => setPhone(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="password">{t("signIn.password")}</label>
            <input
              id="password"
              type="password"
              autoComplete="new-password"
              required
              aria-describedby="password-rules"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <div id="password-rules" className="hint" aria-live="polite">
              <span>{t("register.rules")}:</span>
              <ul>
                {(Object.keys(rules) as (keyof typeof rules)[]).map((rule) => (
                  <li key={rule} data-met={rules[rule]}>
                    {rules[rule] ? "✓" : "✗"} {t(`register.${rule}`)}
                  </li>
                ))}
              </ul>
            </div>
          </div>
          <ErrorMessage error={registered.error} />
          <button type="submit" disabled={registered.loading || !Object.values(rules).every(Boolean)}>
            {t("register.submit")}
          </button>
        </form>
      )}
      <p>
        {t("register.haveAccount")} <Link to="/sign-in">{t("signIn.submit")}</Link>
      </p>
    </Page>
  );
}
