import type { SchedulingContext } from "../context.js";
import { requireId } from "../domain/ids.js";
import { assertCanRead } from "../domain/policy.js";
import { availableSlots, calendar, myAppointments, type SlotFilterInput } from "../domain/queries.js";
import { myCareRelationships } from "../domain/careRelationships.js";
import type { AppointmentStatus } from "../domain/types.js";
import { forbidden } from "@clinigraph/platform";

export const Query = {
  availableSlots: (_: unknown, args: { filter: SlotFilterInput; first?: number | null }, ctx: SchedulingContext) =>
    availableSlots(ctx.deps, args.filter, args.first),

  async appointment(_: unknown, args: { id: string }, ctx: SchedulingContext) {
    const actor = await ctx.actor();
    const appointment = await ctx.appointments.load(requireId(args.id, "id"));
    if (!appointment) return null;
    assertCanRead(actor, appointment);
    await ctx.reads.appointments([appointment]);
    return appointment;
  },

  async myAppointments(_: unknown, args: { status?: AppointmentStatus | null; first?: number | null; after?: string | null }, ctx: SchedulingContext) {
    const page = await myAppointments(ctx.deps, await ctx.actor(), args);
    await ctx.reads.appointments(page.edges.map((e) => e.node)); // a doctor's list (a patient's own are not audited)
    return page;
  },

  async calendar(_: unknown, args: { doctorId?: string | null; from: Date; to: Date }, ctx: SchedulingContext) {
    const appointments = await calendar(ctx.deps, await ctx.actor(), args);
    await ctx.reads.appointments(appointments);
    return appointments;
  },

  async myWaitlist(_: unknown, __: unknown, ctx: SchedulingContext) {
    const actor = await ctx.actor();
    if (actor.role !== "PATIENT") throw forbidden("The waitlist belongs to patients");
    return ctx.deps.prisma.waitlistEntry.findMany({ where: { patientId: actor.userId }, orderBy: { createdAt: "asc" } });
  },

  myCareRelationships: async (_: unknown, args: { patientIds: string[] }, ctx: SchedulingContext) =>
    myCareRelationships(ctx.deps, await ctx.actor(), args.patientIds),
};
