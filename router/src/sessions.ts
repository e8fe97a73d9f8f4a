/**
 * Is the session behind an access token still open? Access tokens are self-contained (EdDSA, 10 minutes);
 * this is what makes a sign-out, a password change or a reused refresh token end them at once rather than
 * at expiry. Accounts answers for a batch of session ids (`POST /internal/sessions`, the `sid` claim is the
 * refresh-token family): the router asks once per session per `cacheMs` (default 5 s), joins concurrent
 * questions into one request, and remembers a revocation until the token expires (a session never reopens).
 *
 * When accounts cannot be asked, a token whose signature and expiry are valid is accepted (a warning is
 * logged): one subgraph's outage must not sign everybody out, and the worst case is the pre-check behaviour
 * (a revoked token lives until it expires, at most the access-token lifetime). A known revocation stays known.
 */
import { Agent } from "undici";
import { signIdentity, type Logger } from "@clinigraph/platform";
import { ROUTER_DEFAULTS } from "./config.js";

export interface SessionCheckOptions {
  /** Accounts' session status endpoint, e.g. http://127.0.0.1:4001/internal/sessions */
  url: string;
  routerSecrets: readonly string[];
  logger: Logger;
  /** How long an "open" answer is trusted, milliseconds (default 5 000). 0: ask on every request. */
  cacheMs?: number;
  /** Timeout of one status request, milliseconds (default 2 000). */
  timeoutMs?: number;
  clock?: () => number;
}

export interface SessionChecker {
  /** True when the session has ended (signed out, password changed, refresh token reused, unknown). */
  isRevoked(sessionId: string, expiresAtSeconds: number): Promise<boolean>;
  close(): Promise<void>;
}

/** At most this many ids per status request. */
const BATCH = 500;

export function createSessionChecker(options: SessionCheckOptions): SessionChecker {
  const cacheMs = options.cacheMs ?? ROUTER_DEFAULTS.sessionCheckCacheMs;
  const clock = options.clock ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 16, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const target = new URL(options.url);
  /** sid → open until (ms) | revoked until the token's expiry (ms). */
  const open = new Map<string, number>();
  const revoked = new Map<string, number>();
  /** Ids waiting for the next batch, with the callers waiting on them. */
  let pending: Map<string, ((revoked: boolean) => void)[]> | null = null;

  const sweep = setInterval(() => {
    const now = clock();
    for (const [sid, until] of open) if (until <= now) open.delete(sid);
    for (const [sid, until] of revoked) if (until <= now) revoked.delete(sid);
  }, 60_000);
  sweep.unref();

  async function ask(ids: string[]): Promise<Set<string> | null> {
    try {
      const ended = new Set<string>();
      for (let i = 0; i < ids.length; i += BATCH) {
        const res = await agent.request({
          origin: target.origin,
          path: target.pathname,
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-clinigraph-identity": await signIdentity({ userId: null, role: null, requestId: "session-check" }, options.routerSecrets),
          },
          body: JSON.stringify({ sessions: ids.slice(i, i + BATCH) }),
        });
        const body = (await res.body.json()) as { revoked?: unknown };
        if (res.statusCode !== 200 || !Array.isArray(body.revoked)) throw new Error(`session status answered HTTP ${res.statusCode}`);
        for (const sid of body.revoked) if (typeof sid === "string") ended.add(sid);
      }
      return ended;
    } catch (err) {
      options.logger.warn(
        { err: err instanceof Error ? err.message : String(err), sessions: ids.length },
        "session status unavailable; accepting valid tokens",
      );
      return null;
    }
  }

  function flush() {
    const batch = pending!;
    pending = null;
    const ids = [...batch.keys()];
    void ask(ids).then((ended) => {
      const now = clock();
      for (const sid of ids) {
        const isEnded = ended?.has(sid) ?? false;
        if (ended && !isEnded && cacheMs > 0) open.set(sid, now + cacheMs);
        for (const resolve of batch.get(sid)!) resolve(isEnded);
      }
    });
  }

  function lookup(sid: string): Promise<boolean> {
    if (!pending) {
      pending = new Map();
      setImmediate(flush); // every request arriving in this turn of the event loop shares one status call
    }
    return new Promise((resolve) => {
      const waiting = pending!.get(sid);
      if (waiting) waiting.push(resolve);
      else pending!.set(sid, [resolve]);
    });
  }

  function cached(sid: string): boolean | undefined {
    const now = clock();
    const until = revoked.get(sid);
    if (until !== undefined && until > now) return true;
    const openUntil = open.get(sid);
    if (openUntil !== undefined && openUntil > now) return false;
    return undefined;
  }

  return {
    async isRevoked(sid, expiresAtSeconds) {
      const known = cached(sid);
      if (known !== undefined) return known;
      const ended = await lookup(sid);
      if (ended) {
        open.delete(sid);
        revoked.set(sid, Math.max(expiresAtSeconds * 1000, clock() + 60_000));
      }
      return ended;
    },
    async close() {
      clearInterval(sweep);
      await agent.close();
    },
  };
}
