/**
 * The signed-in session, in memory only (never localStorage or cookies the app can read: a script injected into the
 * page must not find a token that outlives the tab). A reload signs the user out.
 *
 * The access token is short-lived; the refresh token is single-use and every refresh returns a new one (rotation).
 * `refresh()` is single-flight: concurrent callers share one refreshSession call, so a rotated token is never sent
 * twice (the API would treat the second use as theft and end the session). A timer refreshes a minute before expiry.
 */
export type Role = "PATIENT" | "DOCTOR" | "RECEPTIONIST" | "EXAMINER" | "BILLING" | "STAKEHOLDER" | "ADMIN";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  user: SessionUser;
}

type Refresher = (refreshToken: string) => Promise<Session>;

let current: Session | null = null;
let refreshing: Promise<Session | null> | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;
let refresher: Refresher | undefined;
const listeners = new Set<() => void>();

function notify() {
  for (const listener of listeners) listener();
}

function schedule() {
  clearTimeout(timer);
  if (!current || !refresher) return;
  const ms = new Date(current.expiresAt).getTime() - Date.now() - 60_000;
  timer = setTimeout(() => void refresh(), Math.max(ms, 5_000));
}

export const session = {
  get(): Session | null {
    return current;
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  /** How a refresh token is exchanged (the Apollo client's refreshSession mutation). */
  useRefresher(fn: Refresher) {
    refresher = fn;
    schedule();
  },
  set(next: Session | null) {
    current = next;
    schedule();
    notify();
  },
};

/** A fresh access token (the current session rotated), or null when the session cannot be renewed (signed out). */
export function refresh(): Promise<Session | null> {
  if (refreshing) return refreshing;
  const from = current;
  if (!from || !refresher) return Promise.resolve(null);
  refreshing = refresher(from.refreshToken)
    .then((next) => {
      // Signed out (or in as someone else) meanwhile: keep what is there now.
      if (current === from) session.set(next);
      return session.get();
    })
    .catch(() => {
      if (current === from) session.set(null);
      return null;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}
