import type { BaseContext } from "@clinigraph/platform";
import type { AccountsDomainDeps } from "./domain/ports.js";
import type { UserRepository } from "./data/users.js";
import type { AuditLog } from "./data/audit.js";
import { createAuditBatcher, createUserLoader } from "./data/loaders.js";
import type { createCareRelationshipLoader } from "./data/careRelationships.js";

export interface AccountsContext extends BaseContext {
  deps: AccountsDomainDeps;
  users: UserRepository;
  audit: AuditLog;
  userLoader: ReturnType<typeof createUserLoader>;
  /** patient id → whether the caller (a doctor) has a care relationship with them (ADR 0011). */
  careRelationships: ReturnType<typeof createCareRelationshipLoader>;
  /** Audits reads of a patient's record by someone else (PATIENT_RECORD_READ): each patient once per request, one insert per tick. */
  patientRecordReads: ReturnType<typeof createAuditBatcher>;
  /** Audits reads of national ids by someone other than the patient (NATIONAL_ID_READ). */
  nationalIdReads: ReturnType<typeof createAuditBatcher>;
}

/** The context type resolvers are generated against (src/generated/graphql.ts). */
export type Context = AccountsContext;
