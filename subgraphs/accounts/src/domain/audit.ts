/**
 * Reading the audit log (ADMIN: everyone's; PATIENT: who read their record), newest first, and taking in the
 * reads other subgraphs report (`PatientRecordAccessed`).
 */
import type { PatientRecordAccessedData } from "@clinigraph/events";
import { badInput, decodeCursor, pageSize, requireUuid, toConnection, type Connection, type Identity } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import type { PageInput } from "./directory.js";
import { requireRole } from "./policy.js";
import type { AuditFilter, AuditRecord } from "./types.js";

/** ADMIN: the audit log, optionally of one patient or one actor. Absent (null) means any; an empty string is a malformed id, not "any". */
export async function readAuditLog(
  deps: Pick<Deps, "audit">,
  caller: Identity,
  input: PageInput & { patientId?: string | null; actorId?: string | null },
): Promise<Connection<AuditRecord>> {
  requireRole(caller, "ADMIN");
  return auditPage(
    deps,
    {
      ...(input.patientId != null ? { patientId: requireUuid(input.patientId, "patientId") } : {}),
      ...(input.actorId != null ? { actorId: requireUuid(input.actorId, "actorId") } : {}),
    },
    input,
  );
}

/** PATIENT: who read my record. */
export async function readMyRecordAccess(deps: Pick<Deps, "audit">, caller: Identity, input: PageInput): Promise<Connection<AuditRecord>> {
  requireRole(caller, "PATIENT");
  return auditPage(deps, { patientId: caller.userId! }, input);
}

async function auditPage(deps: Pick<Deps, "audit">, filter: AuditFilter, input: PageInput): Promise<Connection<AuditRecord>> {
  const first = pageSize(input.first);
  const key = decodeCursor(input.after, 1);
  if (key && (typeof key[0] !== "string" || !/^\d+$/.test(key[0]))) throw badInput("Invalid cursor", "after");
  const rows = await deps.audit.list(filter, key ? BigInt(key[0] as string) : null, first + 1);
  return toConnection(rows, first, (row) => [row.seq.toString()], key !== null);
}

/** A read another subgraph reported, into the log once (its access id is the entry's id). False when already there. */
export function recordReportedAccess(deps: Pick<Deps, "audit">, access: PatientRecordAccessedData): Promise<boolean> {
  return deps.audit.recordAccess(access);
}
