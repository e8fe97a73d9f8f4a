/**
 * A signed-in user's session as a front end keeps it: an access token, exchanged for a new one through
 * `refreshSession` (single-use refresh tokens, rotated on every exchange) before it expires, so a load test can run
 * longer than a token lives (ACCESS_TOKEN_TTL_SECONDS, at most 15 minutes) without signing in again.
 */
import type { RouterClient } from "./routerClient.js";

const REFRESH = `mutation ($r: String!) { refreshSession(refreshToken: $r) { accessToken refreshToken } }`;

export class Session {
  private refreshing: Promise<string> | undefined;
  /** Exchanges made so far. */
  refreshes = 0;

  constructor(
    private readonly client: RouterClient,
    private accessToken: string,
    private refreshToken: string,
    /** How long an access token lives (the platform's ACCESS_TOKEN_TTL_SECONDS), ms. */
    private readonly ttlMs: number,
    /** When the access token was issued (Date.now() clock). */
    private issuedAt = Date.now(),
  ) {}

  /** The access token, exchanged first when two thirds of its life have passed; callers meanwhile share the exchange. */
  async token(): Promise<string> {
    if (Date.now() - this.issuedAt < (this.ttlMs * 2) / 3) return this.accessToken;
    return (this.refreshing ??= this.refresh().finally(() => (this.refreshing = undefined)));
  }

  private async refresh(): Promise<string> {
    const { refreshSession } = await this.client.must<{ refreshSession: { accessToken: string; refreshToken: string } }>("refreshSession", REFRESH, {
      r: this.refreshToken,
    });
    this.accessToken = refreshSession.accessToken;
    this.refreshToken = refreshSession.refreshToken;
    this.issuedAt = Date.now();
    this.refreshes++;
    return this.accessToken;
  }
}
