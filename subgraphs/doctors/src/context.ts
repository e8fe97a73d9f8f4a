/** Per-request context: the verified caller, a request-scoped logger, the wired dependencies and DataLoaders. */
import { actorAccessors, type BaseContext } from "@clinigraph/platform";
import { createLoaders, type Loaders } from "./data/loaders.js";
import type { Deps } from "./domain/deps.js";
import type { Actor } from "./domain/types.js";

export interface Context extends BaseContext {
  /** The signed-in caller; throws UNAUTHENTICATED when nobody is signed in. */
  actor(): Promise<Actor>;
  /** The signed-in caller, or null. */
  actorOrNull(): Promise<Actor | null>;
  deps: Deps;
  loaders: Loaders;
}

export function createContext(base: BaseContext, deps: Deps): Context {
  return {
    identity: base.identity,
    logger: base.logger,
    deps,
    loaders: createLoaders(deps, deps.clock()),
    ...actorAccessors<Actor>(base.identity, (signedIn) => signedIn),
  };
}
