/**
 * The accounts subgraph as scheduling sees it (PatientDirectory), in memory: every id is a patient unless
 * the test says it is unknown (a made-up id) or a staff user's; `down` makes accounts unreachable. Records
 * who asked about whom.
 */
import type { Identity } from "@clinigraph/platform";
import { AccountsUnavailable, type PatientDirectory } from "../../src/index.js";

export class FakePatientDirectory implements PatientDirectory {
  readonly notPatients = new Set<string>();
  readonly asked: { caller: Identity; patientId: string }[] = [];
  down = false;

  async exists(caller: Identity, patientId: string): Promise<boolean> {
    this.asked.push({ caller, patientId });
    if (this.down) throw new AccountsUnavailable("accounts unreachable");
    return !this.notPatients.has(patientId);
  }
}
