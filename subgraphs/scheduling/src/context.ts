import DataLoader from "dataloader";
import { unauthenticated, type BaseContext } from "@clinigraph/platform";
import { toAppointment, toChange, toSlot, type AppointmentChangeRecord } from "./data/mappers.js";
import type { SchedulingDeps } from "./domain/deps.js";
import type { Actor, Appointment, Slot } from "./domain/types.js";
import type { DoctorsClient } from "./data/doctorsClient.js";
import { isUuid } from "@clinigraph/platform";
import type { LiveFeed } from "@clinigraph/events";
import { createReadRecorder, type ReadRecorder } from "./data/accessAudit.js";

export interface SchedulingContext extends BaseContext {
  deps: SchedulingDeps;
  doctors: DoctorsClient;
  live: LiveFeed;
  /** The signed-in caller (a doctor's Doctor id resolved); throws UNAUTHENTICATED for anonymous callers. */
  actor(): Promise<Actor>;
  /** The caller, or null when anonymous. */
  actorOrNull(): Promise<Actor | null>;
  appointments: DataLoader<string, Appointment | null>;
  slots: DataLoader<string, Slot | null>;
  history: DataLoader<string, AppointmentChangeRecord[]>;
  /** Audits reads of other people's appointments (data/accessAudit.ts). */
  reads: ReadRecorder;
}

export function createSchedulingContext(base: BaseContext, deps: SchedulingDeps, doctors: DoctorsClient, live: LiveFeed): SchedulingContext {
  const { prisma } = deps;
  let actor: Promise<Actor | null> | undefined;
  const actorOrNull = () =>
    (actor ??= (async () => {
      const { userId, role } = base.identity;
      if (!userId || !role) return null;
      const profile = role === "DOCTOR" ? await prisma.doctorProfile.findFirst({ where: { userId }, select: { doctorId: true } }) : null;
      return { userId, role, doctorId: profile?.doctorId ?? null };
    })());
  return {
    ...base,
    deps,
    doctors,
    live,
    actorOrNull,
    reads: createReadRecorder(prisma, base.identity, deps.clock),
    async actor() {
      const resolved = await actorOrNull();
      if (!resolved) throw unauthenticated();
      return resolved;
    },
    appointments: new DataLoader(async (ids) => {
      const rows = await prisma.appointment.findMany({ where: { id: { in: ids.filter(isUuid) } } });
      const byId = new Map(rows.map((r) => [r.id, toAppointment(r, deps.cipher)]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    slots: new DataLoader(async (ids) => {
      const rows = await prisma.slot.findMany({ where: { id: { in: ids.filter(isUuid) } } });
      const byId = new Map(rows.map((r) => [r.id, toSlot(r)]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    history: new DataLoader(async (ids) => {
      const rows = await prisma.appointmentChange.findMany({ where: { appointmentId: { in: [...ids] } }, orderBy: [{ seq: "asc" }] });
      return ids.map((id) => rows.filter((r) => r.appointmentId === id).map((r) => toChange(r, deps.cipher)));
    }),
  };
}

/** The context type resolvers are generated against (src/generated/graphql.ts). */
export type Context = SchedulingContext;
