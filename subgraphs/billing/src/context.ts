/** Per-request context: the verified caller and the wired dependencies. */
import { actorAccessors, type BaseContext } from "@clinigraph/platform";
import type { Deps } from "./domain/deps.js";
import type { ReadRecorder } from "./domain/ports.js";
import type { Actor } from "./domain/types.js";

export interface Context extends BaseContext {
  deps: Deps;
  /** The signed-in caller; throws UNAUTHENTICATED for anonymous callers. */
  actor(): Promise<Actor>;
  actorOrNull(): Promise<Actor | null>;
  /** Audits reads of other people's invoices (data/accessAudit.ts). */
  reads: ReadRecorder;
}

export function createContext(base: BaseContext, deps: Deps): Context {
  return { ...base, deps, reads: deps.readAudit(base.identity), ...actorAccessors<Actor>(base.identity, ({ userId, role }) => ({ userId, role })) };
}
