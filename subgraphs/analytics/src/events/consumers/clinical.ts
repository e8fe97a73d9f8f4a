/** Analytics' consumer of clinical's events (group `analytics-clinical`): visit and examination facts. */
import { STREAMS, subscribe, type Consumer, type ConsumerOptions, type EncounterEventData, type ExaminationEventData } from "@clinigraph/events";
import type { Deps } from "../../domain/deps.js";
import { encounterWrite, examinationWrite, takeEvents, type IncomingEvent } from "../../domain/ingest.js";
import { INGEST_BATCH } from "./batch.js";

export const CLINICAL_GROUP = "analytics-clinical";

const ENCOUNTER_TYPES = ["EncounterRegistered", "EncounterStarted", "EncounterFinished", "EncounterRefused", "VisitOutcomeConfirmed"] as const;
const EXAMINATION_TYPES = ["ExaminationOrdered", "ExaminationPerformed", "ExaminationCancelled", "ExaminationReviewed"] as const;

const clinicalWrite = (deps: Deps, event: IncomingEvent<unknown>) =>
  (ENCOUNTER_TYPES as readonly string[]).includes(event.type)
    ? encounterWrite(deps, event as IncomingEvent<EncounterEventData>)
    : examinationWrite(deps, event as IncomingEvent<ExaminationEventData>);

export function startClinicalConsumer(options: ConsumerOptions<Deps>): Consumer {
  return subscribe({
    ...options,
    group: CLINICAL_GROUP,
    streams: [STREAMS.clinical],
    types: [...ENCOUNTER_TYPES, ...EXAMINATION_TYPES],
    batchSize: INGEST_BATCH,
    batchHandler: (events) => takeEvents(options.deps, CLINICAL_GROUP, events, (_, event) => clinicalWrite(options.deps, event)),
    handler: (event) => takeEvents(options.deps, CLINICAL_GROUP, [event], (_, e) => clinicalWrite(options.deps, e)),
  });
}
