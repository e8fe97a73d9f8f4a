/** What the domain needs from the world, implemented in data/ and events/. */
import type { RenderedMessage } from "./messages.js";
import type { Actor, AppointmentState, Delivery, DeliveryStatus, NewDelivery, NotificationChannel, Preferences } from "./types.js";

export interface PreferencesRepository {
  /** The user's stored preferences, or null when they never changed the defaults. */
  find(userId: string): Promise<Preferences | null>;
  /** Stored preferences of these users (users on the defaults are absent). */
  findMany(userIds: readonly string[]): Promise<Map<string, Preferences>>;
  save(userId: string, preferences: Preferences, now: Date): Promise<void>;
}

/** A user's contact details as accounts knows them now (asked at send time, never stored here). */
export interface Contact {
  userId: string;
  /** The user's display name. */
  name: string | null;
  email: string | null;
  /** E.164, e.g. +491701234567, when the account has a phone number. */
  phone: string | null;
}

/** The user's contact details, from accounts (never stored here in clear). */
export interface ContactDirectory {
  /** The signed-in user's phone number, or null when the account has none (asked as the user). */
  phoneOf(actor: Actor): Promise<string | null>;
  /**
   * Contact details of these users (at most 500), asked with the notifications service's own identity; users accounts
   * does not know are left out. Throws ContactsUnavailable when accounts cannot answer.
   */
  contactsOf(userIds: readonly string[]): Promise<Contact[]>;
}

/** A browser's push subscription (the Push API's PushSubscription: endpoint and keys, base64url). */
export interface PushSubscriptionRecord {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** Who a message goes to, with what each channel needs. */
export interface Recipient {
  userId: string;
  email: string | null;
  phone: string | null;
  pushSubscriptions: readonly PushSubscriptionRecord[];
}

/** One message to send on one channel. */
export interface OutgoingMessage {
  /**
   * Unique per delivery and the same on every attempt: the e-mail's Message-ID, the push Topic, the SMS provider's
   * idempotency key. A retry after a crash between send and commit carries the same key.
   */
  idempotencyKey: string;
  recipient: Recipient;
  message: RenderedMessage;
}

export interface SendResult {
  /** The provider's id of the message (SMTP Message-ID / queue id, the SMS provider's id, the push service's Location). */
  providerMessageId: string | null;
  /** PUSH: endpoints the push service answered 404 or 410 for: the subscription is gone and must be removed. */
  goneEndpoints?: string[];
}

/**
 * Why a send failed. `permanent`: retrying cannot help (no address, rejected recipient, channel not configured):
 * the delivery ends FAILED. Otherwise it is retried with backoff.
 */
export class DeliveryFailure extends Error {
  override name = "DeliveryFailure";
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly goneEndpoints: string[] = [],
  ) {
    super(message);
  }
}

/** One way of reaching people (e-mail, SMS, push). */
export interface Channel {
  readonly channel: NotificationChannel;
  /** null when the channel can send; else why not (e.g. "SMS is not configured: set TWILIO_ACCOUNT_SID ..."). */
  readonly notConfigured: string | null;
  /** Sends one message; throws DeliveryFailure (anything else thrown counts as a temporary failure). */
  send(message: OutgoingMessage): Promise<SendResult>;
  close(): Promise<void>;
}

/** accounts did not answer: the change cannot be checked now. */
export class ContactsUnavailable extends Error {
  override name = "ContactsUnavailable";
}

/**
 * Events written in the same transaction as the change they describe (the relay publishes them). `type` is an event
 * type of the catalogue (packages/events/src/catalogue.ts); `payload.id` names the aggregate the event is about.
 */
export interface Outbox {
  append(type: string, payload: { id: string } & Record<string, unknown>, occurredAt: Date): Promise<void>;
}

