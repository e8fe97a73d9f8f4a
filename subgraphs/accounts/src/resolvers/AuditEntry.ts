import type { AuditEntryResolvers } from "../generated/graphql.js";

export const AuditEntry: AuditEntryResolvers = {
  actor: (entry, _, ctx) => (entry.actorId ? ctx.loaders.users.load(entry.actorId) : null),
  patient: (entry, _, ctx) => (entry.patientId ? ctx.loaders.users.load(entry.patientId) : null),
};
