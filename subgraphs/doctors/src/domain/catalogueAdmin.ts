/**
 * The catalogue, edited by ADMIN: specialties and medical services are created, renamed (a service also gets a new
 * length or kind), retired and restored; codes never change. Each change writes SpecialtyChanged or
 * MedicalServiceChanged to the outbox in its transaction, under the entry's row lock, so one entry's events keep
 * their order. Retiring or restoring an entry that already is so changes nothing and writes no event; neither does
 * an update that changes nothing.
 *
 * - A specialty is retired only when no doctor has it (CONFLICT INVALID_STATE): give them another one first. Its row
 *   lock and the share lock a doctor's transaction takes on the specialty it is given keep the count exact.
 * - Retiring a service takes it off every doctor's list in the same transaction, and writes DoctorScheduleChanged for
 *   each of those doctors (scheduling re-reads the doctor's services on it). History (appointments, examinations,
 *   invoices) keeps referring to the retired service, which stays readable by id.
 */
import type { MedicalServiceChangedData, SpecialtyChangedData } from "@clinigraph/events";
import { badInput, conflict, isUuid, notFound } from "@clinigraph/platform";
import { catalogueCode, catalogueName, serviceDuration, serviceKind } from "./catalogueRules.js";
import type { Deps } from "./deps.js";
import { requireAdmin } from "./policy.js";
import type { MedicalServicePatch, TransactionRepositories } from "./ports.js";
import type { Actor, MedicalService, Specialty } from "./types.js";

export type CatalogueChange = "CREATED" | "UPDATED" | "RETIRED" | "RESTORED";

export type CatalogueAdminDeps = Pick<Deps, "unitOfWork" | "clock">;

const specialtyNotFound = () => notFound("Specialty not found");
const serviceNotFound = () => notFound("Medical service not found");

export const specialtyEvent = (s: Specialty, change: CatalogueChange, actor: Actor): SpecialtyChangedData => ({
  specialtyId: s.id,
  code: s.code,
  name: s.name,
  status: s.status,
  change,
  actorId: actor.userId,
});

export const serviceEvent = (s: MedicalService, change: CatalogueChange, actor: Actor): MedicalServiceChangedData => ({
  serviceId: s.id,
  code: s.code,
  name: s.name,
  kind: s.kind,
  durationMinutes: s.durationMinutes,
  status: s.status,
  change,
  actorId: actor.userId,
});

/* Specialties. */

export async function createSpecialty(deps: CatalogueAdminDeps, actor: Actor, input: { code: string; name: string }): Promise<Specialty> {
  requireAdmin(actor);
  const code = catalogueCode(input.code, "input.code");
  const name = catalogueName(input.name, "input.name");
  return deps.unitOfWork.run(async (tx) => {
    const specialty = await tx.catalogue.addSpecialty({ code, name });
    await tx.catalogueEvents.specialtyChanged(specialtyEvent(specialty, "CREATED", actor), deps.clock());
    return specialty;
  });
}

/** Locks the specialty (NOT_FOUND when there is none) and applies `change` to it. */
function withSpecialty(deps: CatalogueAdminDeps, id: string, change: (tx: TransactionRepositories, s: Specialty) => Promise<Specialty>) {
  if (!isUuid(id)) throw specialtyNotFound();
  return deps.unitOfWork.run(async (tx) => {
    const specialty = await tx.catalogue.lockSpecialty(id);
    if (!specialty) throw specialtyNotFound();
    return change(tx, specialty);
  });
}

export async function updateSpecialty(deps: CatalogueAdminDeps, actor: Actor, args: { id: string; input: { name: string } }): Promise<Specialty> {
  requireAdmin(actor);
  const name = catalogueName(args.input.name, "input.name");
  return withSpecialty(deps, args.id, async (tx, specialty) => {
    if (specialty.name === name) return specialty;
    const updated = await tx.catalogue.changeSpecialty(specialty.id, { name });
    await tx.catalogueEvents.specialtyChanged(specialtyEvent(updated, "UPDATED", actor), deps.clock());
    return updated;
  });
}

export async function retireSpecialty(deps: CatalogueAdminDeps, actor: Actor, { id }: { id: string }): Promise<Specialty> {
  requireAdmin(actor);
  return withSpecialty(deps, id, async (tx, specialty) => {
    if (specialty.status === "RETIRED") return specialty;
    if ((await tx.catalogue.doctorsWithSpecialty(specialty.id)) > 0)
      throw conflict("Doctors still have this specialty: give them another one first", "INVALID_STATE", "id");
    const now = deps.clock();
    const retired = await tx.catalogue.changeSpecialty(specialty.id, { status: "RETIRED", retiredAt: now });
    await tx.catalogueEvents.specialtyChanged(specialtyEvent(retired, "RETIRED", actor), now);
    return retired;
  });
}

