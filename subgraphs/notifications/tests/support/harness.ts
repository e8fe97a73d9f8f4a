/**
 * Boots the real notifications subgraph on port 0 against a fresh test database and calls it as the router would.
 * Events arrive on an in-memory bus (`publish`); the scheduler does not run on its own: tests call `dispatch(now)`
 * with their clock. accounts and doctors are replaced by directories the test fills (`people`, `doctors`); e-mail
 * goes to whatever SMTP_URL the test gives (a real SMTP server).
 */
import { randomUUID } from "node:crypto";
import { createMemoryEventBus, type AppointmentEventData, type EventBus, type EventCatalogue, type EventType, type StreamName } from "@clinigraph/events";
import type { Role } from "@clinigraph/platform";
import { callSubgraph, createTestDatabase, publishAndSettle, TEST_ROUTER_SECRETS, type GraphQLResponse, type TestDatabase } from "@clinigraph/testing";
import { startNotifications, dispatchDue, type StartNotificationsOptions } from "../../src/index.js";
import type { DispatchReport } from "../../src/domain/dispatch.js";
import type { Contact, ContactDirectory, Directory, DoctorCard } from "../../src/domain/ports.js";
import { ContactsUnavailable } from "../../src/domain/ports.js";

export interface Harness {
  url: string;
  db: TestDatabase;
  call(query: string, caller?: { userId: string; role: Role }, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  /** Phone numbers the fake accounts directory knows, by user id. */
  phones: Map<string, string>;
  /** Contact details the fake accounts directory knows, by user id. */
  people: Map<string, Contact>;
  /** Doctors the fake doctors directory knows, by doctor id; free times it offers after a rejection. */
  doctors: Map<string, DoctorCard>;
  freeStarts: Date[];
  /** Free slots of other doctors of the same specialty (APPOINTMENT_NEEDS_REBOOKING). */
  specialtySlots: { startsAt: Date; doctorName: string }[];
  /** accounts unreachable while true. */
  accountsDown: { value: boolean };
  /** The service's clock (fake): set `clock.now`. */
  clock: { now: Date };
  bus: EventBus;
  running: Awaited<ReturnType<typeof startNotifications>>;
  /** Publishes events (handled by the subgraph's consumers) and waits until they are handled. */
  publish<T extends EventType>(stream: StreamName, events: { type: T; data: EventCatalogue[T]; id?: string; time?: string }[]): Promise<string[]>;
  /** A patient and their doctor (Dr. Anna Weber, Europe/Berlin) the directories know, with unique addresses. */
  patientAndDoctor(): People;
  /** A BOOKED appointment of these people's as its events carry it (patch to change status, actor, …). */
  appointment(p: People, startsAt: string, patch?: Partial<AppointmentEventData>): AppointmentEventData;
  /** One scheduler pass at `now` (default: the fake clock). */
  dispatch(now?: Date): Promise<DispatchReport>;
  stop(): Promise<void>;
}

export interface People {
  patientId: string;
  doctorUserId: string;
  doctorId: string;
  patientEmail: string;
  doctorEmail: string;
  /** The patient as a caller. */
  patient: { userId: string; role: "PATIENT" };
}

export const BERLIN_DOCTOR: DoctorCard = { name: "Dr. Anna Weber", timezone: "Europe/Berlin", location: "Building B, room 2.14" };

export interface HarnessOptions extends Pick<StartNotificationsOptions, "channels" | "retry"> {
  env?: Record<string, string>;
  /** Start at this instant (default 2027-03-01T09:00Z). */
  now?: Date;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const db = await createTestDatabase(["notifications"]);
  const phones = new Map<string, string>();
  const people = new Map<string, Contact>();
  const doctors = new Map<string, DoctorCard>();
  const freeStarts: Date[] = [];
  const specialtySlots: { startsAt: Date; doctorName: string }[] = [];
  const accountsDown = { value: false };
  const clock = { now: options.now ?? new Date("2027-03-01T09:00:00Z") };
  const contacts: ContactDirectory = {
    phoneOf: async (actor) => phones.get(actor.userId) ?? null,
    contactsOf: async (userIds) => {
      if (accountsDown.value) throw new ContactsUnavailable("accounts: unreachable");
      return userIds.flatMap((id) => (people.has(id) ? [people.get(id)!] : []));
    },
  };
  const directory: Directory = {
    doctor: async (id) => doctors.get(id) ?? null,
    serviceName: async () => "General consultation",
    freeStarts: async (_doctorId, after, count) => freeStarts.filter((start) => start > after).slice(0, count),
    sameSpecialtyFreeSlots: async (_doctorId, after, count) => specialtySlots.filter((slot) => slot.startsAt > after).slice(0, count),
  };
  const bus = createMemoryEventBus();
  const running = await startNotifications(
    {
      DATABASE_URL: db.url,
      CLINIGRAPH_ROUTER_SECRETS: TEST_ROUTER_SECRETS.join(","),
      NOTIFICATIONS_PORT: "0",
      NOTIFICATIONS_SCHEDULER: "off",
      WEB_APP_URL: "https://app.clinic.example",
      LOG_LEVEL: "silent",
      ...options.env,
    },
    {
      contacts,
      directory,
      bus,
      clock: () => clock.now,
      ...(options.channels ? { channels: options.channels } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
    },
  );
  return {
    url: running.url,
    db,
    phones,
    people,
    doctors,
    freeStarts,
    specialtySlots,
    accountsDown,
    clock,
    bus,
    running,
    call: (query, caller, variables = {}) => callSubgraph(running.url, query, variables, caller ?? { userId: null, role: null }),
    publish: (stream, events) => publishAndSettle(bus, running.workers.consumers, stream, events, clock.now),
    patientAndDoctor() {
      const [patientId, doctorUserId, doctorId] = [randomUUID(), randomUUID(), randomUUID()];
      const tag = randomUUID().slice(0, 8);
      const patientEmail = `patient.${tag}@example.test`;
      const doctorEmail = `doctor.${tag}@example.test`;
      people.set(patientId, { userId: patientId, name: `Patient ${tag}`, email: patientEmail, phone: null });
      people.set(doctorUserId, { userId: doctorUserId, name: BERLIN_DOCTOR.name, email: doctorEmail, phone: null });
      doctors.set(doctorId, BERLIN_DOCTOR);
      return { patientId, doctorUserId, doctorId, patientEmail, doctorEmail, patient: { userId: patientId, role: "PATIENT" } };
    },
    appointment: (p, startsAt, patch = {}) => ({
      appointmentId: randomUUID(),
      patientId: p.patientId,
      doctorId: p.doctorId,
      doctorUserId: p.doctorUserId,
      serviceId: randomUUID(),
      status: "BOOKED",
      startsAt,
      endsAt: new Date(Date.parse(startsAt) + 30 * 60_000).toISOString(),
      actorId: p.patientId,
      ...patch,
    }),
    dispatch: (now) => dispatchDue(running.deps, now ?? clock.now),
    async stop() {
      await running.close();
      await db.drop();
    },
  };
}
