/**
 * The subgraphs `pnpm start` runs in its one process, in start order (a subgraph's neighbours it calls at start come
 * first). `pnpm new:subgraph` adds new ones here.
 */
import type { RunningSubgraph } from "@clinigraph/platform";
import type { EventBus } from "@clinigraph/events";
import { startAccounts } from "@clinigraph/accounts";
import { startDoctors } from "@clinigraph/doctors";
import { startScheduling } from "@clinigraph/scheduling";
import { startClinical } from "@clinigraph/clinical";
import { startNotifications } from "@clinigraph/notifications";
import { startBilling } from "@clinigraph/billing";
import { startAnalytics } from "@clinigraph/analytics";
// new:subgraph imports

/** What a launcher hands every subgraph: the process's environment and its one event bus. */
export type StartSubgraph = (
  env: Record<string, string | undefined>,
  options: { bus: EventBus },
) => Promise<Pick<RunningSubgraph, "url" | "stopWorkers" | "close">>;

export const SUBGRAPHS: { name: string; start: StartSubgraph }[] = [
  { name: "accounts", start: startAccounts },
  { name: "doctors", start: startDoctors },
  { name: "scheduling", start: startScheduling },
  { name: "clinical", start: startClinical },
  { name: "notifications", start: startNotifications },
  { name: "billing", start: startBilling },
  { name: "analytics", start: startAnalytics },
  // new:subgraph starts
];
