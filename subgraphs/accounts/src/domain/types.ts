/** The records accounts' use cases work with, as the repositories (data/) hand them over: clear text, no Prisma rows. */
import type { Identity, Role } from "@clinigraph/platform";

export type Gender = "FEMALE" | "MALE" | "OTHER" | "UNKNOWN";

/** A signed-in caller: an identity with a user id and a role (`ctx.actor()`). */
export type Actor = Identity & { userId: string; role: Role };

/** A normalised national id: `display` is stored sealed, `compact` (no spaces or dashes) is blind-indexed. */
export interface NationalIdValue {
  display: string;
  compact: string;
}

export interface UserRecord {
  id: string;
  role: Role;
  name: string;
  email: string;
  phone: string | null;
  passwordHash: string;
  passwordChangedAt: Date;
  createdAt: Date;
  /** false: deactivated by an ADMIN (sign-in and refresh refused). */
  active: boolean;
  deactivatedAt: Date | null;
  deactivationReason: string | null;
  patient: { dateOfBirth: Date | null; gender: Gender | null; nationalId: string | null } | null;
}

/** How another service reaches a user (`POST /internal/contacts`): contact data in clear, nothing else of the account. */
export interface UserContact {
  userId: string;
  name: string;
  email: string;
  phone: string | null;
  role: Role;
}

export interface NewUser {
  role: Role;
  name: string;
  email: string;
  phone: string | null;
  passwordHash: string;
  patient?: { dateOfBirth: Date | null; gender: Gender | null; nationalId?: NationalIdValue | null };
}

/** Which users a page lists (`UserStore.list`). */
export interface UserFilter {
  role?: Role;
  patientsOnly?: boolean;
  nameContains?: string;
  emailEquals?: string;
  nationalIdEquals?: NationalIdValue;
}

/** A contact value another user or patient already has (the store's unique index refused it). */
export class DuplicateContactError extends Error {
  constructor(readonly field: "email" | "nationalId") {
    super(`duplicate ${field}`);
  }
}

export interface StoredRefreshToken {
  id: string;
  userId: string;
  familyId: string;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export type AuditAction =
  | "PATIENT_RECORD_READ"
  | "NATIONAL_ID_READ"
  | "NATIONAL_ID_SET"
  | "STAFF_USER_CREATED"
  | "PASSWORD_CHANGED"
  // A data export of the patient requested (by the patient or an ADMIN), and its document read (domain/dataExport.ts).
  | "DATA_EXPORT_REQUESTED"
  | "DATA_EXPORT_READ"
  | "PROFILE_UPDATED"
  | "PATIENT_UPDATED"
  | "USER_DEACTIVATED"
  | "USER_REACTIVATED"
  | "USER_ROLE_CHANGED"
  | "EMAIL_CHANGE_REQUESTED"
  | "EMAIL_CHANGED";

export interface AuditRecord {
  id: string;
  seq: bigint;
  at: Date;
  actorId: string | null;
  actorRole: Role | null;
  /** An AuditAction of accounts, or the action another subgraph reported (PatientRecordAccessed). */
  action: string;
  patientId: string | null;
  requestId: string | null;
  /** Staff writes: the kind of thing changed and its id. */
  targetType: string | null;
  targetId: string | null;
}

/** What an audited action changed (a staff write's target). */
export interface AuditTarget {
  type: string;
  id: string;
}

/** Which entries an audit page lists (`AuditStore.list`); the filters combine. */
export interface AuditFilter {
  patientId?: string;
  actorId?: string;
  targetId?: string;
  action?: string;
  requestId?: string;
  /** Leave out the staff action log's entries (writes): a patient's "who read my record". */
  readsOnly?: boolean;
}

/** `appointment`: learnt from an appointment event; `appointment-check`: confirmed by scheduling on a miss; `encounter`: from clinical. */
export type CareSource = "appointment" | "appointment-check" | "encounter";

/** A doctor's care relationship with a patient (ADR 0011): the doctor may read the patient's profile. */
export interface CareRelationship {
  doctorUserId: string;
  patientId: string;
  since: Date;
  source: CareSource;
}
