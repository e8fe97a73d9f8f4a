/**
 * Operations the gateway cannot run, answered before it is asked (it would throw a plain error: HTTP 500):
 * an `operationName` that names no operation of the document, several operations and no name, and a
 * subscription sent over HTTP (subscriptions run over graphql-ws on the same path).
 */
import { GraphQLError } from "graphql";
import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { ERROR_CODES } from "@clinigraph/platform";

export function operationGuardPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (!operation) {
            // The name is the caller's input: not repeated.
            const message = request.operationName ? "No operation of the document has that name" : "Name the operation to run: the document holds several";
            throw new GraphQLError(message, { extensions: { code: ERROR_CODES.OPERATION_RESOLUTION_FAILURE, http: { status: 400 } } });
          }
          if (operation.operation === "subscription")
            throw new GraphQLError("Subscriptions run over WebSocket (graphql-ws) on this path, not over HTTP", {
              extensions: { code: ERROR_CODES.BAD_REQUEST, http: { status: 400 } },
            });
        },
      };
    },
  };
}
