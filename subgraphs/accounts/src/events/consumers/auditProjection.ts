/**
 * Collects reads of patient data made in other subgraphs (`PatientRecordAccessed` on the audit stream,
 * e.g. a doctor's calendar in scheduling) and staff writes made there (`StaffActionRecorded`, the staff action log)
 * into accounts' append-only audit log, consumer group
 * `accounts-audit`. At least once delivery; the event's access id is the entry's id, so a redelivered
 * event is written once. A failing write is retried by the bus, then parked in the dead-letter stream.
 */
import { isEvent, STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import { recordReportedAccess, recordReportedStaffActions } from "../../domain/audit.js";
import type { Deps } from "../../domain/deps.js";

export const AUDIT_PROJECTION_GROUP = "accounts-audit";

export function startAuditProjection(options: ConsumerOptions<Pick<Deps, "audit">>): Consumer {
  const { deps, logger } = options;
  return subscribe({
    ...options,
    // The name unacknowledged entries are recovered under (kept from the first deployments).
    consumer: options.consumer ?? "accounts-audit-1",
    group: AUDIT_PROJECTION_GROUP,
    streams: [STREAMS.audit],
    types: ["PatientRecordAccessed", "StaffActionRecorded"],
    handler: async (event) => {
      if (isEvent(event, "StaffActionRecorded")) {
        if ((await recordReportedStaffActions(deps, [event.data])) === 0) logger.debug({ eventId: event.id }, "staff action already in the audit log; skipped");
        return;
      }
      if (isEvent(event, "PatientRecordAccessed") && !(await recordReportedAccess(deps, event.data))) {
        logger.debug({ eventId: event.id }, "access already in the audit log; skipped");
      }
    },
  });
}
