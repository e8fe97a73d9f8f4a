import type { Logger } from "@clinigraph/platform";
import type { Renderer } from "./messages.js";
import type {
  AccountMessageLog,
  AppointmentStateRepository,
  Channel,
  ContactDirectory,
  DeliveryMetrics,
  DeliveryRepository,
  Directory,
  PreferencesRepository,
  PushSubscriptionRepository,
  UnitOfWork,
} from "./ports.js";
import type { NotificationChannel } from "./types.js";

/** How the scheduler sends what is due. */
export interface DispatchSettings {
  /** Deliveries claimed per pass. */
  batchSize: number;
  /** How long a claim lasts: a scheduler that dies mid-send leaves its claims to another after this. */
  leaseMs: number;
  /** Sends in flight at once. */
  concurrency: number;
  /** Temporary failures: first retry delay, the longest delay, and the attempts before FAILED. */
  retry: { firstDelayMs: number; maxDelayMs: number; maxAttempts: number };
  /** The web app's address: links in messages point into it. */
  webAppUrl: string;
}

/** Everything the notifications use cases need, wired in index.ts (tests pass fakes). */
export interface Deps {
  preferences: PreferencesRepository;
  contacts: ContactDirectory;
  deliveries: DeliveryRepository;
  /** The log's entries of account messages sent at once (POST /internal/messages). */
  accountMessages: AccountMessageLog;
  appointments: AppointmentStateRepository;
  pushSubscriptions: PushSubscriptionRepository;
  directory: Directory;
  channels: Record<NotificationChannel, Channel>;
  render: Renderer;
  dispatch: DispatchSettings;
  /** The VAPID public key browsers subscribe with, or null when push is not configured. */
  pushPublicKey: string | null;
  unitOfWork: UnitOfWork;
  clock: () => Date;
  logger: Logger;
  /** Told of every attempt the scheduler settles (optional: tests leave it out). */
  metrics?: DeliveryMetrics;
}
