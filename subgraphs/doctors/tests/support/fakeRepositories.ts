/** In-memory stand-ins for the repositories, for use-case unit tests without a database. */
import { randomUUID } from "node:crypto";
import type { TransactionRepositories, UnitOfWork } from "../../src/domain/ports.js";
import type { Doctor, MedicalService, Specialty } from "../../src/domain/types.js";

export const SPECIALTIES: Specialty[] = [
  { id: "d0c5ec00-0000-4000-8000-000000000001", code: "GP", name: "General practice" },
  { id: "d0c5ec00-0000-4000-8000-000000000002", code: "CARD", name: "Cardiology" },
];
export const SERVICES: MedicalService[] = [
  { id: "d0c5e700-0000-4000-8000-000000000007", code: "LAB_BLOOD", name: "Blood test", kind: "LAB_TEST", durationMinutes: 10 },
  { id: "d0c5e700-0000-4000-8000-00000000000e", code: "PROC_ECG", name: "ECG", kind: "PROCEDURE", durationMinutes: 15 },
];

export function fakeRepositories(initial: Doctor[] = []) {
  const doctors = new Map(initial.map((d) => [d.id, d]));
  const writes: string[] = [];
  const statusChangedAt = new Map<string, Date>();
  const claimed = new Set<string>();
  /** Events written to the outbox (in the transaction of their change), in order. */
  const events: { type: string; doctorId: string }[] = [];
  const catalogue = {
    findSpecialtyByCode: async (code: string) => SPECIALTIES.find((s) => s.code === code) ?? null,
    servicesByCodes: async (codes: readonly string[]) => SERVICES.filter((s) => codes.includes(s.code)),
    servicesByIds: async (ids: readonly string[]) => SERVICES.filter((s) => ids.includes(s.id)),
  };
  const doctorReads = {
    findById: async (id: string) => doctors.get(id) ?? null,
    findByUserId: async (userId: string) => [...doctors.values()].find((d) => d.userId === userId) ?? null,
  };
  const tx: TransactionRepositories = {
    doctors: {
      lock: async (id) => doctors.has(id),
      add: async (data) => {
        writes.push("doctors.create");
        const doctor: Doctor = { id: randomUUID(), ...data, active: true, deactivatedAt: null, createdAt: new Date(), updatedAt: new Date() };
        doctors.set(doctor.id, doctor);
        return doctor;
      },
      change: async (id, patch) => {
        writes.push("doctors.update");
        const doctor = { ...doctors.get(id)!, ...patch, updatedAt: new Date() };
        doctors.set(id, doctor);
        return doctor;
      },
      setStatus: async (id, { active, at }) => {
        writes.push("doctors.setStatus");
        const doctor = { ...doctors.get(id)!, active, deactivatedAt: active ? null : at, updatedAt: at };
        doctors.set(id, doctor);
        statusChangedAt.set(id, at);
        return doctor;
      },
      status: async (id) => {
        const doctor = doctors.get(id);
        return doctor ? { active: doctor.active, changedAt: statusChangedAt.get(id) ?? null } : null;
      },
    },
    processedEvents: { claim: async (consumer, eventId) => !claimed.has(`${consumer}:${eventId}`) && Boolean(claimed.add(`${consumer}:${eventId}`)) },
    schedules: { replace: async () => void writes.push("schedules.replace") },
    timeOff: {
      add: async (doctorId, t) => {
        writes.push("timeOff.add");
        return { id: randomUUID(), doctorId, ...t, createdAt: new Date() };
      },
    },
    versions: {
      fold: async () => void writes.push("versions.fold"),
      replaceFrom: async () => void writes.push("versions.replaceFrom"),
      dropUntil: async () => void writes.push("versions.dropUntil"),
    },
    extraHours: {
      add: async (doctorId, e) => {
        writes.push("extraHours.add");
        return { id: randomUUID(), doctorId, ...e, createdAt: new Date() };
      },
    },
    outbox: { append: async (type: string, payload: { doctorId: string }) => void events.push({ type, doctorId: payload.doctorId }) },
  };
  const unitOfWork: UnitOfWork = { run: (work) => work(tx) };
  const clock = () => new Date();
  return { catalogue, doctors: doctorReads, unitOfWork, clock, writes, events, store: doctors };
}

export const aDoctor = (overrides: Partial<Doctor> = {}): Doctor => ({
  id: randomUUID(),
  userId: randomUUID(),
  name: "Dr. Ada Lovelace",
  specialtyId: SPECIALTIES[0]!.id,
  licenseNumber: null,
  bio: null,
  location: "Berlin",
  timezone: "Europe/Berlin",
  autoApprove: true,
  active: true,
  deactivatedAt: null,
  createdAt: new Date(),
  updatedAt: new Date(),
  ...overrides,
});
