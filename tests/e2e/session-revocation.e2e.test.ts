/**
 * Ended sessions end their access tokens at once, through the router: after `logout` and `changePassword` the old
 * access token is refused over HTTP (401 UNAUTHENTICATED), and an open graphql-ws connection is closed — 4403 when
 * its session ends, 4401 when its token expires (the client re-authenticates and resumes with `since`). Other
 * sessions of the same user are untouched by a `logout`.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createPrivateKey, sign } from "node:crypto";
import { fieldCipherFromEnv } from "@clinigraph/platform";
import { queryDatabase, testEnv, uniqueEmail } from "@clinigraph/testing";
import { closeFeeds, openSocket } from "../support/feeds.js";
import { expectData, graphql, startStack, type Stack } from "../support/stack.js";

let stack: Stack;
let url: string;

beforeAll(async () => {
  // Every request asks accounts (no cache), and open sockets re-check their session every 100 ms.
  stack = await startStack({ env: { SESSION_CHECK_CACHE_MS: "0", SESSION_RECHECK_MS: "100" } });
  url = stack.routerUrl;
}, 120_000);

afterAll(async () => {
  await closeFeeds();
  await stack?.stop();
});

interface Session {
  accessToken: string;
  refreshToken: string;
}
const PASSWORD = "Session-test-1";
const SESSION_FIELDS = "accessToken refreshToken";

async function registerPatient(): Promise<{ email: string; session: Session }> {
  const email = uniqueEmail("session");
  const { registerPatient } = await expectData<{ registerPatient: Session }>(
    url,
    `mutation($input: RegisterPatientInput!) { registerPatient(input: $input) { ${SESSION_FIELDS} } }`,
    { input: { email, password: PASSWORD, name: "Session Patient" } },
  );
  return { email, session: registerPatient };
}

const login = async (email: string, password = PASSWORD) =>
  (
    await expectData<{ login: Session }>(url, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { ${SESSION_FIELDS} } }`, {
      e: email,
      p: password,
    })
  ).login;

const me = (token: string) => graphql<{ me: { email: string } | null }>(url, "{ me { email } }", {}, token);

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;

/** A graphql-ws connection through the router with a patient's live feed, resolving with the close code when the router closes it. */
const connect = (token: string) => openSocket(url, token, "subscription { myAppointmentUpdates { cursor } }");

describe("HTTP: an ended session's access token is refused at once", () => {
  it("logout ends that session's access token, and only that session's", async () => {
    const { email, session: first } = await registerPatient();
    const second = await login(email);
    expect((await me(first.accessToken)).data?.me?.email).toBe(email);

    await expectData(url, "mutation($r: String!) { logout(refreshToken: $r) }", { r: first.refreshToken });

    const refused = await me(first.accessToken);
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(refused.errors?.[0]?.message).toMatch(/session has ended/i);
    // The other session goes on.
    expect((await me(second.accessToken)).data?.me?.email).toBe(email);
  });

  it("a password change ends every session of the user, the one that changed it too", async () => {
    const { email, session: first } = await registerPatient();
    const second = await login(email);
    await expectData(
      url,
      "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }",
      { c: PASSWORD, n: "Session-test-2-new" },
      second.accessToken,
    );

    for (const token of [first.accessToken, second.accessToken]) {
      const refused = await me(token);
      expect(refused.status).toBe(401);
      expect(refused.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
    const fresh = await login(email, "Session-test-2-new");
    expect((await me(fresh.accessToken)).data?.me?.email).toBe(email);
  });

  it("a reused refresh token ends the session's access tokens too", async () => {
    const { session } = await registerPatient();
    const { refreshSession: next } = await expectData<{ refreshSession: Session }>(
      url,
      `mutation($r: String!) { refreshSession(refreshToken: $r) { ${SESSION_FIELDS} } }`,
      {
        r: session.refreshToken,
      },
    );
    expect((await me(next.accessToken)).status).toBe(200);
    const replay = await graphql(url, "mutation($r: String!) { refreshSession(refreshToken: $r) { accessToken } }", { r: session.refreshToken });
    expect(replay.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await me(next.accessToken)).status).toBe(401);
  });

  it("every access token names its session, and a token without one is refused", async () => {
    const { session } = await registerPatient();
    const claims = claimsOf(session.accessToken);
    expect(claims.sid).toMatch(/^[0-9a-f-]{36}$/);
    const [row] = await queryDatabase<{ n: number }>(stack.databaseUrl, "SELECT count(*)::int AS n FROM accounts.refresh_tokens WHERE family_id = $1", [
      claims.sid,
    ]);
    expect(row!.n).toBe(1);

    const { sid: _sid, ...withoutSession } = claims;
    const refused = await me(await signWithAccountsKey(withoutSession));
    expect(refused.status).toBe(401);
    expect(refused.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("WebSocket: a connection lives no longer than its session and its token", () => {
  it("logout closes the session's open sockets with 4403, and not the other session's", async () => {
    const { email, session } = await registerPatient();
    const other = await login(email);
    const ended = connect(session.accessToken);
    const goesOn = connect(other.accessToken);
    await Promise.all([ended.connected, goesOn.connected]);

    await expectData(url, "mutation($r: String!) { logout(refreshToken: $r) }", { r: session.refreshToken });

    expect(await ended.closed).toEqual({ code: 4403, reason: "Session ended" });
    // The other session's socket is still open: a second logout closes it the same way.
    await expectData(url, "mutation($r: String!) { logout(refreshToken: $r) }", { r: other.refreshToken });
    expect((await goesOn.closed).code).toBe(4403);
  });

  it("a password change closes the user's open sockets", async () => {
    const { session } = await registerPatient();
    const socket = connect(session.accessToken);
    await socket.connected;
    await expectData(
      url,
      "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }",
      { c: PASSWORD, n: "Session-test-3-new" },
      session.accessToken,
    );
    expect((await socket.closed).code).toBe(4403);
  });

  it("the socket closes with 4401 when its access token expires", async () => {
    const { session } = await registerPatient();
    // The same session, in a token that expires in 2 seconds (signed with accounts' own key).
    const nowS = Math.floor(Date.now() / 1000);
    const shortLived = await signWithAccountsKey({ ...claimsOf(session.accessToken), iat: nowS, exp: nowS + 2 });
    const socket = connect(shortLived);
    await socket.connected;
    const closed = await socket.closed;
    expect(closed).toEqual({ code: 4401, reason: "Token expired" });
    expect(Date.now() / 1000).toBeGreaterThanOrEqual(nowS + 2 - 1);
  });
});

/** Accounts' active signing key, from its table, decrypted with the test data key (as accounts does). */
async function signWithAccountsKey(claims: Record<string, unknown>): Promise<string> {
  const [row] = await queryDatabase<{ kid: string; private_key_enc: string }>(
    stack.databaseUrl,
    "SELECT kid, private_key_enc FROM accounts.signing_keys WHERE active ORDER BY created_at DESC LIMIT 1",
  );
  const key = createPrivateKey(fieldCipherFromEnv(testEnv(stack.databaseUrl)).decrypt(row!.private_key_enc));
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${part({ alg: "EdDSA", kid: row!.kid, typ: "JWT" })}.${part(claims)}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString("base64url")}`;
}