/** Repositories bound to one transaction. */
export interface TransactionRepositories {
  outbox: Outbox;
  /** Records that a consumer handled an event; false when it already had (a redelivery). */
  markProcessed(consumer: string, eventId: string): Promise<boolean>;
  /** Stored preferences of these users (users on the defaults are absent). */
  preferencesOf(userIds: readonly string[]): Promise<Map<string, Preferences>>;
  deliveries: {
    /** Adds deliveries (SCHEDULED); those whose dedupe key exists are left as they are. Returns how many were added. */
    add(deliveries: readonly NewDelivery[], now: Date): Promise<number>;
  };
  /** Appointment events, a block at a time (domain/intake.ts): one round trip to start, one to finish. */
  appointmentEvents: AppointmentEventBlocks;
}

/** What a block of appointment events starts from. */
export interface AppointmentBlockStart {
  /** The block's events the consumer had not handled before (they are now recorded as handled). */
  unhandled: Set<string>;
  /** Each appointment's stored state, its row locked to the end of the transaction. */
  stored: Map<string, AppointmentState>;
  /** Stored preferences of the users asked for (users on the defaults are absent). */
  preferences: Map<string, Preferences>;
}

/** A new delivery with the status it starts in: SCHEDULED, or CANCELLED for a reminder a later event made obsolete. */
export type PlannedDelivery = NewDelivery & { status: "SCHEDULED" | "CANCELLED" };

/** What a block of appointment events changes, written at once. */
export interface AppointmentBlockOutcome {
  /** Appointments whose state changed, with their new state. */
  states: AppointmentState[];
  /** Deliveries to add; those whose dedupe key exists are left as they are. */
  deliveries: PlannedDelivery[];
  /**
   * The reminders of these appointments are reconciled with the dedupe keys: a CANCELLED reminder in `keep` that is
   * still due is made SCHEDULED again; a SCHEDULED reminder not in `keep` is CANCELLED, and so is one whose time has
   * passed that is not in `keptThroughout` (an event in between cancelled it, and a cancelled reminder whose time
   * has passed is never revived).
   */
  reminders: { appointmentIds: string[]; keep: string[]; keptThroughout: string[] };
}

export interface AppointmentEventBlocks {
  /**
   * Records `eventIds` as handled by `consumer` and answers those it had not handled; creates the rows of
   * appointments heard of for the first time from `states` (one per appointment: its first state in the block), locks
   * the rows of all of them to the end of the transaction and answers their stored states; reads the preferences of
   * `userIds`.
   */
  start(consumer: string, eventIds: readonly string[], states: readonly AppointmentState[], userIds: readonly string[]): Promise<AppointmentBlockStart>;
  /** Writes the block's outcome at `now`; answers the deliveries added and the reminders cancelled. */
  finish(outcome: AppointmentBlockOutcome, now: Date): Promise<{ added: number; cancelled: number }>;
}

/** Filters of the ADMIN view of the delivery log. */
export interface DeliveryFilter {
  recipientId?: string | null;
  appointmentId?: string | null;
  kind?: string | null;
  channel?: NotificationChannel | null;
  status?: Exclude<DeliveryStatus, "SENDING"> | null;
  from?: Date | null;
  to?: Date | null;
}

/** The ledger outside a transaction: the scheduler's claims and outcomes, and the log's reads. */
export interface DeliveryRepository {
  /**
   * Claims up to `limit` deliveries due at `now` (SCHEDULED, or SENDING whose lease ran out: a scheduler died
   * mid-send) with FOR UPDATE SKIP LOCKED: each becomes SENDING until now + leaseMs, its attempts counted. Two
   * schedulers never claim the same delivery.
   */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<Delivery[]>;
  /** Outcome of a claimed delivery (only while it is still SENDING: a cancelled one stays cancelled). */
  markSent(id: string, outcome: { subject: string; providerMessageId: string | null }, now: Date): Promise<void>;
  markFailed(id: string, error: string, subject: string | null, now: Date): Promise<void>;
  retryLater(id: string, error: string, dueAt: Date, now: Date): Promise<void>;
  /** The earliest due time of a SCHEDULED delivery, or null. */
  nextDueAt(): Promise<Date | null>;
  /** SCHEDULED deliveries due at `now` or before (waiting for a scheduler), and the earliest due time among them. */
  overdue(now: Date): Promise<{ count: number; oldestDueAt: Date | null }>;
  listForRecipient(userId: string, first: number, after: { createdAt: Date; id: string } | null): Promise<Delivery[]>;
  list(filter: DeliveryFilter, first: number, after: { createdAt: Date; id: string } | null): Promise<Delivery[]>;
  /** The reminders of an appointment, by due time. */
  remindersOf(appointmentId: string): Promise<Delivery[]>;
}

