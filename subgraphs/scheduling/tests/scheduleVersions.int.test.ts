/**
 * Effective-dated schedules and extra hours in scheduling's slot sync (the clock: Monday 2 March 2026, Berlin): the
 * rules in force per local day (an upcoming version takes over on its day), extra free slots, and appointments the new
 * schedule no longer covers — flagged needsAttention with one AppointmentNeedsAttention (SCHEDULE_CHANGED) each, never
 * cancelled, and not again when the same schedule is synced again (a redelivered event).
 */
import { describe, expect, it } from "@jest/globals";
import { DateTime } from "luxon";
import { appointmentIn, at, BERLIN, resync, seedDoctor } from "./support/factories.js";
import { useHarness } from "./support/harness.js";

const h = useHarness({ horizonDays: 14 });

const perDay = async (doctorId: string) => {
  const slots = await h.prisma.slot.findMany({ where: { doctorId, status: "FREE" }, orderBy: { startsAt: "asc" } });
  const counts: Record<string, number> = {};
  for (const s of slots) {
    const day = DateTime.fromJSDate(s.startsAt, { zone: BERLIN }).toISODate()!;
    counts[day] = (counts[day] ?? 0) + 1;
  }
  return counts;
};
const TUESDAYS = [{ dayOfWeek: "TUESDAY" as const, startTime: "09:00", endTime: "14:00", slotMinutes: 30 }];

describe("upcoming schedule versions", () => {
  it("keeps the weekly rules until the version's day, then follows the version", async () => {
    const doctor = await seedDoctor(h);
    await resync(h, doctor, { upcoming: [{ from: "2026-03-09", rules: TUESDAYS }] });
    const counts = await perDay(doctor.id);
    // This week (from Monday 09:00, the clock): the weekdays' 16 slots a day (Monday's first slot is the current one).
    expect(counts["2026-03-03"]).toBe(16);
    expect(counts["2026-03-06"]).toBe(16);
    // From Monday 9 March: Tuesdays only, ten slots.
    expect(Object.entries(counts).filter(([day]) => day >= "2026-03-09")).toEqual([["2026-03-10", 10]]);
  });
});

describe("extra hours", () => {
  it("adds free slots outside the rules (a Saturday morning), and removes them when withdrawn", async () => {
    const doctor = await seedDoctor(h);
    const extra = { from: at("2026-03-07T10:00").toISOString(), to: at("2026-03-07T12:00").toISOString(), slotMinutes: 30 };
    const added = await resync(h, doctor, { extraHours: [extra] });
    expect(added.created).toBe(4);
    expect((await perDay(doctor.id))["2026-03-07"]).toBe(4);
    await resync(h, doctor, { extraHours: [] });
    expect((await perDay(doctor.id))["2026-03-07"]).toBeUndefined();
  });
});

describe("appointments the new schedule no longer covers", () => {
  it("are flagged once, with one AppointmentNeedsAttention (SCHEDULE_CHANGED) each, and stay booked", async () => {
    const doctor = await seedDoctor(h);
    const monday = await appointmentIn(h, "BOOKED", { doctor, local: "2026-03-09T10:00" });
    const tuesday = await appointmentIn(h, "PENDING", { doctor, local: "2026-03-10T10:00" });
    const before = await appointmentIn(h, "BOOKED", { doctor, local: "2026-03-05T10:00" });

    const first = await resync(h, doctor, { upcoming: [{ from: "2026-03-09", rules: TUESDAYS }] });
    expect(first.flagged).toBe(1);
    // Redelivered: the same schedule again flags nothing and writes no event.
    const again = await resync(h, doctor, { upcoming: [{ from: "2026-03-09", rules: TUESDAYS }] });
    expect(again.flagged).toBe(0);

    const rows = await h.prisma.appointment.findMany({ where: { id: { in: [monday, tuesday, before].map((m) => m.appointment.id) } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(monday.appointment.id)).toMatchObject({ status: "BOOKED", needsAttention: true });
    expect(byId.get(tuesday.appointment.id)).toMatchObject({ status: "PENDING", needsAttention: false });
    expect(byId.get(before.appointment.id)).toMatchObject({ status: "BOOKED", needsAttention: false });

    const events = await h.prisma.outboxEvent.findMany({ where: { type: "AppointmentNeedsAttention", aggregateId: monday.appointment.id } });
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({
      appointmentId: monday.appointment.id,
      doctorId: doctor.id,
      status: "BOOKED",
      attentionReason: "SCHEDULE_CHANGED",
      startsAt: at("2026-03-09T10:00").toISOString(),
    });
    expect(await h.prisma.outboxEvent.count({ where: { type: "AppointmentNeedsAttention", aggregateId: tuesday.appointment.id } })).toBe(0);
  });
});
