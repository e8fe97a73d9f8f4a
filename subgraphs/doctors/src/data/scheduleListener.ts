/**
 * Tells the scheduling subgraph that a doctor's bookable time may have changed (schedule, time off,
 * services, approval mode), so it regenerates that doctor's free slots now instead of at its next
 * periodic reconciliation. Best effort, after the change has committed: a failure is logged, never
 * returned to the caller (scheduling's reconciliation catches up). Issue 4 turns this into an event.
 */
import { randomUUID } from "node:crypto";
import { IDENTITY_HEADER, REQUEST_ID_HEADER, signIdentity, type Identity, type Logger } from "@clinigraph/platform";

export interface ScheduleListener {
  doctorChanged(doctorId: string, caller: Identity): Promise<void>;
}

export const noScheduleListener: ScheduleListener = { doctorChanged: async () => undefined };

export function createHttpScheduleListener(options: { url: string; routerSecrets: readonly string[]; logger: Logger; timeoutMs?: number }): ScheduleListener {
  return {
    async doctorChanged(doctorId, caller) {
      try {
        const res = await fetch(options.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            [IDENTITY_HEADER]: await signIdentity(caller, options.routerSecrets),
            [REQUEST_ID_HEADER]: caller.requestId || randomUUID(),
          },
          body: JSON.stringify({ query: "mutation($d: ID!) { syncDoctorSlots(doctorId: $d) }", variables: { d: doctorId } }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
        });
        const body = (await res.json().catch(() => ({}))) as { errors?: { message: string }[] };
        if (!res.ok || body.errors?.length)
          options.logger.warn({ doctorId, status: res.status, reason: body.errors?.[0]?.message }, "scheduling did not take the schedule change");
      } catch (err) {
        options.logger.warn({ doctorId, err }, "scheduling unreachable; its reconciliation will pick the change up");
      }
    },
  };
}
