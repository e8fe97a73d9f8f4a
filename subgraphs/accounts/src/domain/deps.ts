/** Everything accounts' use cases need, built once by the composition root (server.ts) from data/; faked in unit tests. */
import type { Logger } from "@clinigraph/platform";
import type {
  AccessTokenIssuer,
  AuditStore,
  CareRelationshipSource,
  CareRelationshipStore,
  EmailChangeMessages,
  EmailChangeSettings,
  EmailChangeStore,
  LoginLimits,
  LoginThrottle,
  Mailer,
  PasswordHasher,
  RefreshTokenStore,
  RegistrationCodeStore,
  RegistrationLimits,
  RegistrationThrottle,
  RegistrationVerification,
  UnitOfWork,
  UserStore,
} from "./ports.js";
import type { DataExportSettings, DataExportStore } from "./dataExport.js";

export interface Deps {
  users: UserStore;
  refreshTokens: RefreshTokenStore;
  passwords: PasswordHasher;
  accessTokens: AccessTokenIssuer;
  clock: () => Date;
  refreshTokenTtlMs: number;
  throttle: LoginThrottle;
  loginLimits: LoginLimits;
  /** Registration attempts per client address; absent, or a limit of 0: not throttled. */
  registrationThrottle?: RegistrationThrottle;
  registrationLimits?: RegistrationLimits;
  /** E-mail verification of self-registration (default off); `email` needs `registrationCodes` and `mailer`. */
  registrationVerification?: RegistrationVerification;
  registrationCodes?: RegistrationCodeStore;
  /** Sends registration codes; absent: they can't be sent. */
  mailer?: Mailer;
  /** The e-mail change's code and notices, sent by notifications; absent (no NOTIFICATIONS_URL): e-mail changes are refused. */
  emailChangeMessages?: EmailChangeMessages;
  /** Pending e-mail changes and their limits. */
  emailChanges: EmailChangeStore;
  emailChange: EmailChangeSettings;
  /** Changes other subgraphs act on (deactivation, role), each in one transaction with its outbox event. */
  unitOfWork: UnitOfWork;
  /** Reads of patients' records and privileged actions. */
  audit: AuditStore;
  /** The care-relationship projection (fed by events/consumers/careProjection.ts). */
  careRelationships: CareRelationshipStore;
  /** Asked when the projection misses (scheduling, then clinical); none: the projection alone answers. */
  scheduling: CareRelationshipSource;
  logger: Logger;
  /** Patients' data exports (domain/dataExport.ts) and their limits. */
  dataExports: DataExportStore;
  dataExportSettings: DataExportSettings;
}
