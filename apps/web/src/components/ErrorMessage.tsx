/** An API error as the user should read it: the server's message (with its code for support), or a network notice. Never blank. */
import { CombinedGraphQLErrors, ServerError, ServerParseError } from "@apollo/client/errors";
import { useTranslation } from "react-i18next";

export function errorText(error: unknown, networkText: string): string {
  if (CombinedGraphQLErrors.is(error)) return error.errors.map((e) => e.message).join(" ");
  if (ServerError.is(error) || ServerParseError.is(error)) return networkText;
  if (error instanceof TypeError) return networkText; // fetch failed
  return error instanceof Error ? error.message : String(error);
}

export function errorCode(error: unknown): string | undefined {
  if (!CombinedGraphQLErrors.is(error)) return undefined;
  const code = error.errors[0]?.extensions?.code;
  return typeof code === "string" ? code : undefined;
}

/** The input field a BAD_USER_INPUT names (`extensions.field`), if any. */
export function errorField(error: unknown): string | undefined {
  if (!CombinedGraphQLErrors.is(error)) return undefined;
  const field = error.errors[0]?.extensions?.field;
  return typeof field === "string" ? field : undefined;
}

export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  const code = errorCode(error);
  return (
    <div className="alert" role="alert">
      <strong>{t("error.title")}:</strong> {errorText(error, t("error.network"))}
      {code ? <span className="muted small"> ({code})</span> : null}
      {onRetry ? (
        <div>
          <button type="button" className="secondary" onClick={onRetry}>
            {t("retry")}
          </button>
        </div>
      ) : null}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p role="status" aria-live="polite" className="muted">
      {t("loading")}
    </p>
  );
}
