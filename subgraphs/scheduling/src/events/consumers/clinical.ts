/**
 * Scheduling's consumer of clinical's events (group `scheduling-clinical`, on the clinical stream): the saga back
 * from the encounter to the appointment (ADR 12). `EncounterFinished` and `EncounterRefused` of an encounter that
 * came from a check-in fulfil that appointment as the system (domain/visitOutcome.ts); walk-ins have no
 * appointment, and every other clinical event is not scheduling's. Delivery is at least once; the effect is
 * idempotent by the appointment's state.
 */
import { STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import { isUuid } from "@clinigraph/platform";
import type { Deps } from "../../domain/deps.js";
import { fulfilFromEncounter } from "../../domain/visitOutcome.js";

export const CLINICAL_GROUP = "scheduling-clinical";

export function startClinicalConsumer(options: ConsumerOptions<Pick<Deps, "unitOfWork" | "clock">>): Consumer {
  const { deps, logger } = options;
  return subscribe({
    ...options,
    consumer: options.consumer ?? "scheduling-1",
    group: CLINICAL_GROUP,
    streams: [STREAMS.clinical],
    types: ["EncounterFinished", "EncounterRefused"],
    handler: async (event) => {
      const { appointmentId, encounterId } = event.data;
      if (!appointmentId) return; // a walk-in: no appointment to end
      if (!isUuid(appointmentId)) {
        logger.error({ eventId: event.id, encounterId }, "encounter event with a malformed appointment id: ignored");
        return;
      }
      const outcome = event.type === "EncounterFinished" ? "FINISHED" : "REFUSED";
      const result = await fulfilFromEncounter(deps, appointmentId, outcome);
      if (result.applied) return;
      if (result.status === null) logger.warn({ eventId: event.id, appointmentId }, "encounter ended for an appointment scheduling does not know");
      else logger.debug({ eventId: event.id, appointmentId, status: result.status }, "encounter ended: appointment no longer checked in (already fulfilled)");
    },
  });
}
