/**
 * In-memory DoctorsClient: what the doctors subgraph would answer. Tests put snapshots here (and sync
 * them with `syncDoctor`); `syncDoctorSlots` reads them back through this client.
 */
import type { DoctorSnapshot, DoctorsClient } from "../../src/index.js";

export class FakeDoctorsClient implements DoctorsClient {
  readonly snapshots = new Map<string, DoctorSnapshot>();
  /** The catalogue status of services, as doctors would answer (unknown ids: null). */
  readonly serviceStatuses = new Map<string, "ACTIVE" | "RETIRED">();
  /** How many times scheduling looked a service's status up. */
  serviceLookups = 0;

  put(snapshot: DoctorSnapshot): void {
    this.snapshots.set(snapshot.id, snapshot);
  }

  async fetchDoctor(id: string): Promise<DoctorSnapshot | null> {
    return this.snapshots.get(id) ?? null;
  }

  async *fetchAllDoctors(): AsyncIterable<DoctorSnapshot> {
    for (const snapshot of this.snapshots.values()) yield snapshot;
  }

  async serviceStatus(serviceId: string): Promise<"ACTIVE" | "RETIRED" | null> {
    this.serviceLookups++;
    return this.serviceStatuses.get(serviceId) ?? null;
  }
}
