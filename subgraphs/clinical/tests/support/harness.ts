/**
 * Boots the clinical subgraph as `startClinical` wires it (server on port 0, outbox relay, consumers) against
 * a fresh database of its own, on the in-process event bus, with a settable clock and a fake doctors client
 * (the doctors subgraph's public API: doctors and the medical services catalogue). Calls go over HTTP with
 * a router-signed identity. One harness per test file (`beforeAll`), stopped in `afterAll`.
 */
import { randomUUID } from "node:crypto";
import type { Identity } from "@clinigraph/platform";
import { createMemoryEventBus, type EventBus } from "@clinigraph/events";
import { callSubgraph, createTestDatabase, testEnv, type GraphQLResponse, type TestCaller, type TestDatabase } from "@clinigraph/testing";
import { loadClinicalConfig, startClinical, type ClinicalDeps } from "../../src/index.js";
import type { PrismaClient } from "../../src/data/prisma.js";
import { DoctorsUnavailable, type DoctorRef, type DoctorsClient, type MedicalServiceRef } from "../../src/data/doctorsClient.js";
import { AccountsUnavailable, type FieldCipher, type PatientDirectory } from "@clinigraph/platform";
import { changeEncounter, registerWalkIn } from "../../src/domain/encounters.js";
import type { Actor, Encounter } from "../../src/domain/types.js";

/** Thursday 26 November 2026, 09:00 UTC (10:00 in Berlin). */
export const BASE_TIME = new Date("2026-11-26T09:00:00Z");

export class FakeClock {
  private current = BASE_TIME.getTime();
  readonly now = (): Date => new Date(this.current);
  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
  advanceMinutes(minutes: number): void {
    this.current += minutes * 60_000;
  }
}

/** Part of the committed catalogue (prisma/doctors/migrations/*_catalogue_seed), by code. */
export const SERVICES = {
  GP_CONSULT: { id: "d0c5e700-0000-4000-8000-000000000003", code: "GP_CONSULT", kind: "CONSULTATION" },
  LAB_BLOOD: { id: "d0c5e700-0000-4000-8000-000000000007", code: "LAB_BLOOD", kind: "LAB_TEST" },
  LAB_URINE: { id: "d0c5e700-0000-4000-8000-000000000008", code: "LAB_URINE", kind: "LAB_TEST" },
  IMG_XRAY: { id: "d0c5e700-0000-4000-8000-00000000000a", code: "IMG_XRAY", kind: "IMAGING" },
  PROC_ECG: { id: "d0c5e700-0000-4000-8000-00000000000e", code: "PROC_ECG", kind: "PROCEDURE" },
  OP_APPENDECTOMY: { id: "d0c5e700-0000-4000-8000-000000000012", code: "OP_APPENDECTOMY", kind: "OPERATION" },
} satisfies Record<string, MedicalServiceRef>;

/** What the doctors subgraph would answer; `down` makes every call fail as an unreachable doctors would. */
export class FakeDoctorsClient implements DoctorsClient {
  readonly doctors = new Map<string, DoctorRef>();
  readonly services = new Map<string, MedicalServiceRef>(Object.values(SERVICES).map((s) => [s.id, s]));
  down = false;
  calls = 0;

  async doctor(id: string): Promise<DoctorRef | null> {
    this.calls++;
    if (this.down) throw new DoctorsUnavailable("doctors unreachable (test)");
    return this.doctors.get(id) ?? null;
  }

  async service(id: string): Promise<MedicalServiceRef | null> {
    this.calls++;
    if (this.down) throw new DoctorsUnavailable("doctors unreachable (test)");
    return this.services.get(id) ?? null;
  }
}

/** What accounts would answer about patients: everyone exists except the ids in `missing`; `down` fails every call. */
export class FakePatientDirectory implements PatientDirectory {
  readonly missing = new Set<string>();
  down = false;
  async exists(_caller: Identity, patientId: string): Promise<boolean> {
    if (this.down) throw new AccountsUnavailable("accounts unreachable (test)");
    return !this.missing.has(patientId);
  }
}

export interface Person {
  userId: string;
  caller: TestCaller;
  actor: Actor;
}

export const person = (role: Actor["role"]): Person => {
  const userId = randomUUID();
  return { userId, caller: { userId, role }, actor: { userId, role } };
};

export interface Harness {
  url: string;
  db: TestDatabase;
  prisma: PrismaClient;
  deps: ClinicalDeps;
  /** Opens sealed columns. */
  cipher: FieldCipher;
  bus: EventBus;
  clock: FakeClock;
  doctors: FakeDoctorsClient;
  patients: FakePatientDirectory;
  /** The running subgraph as `startClinical` returned it (relay, consumers, worklist switch). */
  clinical: Awaited<ReturnType<typeof startClinical>>;
  /** A GraphQL call as the router makes it; anonymous (signed, no user) when `caller` is omitted. */
  call<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, caller?: TestCaller): Promise<GraphQLResponse<T>>;
  /** Relays the outbox and waits for the running consumers to handle everything. */
  settle(): Promise<void>;
  /** A doctor (with a doctors-subgraph id the fake knows), a patient and an encounter registered by reception. */
  visit(options?: { start?: boolean }): Promise<{ doctor: Person & { doctorId: string }; patient: Person; encounter: Encounter }>;
  stop(): Promise<void>;
}

export async function startHarness(options: { worklist?: boolean } = {}): Promise<Harness> {
  const db = await createTestDatabase(["clinical"]);
  const env = { ...testEnv(db.url), CLINICAL_PORT: "0", LOG_LEVEL: "silent" };
  const clock = new FakeClock();
  const doctors = new FakeDoctorsClient();
  const patients = new FakePatientDirectory();
  const bus = createMemoryEventBus();
  const clinical = await startClinical(env, { config: loadClinicalConfig(env), clock: clock.now, doctors, patients, bus, worklist: options.worklist });
  const reception = person("RECEPTIONIST");
  const h: Harness = {
    url: clinical.url,
    db,
    prisma: clinical.prisma,
    deps: clinical.deps,
    cipher: clinical.cipher,
    bus,
    clock,
    doctors,
    patients,
    clinical,
    call: (query, variables = {}, caller = { userId: null, role: null }) => callSubgraph(clinical.url, query, variables, caller),
    async settle() {
      while ((await clinical.relay.publishPending()) > 0);
      await clinical.appointments.idle();
      await clinical.worklist.idle();
    },
    async visit({ start = true } = {}) {
      const doctor = { ...person("DOCTOR"), doctorId: randomUUID() };
      doctors.doctors.set(doctor.doctorId, { id: doctor.doctorId, userId: doctor.userId });
      const patient = person("PATIENT");
      let encounter = await registerWalkIn(clinical.deps, reception.actor, { patientId: patient.userId, doctorId: doctor.doctorId });
      if (start) encounter = await changeEncounter(clinical.deps, doctor.actor, { id: encounter.id, action: "START" });
      return { doctor, patient, encounter };
    },
    async stop() {
      await clinical.close();
      await bus.close();
      await db.drop();
    },
  };
  return h;
}

/** The error code of the first GraphQL error, or "OK" when there is none. */
export const codeOf = (res: GraphQLResponse<unknown>): string => res.errors?.[0]?.extensions?.code ?? "OK";
