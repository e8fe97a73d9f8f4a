import type { BaseContext } from "@clinigraph/platform";
import type { AccountsDomainDeps } from "./domain/ports.js";
import type { UserRepository } from "./data/users.js";
import { createUserLoader } from "./data/loaders.js";

export interface AccountsContext extends BaseContext {
  deps: AccountsDomainDeps;
  users: UserRepository;
  userLoader: ReturnType<typeof createUserLoader>;
}
