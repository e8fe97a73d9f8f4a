/** What the domain needs from the world, implemented in data/ and events/. */
import type { BreakdownDimension, GroupCounts, LoadCounts } from "./breakdownTypes.js";
import type { WeeklyRule } from "@clinigraph/platform/slots";
import type { AppointmentChange, FactWrite, Granularity, KpiFilter, PeriodCounts } from "./types.js";

export interface StatusRepository {
  /** The database's clock. */
  databaseTime(): Promise<Date>;
}

/** The facts analytics keeps, and the figures drawn from them. */
export interface FactRepository {
  /**
   * Merges the events' changes into the facts in one transaction, leaving out events the consumer group handled
   * before (and repeats within the call). Merged in any order and however often, changes give the same facts.
   */
  apply(consumer: string, writes: readonly FactWrite[]): Promise<void>;
  /** Sums per period (by its first day) of the facts whose visit day is in [from, to]; periods without facts are left out. */
  periodCounts(from: string, to: string, granularity: Granularity, filter: KpiFilter): Promise<PeriodCounts[]>;
}

/**
 * Figures of closed periods computed ahead (rollups), per cell of the filter dimensions, exactly as periodCounts
 * would count them. A period's rollup is used only while no fact of its days has changed since it was computed.
 */
export interface RollupRepository {
  /**
   * The rolled-up counts of the filter's cell for each given period (by first day, with its last day) that is rolled
   * up and unchanged since (null: it had no facts in the cell); the others are missing from the answer (count them
   * from the facts). One snapshot.
   */
  read(granularity: Granularity, periods: readonly { start: string; end: string }[], filter: KpiFilter): Promise<Map<string, PeriodCounts | null>>;
  /**
   * Runs `work` on one snapshot of the facts while no other process rolls up (a lock in the database), and commits
   * what it stored; null at once when another process holds the lock.
   */
  exclusive<T>(work: (rollup: RollupWork) => Promise<T>): Promise<T | null>;
}

/** What the rollup job does inside RollupRepository.exclusive. */
export interface RollupWork {
  /**
   * The days recorded as changed (every fact write records its days), up to `maxDays` of them, earliest first, or
   * those in [from, to]; `marks` are the records read, to forget once their days are rolled up.
   */
  changedDays(options: { maxDays?: number; from?: string; to?: string }): Promise<{ days: string[]; marks: string[] }>;
  /** The periods of [from, to] (by first day) that have a rollup. */
  storedPeriods(granularity: Granularity, from: string, to: string): Promise<Set<string>>;
  /** Counts the periods (by first day) from the facts, every cell, and stores them in place of their rollups. */
  store(granularity: Granularity, periods: readonly string[]): Promise<number>;
  /** Deletes change records (rolled up now); records written meanwhile stay. */
  forget(marks: readonly string[]): Promise<void>;
}

/** Tells `kpisToday` subscribers that facts changed (the event that changed them; a redelivery is told once). */
export interface FactSignals {
  changed(eventId: string): Promise<void>;
}

/** Public facts of the doctors subgraph that figures are broken down by. */
export interface Catalogue {
  /** null: the doctors subgraph does not know the doctor. Throws CatalogueUnavailable when it cannot answer. */
  doctor(doctorId: string): Promise<{ specialtyCode: string; location: string | null } | null>;
  service(serviceId: string): Promise<{ code: string; durationMinutes: number } | null>;
  /** Every specialty's code (imported visits name theirs by code). */
  specialtyCodes(): Promise<ReadonlySet<string>>;
  /** Every medical service, by its code. */
  servicesByCode(): Promise<ReadonlyMap<string, { id: string; durationMinutes: number }>>;
  /** The doctor's bookable time as it stands now (not cached); null for a doctor the catalogue does not know. */
  schedule(doctorId: string): Promise<DoctorSchedule | null>;
  /** Every doctor's id. */
  doctorIds(): Promise<string[]>;
}

/** A doctor's weekly schedule (local to `timezone`) and time off, with what offered time is broken down by. */
export interface DoctorSchedule {
  timezone: string;
  rules: WeeklyRule[];
  timeOff: { from: Date; to: Date }[];
  specialtyCode: string;
  location: string | null;
  /** Weekly rules that take over from a local day on (a schedule template applied from a date). */
  upcoming?: { from: string; rules: WeeklyRule[] }[];
  /** Bookable time outside the weekly rules. */
  extraHours?: { from: Date; to: Date; slotMinutes: number }[];
  /** false: a deactivated doctor offers no time. */
  active?: boolean;
}

/** Offered minutes per doctor and day (utilization's denominator). */
export interface SupplyRepository {
  /** Replaces the doctor's days in [fromDay, toDay] with `minutes` (days missing from it are removed). */
  replace(
    doctorId: string,
    fromDay: string,
    toDay: string,
    facts: { specialtyCode: string | null; location: string | null; minutes: ReadonlyMap<string, number> },
  ): Promise<void>;
}

/** Visits imported from another system (appointment facts of source IMPORT). */
export interface ImportedFactRepository {
  /**
   * Inserts the changes as new facts in one transaction; a change whose appointment key or source id is already
   * stored (or comes earlier in the same call) is left out. Returns how many were inserted.
   */
  insertNew(changes: readonly AppointmentChange[]): Promise<number>;
}

export class CatalogueUnavailable extends Error {
  override name = "CatalogueUnavailable";
}

/**
 * Events written in the same transaction as the change they describe (the relay publishes them). `type` is an event
 * type of the catalogue (packages/events/src/catalogue.ts); `payload.id` names the aggregate the event is about.
 */
export interface Outbox {
  append(type: string, payload: { id: string } & Record<string, unknown>, occurredAt: Date): Promise<void>;
}

/** A range's figures broken down by doctor, specialty or service, and by hour of the week. */
export interface BreakdownRepository {
  /** Sums per doctor, specialty or service of the facts whose visit day is in [from, to]; facts naming none are left out. */
  groupCounts(dimension: BreakdownDimension, from: string, to: string, filter: KpiFilter): Promise<GroupCounts[]>;
  /** Booked appointments of [from, to] per weekday and hour of their start in `timezone`; empty cells are left out. */
  loadCounts(from: string, to: string, filter: KpiFilter, timezone: string): Promise<LoadCounts[]>;
}

/** Repositories bound to one transaction. */
export interface TransactionRepositories {
  outbox: Outbox;
}

/** One transaction, retried on deadlocks and serialization failures. */
export interface UnitOfWork {
  run<T>(work: (tx: TransactionRepositories) => Promise<T>): Promise<T>;
}
