import type { DataExportResolvers } from "../generated/graphql.js";
import { failureReason, readDataExportDocument } from "../domain/dataExport.js";

export const DataExport: DataExportResolvers = {
  readyAt: (e) => (e.status === "READY" ? e.readyAt : null),
  expiresAt: (e) => (e.status === "READY" ? e.expiresAt : null),
  failureReason: (e) => failureReason(e),
  /** Only when selected: the document is opened (and the read audited) for a caller who asks for it. */
  json: (e, _, ctx) => readDataExportDocument(ctx.deps, ctx.identity, e),
};
