/**
 * Keeps scheduling's copy of a doctor and the doctor's slots in step with the doctors subgraph.
 * Future FREE/BLOCKED slots follow the weekly rules and time off over the rolling horizon; BUSY slots are
 * never touched — when the schedule no longer covers a booked time, its appointments are flagged
 * (`needsAttention`) for staff instead.
 */
import { createHash, randomUUID } from "node:crypto";
import type { DoctorSnapshot } from "../data/doctorsClient.js";
import { inTransaction } from "../data/transaction.js";
import type { SchedulingDeps } from "./deps.js";
import { generateSlots } from "./slotGeneration.js";
import { LIVE_STATUSES } from "./types.js";

export interface SyncResult {
  created: number;
  removed: number;
  blocked: number;
  unblocked: number;
  flagged: number;
}

const versionOf = (d: DoctorSnapshot) =>
  createHash("sha256")
    .update(JSON.stringify([d.timezone, d.rules, d.timeOff]))
    .digest("hex");

export async function syncDoctor(deps: SchedulingDeps, doctor: DoctorSnapshot): Promise<SyncResult> {
  const now = deps.clock();
  const horizonEnd = new Date(now.getTime() + deps.rules.horizonDays * 86_400_000);
  const desired = generateSlots({
    timezone: doctor.timezone,
    rules: doctor.rules,
    timeOff: doctor.timeOff.map((t) => ({ from: new Date(t.from), to: new Date(t.to) })),
    from: now,
    to: horizonEnd,
  });
  const result: SyncResult = { created: 0, removed: 0, blocked: 0, unblocked: 0, flagged: 0 };

  await inTransaction(deps.prisma, async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`doctor:${doctor.id}`}, 0))`;
    const profile = {
      userId: doctor.userId ?? doctor.id,
      name: doctor.name,
      timezone: doctor.timezone,
      autoApprove: doctor.autoApprove,
      specialtyCode: doctor.specialtyCode,
      location: doctor.location,
      serviceIds: doctor.serviceIds,
      rules: doctor.rules as object[],
      timeOff: doctor.timeOff as object[],
      version: versionOf(doctor),
      syncedAt: now,
    };
    const previous = await tx.doctorProfile.findUnique({ where: { doctorId: doctor.id }, select: { specialtyCode: true, location: true } });
    await tx.doctorProfile.upsert({ where: { doctorId: doctor.id }, create: { doctorId: doctor.id, ...profile }, update: profile });

    const existing = await tx.slot.findMany({ where: { doctorId: doctor.id, startsAt: { gte: now } } });
    const wanted = new Map(desired.map((s) => [s.startsAt.getTime(), s]));
    const have = new Map(existing.map((s) => [s.startsAt.getTime(), s]));

    const remove: string[] = [];
    const block: string[] = [];
    const unblock: string[] = [];
    const busyUncovered: { startsAt: Date; endsAt: Date }[] = [];
    for (const slot of existing) {
      const want = wanted.get(slot.startsAt.getTime());
      const reshaped = want && want.endsAt.getTime() !== slot.endsAt.getTime();
      if (slot.status === "BUSY") {
        if (!want || want.blocked || reshaped) busyUncovered.push(slot);
      } else if (!want || reshaped) {
        remove.push(slot.id);
      } else if (want.blocked && slot.status === "FREE") {
        block.push(slot.id);
      } else if (!want.blocked && slot.status === "BLOCKED") {
        unblock.push(slot.id);
      }
    }
    if (remove.length) result.removed = (await tx.slot.deleteMany({ where: { id: { in: remove }, status: { not: "BUSY" } } })).count;
    if (block.length) result.blocked = (await tx.slot.updateMany({ where: { id: { in: block }, status: "FREE" }, data: { status: "BLOCKED" } })).count;
    if (unblock.length) result.unblocked = (await tx.slot.updateMany({ where: { id: { in: unblock }, status: "BLOCKED" }, data: { status: "FREE" } })).count;
    // New times, and replacements for the free slots removed above because their length changed.
    const toCreate = desired.filter((s) => {
      const old = have.get(s.startsAt.getTime());
      return !old || (old.status !== "BUSY" && old.endsAt.getTime() !== s.endsAt.getTime());
    });
    if (toCreate.length) {
      const created = await tx.slot.createMany({
        data: toCreate.map((s) => ({
          id: randomUUID(),
          doctorId: doctor.id,
          startsAt: s.startsAt,
          endsAt: s.endsAt,
          status: s.blocked ? ("BLOCKED" as const) : ("FREE" as const),
          specialtyCode: doctor.specialtyCode,
          location: doctor.location,
        })),
        skipDuplicates: true,
      });
      result.created = created.count;
    }
    for (const slot of busyUncovered) {
      const flagged = await tx.appointment.updateMany({
        where: { doctorId: doctor.id, status: { in: [...LIVE_STATUSES] }, startsAt: { lt: slot.endsAt }, endsAt: { gt: slot.startsAt }, needsAttention: false },
        data: { needsAttention: true, updatedAt: now },
      });
      result.flagged += flagged.count;
    }
    // Future slots carry specialty and location for search: follow a change.
    if (previous && (previous.specialtyCode !== doctor.specialtyCode || previous.location !== doctor.location)) {
      await tx.slot.updateMany({
        where: { doctorId: doctor.id, startsAt: { gte: now } },
        data: { specialtyCode: doctor.specialtyCode, location: doctor.location },
      });
    }
  });
  return result;
}
