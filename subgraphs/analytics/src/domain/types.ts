/** Domain records of the analytics subgraph (plain data). */
import type { Role } from "@clinigraph/platform";

/** The signed-in caller. */
export interface Actor {
  userId: string;
  role: Role;
}

export interface ServiceStatus {
  service: string;
  databaseTime: Date;
}
