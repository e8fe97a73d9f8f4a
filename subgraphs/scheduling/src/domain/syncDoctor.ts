/**
 * Keeps scheduling's copy of a doctor and the doctor's slots in step with the doctors subgraph.
 * Future FREE/BLOCKED slots follow the weekly rules and time off over the rolling horizon; BUSY slots are
 * never touched — when the schedule no longer covers a booked time, its appointments are flagged
 * (`needsAttention`) for staff instead, each with one AppointmentNeedsAttention event (attentionReason SCHEDULE_CHANGED)
 * in the same transaction: an appointment already flagged is not flagged (nor announced) again, so a redelivered
 * event or a second sync writes nothing. The rules followed on each local day are the doctor's weekly rules, or the
 * upcoming version in force that day (a schedule template applied from a date); extra hours add free slots.
 * A deactivated doctor (`active: false`) gets no new slots and their free ones are blocked (reactivated, they are
 * unblocked); their booked appointments are flagged by the DoctorDeactivated consumer (doctorStatus.ts), with an event
 * each, not here.
 */
import { createHash } from "node:crypto";
import type { Deps } from "./deps.js";
import type { DoctorSnapshot } from "./ports.js";
import { generateSlots } from "@clinigraph/platform/slots";
import { appointmentPayload } from "./appointmentEvents.js";
import type { Slot } from "./types.js";

export interface SyncResult {
  created: number;
  removed: number;
  blocked: number;
  unblocked: number;
  flagged: number;
}

const versionOf = (d: DoctorSnapshot) =>
  createHash("sha256")
    .update(JSON.stringify([d.timezone, d.rules, d.timeOff, d.upcoming ?? [], d.extraHours ?? []]))
    .digest("hex");

export async function syncDoctor(deps: Pick<Deps, "unitOfWork" | "clock" | "rules">, doctor: DoctorSnapshot): Promise<SyncResult> {
  const now = deps.clock();
  const horizonEnd = new Date(now.getTime() + deps.rules.horizonDays * 86_400_000);
  const active = doctor.active !== false;
  const generated = generateSlots({
    timezone: doctor.timezone,
    rules: doctor.rules,
    timeOff: doctor.timeOff.map((t) => ({ from: new Date(t.from), to: new Date(t.to) })),
    upcoming: doctor.upcoming ?? [],
    extraHours: (doctor.extraHours ?? []).map((e) => ({ from: new Date(e.from), to: new Date(e.to), slotMinutes: e.slotMinutes })),
    from: now,
    to: horizonEnd,
  });
  // Inactive: every wanted time is blocked, and only times that already have a slot keep it (toCreate below).
  const desired = active ? generated : generated.map((slot) => ({ ...slot, blocked: true }));
  const result: SyncResult = { created: 0, removed: 0, blocked: 0, unblocked: 0, flagged: 0 };

  await deps.unitOfWork.run(async (tx) => {
    await tx.locks.doctor(doctor.id);
    const previous = await tx.profiles.save({
      doctorId: doctor.id,
      userId: doctor.userId ?? doctor.id,
      name: doctor.name,
      timezone: doctor.timezone,
      autoApprove: doctor.autoApprove,
      specialtyCode: doctor.specialtyCode,
      location: doctor.location,
      serviceIds: doctor.serviceIds,
      rules: doctor.rules,
      timeOff: doctor.timeOff,
      version: versionOf(doctor),
      syncedAt: now,
      active,
    });

    const existing = await tx.slots.startingFrom(doctor.id, now);
    const wanted = new Map(desired.map((s) => [s.startsAt.getTime(), s]));
    const have = new Map(existing.map((s) => [s.startsAt.getTime(), s]));

    const remove: string[] = [];
    const block: string[] = [];
    const unblock: string[] = [];
    const busyUncovered: Slot[] = [];
    for (const slot of existing) {
      const want = wanted.get(slot.startsAt.getTime());
      const reshaped = want && want.endsAt.getTime() !== slot.endsAt.getTime();
      if (slot.status === "BUSY") {
        if (active && (!want || want.blocked || reshaped)) busyUncovered.push(slot);
      } else if (!want || reshaped) {
        remove.push(slot.id);
      } else if (want.blocked && slot.status === "FREE") {
        block.push(slot.id);
      } else if (!want.blocked && slot.status === "BLOCKED") {
        unblock.push(slot.id);
      }
    }
    if (remove.length) result.removed = await tx.slots.removeUnbooked(remove);
    if (block.length) result.blocked = await tx.slots.switchStatus(block, "FREE", "BLOCKED");
    if (unblock.length) result.unblocked = await tx.slots.switchStatus(unblock, "BLOCKED", "FREE");
    // New times, and replacements for the free slots removed above because their length changed.
    const toCreate = desired.filter((s) => {
      if (!active) return false;
      const old = have.get(s.startsAt.getTime());
      return !old || (old.status !== "BUSY" && old.endsAt.getTime() !== s.endsAt.getTime());
    });
    if (toCreate.length) {
      result.created = await tx.slots.addMany(
        toCreate.map((s) => ({
          doctorId: doctor.id,
          startsAt: s.startsAt,
          endsAt: s.endsAt,
          status: s.blocked ? "BLOCKED" : "FREE",
          specialtyCode: doctor.specialtyCode,
          location: doctor.location,
        })),
      );
    }
    for (const slot of busyUncovered) {
      for (const appointment of await tx.appointments.flagNeedsAttention(doctor.id, slot.startsAt, slot.endsAt, now)) {
        result.flagged++;
        await tx.outbox.append("AppointmentNeedsAttention", appointmentPayload(appointment, null, { attentionReason: "SCHEDULE_CHANGED" }), now);
      }
    }
    // Future slots carry specialty and location for search: follow a change.
    if (previous && (previous.specialtyCode !== doctor.specialtyCode || previous.location !== doctor.location)) {
      await tx.slots.relabel(doctor.id, now, { specialtyCode: doctor.specialtyCode, location: doctor.location });
    }
  });
  return result;
}
