import type { Deps } from "./deps.js";
import type { Actor, ServiceStatus } from "./types.js";

/** The scaffold's example use case: (deps, actor, input) like every use case. */
export async function serviceStatus(deps: Pick<Deps, "status">, _actor: Actor, _input: Record<string, never> = {}): Promise<ServiceStatus> {
  return { service: "analytics", databaseTime: await deps.status.databaseTime() };
}
