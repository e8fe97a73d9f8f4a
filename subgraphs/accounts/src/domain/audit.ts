/**
 * Reading the audit log (ADMIN: everyone's; PATIENT: who read their record), newest first, and taking in the
 * reads other subgraphs report (`PatientRecordAccessed`).
 */
import type { PatientRecordAccessedData, StaffActionRecordedData } from "@clinigraph/events";
import { badInput, decodeCursor, pageSize, requireUuid, toConnection, type Connection, type Identity } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import type { PageInput } from "./directory.js";
import { requireRole } from "./policy.js";
import type { AuditFilter, AuditRecord } from "./types.js";

/**
 * ADMIN: the audit log, optionally of one patient, one actor, one target, one action or one request (the filters
 * combine). Absent (null) means any; an empty string is a malformed value, not "any".
 */
export async function readAuditLog(
  deps: Pick<Deps, "audit">,
  caller: Identity,
  input: PageInput & {
    patientId?: string | null;
    actorId?: string | null;
    targetId?: string | null;
    action?: string | null;
    requestId?: string | null;
  },
): Promise<Connection<AuditRecord>> {
  requireRole(caller, "ADMIN");
  return auditPage(
    deps,
    {
      ...(input.patientId != null ? { patientId: requireUuid(input.patientId, "patientId") } : {}),
      ...(input.actorId != null ? { actorId: requireUuid(input.actorId, "actorId") } : {}),
      ...(input.targetId != null ? { targetId: requireUuid(input.targetId, "targetId") } : {}),
      ...(input.action != null ? { action: requireFormat(input.action, "action", ACTION_NAME) } : {}),
      ...(input.requestId != null ? { requestId: requireFormat(input.requestId, "requestId", REQUEST_ID) } : {}),
    },
    input,
  );
}

/** An action: a mutation's name (updateDoctor) or a named action (NATIONAL_ID_SET). */
const ACTION_NAME = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;
/** A request id as the router keeps it (x-request-id). */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function requireFormat(value: string, field: string, format: RegExp): string {
  if (!format.test(value)) throw badInput(`${field} is not a valid value`, field);
  return value;
}

/** PATIENT: who read my record. */
export async function readMyRecordAccess(deps: Pick<Deps, "audit">, caller: Identity, input: PageInput): Promise<Connection<AuditRecord>> {
  requireRole(caller, "PATIENT");
  return auditPage(deps, { patientId: caller.userId!, readsOnly: true }, input);
}

async function auditPage(deps: Pick<Deps, "audit">, filter: AuditFilter, input: PageInput): Promise<Connection<AuditRecord>> {
  const first = pageSize(input.first);
  const key = decodeCursor(input.after, 1);
  if (key && (typeof key[0] !== "string" || !/^\d+$/.test(key[0]))) throw badInput("Invalid cursor", "after");
  const rows = await deps.audit.list(filter, key ? BigInt(key[0] as string) : null, first + 1);
  return toConnection(rows, first, (row) => [row.seq.toString()], key !== null);
}

/** Staff writes another subgraph reported (`StaffActionRecorded`), into the log once each. How many were new. */
export function recordReportedStaffActions(deps: Pick<Deps, "audit">, actions: readonly StaffActionRecordedData[]): Promise<number> {
  return deps.audit.recordStaffActions(actions);
}

/** A read another subgraph reported, into the log once (its access id is the entry's id). False when already there. */
export function recordReportedAccess(deps: Pick<Deps, "audit">, access: PatientRecordAccessedData): Promise<boolean> {
  return deps.audit.recordAccess(access);
}
