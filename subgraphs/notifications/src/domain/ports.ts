/** What the domain needs from the world, implemented in data/ and events/. */
import type { Actor, Preferences } from "./types.js";

export interface PreferencesRepository {
  /** The user's stored preferences, or null when they never changed the defaults. */
  find(userId: string): Promise<Preferences | null>;
  save(userId: string, preferences: Preferences, now: Date): Promise<void>;
}

/** The user's contact details, from accounts (never stored here in clear). */
export interface ContactDirectory {
  /** The signed-in user's phone number, or null when the account has none. */
  phoneOf(actor: Actor): Promise<string | null>;
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
}

/** One transaction, retried on deadlocks and serialization failures. */
export interface UnitOfWork {
  run<T>(work: (tx: TransactionRepositories) => Promise<T>): Promise<T>;
}
