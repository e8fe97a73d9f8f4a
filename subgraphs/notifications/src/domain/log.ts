/**
 * Reading the ledger: a user's own notifications (newest first), the ADMIN view with filters, an appointment's
 * reminders (the patient, their doctor, reception and admins), and each browser's push subscription. No message
 * body is ever stored: the log shows kind, channel, subject, status, attempts and the last error.
 */
import { badInput, decodeCursor, forbidden, isUuid, pageSize, toConnection, type Connection } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import type { DeliveryFilter } from "./ports.js";
import { CHANNELS, DELIVERY_STATUSES, type Actor, type Delivery } from "./types.js";

const keyOf = (delivery: Delivery) => [delivery.createdAt.toISOString(), delivery.id];

function afterKey(after: string | null | undefined): { createdAt: Date; id: string } | null {
  const key = decodeCursor(after, 2);
  if (!key) return null;
  const [createdAt, id] = key;
  if (typeof createdAt !== "string" || Number.isNaN(Date.parse(createdAt)) || typeof id !== "string" || !isUuid(id)) throw badInput("Invalid cursor", "after");
  return { createdAt: new Date(createdAt), id };
}

export interface PageInput {
  first?: number | null;
  after?: string | null;
}

export async function myNotifications(deps: Pick<Deps, "deliveries">, actor: Actor, input: PageInput): Promise<Connection<Delivery>> {
  const first = pageSize(input.first);
  const rows = await deps.deliveries.listForRecipient(actor.userId, first + 1, afterKey(input.after));
  return toConnection(rows, first, keyOf, input.after != null);
}

export interface NotificationFilterInput {
  recipientId?: string | null;
  appointmentId?: string | null;
  kind?: string | null;
  channel?: string | null;
  status?: string | null;
  from?: Date | null;
  to?: Date | null;
}

/** ADMIN: every delivery, newest first, filtered. */
export async function listNotifications(
  deps: Pick<Deps, "deliveries">,
  actor: Actor,
  input: PageInput & { filter?: NotificationFilterInput | null },
): Promise<Connection<Delivery>> {
  if (actor.role !== "ADMIN") throw forbidden("Only administrators see other people's notifications");
  const first = pageSize(input.first);
  const filter = input.filter ?? {};
  for (const field of ["recipientId", "appointmentId"] as const)
    if (filter[field] != null && !isUuid(filter[field])) throw badInput(`${field} must be an id`, `filter.${field}`);
  if (filter.channel != null && !(CHANNELS as readonly string[]).includes(filter.channel)) throw badInput("Unknown channel", "filter.channel");
  if (filter.status != null && (filter.status === "SENDING" || !(DELIVERY_STATUSES as readonly string[]).includes(filter.status)))
    throw badInput("Unknown status", "filter.status");
  if (filter.from && filter.to && filter.from.getTime() > filter.to.getTime()) throw badInput("from must not be after to", "filter.from");
  const rows = await deps.deliveries.list(filter as DeliveryFilter, first + 1, afterKey(input.after));
  return toConnection(rows, first, keyOf, input.after != null);
}

/** Staff who see every appointment's reminders. */
const STAFF_READERS = new Set(["RECEPTIONIST", "ADMIN"]);

/** The reminders of an appointment, by due time; [] when no event of it reached notifications yet. */
export async function appointmentReminders(deps: Pick<Deps, "deliveries" | "appointments">, actor: Actor, appointmentId: string): Promise<Delivery[]> {
  const state = await deps.appointments.find(appointmentId);
  if (!state) return [];
  const allowed = STAFF_READERS.has(actor.role) || actor.userId === state.patientId || (actor.role === "DOCTOR" && actor.userId === state.doctorUserId);
  if (!allowed) throw forbidden("Only the patient, their doctor and reception see an appointment's reminders");
  return deps.deliveries.remindersOf(appointmentId);
}
