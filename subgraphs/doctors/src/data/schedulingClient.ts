/**
 * The doctors subgraph's way to the scheduling subgraph (a template preview's conflicting appointments): its GraphQL
 * endpoint, called directly through `callSubgraphAs` with the caller's identity signed as the router signs it, so
 * scheduling applies its own rules (its calendar is for staff). Its domain errors are passed on; anything else is
 * SERVICE_UNAVAILABLE.
 */
import { DomainError, callSubgraphAs, isDomainErrorCode, serviceUnavailable, type SubgraphError } from "@clinigraph/platform";
import type { ScheduledAppointment, SchedulingClient } from "../domain/ports.js";

export interface HttpSchedulingClientOptions {
  /** scheduling's GraphQL endpoint, e.g. http://127.0.0.1:4003/graphql */
  url: string;
  routerSecrets: readonly string[];
  timeoutMs?: number;
}

const CALENDAR = `query DoctorCalendar($doctorId: ID!, $from: DateTime!, $to: DateTime!) {
  calendar(doctorId: $doctorId, from: $from, to: $to) { id startsAt endsAt status } }`;

const PASSED_ON: ReadonlySet<string> = new Set(["BAD_USER_INPUT", "NOT_FOUND", "FORBIDDEN", "UNAUTHENTICATED"]);

function passedOn(error: SubgraphError): DomainError | undefined {
  const { code, field } = error.extensions ?? {};
  if (!isDomainErrorCode(code) || !PASSED_ON.has(code) || typeof error.message !== "string") return undefined;
  return new DomainError(code, error.message, { field: typeof field === "string" ? field : undefined });
}

function asAppointment(value: unknown): ScheduledAppointment {
  const a = value as { id?: unknown; startsAt?: unknown; endsAt?: unknown; status?: unknown } | null;
  if (!a || typeof a.id !== "string" || typeof a.startsAt !== "string" || typeof a.endsAt !== "string" || typeof a.status !== "string") {
    throw serviceUnavailable("scheduling answered an unexpected appointment");
  }
  return { id: a.id, startsAt: new Date(a.startsAt), endsAt: new Date(a.endsAt), status: a.status };
}

export function createHttpSchedulingClient(options: HttpSchedulingClientOptions): SchedulingClient {
  return {
    async appointments(doctorId, from, to, caller) {
      const data = await callSubgraphAs<{ calendar?: unknown }>({
        ...options,
        caller,
        query: CALENDAR,
        variables: { doctorId, from: from.toISOString(), to: to.toISOString() },
        passOn: passedOn,
        unavailable: (message) => serviceUnavailable(`scheduling ${message}`),
      });
      if (!Array.isArray(data.calendar)) throw serviceUnavailable("scheduling answered without a calendar");
      return data.calendar.map(asAppointment);
    },
  };
}
