/**
 * In-memory DoctorsClient: what the doctors subgraph would answer. Tests put snapshots here (and sync
 * them with `syncDoctor`); `syncDoctorSlots` reads them back through this client.
 */
import type { DoctorSnapshot, DoctorsClient } from "../../src/index.js";

export class FakeDoctorsClient implements DoctorsClient {
  readonly snapshots = new Map<string, DoctorSnapshot>();

  put(snapshot: DoctorSnapshot): void {
    this.snapshots.set(snapshot.id, snapshot);
  }

  async fetchDoctor(id: string): Promise<DoctorSnapshot | null> {
    return this.snapshots.get(id) ?? null;
  }

  async *fetchAllDoctors(): AsyncIterable<DoctorSnapshot> {
    for (const snapshot of this.snapshots.values()) yield snapshot;
  }
}
