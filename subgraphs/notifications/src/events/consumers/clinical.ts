/**
 * Notifications' consumer of clinical's examination events (group `notifications-clinical`): a performed
 * examination tells the ordering doctor a result is ready to review, a reviewed one tells the patient it can be read.
 * No result text travels the bus or any message.
 */
import { STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import type { Deps } from "../../domain/deps.js";
import { takeExaminationEvent } from "../../domain/intake.js";

export const CLINICAL_GROUP = "notifications-clinical";

export function startClinicalConsumer(options: ConsumerOptions<Pick<Deps, "unitOfWork" | "clock">>): Consumer {
  return subscribe({
    ...options,
    group: CLINICAL_GROUP,
    streams: [STREAMS.clinical],
    types: ["ExaminationPerformed", "ExaminationReviewed"],
    handler: async (event) => void (await takeExaminationEvent(options.deps, CLINICAL_GROUP, event)),
  });
}
