/**
 * One GraphQL operation from a subgraph to another, as the router would send it: the caller's identity
 * signed with the router secrets (ADR 2) and the request id. For service-to-service reads (scheduling asking
 * doctors for schedules, accounts asking scheduling and clinical about care relationships, clinical asking
 * doctors and accounts); anything but data — unreachable, a timeout, a non-2xx answer, GraphQL errors —
 * is "the other service is unavailable" for the caller to handle (usually SERVICE_UNAVAILABLE or fail closed).
 */
import { randomUUID } from "node:crypto";
import { IDENTITY_HEADER, REQUEST_ID_HEADER, signIdentity, type Identity } from "./identity.js";
import { injectTraceHeaders } from "./tracing.js";

export interface SubgraphCall {
  url: string;
  routerSecrets: readonly string[];
  /** Whose behalf the call is made on (the other subgraph applies its rules to them). */
  caller: Identity;
  query: string;
  variables?: Record<string, unknown>;
  timeoutMs?: number;
  /** The error thrown when the answer is not data (a message that names no patient data). */
  unavailable: (message: string) => Error;
  /**
   * An error the other subgraph answered that the caller should meet as it is (e.g. a DomainError with its code),
   * or undefined for "unavailable". Asked about the first GraphQL error of a 200 or 400 answer only.
   */
  passOn?: (error: SubgraphError) => Error | undefined;
}

/** One entry of a GraphQL answer's `errors`, as received (nothing checked). */
export interface SubgraphError {
  message?: unknown;
  extensions?: Record<string, unknown>;
}

export async function callSubgraphAs<T>({
  url,
  routerSecrets,
  caller,
  query,
  variables = {},
  timeoutMs = 5_000,
  unavailable,
  passOn,
}: SubgraphCall): Promise<T> {
  const requestId = caller.requestId || randomUUID();
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      // The active span's trace context (none when tracing is off): the callee's spans join the caller's trace.
      headers: injectTraceHeaders({
        "content-type": "application/json",
        [IDENTITY_HEADER]: await signIdentity({ ...caller, requestId }, routerSecrets),
        [REQUEST_ID_HEADER]: requestId,
      }),
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw unavailable(`unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  const body = (await res.json().catch(() => ({}))) as { data?: T | null; errors?: { message?: string; extensions?: { code?: string } }[] };
  const passed = passOn && (res.status === 200 || res.status === 400) && body.errors?.[0] ? passOn(body.errors[0]) : undefined;
  if (passed) throw passed;
  if (!res.ok || body.errors?.length || !body.data)
    throw unavailable(`answered ${res.status}: ${body.errors?.[0]?.extensions?.code ?? body.errors?.[0]?.message ?? "no data"}`);
  return body.data;
}
