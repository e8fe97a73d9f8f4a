/** Per-request context: the verified caller and the wired dependencies. */
import { actorAccessors, type BaseContext } from "@clinigraph/platform";
import type { Deps } from "./domain/deps.js";
import DataLoader from "dataloader";
import type { ReadRecorder } from "./domain/ports.js";
import { currentPrices } from "./domain/prices.js";
import type { Actor, ServicePrice } from "./domain/types.js";

export interface Context extends BaseContext {
  deps: Deps;
  /** The signed-in caller; throws UNAUTHENTICATED for anonymous callers. */
  actor(): Promise<Actor>;
  actorOrNull(): Promise<Actor | null>;
  /** Audits reads of other people's invoices (data/accessAudit.ts). */
  reads: ReadRecorder;
  /** Per-request loaders: today's price of each service asked for, one query per request (a whole catalogue's). */
  loaders: { currentPrice: DataLoader<string, ServicePrice | null> };
}

export function createContext(base: BaseContext, deps: Deps): Context {
  return {
    ...base,
    deps,
    reads: deps.readAudit(base.identity),
    loaders: { currentPrice: new DataLoader((serviceIds: readonly string[]) => currentPrices(deps, serviceIds)) },
    ...actorAccessors<Actor>(base.identity, ({ userId, role }) => ({ userId, role })),
  };
}
