import type { Identity, Logger } from "@clinigraph/platform";

/** Per-request router context: the verified caller and a logger bound to the request id. */
export interface RouterContext {
  identity: Identity;
  logger: Logger;
  /** The signed identity header, made once per request and shared by every subgraph fetch. */
  identityToken?: string;
  /** When the caller stops waiting (epoch ms; HTTP requests only): subgraphs are told the time left. */
  deadline?: number;
  /** Aborted at the deadline, once the caller has had GATEWAY_TIMEOUT: subgraph calls still running then are dropped. */
  abandoned?: AbortSignal;
}
