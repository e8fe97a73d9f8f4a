/** Analytics' consumer of clinical's events (group `analytics-clinical`): visit and examination facts. */
import { STREAMS, subscribe, type Consumer, type ConsumerOptions, type EncounterEventData, type ExaminationEventData } from "@clinigraph/events";
import type { Deps } from "../../domain/deps.js";
import { takeEncounterEvent, takeExaminationEvent } from "../../domain/ingest.js";

export const CLINICAL_GROUP = "analytics-clinical";

const ENCOUNTER_TYPES = ["EncounterRegistered", "EncounterStarted", "EncounterFinished", "EncounterRefused", "VisitOutcomeConfirmed"] as const;
const EXAMINATION_TYPES = ["ExaminationOrdered", "ExaminationPerformed", "ExaminationCancelled", "ExaminationReviewed"] as const;

export function startClinicalConsumer(options: ConsumerOptions<Deps>): Consumer {
  return subscribe({
    ...options,
    group: CLINICAL_GROUP,
    streams: [STREAMS.clinical],
    types: [...ENCOUNTER_TYPES, ...EXAMINATION_TYPES],
    handler: (event) =>
      (ENCOUNTER_TYPES as readonly string[]).includes(event.type)
        ? takeEncounterEvent(options.deps, CLINICAL_GROUP, event as typeof event & { data: EncounterEventData })
        : takeExaminationEvent(options.deps, CLINICAL_GROUP, event as typeof event & { data: ExaminationEventData }),
  });
}
