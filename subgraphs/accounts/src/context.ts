import type DataLoader from "dataloader";
import { actorAccessors, type BaseContext } from "@clinigraph/platform";
import { createAuditBatcher, createUserLoader } from "./data/loaders.js";
import { createCareRelationshipLoader } from "./data/careRelationshipRepository.js";
import type { Deps } from "./domain/deps.js";
import type { Actor, UserRecord } from "./domain/types.js";

export interface Context extends BaseContext {
  deps: Deps;
  /** The signed-in caller; throws UNAUTHENTICATED for an anonymous one. */
  actor(): Promise<Actor>;
  /** The signed-in caller, or null when anonymous. */
  actorOrNull(): Promise<Actor | null>;
  loaders: {
    users: DataLoader<string, UserRecord | null>;
    /** patient id → whether the caller (a doctor) has a care relationship with them (ADR 0011). */
    careRelationships: DataLoader<string, boolean>;
    /** Audits reads of a patient's record by someone else (PATIENT_RECORD_READ): each patient once per request, one insert per tick. */
    patientRecordReads: DataLoader<string, true>;
    /** Audits reads of national ids by someone other than the patient (NATIONAL_ID_READ). */
    nationalIdReads: DataLoader<string, true>;
  };
}

export function createContext(base: BaseContext, deps: Deps): Context {
  const { identity } = base;
  return {
    ...base,
    deps,
    ...actorAccessors<Actor>(identity, (signedIn) => signedIn),
    loaders: {
      users: createUserLoader(deps.users),
      careRelationships: createCareRelationshipLoader(deps, identity),
      patientRecordReads: createAuditBatcher(deps.audit, identity, "PATIENT_RECORD_READ"),
      nationalIdReads: createAuditBatcher(deps.audit, identity, "NATIONAL_ID_READ"),
    },
  };
}
