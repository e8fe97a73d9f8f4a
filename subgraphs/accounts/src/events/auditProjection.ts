/**
 * Collects reads of patient data made in other subgraphs (`PatientRecordAccessed` on the audit stream,
 * e.g. a doctor's calendar in scheduling) into accounts' append-only audit log, consumer group
 * `accounts-audit`. At least once delivery; the event's access id is the entry's id, so a redelivered
 * event is written once. A failing write is retried by the bus, then parked in the dead-letter stream.
 */
import { STREAMS, isEvent, type Consumer, type EventBus } from "@clinigraph/events";
import type { Logger } from "@clinigraph/platform";
import type { AuditLog } from "../data/audit.js";

export const AUDIT_PROJECTION_GROUP = "accounts-audit";

export function startAuditProjection(options: {
  bus: EventBus;
  audit: Pick<AuditLog, "recordAccess">;
  logger: Logger;
  /** EVENTS_NAMESPACE */
  namespace?: string;
  consumer?: string;
}): Consumer {
  const { audit, logger } = options;
  return options.bus.consume({
    stream: `${options.namespace ?? ""}${STREAMS.audit}`,
    group: AUDIT_PROJECTION_GROUP,
    consumer: options.consumer ?? "accounts-audit-1",
    blockMs: 1_000,
    handler: async (event) => {
      if (!isEvent(event, "PatientRecordAccessed")) return;
      if (!(await audit.recordAccess(event.data))) logger.debug({ eventId: event.id }, "access already in the audit log; skipped");
    },
  });
}
