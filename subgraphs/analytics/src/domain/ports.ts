/** What the domain needs from the world, implemented in data/ and events/. */

export interface StatusRepository {
  /** The database's clock. */
  databaseTime(): Promise<Date>;
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