export async function restoreSpecialty(deps: CatalogueAdminDeps, actor: Actor, { id }: { id: string }): Promise<Specialty> {
  requireAdmin(actor);
  return withSpecialty(deps, id, async (tx, specialty) => {
    if (specialty.status === "ACTIVE") return specialty;
    const restored = await tx.catalogue.changeSpecialty(specialty.id, { status: "ACTIVE", retiredAt: null });
    await tx.catalogueEvents.specialtyChanged(specialtyEvent(restored, "RESTORED", actor), deps.clock());
    return restored;
  });
}

/* Medical services. */

export interface CreateMedicalServiceInput {
  code: string;
  name: string;
  kind: string;
  durationMinutes: number;
}

export interface UpdateMedicalServiceInput {
  name?: string | null;
  durationMinutes?: number | null;
  kind?: string | null;
}

export async function createMedicalService(deps: CatalogueAdminDeps, actor: Actor, input: CreateMedicalServiceInput): Promise<MedicalService> {
  requireAdmin(actor);
  const data = {
    code: catalogueCode(input.code, "input.code"),
    name: catalogueName(input.name, "input.name"),
    kind: serviceKind(input.kind, "input.kind"),
    durationMinutes: serviceDuration(input.durationMinutes, "input.durationMinutes"),
  };
  return deps.unitOfWork.run(async (tx) => {
    const service = await tx.catalogue.addService(data);
    await tx.catalogueEvents.serviceChanged(serviceEvent(service, "CREATED", actor), deps.clock());
    return service;
  });
}

function withService(deps: CatalogueAdminDeps, id: string, change: (tx: TransactionRepositories, s: MedicalService) => Promise<MedicalService>) {
  if (!isUuid(id)) throw serviceNotFound();
  return deps.unitOfWork.run(async (tx) => {
    const service = await tx.catalogue.lockService(id);
    if (!service) throw serviceNotFound();
    return change(tx, service);
  });
}

function notNull<T>(value: T | null, field: string): T {
  if (value === null) throw badInput("This field cannot be null", field);
  return value;
}

/** The fields given (null refused: every one of them is required), validated. */
export function servicePatch(input: UpdateMedicalServiceInput): MedicalServicePatch {
  const patch: MedicalServicePatch = {};
  if (input.name !== undefined) patch.name = catalogueName(notNull(input.name, "input.name"), "input.name");
  if (input.kind !== undefined) patch.kind = serviceKind(notNull(input.kind, "input.kind"), "input.kind");
  if (input.durationMinutes !== undefined)
    patch.durationMinutes = serviceDuration(notNull(input.durationMinutes, "input.durationMinutes"), "input.durationMinutes");
  return patch;
}

export async function updateMedicalService(
  deps: CatalogueAdminDeps,
  actor: Actor,
  args: { id: string; input: UpdateMedicalServiceInput },
): Promise<MedicalService> {
  requireAdmin(actor);
  const patch = servicePatch(args.input);
  return withService(deps, args.id, async (tx, service) => {
    const changes = (Object.keys(patch) as (keyof MedicalServicePatch)[]).filter((key) => patch[key] !== service[key]);
    if (changes.length === 0) return service;
    const updated = await tx.catalogue.changeService(service.id, patch);
    await tx.catalogueEvents.serviceChanged(serviceEvent(updated, "UPDATED", actor), deps.clock());
    return updated;
  });
}

export async function retireMedicalService(deps: CatalogueAdminDeps, actor: Actor, { id }: { id: string }): Promise<MedicalService> {
  requireAdmin(actor);
  return withService(deps, id, async (tx, service) => {
    if (service.status === "RETIRED") return service;
    const now = deps.clock();
    // No doctor can be given the service while its row is locked; their rows are locked in id order.
    const doctorIds = await tx.catalogue.doctorsOffering(service.id);
    for (const doctorId of doctorIds) await tx.doctors.lock(doctorId);
    await tx.catalogue.removeServiceFromDoctors(service.id);
    const retired = await tx.catalogue.changeService(service.id, { status: "RETIRED", retiredAt: now });
    await tx.catalogueEvents.serviceChanged(serviceEvent(retired, "RETIRED", actor), now);
    for (const doctorId of doctorIds) await tx.outbox.append("DoctorScheduleChanged", { doctorId }, now);
    return retired;
  });
}

export async function restoreMedicalService(deps: CatalogueAdminDeps, actor: Actor, { id }: { id: string }): Promise<MedicalService> {
  requireAdmin(actor);
  return withService(deps, id, async (tx, service) => {
    if (service.status === "ACTIVE") return service;
    const restored = await tx.catalogue.changeService(service.id, { status: "ACTIVE", retiredAt: null });
    await tx.catalogueEvents.serviceChanged(serviceEvent(restored, "RESTORED", actor), deps.clock());
    return restored;
  });
}
