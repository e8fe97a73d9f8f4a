/**
 * In-memory SchedulingClient: the appointments the scheduling subgraph would list in a doctor's calendar (tests put
 * them here). It applies scheduling's rule that only staff read calendars, and records who asked.
 */
import { forbidden, type Identity } from "@clinigraph/platform";
import type { ScheduledAppointment, SchedulingClient } from "../../src/domain/ports.js";

export class FakeScheduling implements SchedulingClient {
  readonly byDoctor = new Map<string, ScheduledAppointment[]>();
  readonly callers: Identity[] = [];

  put(doctorId: string, appointment: ScheduledAppointment): void {
    this.byDoctor.set(doctorId, [...(this.byDoctor.get(doctorId) ?? []), appointment]);
  }

  async appointments(doctorId: string, from: Date, to: Date, caller: Identity): Promise<ScheduledAppointment[]> {
    this.callers.push(caller);
    if (caller.role !== "ADMIN" && caller.role !== "RECEPTIONIST") throw forbidden();
    return (this.byDoctor.get(doctorId) ?? []).filter((a) => a.startsAt >= from && a.startsAt < to);
  }
}
