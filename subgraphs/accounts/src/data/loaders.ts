import DataLoader from "dataloader";
import type { Identity } from "@clinigraph/platform";
import type { AuditStore, UserStore } from "../domain/ports.js";
import type { AuditAction, UserRecord } from "../domain/types.js";

/** Per-request loader: every User/Patient lookup of one request becomes one query. */
export function createUserLoader(users: Pick<UserStore, "findByIds">) {
  return new DataLoader<string, UserRecord | null>(async (ids) => {
    const rows = await users.findByIds(ids);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/**
 * Per-request audit of one action over many patients (e.g. national ids read on a page of patients):
 * each patient once per request, all of one tick in one insert. A failed insert fails the read.
 */
export function createAuditBatcher(audit: Pick<AuditStore, "record">, identity: Identity, action: AuditAction) {
  return new DataLoader<string, true>(async (patientIds) => {
    await audit.record(identity, action, patientIds);
    return patientIds.map(() => true as const);
  });
}
