/**
 * What the domain asks of the world: repositories over scheduling's tables (implemented in data/), the unit of
 * work that runs a use case in one transaction, the outbox (events/outbox.ts), and the other subgraphs.
 * Methods named `lock…` take row or advisory locks and only make sense inside `unitOfWork.run`.
 */
import type { AppointmentEventData, AppointmentEventType } from "@clinigraph/events";
import type { WeeklyRule } from "@clinigraph/platform/slots";
import type { FeedbackComment, FeedbackModeration } from "./feedbackModeration.js";
import type { StatusChange } from "./holds.js";
import type {
  Appointment,
  AppointmentChange,
  AppointmentChanges,
  AppointmentStatus,
  ChangeRecord,
  DoctorBookingProfile,
  NewAppointment,
  Slot,
  SlotStatus,
  WaitlistEntry,
} from "./types.js";

/** Transaction-scoped advisory locks: one patient's bookings, one doctor's schedule sync. */
export interface Locks {
  patient(patientId: string): Promise<void>;
  doctor(doctorId: string): Promise<void>;
}

/** The result of moving an appointment to another time: moved, changed meanwhile, or the time overlaps another live appointment. */
export type MoveResult = { kind: "MOVED"; appointment: Appointment } | { kind: "CHANGED" } | { kind: "OVERLAP" };

export type OwnerScope = { patientId: string } | { doctorId: string };

export interface AppointmentRepository {
  /** Locks the row (FOR UPDATE) and reads it. */
  lock(id: string): Promise<Appointment | null>;
  /** The appointments with these ids (ids that are not UUIDs find nothing). */
  findByIds(ids: readonly string[]): Promise<Appointment[]>;
  /** A patient's or a doctor's appointments by (startsAt, id), after the key `after`; `take` rows at most. */
  listOwn(scope: OwnerScope, query: { status?: AppointmentStatus | null; after: { startsAt: Date; id: string } | null; take: number }): Promise<Appointment[]>;
  /** Appointments over [from, to), of one doctor or all, by (startsAt, id). */
  calendar(doctorId: string | null, from: Date, to: Date, take: number): Promise<Appointment[]>;
  insert(data: NewAppointment, now: Date): Promise<Appointment>;
  /** Compare-and-set: moves the appointment only if it is still in one of `from`; null otherwise. */
  transition(id: string, from: readonly AppointmentStatus[], changes: AppointmentChanges, now: Date): Promise<Appointment | null>;
  /**
   * `transition` to another time under a savepoint: when the exclusion constraint finds another live appointment of
   * the doctor over that time, the update is rolled back to the savepoint and the transaction goes on (OVERLAP).
   */
  move(id: string, from: readonly AppointmentStatus[], changes: AppointmentChanges, now: Date): Promise<MoveResult>;
  /** Records the rating of a FULFILLED appointment without feedback yet; false when there is none such. */
  recordFeedback(id: string, feedback: { rating: number; comment: string | null }, now: Date): Promise<boolean>;
  /** Every live appointment of the doctor over this time, overbooked ones included. */
  liveOverlapping(doctorId: string, startsAt: Date, endsAt: Date): Promise<Appointment[]>;
  countLivePatientDoctor(patientId: string, doctorId: string, from: Date, to: Date, exceptId?: string): Promise<number>;
  /** Ids of PENDING appointments whose hold ended by `now`, the oldest hold first. */
  dueHolds(now: Date, take: number): Promise<string[]>;
  /** Flags the doctor's live appointments over this time for staff; those it flagged now (already flagged ones are not). */
  flagNeedsAttention(doctorId: string, startsAt: Date, endsAt: Date, now: Date): Promise<Appointment[]>;
  /**
   * Flags every upcoming (PENDING or BOOKED, starting at or after `from`) appointment of the doctor for staff; the
   * appointments flagged, by start.
   */
  flagUpcoming(doctorId: string, from: Date, now: Date): Promise<Appointment[]>;
  /** Of `patientIds`, those with an appointment with any doctor profile of this user. */
  patientsOfDoctorUser(doctorUserId: string, patientIds: readonly string[]): Promise<string[]>;
}

