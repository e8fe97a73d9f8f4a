/**
 * The Apollo client's token handling over HTTP: a request made when the access token is about to expire first renews
 * it (the renewal itself goes without a token, so it never waits for itself), then carries the new token.
 */
import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { createApolloClient } from "../../src/apollo";
import { session } from "../../src/session";
import { MyLanguageDocument } from "../../src/generated/operations";

const user = { id: "u1", email: "p@example.test", name: "P", role: "PATIENT" as const };

afterEach(() => session.set(null));

describe("apollo client", () => {
  it("renews an access token about to expire before sending a request, then sends the new one", async () => {
    const sent: { operation: string; authorization: string | null }[] = [];
    const fetchMock = jest.fn(async (_url: unknown, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { operationName: string };
      const headers = (init?.headers ?? {}) as Record<string, string>;
      sent.push({ operation: body.operationName, authorization: headers.authorization ?? null });
      const data =
        body.operationName === "RefreshSession"
          ? {
              refreshSession: {
                __typename: "AuthPayload",
                accessToken: "access-2",
                refreshToken: "refresh-2",
                expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
                user: { __typename: "User", ...user },
              },
            }
          : { myNotificationPreferences: { __typename: "NotificationPreferences", language: "fr" } };
      // jsdom has no Response: what HttpLink reads of one.
      return {
        ok: true,
        status: 200,
        headers: { get: (name: string) => (name === "content-type" ? "application/json" : null) },
        text: async () => JSON.stringify({ data }),
      };
    });
    globalThis.fetch = fetchMock as unknown as typeof fetch;
    const { client } = createApolloClient();
    session.set({ accessToken: "access-1", refreshToken: "refresh-1", expiresAt: new Date(Date.now() + 5_000).toISOString(), user });

    const { data } = await client.query({ query: MyLanguageDocument, fetchPolicy: "network-only" });
    expect(data?.myNotificationPreferences.language).toBe("fr");
    expect(sent).toEqual([
      { operation: "RefreshSession", authorization: null },
      { operation: "MyLanguage", authorization: "Bearer access-2" },
    ]);
    expect(session.get()?.refreshToken).toBe("refresh-2");
  });
});
