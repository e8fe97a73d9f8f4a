import type { Logger } from "@clinigraph/platform";
import type { Catalogue, FactRepository, SupplyRepository, FactSignals, ImportedFactRepository, StatusRepository, UnitOfWork } from "./ports.js";
import type { BreakdownRepository, RollupRepository } from "./ports.js";
import type { Pseudonyms } from "./pseudonyms.js";

export interface AnalyticsSettings {
  timezone: string;
  currency: string;
  /** Figures drawn from fewer distinct patients are suppressed. */
  minCell: number;
}

/** Everything the analytics use cases need, wired in index.ts (tests pass fakes). */
export interface Deps {
  status: StatusRepository;
  facts: FactRepository;
  rollups: RollupRepository;
  breakdowns: BreakdownRepository;
  supply: SupplyRepository;
  signals: FactSignals;
  imports: ImportedFactRepository;
  catalogue: Catalogue;
  pseudonyms: Pseudonyms;
  settings: AnalyticsSettings;
  unitOfWork: UnitOfWork;
  clock: () => Date;
  logger: Logger;
}
