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

async function currentToken(): Promise<string | null> {
  const now = session.get();
  if (!now) return null;
  if (new Date(now.expiresAt).getTime() - Date.now() < 10_000) return (await refresh())?.accessToken ?? null;
  return now.accessToken;
}

export function createApolloClient(): { client: ApolloClient; ws: ResumableWsLink } {
  const http = new HttpLink({ uri: graphqlUrl() });
  const auth = new SetContextLink(async (prevContext) => {
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
    const { data } = await client.mutate({ mutation: RefreshSessionDocument, variables: { refreshToken }, context: { anonymous: true } });
    if (!data) throw new Error("refreshSession returned nothing");
    return data.refreshSession;
  });
  // Signing out (or the session ending) forgets everything the previous user read, and closes their live socket.
  let signedInAs: string | null = session.get()?.user.id ?? null;
  session.subscribe(() => {
    const userId = session.get()?.user.id ?? null;
    if (userId === signedInAs) return;
    signedInAs = userId;
    ws.restart();
    void client.clearStore();
  });
  return { client, ws };
}
