/**
 * The in-memory session: a refresh token is single-use, so concurrent refreshes share one call and a rotated token is
 * never sent twice; a failed refresh signs out; nothing is written to web storage. And the feeds' cursor extraction.
 */
import { describe, expect, it, jest } from "@jest/globals";
import { refresh, session, type Session } from "../../src/session";
import { cursorOf } from "../../src/lib/resumableWsLink";

const issued = (n: number): Session => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
  user: { id: "u1", email: "p@example.test", name: "P", role: "PATIENT" },
});

describe("session", () => {
  it("rotates the refresh token once for concurrent callers, and keeps tokens out of web storage", async () => {
    let n = 1;
    const refresher = jest.fn(async (token: string) => {
      expect(token).toBe(`refresh-${n}`);
      n += 1;
      return issued(n);
    });
    session.useRefresher(refresher);
    session.set(issued(1));
    const [a, b, c] = await Promise.all([refresh(), refresh(), refresh()]);
    expect(refresher).toHaveBeenCalledTimes(1);
    expect([a?.accessToken, b?.accessToken, c?.accessToken]).toEqual(["access-2", "access-2", "access-2"]);
    await refresh();
    expect(refresher).toHaveBeenLastCalledWith("refresh-2");
    expect(session.get()?.refreshToken).toBe("refresh-3");
    expect(localStorage.length + sessionStorage.length).toBe(0);
    expect(document.cookie).toBe("");
    session.set(null);
  });

  it("signs out when the refresh is refused, and does not undo a sign-out that happened meanwhile", async () => {
    session.useRefresher(async () => Promise.reject(new Error("UNAUTHENTICATED")));
    session.set(issued(7));
    await expect(refresh()).resolves.toBeNull();
    expect(session.get()).toBeNull();

    let release: (s: Session) => void = () => undefined;
    session.useRefresher(() => new Promise<Session>((resolve) => (release = resolve)));
    session.set(issued(8));
    const pending = refresh();
    session.set(null); // signed out while the refresh was under way
    release(issued(9));
    await pending;
    expect(session.get()).toBeNull();
  });
});

describe("cursorOf", () => {
  it("finds the feed event's cursor at the root field", () => {
    expect(cursorOf({ appointmentRequests: { cursor: "17-0", type: "REQUESTED" } })).toBe("17-0");
    expect(cursorOf({ kpisToday: { day: "2026-12-07" } })).toBeUndefined();
    expect(cursorOf(null)).toBeUndefined();
  });
});
