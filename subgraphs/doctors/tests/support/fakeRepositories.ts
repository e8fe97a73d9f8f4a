/** In-memory stand-ins for the repositories, for use-case unit tests without a database. */
import { randomUUID } from "node:crypto";
import { conflict } from "@clinigraph/platform";
import type { CatalogueWrites, TransactionRepositories, UnitOfWork } from "../../src/domain/ports.js";
import type { Doctor, MedicalService, Specialty } from "../../src/domain/types.js";

export const SPECIALTIES: Specialty[] = [
  { id: "d0c5ec00-0000-4000-8000-000000000001", code: "GP", name: "General practice", status: "ACTIVE", retiredAt: null },
  { id: "d0c5ec00-0000-4000-8000-000000000002", code: "CARD", name: "Cardiology", status: "ACTIVE", retiredAt: null },
];
export const SERVICES: MedicalService[] = [
  {
    id: "d0c5e700-0000-4000-8000-000000000007",
    code: "LAB_BLOOD",
    name: "Blood test",
    kind: "LAB_TEST",
    durationMinutes: 10,
    status: "ACTIVE",
    retiredAt: null,
  },
  { id: "d0c5e700-0000-4000-8000-00000000000e", code: "PROC_ECG", name: "ECG", kind: "PROCEDURE", durationMinutes: 15, status: "ACTIVE", retiredAt: null },
];

/** The catalogue's transactional writes over in-memory lists (codes unique, as the database's index makes them). */
export function fakeCatalogueWrites(
  specialties: Specialty[],
  services: MedicalService[],
  doctorServices: { doctorId: string; serviceId: string }[] = [],
  doctorsOf: (specialtyId: string) => number = () => 0,
): CatalogueWrites {
  const taken = (code: string) => {
    if ([...specialties, ...services].some((e) => e.code === code)) throw conflict("This code is already taken", "ALREADY_EXISTS", "input.code");
  };
  const replace = <T extends { id: string }>(list: T[], id: string, patch: Partial<T>) => {
    const index = list.findIndex((e) => e.id === id);
    list[index] = { ...list[index]!, ...patch };
    return list[index]!;
  };
  return {
    addSpecialty: async (data) => {
      taken(data.code);
      const specialty: Specialty = { id: randomUUID(), ...data, status: "ACTIVE", retiredAt: null };
      specialties.push(specialty);
      return specialty;
    },
    lockSpecialty: async (id) => specialties.find((s) => s.id === id) ?? null,
    changeSpecialty: async (id, patch) => replace(specialties, id, patch),
    doctorsWithSpecialty: async (id) => doctorsOf(id),
    addService: async (data) => {
      taken(data.code);
      const service: MedicalService = { id: randomUUID(), ...data, status: "ACTIVE", retiredAt: null };
      services.push(service);
      return service;
    },
    lockService: async (id) => services.find((s) => s.id === id) ?? null,
    changeService: async (id, patch) => replace(services, id, patch),
    doctorsOffering: async (serviceId) =>
      doctorServices
        .filter((row) => row.serviceId === serviceId)
        .map((row) => row.doctorId)
        .sort(),
    removeServiceFromDoctors: async (serviceId) => {
      for (let i = doctorServices.length - 1; i >= 0; i--) if (doctorServices[i]!.serviceId === serviceId) doctorServices.splice(i, 1);
    },
    retiredAmong: async (specialtyIds, serviceIds) => ({
      specialties: specialties.filter((s) => specialtyIds.includes(s.id) && s.status === "RETIRED"),
      services: services.filter((s) => serviceIds.includes(s.id) && s.status === "RETIRED"),
    }),
  };
}

export function fakeRepositories(initial: Doctor[] = [], catalogueWrites: CatalogueWrites = fakeCatalogueWrites([...SPECIALTIES], [...SERVICES])) {
  const doctors = new Map(initial.map((d) => [d.id, d]));
  const writes: string[] = [];
  const statusChangedAt = new Map<string, Date>();
  const claimed = new Set<string>();
  /** Events written to the outbox (in the transaction of their change), in order. */
  const events: { type: string; doctorId: string }[] = [];
  /** Catalogue events written to the outbox, in order. */
  const catalogueEvents: { type: string; payload: Record<string, unknown> }[] = [];
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
    catalogue: catalogueWrites,
    catalogueEvents: {
      serviceChanged: async (payload) => void catalogueEvents.push({ type: "MedicalServiceChanged", payload: { ...payload } }),
      specialtyChanged: async (payload) => void catalogueEvents.push({ type: "SpecialtyChanged", payload: { ...payload } }),
    },
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
  return { catalogue, doctors: doctorReads, unitOfWork, clock, writes, events, catalogueEvents, store: doctors };
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
