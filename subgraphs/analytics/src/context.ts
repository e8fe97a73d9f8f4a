/** Per-request context: the verified caller and the wired dependencies. */
import type { LiveFeed } from "@clinigraph/events";
import { actorAccessors, type BaseContext } from "@clinigraph/platform";
import type { Deps } from "./domain/deps.js";
import type { Actor } from "./domain/types.js";

export interface Context extends BaseContext {
  deps: Deps;
  /** Live feeds behind the subscriptions (fact changes for kpisToday). */
  live: LiveFeed;
  /** The signed-in caller; throws UNAUTHENTICATED for anonymous callers. */
  actor(): Promise<Actor>;
  actorOrNull(): Promise<Actor | null>;
}

export function createContext(base: BaseContext, deps: Deps, live: LiveFeed): Context {
  return { ...base, deps, live, ...actorAccessors<Actor>(base.identity, ({ userId, role }) => ({ userId, role })) };
}
