/** Per-request context: the verified caller, a request-scoped logger, DataLoaders, and the wired dependencies. */
import type { BaseContext } from "@clinigraph/platform";
import type { AccountsClient } from "./data/accountsClient.js";
import { createLoaders, type Loaders } from "./data/loaders.js";
import type { Repositories } from "./data/repositories.js";
import type { ScheduleListener } from "./data/scheduleListener.js";

export interface DoctorsDeps extends Repositories {
  accounts: AccountsClient;
  schedule: ScheduleListener;
  clock: () => Date;
}

export interface DoctorsContext extends BaseContext {
  deps: DoctorsDeps;
  loaders: Loaders;
}

export function createContext(base: BaseContext, deps: DoctorsDeps): DoctorsContext {
  return { identity: base.identity, logger: base.logger, deps, loaders: createLoaders(deps, deps.clock()) };
}

/** The context type resolvers are generated against (src/generated/graphql.ts). */
export type Context = DoctorsContext;
