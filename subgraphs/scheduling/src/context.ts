import DataLoader from "dataloader";
import { actorAccessors, type BaseContext } from "@clinigraph/platform";
import type { LiveFeed } from "@clinigraph/events";
import type { Deps } from "./domain/deps.js";
import type { FeedbackModeration } from "./domain/feedbackModeration.js";
import type { ReadRecorder } from "./domain/ports.js";
import type { Actor, Appointment, AppointmentChange, Slot } from "./domain/types.js";

export interface Context extends BaseContext {
  deps: Deps;
  live: LiveFeed;
  /** The signed-in caller (a doctor's Doctor id resolved); throws UNAUTHENTICATED for anonymous callers. */
  actor(): Promise<Actor>;
  /** The caller, or null when anonymous. */
  actorOrNull(): Promise<Actor | null>;
  /** Per-request loaders. */
  loaders: {
    appointments: DataLoader<string, Appointment | null>;
    slots: DataLoader<string, Slot | null>;
    history: DataLoader<string, AppointmentChange[]>;
    /** Doctors' names from scheduling's copy of their profiles (null: no profile). */
    doctorNames: DataLoader<string, string | null>;
    /** The moderation of appointments' feedback comments (null: not hidden). */
    feedbackModeration: DataLoader<string, FeedbackModeration | null>;
  };
  /** Audits reads of other people's appointments (data/accessAudit.ts). */
  reads: ReadRecorder;
}

const byId = <T extends { id: string }>(ids: readonly string[], rows: readonly T[]) => {
  const map = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => map.get(id) ?? null);
};

export function createContext(base: BaseContext, deps: Deps, live: LiveFeed): Context {
  return {
    ...base,
    deps,
    live,
    // A doctor acts through their Doctor profile: its id is looked up once per request.
    ...actorAccessors<Actor>(base.identity, async ({ userId, role }) => ({
      userId,
      role,
      doctorId: role === "DOCTOR" ? await deps.profiles.doctorIdOfUser(userId) : null,
    })),
    reads: deps.readAudit(base.identity),
    loaders: {
      appointments: new DataLoader(async (ids) => byId(ids, await deps.appointments.findByIds(ids))),
      slots: new DataLoader(async (ids) => byId(ids, await deps.slots.findByIds(ids))),
      history: new DataLoader(async (ids) => {
        const changes = await deps.history.ofAppointments(ids);
        return ids.map((id) => changes.filter((c) => c.appointmentId === id));
      }),
      doctorNames: new DataLoader(async (ids) => {
        const names = await deps.profiles.names(ids);
        return ids.map((id) => names.get(id) ?? null);
      }),
      feedbackModeration: new DataLoader(async (ids) => {
        const hidden = new Map((await deps.feedback.moderationOf(ids)).map((m) => [m.appointmentId, m]));
        return ids.map((id) => hidden.get(id) ?? null);
      }),
    },
  };
}
