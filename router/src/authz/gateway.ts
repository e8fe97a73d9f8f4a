/**
 * Router-level authorization for HTTP operations: wraps the gateway's executor so every operation is
 * filtered by the supergraph's `@authenticated` / `@requiresScopes` / `@policy` before it is planned, and
 * the answer patched afterwards (see operation.ts). The filtered document gets its own query hash, so the
 * gateway's query-plan cache never hands one caller's plan to another.
 */
import { createHash } from "node:crypto";
import { Kind, print, type OperationDefinitionNode } from "graphql";
import type { ApolloGateway } from "@apollo/gateway";
import type { ApolloServerOptionsWithGateway } from "@apollo/server";
import type { Identity, Logger } from "@clinigraph/platform";
import type { RouterContext } from "../context.js";
import { authorizeOperation } from "./operation.js";
import { AuthorizationRules, type Policy, type Principal } from "./rules.js";
import type { PlanExecutor } from "../execution/executor.js";

type GatewayInterface = ApolloServerOptionsWithGateway<RouterContext>["gateway"];

export const principalOf = (identity: Identity): Principal => ({
  authenticated: identity.userId !== null,
  scopes: new Set(identity.scopes ?? []),
  ...(identity.authTime !== undefined ? { authTime: identity.authTime } : {}),
});

/** The rules of the supergraph being served; follows every (re)load and warns about unknown policies. */
export class AuthorizationState {
  private current = AuthorizationRules.empty;

  constructor(
    readonly policies: Readonly<Record<string, Policy>>,
    private readonly logger: Logger,
    readonly clock: () => Date = () => new Date(),
  ) {}

  update(supergraphSdl: string): void {
    const rules = AuthorizationRules.fromSupergraph(supergraphSdl);
    const unknown = [...rules.policyNames()].filter((name) => !(name in this.policies));
    if (unknown.length) this.logger.error({ policies: unknown }, "the supergraph names policies the router does not know; fields needing them are denied");
    this.current = rules;
  }

  get rules(): AuthorizationRules {
    return this.current;
  }
}

/**
 * `planExecutor`: runs the operations (with the gateway's own executor as its fallback); absent, the gateway's executor
 * does.
 */
export function authorizingGateway(inner: ApolloGateway, state: AuthorizationState, planExecutor?: PlanExecutor): GatewayInterface {
  return {
    onSchemaLoadOrUpdate: (callback) => inner.onSchemaLoadOrUpdate(callback),
    stop: () => inner.stop(),
    async load(options) {
      const loaded = await inner.load(options);
      const stock = loaded.executor;
      const run: typeof stock = planExecutor ? (requestContext) => planExecutor.execute(requestContext, stock) : stock;
      return {
        schema: loaded.schema,
        executor: async (requestContext) => {
          const context = requestContext.context as unknown as RouterContext;
          const auth = authorizeOperation({
            schema: requestContext.schema,
            document: requestContext.document,
            operationName: requestContext.request.operationName,
            rules: state.rules,
            principal: principalOf(context.identity),
            policies: state.policies,
            now: state.clock(),
          });
          if (auth.unchanged) return run(requestContext);
          context.logger.info({ denied: auth.errors.map((e) => ({ path: e.path, code: e.extensions.code })) }, "authorization removed fields");
          if (auth.empty) return auth.patchResult({ data: null });
          const source = print(auth.document);
          const queryHash = createHash("sha256").update(source).digest("hex");
          const operation = auth.document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
          const result = await run({ ...requestContext, document: auth.document, source, queryHash, operation });
          return auth.patchResult(result);
        },
      };
    },
  };
}
