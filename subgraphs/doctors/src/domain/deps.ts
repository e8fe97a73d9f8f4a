/** Everything the doctors use cases need, built once by the composition root (index.ts) or by a test. */
import type {
  AccountsClient,
  CatalogueRepository,
  DoctorRepository,
  ExtraHoursRepository,
  ScheduleRepository,
  ScheduleTemplateRepository,
  ScheduleVersionRepository,
  SchedulingClient,
  TimeOffRepository,
  UnitOfWork,
} from "./ports.js";

export interface Deps {
  catalogue: CatalogueRepository;
  doctors: DoctorRepository;
  schedules: ScheduleRepository;
  timeOff: TimeOffRepository;
  templates: ScheduleTemplateRepository;
  versions: ScheduleVersionRepository;
  extraHours: ExtraHoursRepository;
  unitOfWork: UnitOfWork;
  accounts: AccountsClient;
  /** Asked for a preview's conflicting appointments. */
  scheduling: SchedulingClient;
  clock: () => Date;
}
