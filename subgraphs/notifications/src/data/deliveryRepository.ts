/**
 * The ledger in PostgreSQL (notifications.deliveries). The scheduler's claim is one statement: due rows (SCHEDULED,
 * or SENDING whose lease ran out) are locked with FOR UPDATE SKIP LOCKED — a second scheduler skips them instead of
 * waiting — and become SENDING under a lease, their attempts counted. Outcomes are written only while the row is
 * still SENDING, so a reminder cancelled mid-send stays CANCELLED.
 */
import { randomUUID } from "node:crypto";
import type { DeliveryFilter, DeliveryRepository, TransactionRepositories } from "../domain/ports.js";
import type { Delivery, DeliveryFacts, DeliveryStatus, NotificationChannel } from "../domain/types.js";
import type { Prisma, PrismaClient, Tx } from "./prisma.js";

/** A row as SQL returns it: the domain record with its enumerations and JSON still untyped. */
type DeliveryRow = Omit<Delivery, "channel" | "status" | "facts"> & { channel: string; status: string; facts: unknown };

const toDelivery = (row: DeliveryRow): Delivery => ({
  ...row,
  channel: row.channel as NotificationChannel,
  status: row.status as DeliveryStatus,
  facts: row.facts as DeliveryFacts,
});

export function createDeliveryRepository(prisma: PrismaClient): DeliveryRepository {
  const finish = (id: string, data: Prisma.DeliveryUpdateManyMutationInput) => prisma.delivery.updateMany({ where: { id, status: "SENDING" }, data });
  const page = async (where: Prisma.DeliveryWhereInput, first: number, after: { createdAt: Date; id: string } | null) =>
    (
      await prisma.delivery.findMany({
        where: after ? { AND: [where, { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }] } : where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: first,
      })
    ).map(toDelivery);
  return {
    async claimDue(now, limit, leaseMs) {
      const leaseUntil = new Date(now.getTime() + leaseMs);
      const rows = await prisma.$queryRaw<DeliveryRow[]>`
        UPDATE notifications.deliveries AS d
           SET status = 'SENDING', lease_until = ${leaseUntil}, attempts = d.attempts + 1, updated_at = ${now}
         WHERE d.id IN (
           SELECT id FROM notifications.deliveries
            WHERE (status = 'SCHEDULED' AND due_at <= ${now}) OR (status = 'SENDING' AND lease_until < ${now})
            ORDER BY due_at
            LIMIT ${limit}
            FOR UPDATE SKIP LOCKED)
        RETURNING d.id, d.recipient_id AS "recipientId", d.kind, d.channel, d.appointment_id AS "appointmentId",
                  d.offset_minutes AS "offsetMinutes", d.starts_at AS "startsAt", d.facts, d.due_at AS "dueAt", d.status,
                  d.attempts, d.last_error AS "lastError", d.subject, d.provider_message_id AS "providerMessageId",
                  d.sent_at AS "sentAt", d.created_at AS "createdAt", d.updated_at AS "updatedAt"`;
      return rows.map(toDelivery).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    },
    async markSent(id, outcome, now) {
      await finish(id, {
        status: "SENT",
        subject: outcome.subject,
        providerMessageId: outcome.providerMessageId,
        sentAt: now,
        leaseUntil: null,
        lastError: null,
        updatedAt: now,
      });
    },
    async markFailed(id, error, subject, now) {
      await finish(id, { status: "FAILED", lastError: error, ...(subject ? { subject } : {}), leaseUntil: null, updatedAt: now });
    },
    async retryLater(id, error, dueAt, now) {
      await finish(id, { status: "SCHEDULED", lastError: error, dueAt, leaseUntil: null, updatedAt: now });
    },
    async nextDueAt() {
      const row = await prisma.delivery.findFirst({ where: { status: "SCHEDULED" }, orderBy: { dueAt: "asc" }, select: { dueAt: true } });
      return row?.dueAt ?? null;
    },
    listForRecipient: (userId, first, after) => page({ recipientId: userId }, first, after),
    list: (filter: DeliveryFilter, first, after) =>
      page(
        {
          ...(filter.recipientId ? { recipientId: filter.recipientId } : {}),
          ...(filter.appointmentId ? { appointmentId: filter.appointmentId } : {}),
          ...(filter.kind ? { kind: filter.kind } : {}),
          ...(filter.channel ? { channel: filter.channel } : {}),
          // A delivery in flight is still "scheduled" to anyone reading the log.
          ...(filter.status ? { status: filter.status === "SCHEDULED" ? { in: ["SCHEDULED", "SENDING"] } : filter.status } : {}),
          ...(filter.from || filter.to ? { createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lte: filter.to } : {}) } } : {}),
        },
        first,
        after,
      ),
    async remindersOf(appointmentId) {
      const rows = await prisma.delivery.findMany({ where: { appointmentId, kind: "APPOINTMENT_REMINDER" }, orderBy: [{ dueAt: "asc" }, { channel: "asc" }] });
      return rows.map(toDelivery);
    },
  };
}

/** The ledger's writes inside an event's transaction. */
export function createTransactionDeliveries(tx: Tx): TransactionRepositories["deliveries"] {
  return {
    async add(deliveries, now) {
      if (deliveries.length === 0) return 0;
      const { count } = await tx.delivery.createMany({
        data: deliveries.map((delivery) => ({
          id: randomUUID(),
          ...delivery,
          facts: delivery.facts as unknown as Prisma.InputJsonObject,
          status: "SCHEDULED",
          createdAt: now,
          updatedAt: now,
        })),
        skipDuplicates: true,
      });
      return count;
    },
    async keepOnlyReminders(appointmentId, keep, now) {
      const keys = keep.map((reminder) => reminder.dedupeKey);
      if (keys.length)
        await tx.delivery.updateMany({
          where: { appointmentId, kind: "APPOINTMENT_REMINDER", status: "CANCELLED", dedupeKey: { in: keys }, dueAt: { gt: now } },
          data: { status: "SCHEDULED", lastError: null, updatedAt: now },
        });
      const { count } = await tx.delivery.updateMany({
        where: { appointmentId, kind: "APPOINTMENT_REMINDER", status: "SCHEDULED", ...(keys.length ? { dedupeKey: { notIn: keys } } : {}) },
        data: { status: "CANCELLED", updatedAt: now },
      });
      return count;
    },
  };
}
