import type { BaseContext } from "@clinigraph/platform";
import type { AccountsDomainDeps } from "./domain/ports.js";
import type { UserRepository } from "./data/users.js";
import type { AuditLog } from "./data/audit.js";
import { createAuditBatcher, createUserLoader } from "./data/loaders.js";

export interface AccountsContext extends BaseContext {
  deps: AccountsDomainDeps;
  users: UserRepository;
  audit: AuditLog;
  userLoader: ReturnType<typeof createUserLoader>;
  /** Audits reads of national ids by someone other than the patient (NATIONAL_ID_READ). */
  nationalIdReads: ReturnType<typeof createAuditBatcher>;
}
