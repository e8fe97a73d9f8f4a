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
    return appointment;
  },

  myAppointments: async (_: unknown, args: { status?: AppointmentStatus | null; first?: number | null; after?: string | null }, ctx: SchedulingContext) =>
    myAppointments(ctx.deps, await ctx.actor(), args),

  calendar: async (_: unknown, args: { doctorId?: string | null; from: Date; to: Date }, ctx: SchedulingContext) => calendar(ctx.deps, await ctx.actor(), args),

  async myWaitlist(_: unknown, __: unknown, ctx: SchedulingContext) {
    const actor = await ctx.actor();
    if (actor.role !== "PATIENT") throw forbidden("The waitlist belongs to patients");
    return ctx.deps.prisma.waitlistEntry.findMany({ where: { patientId: actor.userId }, orderBy: { createdAt: "asc" } });
  },

  myCareRelationships: async (_: unknown, args: { patientIds: string[] }, ctx: SchedulingContext) =>
    myCareRelationships(ctx.deps, await ctx.actor(), args.patientIds),
};
