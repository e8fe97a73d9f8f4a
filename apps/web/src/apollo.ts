/**
 * The Apollo client: queries and mutations over HTTP, subscriptions over graphql-ws, both to the router.
 * Every request carries the in-memory access token; a request answered UNAUTHENTICATED (the token expired meanwhile)
 * is sent once more after a refresh.
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";
import { ErrorLink } from "@apollo/client/link/error";
import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { getMainDefinition } from "@apollo/client/utilities";
import { Observable } from "rxjs";
import { graphqlUrl, graphqlWsUrl } from "./config";
import { refresh, session, type Session } from "./session";
import { ResumableWsLink } from "./lib/resumableWsLink";
import { RefreshSessionDocument } from "./generated/operations";

/** Operations sent without the access token. */
const ANONYMOUS_OPERATIONS = new Set(["Login", "RefreshSession", "RequestRegistrationCode", "RegisterPatient"]);

async function currentToken(): Promise<string | null> {
  const now = session.get();
  if (!now) return null;
  if (new Date(now.expiresAt).getTime() - Date.now() < 10_000) return (await refresh())?.accessToken ?? null;
  return now.accessToken;
}

export function createApolloClient(): { client: ApolloClient; ws: ResumableWsLink } {
  const http = new HttpLink({ uri: graphqlUrl() });
  const auth = new SetContextLink(async (prevContext, operation) => {
    // Signing in and renewing need no access token — and renewing must not wait for a renewal (it is the renewal).
    if (operation.operationName && ANONYMOUS_OPERATIONS.has(operation.operationName)) return {};
    const token = await currentToken();
    return token ? { headers: { ...(prevContext.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` } } : {};
  });
  const retryUnauthenticated = new ErrorLink(({ error, operation, forward }) => {
    if (operation.operationName === "RefreshSession" || operation.getContext().retriedAfterRefresh) return;
    if (!CombinedGraphQLErrors.is(error) || !error.errors.some((e) => e.extensions?.code === "UNAUTHENTICATED")) return;
    if (!session.get()) return;
    return new Observable<ApolloLink.Result>((observer) => {
      void refresh().then((renewed) => {
        if (!renewed) {
          observer.error(error);
          return;
        }
        operation.setContext({ retriedAfterRefresh: true });
        forward(operation).subscribe(observer);
      });
    });
  });
  const ws = new ResumableWsLink({
    url: graphqlWsUrl(),
    token: currentToken,
    renew: async () => (await refresh())?.accessToken ?? null,
    ended: () => session.set(null),
  });
  const link = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === "OperationDefinition" && definition.operation === "subscription";
    },
    ws,
    ApolloLink.from([retryUnauthenticated, auth, http]),
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache() });

  session.useRefresher(async (refreshToken): Promise<Session> => {
    const { data } = await client.mutate({ mutation: RefreshSessionDocument, variables: { refreshToken } });
    if (!data) throw new Error("refreshSession returned nothing");
    return data.refreshSession;
  });
  // Signing out (or the session ending) forgets everything the previous user read, and closes their live socket.
  let signedInAs: string | null = session.get()?.user.id ?? null;
  session.subscribe(() => {
    const userId = session.get()?.user.id ?? null;
    if (userId === signedInAs) return;
    const previous = signedInAs;
    signedInAs = userId;
    ws.restart();
    // Only when someone leaves: at sign-in nothing of another user is cached, and the first queries are already on
    // their way (clearing now would cancel them).
    if (previous !== null) void client.clearStore();
  });
  return { client, ws };
}
