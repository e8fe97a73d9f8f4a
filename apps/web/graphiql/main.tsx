/**
 * The router's GraphiQL (served on GET /graphql outside production, router/src/graphiql.ts): GraphiQL 5 over the
 * page's own origin — queries and mutations over HTTP, subscriptions over graphql-ws on the same path — with a
 * sign-in bar above it. Signing in calls `login`; the access token is then sent as `authorization: Bearer …` on
 * every HTTP request and in the graphql-ws `connectionParams`, and refreshed before it expires. The token lives in
 * this page's memory only (a reload signs out). An `authorization` header typed in GraphiQL's headers editor wins
 * over the signed-in token.
 */
import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import "./graphiql.css";
import { StrictMode, useCallback, useEffect, useMemo, useState, type FormEvent } from "react";
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import { createGraphiQLFetcher, type Fetcher, type FetcherOpts } from "@graphiql/toolkit";

const HTTP_URL = new URL("/graphql", window.location.origin).href;
const WS_URL = HTTP_URL.replace(/^http/, "ws");

const SESSION_FIELDS = "accessToken refreshToken expiresAt user { name role }";
const LOGIN = `mutation GraphiQLSignIn($email: String!, $password: String!) { login(email: $email, password: $password) { ${SESSION_FIELDS} } }`;
const REFRESH = `mutation GraphiQLRefresh($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { ${SESSION_FIELDS} } }`;
const LOGOUT = `mutation GraphiQLSignOut($refreshToken: String!) { logout(refreshToken: $refreshToken) }`;

/** Refresh the access token this long before it expires. */
const REFRESH_AHEAD_MS = 60_000;

const DEFAULT_QUERY = `# Clinigraph's GraphiQL. Queries and mutations go over HTTP,
# subscriptions over graphql-ws (they need a signed-in user).
# Sign in above, or set an "authorization" header (Headers, below).

query Me {
  me {
    name
    role
  }
}
`;

interface Session {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  user: { name: string; role: string };
}

/** One operation over HTTP, outside GraphiQL (sign-in, refresh, sign-out): its data, or its first error as an Error. */
async function post<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(HTTP_URL, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json().catch(() => undefined)) as { data?: T | null; errors?: { message?: string }[] } | undefined;
  if (body?.errors?.length) throw new Error(body.errors[0]?.message ?? "Request failed");
  if (!res.ok || !body?.data) throw new Error(`Request failed (HTTP ${res.status})`);
  return body.data;
}

/** The headers of one GraphiQL request: the editor's, plus the signed-in token unless the editor sets `authorization`. */
function withToken(headers: FetcherOpts["headers"], token: string | undefined): FetcherOpts["headers"] {
  if (!token) return headers;
  const own = headers ?? {};
  if (Object.keys(own).some((name) => name.toLowerCase() === "authorization")) return own;
  return { ...own, authorization: `Bearer ${token}` };
}

/**
 * GraphiQL's fetcher for a token. The toolkit opens one graphql-ws connection per subscription, whose
 * `connectionParams` are its `wsConnectionParams` plus the request's headers: the token travels in the headers, so
 * it reaches both transports, and an `authorization` typed in the editor replaces it on both alike (as a static
 * `wsConnectionParams` it would sit beside an editor's `Authorization` and win over it on graphql-ws only).
 */
function createFetcher(token: string | undefined): Fetcher {
  const fetcher = createGraphiQLFetcher({ url: HTTP_URL, subscriptionUrl: WS_URL });
  return (params, opts) => fetcher(params, { ...opts, headers: withToken(opts?.headers, token) });
}

function SignInBar({ session, onSession }: { session: Session | undefined; onSession: (session: Session | undefined, notice?: string) => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const signIn = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { login } = await post<{ login: Session }>(LOGIN, { email, password });
      setPassword("");
      onSession(login);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const signOut = () => {
    if (session) void post(LOGOUT, { refreshToken: session.refreshToken }).catch(() => undefined);
    onSession(undefined);
  };

  if (session) {
    const until = new Date(session.expiresAt).toLocaleTimeString();
    return (
      <div className="cg-bar" role="region" aria-label="Session">
        <strong>Clinigraph GraphiQL</strong>
        <span className="cg-status" role="status">
          Signed in as {session.user.name} ({session.user.role}) — token until {until}, refreshed automatically
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </div>
    );
  }
  return (
    <form className="cg-bar" aria-label="Sign in" onSubmit={(event) => void signIn(event)}>
      <strong>Clinigraph GraphiQL</strong>
      <label>
        E-mail <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label>
        Password{" "}
        <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? "Signing in…" : "Sign in"}
      </button>
      {error ? (
        <span className="cg-error" role="alert">
          {error}
        </span>
      ) : (
        <span className="cg-status">Not signed in: operations run anonymously.</span>
      )}
    </form>
  );
}

function App() {
  const [session, setSession] = useState<Session>();
  const [notice, setNotice] = useState<string>();
  const token = session?.accessToken;
  const fetcher = useMemo(() => createFetcher(token), [token]);

  const onSession = useCallback((next: Session | undefined, message?: string) => {
    setSession(next);
    setNotice(message);
  }, []);

  // Keep the session alive: a new access token (and refresh token) shortly before the current one expires.
  useEffect(() => {
    if (!session) return;
    const delay = Math.max(5_000, new Date(session.expiresAt).getTime() - Date.now() - REFRESH_AHEAD_MS);
    const timer = setTimeout(() => {
      post<{ refreshSession: Session }>(REFRESH, { refreshToken: session.refreshToken })
        .then(({ refreshSession }) => onSession(refreshSession))
        .catch((err: unknown) => onSession(undefined, `Signed out: ${err instanceof Error ? err.message : String(err)}`));
    }, delay);
    return () => clearTimeout(timer);
  }, [session, onSession]);

  return (
    <div className="cg-page">
      <SignInBar session={session} onSession={onSession} />
      {notice ? (
        <div className="cg-notice" role="alert">
          {notice}
        </div>
      ) : null}
      <div className="cg-graphiql">
        <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} />
      </div>
    </div>
  );
}

createRoot(document.getElementById("graphiql-root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
