import type { Logger } from "@clinigraph/platform";
import type { ContactDirectory, PreferencesRepository, UnitOfWork } from "./ports.js";

/** Everything the notifications use cases need, wired in index.ts (tests pass fakes). */
export interface Deps {
  preferences: PreferencesRepository;
  contacts: ContactDirectory;
  unitOfWork: UnitOfWork;
  clock: () => Date;
  logger: Logger;
}