export interface SlotRepository {
  /** Locks the row (FOR UPDATE) and reads it. */
  lock(id: string): Promise<Slot | null>;
  findById(id: string): Promise<Slot | null>;
  /** The slots with these ids, in that order (ids that are not UUIDs find nothing). */
  findByIds(ids: readonly string[]): Promise<Slot[]>;
  /** FREE slots from `earliest` to `to`, by (startsAt, id). */
  searchFree(query: {
    earliest: Date;
    to: Date;
    doctorIds: readonly string[] | null;
    specialtyCode: string | null;
    location: string | null;
    take: number;
  }): Promise<Slot[]>;
  /**
   * Ranked alternatives: the same doctor's free slots nearest in time to the wanted one, then free slots of other
   * doctors offering the service (or of the same specialty when no service was named).
   */
  alternatives(wanted: Slot, serviceId: string | null, earliest: Date, limit: number): Promise<Slot[]>;
  setStatus(slotId: string | null, status: SlotStatus): Promise<void>;
  /**
   * A live appointment on its slot, the slot BUSY — or null when the exclusion constraint says another live
   * appointment of the doctor overlaps that time (rolled back to a savepoint; the transaction goes on).
   */
  take(data: NewAppointment & { slotId: string }, now: Date): Promise<Appointment | null>;
  /**
   * Frees the slot unless another live appointment still covers it, and records it for the waitlist
   * (pending offers) in the same transaction. Whether the slot was freed.
   */
  release(slot: { id: string | null; doctorId: string; startsAt: Date; endsAt: Date }, exceptAppointmentId: string, now: Date): Promise<boolean>;
  /** The doctor's slots starting at or after `from`. */
  startingFrom(doctorId: string, from: Date): Promise<Slot[]>;
  /** Deletes these slots unless BUSY; how many. */
  removeUnbooked(ids: readonly string[]): Promise<number>;
  /** Sets `to` on those of these slots that are `from`; how many. */
  switchStatus(ids: readonly string[], from: SlotStatus, to: SlotStatus): Promise<number>;
  /** Creates slots, skipping times the doctor already has; how many. */
  addMany(slots: readonly Omit<Slot, "id">[]): Promise<number>;
  /** Future slots carry the doctor's specialty and location for search. */
  relabel(doctorId: string, from: Date, labels: { specialtyCode: string; location: string | null }): Promise<void>;
}

/** Scheduling's copy of a doctor (from the doctors subgraph). */
export interface DoctorProfile extends DoctorBookingProfile {
  userId: string;
  name: string;
  specialtyCode: string;
  location: string | null;
  rules: WeeklyRule[];
  timeOff: { from: string; to: string }[];
  version: string;
  syncedAt: Date;
}

export interface DoctorProfileRepository {
  bookingProfile(doctorId: string): Promise<DoctorBookingProfile | null>;
  /** The Doctor id of a doctor's user, or null when scheduling has no profile for them. */
  doctorIdOfUser(userId: string): Promise<string | null>;
  /** Doctors offering the service. */
  offering(serviceId: string): Promise<string[]>;
  /** Names of the doctors with a profile here, by Doctor id. */
  names(doctorIds: readonly string[]): Promise<Map<string, string>>;
  /** Marks the doctor's profile active or not; false when scheduling has no profile for them. */
  setActive(doctorId: string, active: boolean): Promise<boolean>;
  /** Writes the profile; what it said of specialty and location before (null when new). */
  save(profile: DoctorProfile): Promise<{ specialtyCode: string; location: string | null } | null>;
}

export interface WaitlistRepository {
  create(entry: WaitlistEntry): Promise<WaitlistEntry>;
  ofPatient(patientId: string): Promise<WaitlistEntry[]>;
  /** WAITING entries that match the slot, in line order, except those in `exclude` (read without locks). */
  candidates(
    slot: Pick<Slot, "doctorId" | "startsAt">,
    serviceIds: readonly string[],
    exclude: readonly string[],
    take: number,
  ): Promise<{ id: string; patientId: string }[]>;
  /** Locks the entry if it is still WAITING and still matches the slot. */
  lockMatching(
    entryId: string,
    slot: Pick<Slot, "doctorId" | "startsAt">,
    serviceIds: readonly string[],
  ): Promise<{ id: string; serviceId: string | null } | null>;
  markOffered(entryId: string, appointmentId: string): Promise<void>;
}

/** Freed slots whose waitlist offer has not run yet (written by `SlotRepository.release`). */
export interface PendingOfferRepository {
  freedAt(slotId: string): Promise<Date | null>;
  /** Deletes the record if it is still the one freed at `freedAt`. */
  clear(slotId: string, freedAt: Date): Promise<void>;
  /** Slots freed before `before`, oldest first. */
  freedBefore(before: Date, take: number): Promise<string[]>;
}

export interface HistoryRepository {
  /** Appends an entry; listed by insertion order (several may share one instant). */
  record(appointmentId: string, change: ChangeRecord, at: Date): Promise<void>;
  /** The appointment's status changes in order. */
  statusChanges(appointmentId: string): Promise<StatusChange[]>;
  /** The history of each of these appointments, in order. */
  ofAppointments(ids: readonly string[]): Promise<AppointmentChange[]>;
}

