/**
 * One log line per GraphQL request: request id, operation name/type, duration and error codes.
 * Never variables, queries with literals, or tokens.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import type { RouterContext } from "./context.js";

export function requestLogPlugin(): ApolloServerPlugin<RouterContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operation, operationName, response }) {
          const body = response.body.kind === "single" ? response.body.singleResult : response.body.initialResult;
          const codes = body.errors?.map((e) => e.extensions?.code).filter(Boolean);
          contextValue.logger.info(
            {
              operationName: operationName ?? undefined,
              operationType: operation?.operation,
              userId: contextValue.identity.userId ?? undefined,
              role: contextValue.identity.role ?? undefined,
              status: response.http.status ?? 200,
              durationMs: Number(process.hrtime.bigint() - started) / 1e6,
              ...(codes?.length ? { errorCodes: codes } : {}),
            },
            "graphql request",
          );
        },
      };
    },
  };
}
