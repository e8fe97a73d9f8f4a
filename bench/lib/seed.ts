/**
 * Seeding through the router, as the benchmarks that book do it: doctors over six specialties, each with a weekly
 * schedule (Monday to Friday 08:00–16:00 Europe/Berlin, 30-minute slots), and registered patients (Argon2id included:
 * the time is the registration's real cost). Every call goes through the public API as an admin or a visitor would.
 */
import { performance } from "node:perf_hooks";
import type { createPrisma } from "@clinigraph/scheduling";
import { mapLimit } from "./report.js";
import type { RouterClient } from "./routerClient.js";

export const PASSWORD = "Bench-password-1";
export const ZONE = "Europe/Berlin";

export const LOGIN = `mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken } }`;
const SERVICES = `query { medicalServices { id code } }`;
const CREATE_DOCTOR = `mutation ($i: CreateDoctorInput!) { createDoctor(input: $i) { id } }`;
const SET_SCHEDULE = `mutation ($d: ID!, $r: [ScheduleRuleInput!]!) { setWeeklySchedule(doctorId: $d, rules: $r) { id } }`;
const SYNC_SLOTS = `mutation ($d: ID!) { syncDoctorSlots(doctorId: $d) }`;
const REGISTER = `mutation ($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken refreshToken user { id } } }`;
export const FREE_SLOTS = `query ($f: SlotFilter!, $n: Int) { availableSlots(filter: $f, first: $n) { id startsAt } }`;

export const SPECIALTIES: readonly { code: string; services: readonly string[] }[] = [
  { code: "GP", services: ["GENERAL_CHECKUP", "GP_CONSULT", "FOLLOW_UP_CONSULT"] },
  { code: "CARD", services: ["SPECIALIST_CONSULT", "PROC_ECG"] },
  { code: "DERM", services: ["SPECIALIST_CONSULT", "PROC_SKIN_BIOPSY"] },
  { code: "OBGYN", services: ["SPECIALIST_CONSULT", "PRENATAL_CHECKUP", "IMG_ULTRASOUND"] },
  { code: "PED", services: ["WELL_CHILD_CHECKUP", "GENERAL_CHECKUP", "PROC_VACCINATION"] },
  { code: "RAD", services: ["IMG_XRAY", "IMG_ULTRASOUND", "IMG_CT", "IMG_MRI"] },
];
const WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"];
const WEEKLY_RULES = WEEKDAYS.map((dayOfWeek) => ({ dayOfWeek, startTime: "08:00", endTime: "16:00", slotMinutes: 30 }));

export interface SeededDoctor {
  id: string;
  email: string;
  specialty: string;
  /** The services the doctor offers (ids), in the specialty's order. */
  serviceIds: string[];
  autoApprove: boolean;
}

export interface SeededPatient {
  id: string;
  email: string;
  /** The session registration started: its access token and its (single-use) refresh token. */
  token: string;
  refreshToken: string;
}

/** Signs in and answers the session's tokens (Argon2id: about a third of a second of accounts' CPU). */
export async function login(client: RouterClient, email: string, password: string): Promise<{ accessToken: string; refreshToken: string }> {
  return (await client.must<{ login: { accessToken: string; refreshToken: string } }>(`login ${email}`, LOGIN, { e: email, p: password })).login;
}

/** The catalogue's services: code → id. */
export async function medicalServices(client: RouterClient): Promise<Map<string, string>> {
  const { medicalServices: services } = await client.must<{ medicalServices: { id: string; code: string }[] }>("medicalServices", SERVICES);
  return new Map(services.map((s) => [s.code, s.id]));
}

/** Logs `label done/total` every 10 s while `work` runs (seeding a thousand users takes a while). */
async function withProgress<T>(label: string, total: number, work: (tick: () => void) => Promise<T>): Promise<T> {
  let done = 0;
  const timer = setInterval(() => console.log(`  … ${done}/${total} ${label}`), 10_000);
  try {
    return await work(() => void done++);
  } finally {
    clearInterval(timer);
  }
}

export interface DoctorSeeding {
  count: number;
  parallelism: number;
  runId: string;
  /** Doctor i approves requests at once (default: every doctor). */
  autoApprove?: (i: number) => boolean;
}

/**
 * `count` doctors, doctor i of specialty i mod 6, each created by the admin and given the weekly schedule (from which
 * scheduling generates the slots). Answers them with the latency of each call.
 */