/** Appends an event to the outbox inside the running transaction. */
export interface Outbox {
  append(type: AppointmentEventType, payload: AppointmentEventData, occurredAt: Date): Promise<void>;
}

/** Audits reads of other people's appointments (a PatientRecordAccessed event each). */
export interface ReadRecorder {
  /** Records the caller's read of these appointments' patients (their own are skipped). */
  appointments(appointments: readonly ({ patientId: string } | null | undefined)[]): Promise<void>;
}

/** Submission times [from, to) of feedback; null bounds are open. */
export interface FeedbackRange {
  from: Date | null;
  to: Date | null;
}

/** Ratings and comments of appointments, and the moderation of comments (data/feedbackRepository.ts). */
export interface FeedbackRepository {
  /** How many ratings of 1..5 (index 0: rating 1) match: of one doctor, one service, or all (null), submitted in the range. */
  ratingCounts(filter: FeedbackRange & { doctorId: string | null; serviceId: string | null }): Promise<number[]>;
  /** The same counts per doctor or per service (key null: appointments without a service), for groups with ratings. */
  ratingCountsBy(group: "doctor" | "service", range: FeedbackRange): Promise<{ key: string | null; counts: number[] }[]>;
  /** Comments, newest first by (submittedAt, appointmentId), after the key `after`; hidden ones only with includeHidden. */
  comments(query: {
    doctorId: string | null;
    serviceId: string | null;
    includeHidden: boolean;
    after: { submittedAt: Date; appointmentId: string } | null;
    take: number;
  }): Promise<FeedbackComment[]>;
  /** The moderation of these appointments' comments (hidden ones only). */
  moderationOf(appointmentIds: readonly string[]): Promise<FeedbackModeration[]>;
  /** Hides the comment unless it is hidden already; whether it was hidden now. */
  hide(moderation: FeedbackModeration): Promise<boolean>;
  /** Shows the comment again; whether it was hidden. */
  unhide(appointmentId: string): Promise<boolean>;
}

export interface Repositories {
  appointments: AppointmentRepository;
  feedback: FeedbackRepository;
  slots: SlotRepository;
  profiles: DoctorProfileRepository;
  waitlist: WaitlistRepository;
  pendingOffers: PendingOfferRepository;
  history: HistoryRepository;
}

/** The repositories of one transaction, with its locks and outbox. */
export interface TxRepositories extends Repositories {
  locks: Locks;
  outbox: Outbox;
  processedEvents: ProcessedEvents;
}

/** Events a consumer handled, recorded in the transaction of their effect (a redelivery is recognised). */
export interface ProcessedEvents {
  /** true the first time `consumer` claims `eventId`; false when it was handled before (a concurrent duplicate waits, then gets false). */
  claim(consumer: string, eventId: string): Promise<boolean>;
}

export interface UnitOfWork {
  /** Runs `work` in one transaction (run again when PostgreSQL aborts it for a deadlock or a serialization failure). */
  run<T>(work: (tx: TxRepositories) => Promise<T>): Promise<T>;
}

/** A doctor as the doctors subgraph tells it. */
export interface DoctorSnapshot {
  id: string;
  userId: string | null;
  name: string;
  timezone: string;
  autoApprove: boolean;
  specialtyCode: string;
  location: string | null;
  serviceIds: string[];
  rules: WeeklyRule[];
  timeOff: { from: string; to: string }[];
  /** false: deactivated — no slots are offered and nobody may book them. Absent: active. */
  active?: boolean;
  /** Weekly rules that take over from a local day (YYYY-MM-DD in `timezone`) on, earliest first; absent: none. */
  upcoming?: { from: string; rules: WeeklyRule[] }[];
  /** Bookable time outside the weekly rules (UTC, ISO 8601), cut into slots of slotMinutes; absent: none. */
  extraHours?: { from: string; to: string; slotMinutes: number }[];
}

/** The doctors subgraph (data/doctorsClient.ts). */
export interface DoctorsClient {
  /** null when doctors does not know the id. */
  fetchDoctor(id: string): Promise<DoctorSnapshot | null>;
  /** Every doctor, page by page. */
  fetchAllDoctors(): AsyncIterable<DoctorSnapshot>;
  /** A medical service's catalogue status (ACTIVE or RETIRED); null when doctors does not know the id. */
  serviceStatus(serviceId: string): Promise<"ACTIVE" | "RETIRED" | null>;
}
