/**
 * Tells the scheduling subgraph that a doctor's bookable time may have changed (schedule, time off,
 * services, approval mode), so it regenerates that doctor's free slots now instead of at its next
 * periodic reconciliation. Best effort, after the change has committed: a failure is logged, never
 * returned to the caller (scheduling's reconciliation catches up).
 */
import { callSubgraphAs, type Logger } from "@clinigraph/platform";
import type { ScheduleListener } from "../domain/ports.js";

export type { ScheduleListener } from "../domain/ports.js";

export const noScheduleListener: ScheduleListener = { doctorChanged: async () => undefined };

const SYNC_DOCTOR_SLOTS = "mutation($d: ID!) { syncDoctorSlots(doctorId: $d) }";

export function createHttpScheduleListener(options: { url: string; routerSecrets: readonly string[]; logger: Logger; timeoutMs?: number }): ScheduleListener {
  const { logger, ...call } = options;
  return {
    async doctorChanged(doctorId, caller) {
      try {
        await callSubgraphAs({
          ...call,
          caller,
          query: SYNC_DOCTOR_SLOTS,
          variables: { d: doctorId },
          unavailable: (message) => new Error(`scheduling ${message}`),
        });
      } catch (err) {
        logger.warn({ doctorId, err }, "scheduling did not take the schedule change; its reconciliation will pick it up");
      }
    },
  };
}
