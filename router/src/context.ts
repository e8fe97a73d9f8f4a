import type { Identity, Logger } from "@clinigraph/platform";

/** Per-request router context: the verified caller and a logger bound to the request id. */
export interface RouterContext {
  identity: Identity;
  logger: Logger;
  /** The signed identity header, made once per request and shared by every subgraph fetch. */
  identityToken?: string;
  /** When the caller stops waiting (epoch ms; HTTP requests only): subgraph calls still running then are aborted. */
  deadline?: number;
}
