/** Everything the doctors use cases need, built once by the composition root (index.ts) or by a test. */
import type { AccountsClient, CatalogueRepository, DoctorRepository, ScheduleRepository, TimeOffRepository, UnitOfWork } from "./ports.js";

export interface Deps {
  catalogue: CatalogueRepository;
  doctors: DoctorRepository;
  schedules: ScheduleRepository;
  timeOff: TimeOffRepository;
  unitOfWork: UnitOfWork;
  accounts: AccountsClient;
  clock: () => Date;
}