/**
 * What the scheduler tells of each attempt it settles (metrics/deliveries.ts counts it): the delivery's channel and
 * kind, the outcome, its attempts so far (1 for the first), when it was due and when the outcome was recorded.
 */
export interface DeliveryMetrics {
  attempted(attempt: { channel: NotificationChannel; kind: string; outcome: "sent" | "failed" | "retried"; attempts: number; dueAt: Date; at: Date }): void;
}

/**
 * The delivery log's entries of messages sent at once (domain/accountMessages.ts): kind, channel EMAIL, subject and
 * status; no body, no address, no code. Their rows are never claimed by the scheduler (no lease).
 */
export interface AccountMessageLog {
  /**
   * Claims `dedupeKey` at `now`: a new SENDING entry, or an existing one of the same kind and recipient that FAILED or
   * has been SENDING since before `staleBefore` (taken over, its attempts counted): `claimed`. Otherwise the existing
   * entry's status; `mismatch` when it is of another kind or recipient.
   */
  claim(
    entry: { dedupeKey: string; recipientId: string; kind: string },
    now: Date,
    staleBefore: Date,
  ): Promise<{ id: string; claimed: boolean; status: DeliveryStatus; mismatch: boolean; attempts: number }>;
  markSent(id: string, outcome: { subject: string; providerMessageId: string | null }, now: Date): Promise<void>;
  markFailed(id: string, error: string, subject: string | null, now: Date): Promise<void>;
}

export interface AppointmentStateRepository {
  find(appointmentId: string): Promise<AppointmentState | null>;
}

export interface PushSubscriptionRepository {
  /** Stores the subscription for the user (an endpoint registered by another user before moves to this one). */
  save(userId: string, subscription: PushSubscriptionRecord, now: Date): Promise<void>;
  /** Removes the user's subscription; false when the user had none with that endpoint. */
  removeForUser(userId: string, endpoint: string): Promise<boolean>;
  /** Removes subscriptions the push service says are gone. */
  removeEndpoints(endpoints: readonly string[]): Promise<void>;
  ofUsers(userIds: readonly string[]): Promise<Map<string, PushSubscriptionRecord[]>>;
}

/** A doctor as messages name them (public data from the doctors subgraph). */
export interface DoctorCard {
  name: string;
  timezone: string;
  location: string | null;
}

/** Public facts messages are written with: doctors, services, free times (asked of doctors and scheduling). */
export interface Directory {
  /** null when the doctors subgraph does not know the doctor. Throws DirectoryUnavailable when it cannot answer. */
  doctor(doctorId: string): Promise<DoctorCard | null>;
  serviceName(serviceId: string): Promise<string | null>;
  /** Up to `count` free starts of the doctor after `after`, soonest first (empty when scheduling cannot answer). */
  freeStarts(doctorId: string, after: Date, count: number): Promise<Date[]>;
  /**
   * Up to `count` free slots after `after` of other doctors of the doctor's specialty, soonest first, with the
   * doctors' names (empty when doctors or scheduling cannot answer).
   */
  sameSpecialtyFreeSlots(doctorId: string, after: Date, count: number): Promise<{ startsAt: Date; doctorName: string }[]>;
}

/** doctors (or scheduling) did not answer. */
export class DirectoryUnavailable extends Error {
  override name = "DirectoryUnavailable";
}

/** One transaction, retried on deadlocks and serialization failures. */
export interface UnitOfWork {
  run<T>(work: (tx: TransactionRepositories) => Promise<T>): Promise<T>;
}
