/**
 * The doctors subgraph's transactional outbox: an event row written in the transaction of its change; the relay
 * (index.ts) moves the rows to the bus, woken by the NOTIFY sent at commit. Event types come from the catalogue
 * (packages/events/src/catalogue.ts). DoctorScheduleChanged carries, besides the doctor's id, the doctor's bookable time
 * as this transaction leaves it (public facts: zone, specialty, location, weekly rules, time off ahead), so that a
 * consumer reading the stream from its start sees each change as it was, not as the doctor is today.
 */
import { randomUUID } from "node:crypto";
import { outboxChannel, type DoctorScheduleSnapshot } from "@clinigraph/events";
import { currentTraceparent } from "@clinigraph/platform";
import type { CatalogueEvents, Outbox } from "../domain/ports.js";
import type { Prisma } from "../data/prisma.js";
import { formatTime } from "../domain/scheduleRules.js";

export const OUTBOX_CHANNEL = outboxChannel("doctors");

/** Written after the doctor's row is locked or written in the same transaction, so one doctor's events keep their order. */
export function createOutbox(tx: Prisma.TransactionClient): Outbox {
  return {
    async append(type, payload, occurredAt) {
      const schedule = await scheduleOf(tx, payload.doctorId, occurredAt);
      await tx.outboxEvent.create({
        data: {
          id: randomUUID(),
          aggregateId: payload.doctorId,
          type,
          payload: { ...payload, ...(schedule ? { schedule } : {}) } as unknown as Prisma.InputJsonObject,
          occurredAt,
          traceparent: currentTraceparent() ?? null,
        },
      });
      await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
    },
  };
}

/** The doctor's bookable time as the transaction sees it (null: no such doctor); one query after the other. */
async function scheduleOf(tx: Prisma.TransactionClient, doctorId: string, at: Date): Promise<DoctorScheduleSnapshot | null> {
  const [doctor] = await tx.$queryRaw<{ timezone: string; location: string | null; code: string }[]>`
    SELECT d.timezone, d.location, s.code FROM doctors.doctors d JOIN doctors.specialties s ON s.id = d.specialty_id WHERE d.id = ${doctorId}::uuid`;
  if (!doctor) return null;
  const rules = await tx.scheduleRule.findMany({
    where: { doctorId },
    select: { dayOfWeek: true, startMinute: true, endMinute: true, slotMinutes: true },
    orderBy: [{ dayOfWeek: "asc" }, { startMinute: "asc" }],
  });
  const timeOff = await tx.timeOff.findMany({
    where: { doctorId, endsAt: { gt: at } },
    select: { startsAt: true, endsAt: true },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
  });
  return {
    timezone: doctor.timezone,
    specialtyCode: doctor.code,
    location: doctor.location,
    rules: rules.map((rule) => ({
      dayOfWeek: rule.dayOfWeek,
      startTime: formatTime(rule.startMinute),
      endTime: formatTime(rule.endMinute),
      slotMinutes: rule.slotMinutes,
    })),
    timeOff: timeOff.map((off) => ({ from: off.startsAt.toISOString(), to: off.endsAt.toISOString() })),
  };
}

/**
 * Catalogue events: MedicalServiceChanged and SpecialtyChanged, written in the transaction of the change (aggregate:
 * the entry, whose row the change has locked, so one entry's events keep their order), relayed with the others.
 */
export function createCatalogueEvents(tx: Prisma.TransactionClient): CatalogueEvents {
  const append = async (type: "MedicalServiceChanged" | "SpecialtyChanged", aggregateId: string, payload: object, occurredAt: Date) => {
    await tx.outboxEvent.create({
      data: { id: randomUUID(), aggregateId, type, payload: payload as Prisma.InputJsonObject, occurredAt, traceparent: currentTraceparent() ?? null },
    });
    await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
  };
  return {
    serviceChanged: (payload, occurredAt) => append("MedicalServiceChanged", payload.serviceId, payload, occurredAt),
    specialtyChanged: (payload, occurredAt) => append("SpecialtyChanged", payload.specialtyId, payload, occurredAt),
  };
}