export async function seedDoctors(client: RouterClient, adminToken: string, services: ReadonlyMap<string, string>, options: DoctorSeeding) {
  const serviceId = (code: string) => {
    const id = services.get(code);
    if (!id) throw new Error(`The catalogue has no service ${code}`);
    return id;
  };
  const latencyMs = { createDoctor: [] as number[], setWeeklySchedule: [] as number[] };
  const started = performance.now();
  const doctors = await withProgress("doctors", options.count, (tick) =>
    mapLimit(
      Array.from({ length: options.count }, (_, i) => i),
      options.parallelism,
      async (i): Promise<SeededDoctor> => {
        const specialty = SPECIALTIES[i % SPECIALTIES.length]!;
        const email = `bench.dr${i}.${options.runId}@example.test`;
        const autoApprove = options.autoApprove?.(i) ?? true;
        let callStarted = performance.now();
        const created = await client.must<{ createDoctor: { id: string } }>(
          "createDoctor",
          CREATE_DOCTOR,
          {
            i: {
              email,
              password: PASSWORD,
              name: `Dr. Bench ${specialty.code} ${i + 1}`,
              specialtyCode: specialty.code,
              timezone: ZONE,
              location: i % 2 === 0 ? "Berlin Mitte" : "Berlin Kreuzberg",
              serviceCodes: specialty.services,
              autoApprove,
            },
          },
          adminToken,
        );
        latencyMs.createDoctor.push(performance.now() - callStarted);
        callStarted = performance.now();
        await client.must("setWeeklySchedule", SET_SCHEDULE, { d: created.createDoctor.id, r: WEEKLY_RULES }, adminToken);
        latencyMs.setWeeklySchedule.push(performance.now() - callStarted);
        tick();
        return { id: created.createDoctor.id, email, specialty: specialty.code, serviceIds: specialty.services.map(serviceId), autoApprove };
      },
    ),
  );
  return { doctors, ms: performance.now() - started, latencyMs };
}

/** `count` patients registered through the router, `parallelism` at a time; each keeps the session registration opened. */
export async function registerPatients(client: RouterClient, options: { count: number; parallelism: number; runId: string }) {
  const latencyMs: number[] = [];
  const started = performance.now();
  const patients = await withProgress("patients registered", options.count, (tick) =>
    mapLimit(
      Array.from({ length: options.count }, (_, i) => i),
      options.parallelism,
      async (i): Promise<SeededPatient> => {
        const callStarted = performance.now();
        const email = `bench.p${i}.${options.runId}@example.test`;
        const reply = await client.must<{ registerPatient: { accessToken: string; refreshToken: string; user: { id: string } } }>("registerPatient", REGISTER, {
          i: { email, password: PASSWORD, name: `Bench Patient ${i + 1}`, dateOfBirth: "1980-01-01" },
        });
        latencyMs.push(performance.now() - callStarted);
        tick();
        return { id: reply.registerPatient.user.id, email, token: reply.registerPatient.accessToken, refreshToken: reply.registerPatient.refreshToken };
      },
    ),
  );
  return { patients, ms: performance.now() - started, latencyMs };
}

/** Every doctor must have free slots in `range`; a doctor without any is synced once by the admin. Answers how many were. */
export async function verifySlots(client: RouterClient, doctors: readonly { id: string }[], adminToken: string, range: { from: string; to: string }) {
  let resynced = 0;
  await mapLimit(doctors, 8, async (doctor) => {
    const probe = () => client.must<{ availableSlots: unknown[] }>("availableSlots", FREE_SLOTS, { f: { doctorId: doctor.id, ...range }, n: 1 });
    if ((await probe()).availableSlots.length > 0) return;
    resynced++;
    await client.must("syncDoctorSlots", SYNC_SLOTS, { d: doctor.id }, adminToken);
    if ((await probe()).availableSlots.length === 0) throw new Error(`Doctor ${doctor.id} has no free slots in the searched month, even after syncDoctorSlots`);
  });
  return resynced;
}

/**
 * A production server's autovacuum analyzes tables that grew; with it off (as on the test server of the machine the
 * benchmarks ran on) the planner would know nothing of the slots just written and search them with a sequential scan
 * and a sort. So: ANALYZE once when autovacuum is off. Answers whether it ran.
 */
export async function analyzeWithoutAutovacuum(prisma: ReturnType<typeof createPrisma>): Promise<boolean> {
  const [setting] = await prisma.$queryRaw<{ autovacuum: string }[]>`SELECT current_setting('autovacuum') AS autovacuum`;
  if (setting?.autovacuum === "on") return false;
  await prisma.$executeRawUnsafe("ANALYZE");
  return true;
}
