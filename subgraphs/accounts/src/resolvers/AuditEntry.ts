import type { AccountsContext } from "../context.js";
import type { AuditRecord } from "../data/audit.js";

export const AuditEntry = {
  actor: (entry: AuditRecord, _: unknown, ctx: AccountsContext) => (entry.actorId ? ctx.userLoader.load(entry.actorId) : null),
  patient: (entry: AuditRecord, _: unknown, ctx: AccountsContext) => (entry.patientId ? ctx.userLoader.load(entry.patientId) : null),
};
