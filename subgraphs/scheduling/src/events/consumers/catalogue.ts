/**
 * Scheduling's consumer of doctors' catalogue events (group `scheduling-catalogue`): each MedicalServiceChanged sets
 * the service's status in the projection of retired services (domain/serviceStatus.ts), stamped with the event's
 * time. Idempotent: a redelivery writes the same row, and an event older than the one the row holds (a second
 * instance, or a retry overtaken by a later change) changes nothing.
 */
import { STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import { isUuid } from "@clinigraph/platform";
import type { Deps } from "../../domain/deps.js";
import { isServiceStatus } from "../../domain/serviceStatus.js";

export const CATALOGUE_GROUP = "scheduling-catalogue";

export function startCatalogueConsumer(options: ConsumerOptions<Pick<Deps, "serviceStatuses">>): Consumer {
  const { deps, logger } = options;
  return subscribe({
    ...options,
    consumer: options.consumer ?? "scheduling-1",
    group: CATALOGUE_GROUP,
    streams: [STREAMS.doctors],
    types: ["MedicalServiceChanged"],
    handler: async (event) => {
      const { serviceId, status } = event.data;
      const changedAt = new Date(event.time);
      if (!isUuid(serviceId) || !isServiceStatus(status) || Number.isNaN(changedAt.getTime())) {
        logger.error({ eventId: event.id }, "MedicalServiceChanged with a malformed service id, status or time: ignored");
        return;
      }
      await deps.serviceStatuses.applyChange(serviceId, status, changedAt);
      logger.debug({ eventId: event.id, serviceId, status }, "medical service status recorded");
    },
  });
}
