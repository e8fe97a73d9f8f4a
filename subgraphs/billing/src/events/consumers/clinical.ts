/**
 * Billing's consumer of clinical's events (group `billing-clinical`): the visit's invoice is opened at registration,
 * gets a line per performed examination and is issued when reception confirms the outcome. One consumer for both
 * kinds of event, so that one visit's events are handled in their order.
 */
import { STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import type { Deps } from "../../domain/deps.js";
import { takeEncounterEvent, takeExaminationEvent } from "../../domain/visits.js";

export const CLINICAL_GROUP = "billing-clinical";

export function startClinicalConsumer(options: ConsumerOptions<Deps>): Consumer {
  return subscribe({
    ...options,
    group: CLINICAL_GROUP,
    streams: [STREAMS.clinical],
    types: ["EncounterRegistered", "VisitOutcomeConfirmed", "ExaminationPerformed"],
    handler: async (event) => {
      if (event.type === "ExaminationPerformed") await takeExaminationEvent(options.deps, CLINICAL_GROUP, event);
      else await takeEncounterEvent(options.deps, CLINICAL_GROUP, event);
    },
  });
}
