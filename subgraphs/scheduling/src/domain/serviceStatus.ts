/**
 * Retired medical services are not booked: requestAppointment, overbookAppointment, rescheduleAppointment and
 * joinWaitlist refuse a RETIRED service (BAD_USER_INPUT "service retired"), and a slot search filtered by one finds
 * nothing. What is retired comes from a local projection (`service_statuses`) that scheduling's consumer of doctors'
 * MedicalServiceChanged events keeps, so a booking does not call the doctors subgraph.
 *
 * A service no event has told of (one of the catalogue's seeded services, or one changed before the consumer first
 * ran and whose events are gone from the stream) is looked up once in the doctors subgraph and remembered; an event
 * always overrides what was looked up. If doctors does not answer, the booking goes on: retiring a service also takes
 * it off every doctor's services, so scheduling's copy of the doctor refuses it ("This doctor does not offer this
 * service") once it has synced.
 */
import { badInput } from "@clinigraph/platform";
import type { Deps } from "./deps.js";

export const SERVICE_STATUSES = ["ACTIVE", "RETIRED"] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

export const isServiceStatus = (value: unknown): value is ServiceStatus => (SERVICE_STATUSES as readonly unknown[]).includes(value);

/** The projection. */
export interface ServiceStatusRepository {
  /** What the projection holds for the service, or null when nothing told of it yet. */
  statusOf(serviceId: string): Promise<ServiceStatus | null>;
  /** An event's status: kept unless the projection holds a later event's (by `changedAt`). */
  applyChange(serviceId: string, status: ServiceStatus, changedAt: Date): Promise<void>;
  /** A looked-up status: kept only when the projection holds nothing for the service yet. */
  remember(serviceId: string, status: ServiceStatus): Promise<void>;
}

export const serviceRetired = (field?: string) => badInput("service retired", field);

type StatusDeps = Pick<Deps, "serviceStatuses" | "doctors" | "logger">;

/** The service's status: the projection's, else doctors' (remembered), else null (unknown, or doctors did not answer). */
export async function serviceStatus(deps: StatusDeps, serviceId: string): Promise<ServiceStatus | null> {
  const known = await deps.serviceStatuses.statusOf(serviceId);
  if (known) return known;
  let looked: ServiceStatus | null;
  try {
    looked = await deps.doctors.serviceStatus(serviceId);
  } catch (err) {
    deps.logger?.warn({ err, serviceId }, "could not look the service's status up in the doctors subgraph; the doctor's services decide");
    return null;
  }
  if (looked) await deps.serviceStatuses.remember(serviceId, looked);
  return looked;
}

/** BAD_USER_INPUT "service retired" when `serviceId` names a RETIRED service. */
export async function refuseRetiredService(deps: StatusDeps, serviceId: string | null | undefined, field?: string): Promise<void> {
  if (serviceId && (await serviceStatus(deps, serviceId)) === "RETIRED") throw serviceRetired(field);
}
