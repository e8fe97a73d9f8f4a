import type { Logger } from "@clinigraph/platform";
import type { StatusRepository, UnitOfWork } from "./ports.js";

/** Everything the analytics use cases need, wired in index.ts (tests pass fakes). */
export interface Deps {
  status: StatusRepository;
  unitOfWork: UnitOfWork;
  clock: () => Date;
  logger: Logger;
}
