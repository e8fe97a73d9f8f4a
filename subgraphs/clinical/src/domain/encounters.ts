/**
 * Encounter use cases: created from scheduling's check-in (idempotent: one encounter per appointment) or
 * by reception for a walk-in; started, finished or refused by the treating doctor; confirmed by reception.
 * Every change is one transaction: row lock, compare-and-set on `version`, the outbox event.
 */
import { randomUUID } from "node:crypto";
import { AccountsUnavailable, badInput, inTransaction, notFound, requireUuid as requireId, serviceUnavailable } from "@clinigraph/platform";
import { seal, toEncounter, toExamination } from "../data/mappers.js";
import { DoctorsUnavailable } from "../data/doctorsClient.js";
import type { Tx } from "../data/prisma.js";
import { encounterPayload, examinationPayload, recordEvent } from "../events/outbox.js";
import type { ClinicalDeps } from "./deps.js";
import { assertCan, type EncounterAction } from "./encounterMachine.js";
import type { Actor, Encounter } from "./types.js";

export { requireUuid as requireId } from "@clinigraph/platform";

export function requireText(value: string | null | undefined, field: string, max: number, required: boolean): string | null {
  const text = value?.trim() ?? "";
  if (!text) {
    if (required) throw badInput(`${field} is required`, field);
    return null;
  }
  if (text.length > max) throw badInput(`${field} must be at most ${max} characters`, field);
  return text;
}

/** A doctor's care relationship with a patient (clinical's own projection; see events/appointments.ts). */
export async function recordCareRelationship(tx: Tx, doctorUserId: string, patientId: string, since: Date, source: string): Promise<void> {
  await tx.careRelationship.createMany({ data: [{ doctorUserId, patientId, since, source }], skipDuplicates: true });
}

export interface CheckIn {
  appointmentId: string;
  patientId: string;
  doctorId: string;
  doctorUserId: string;
  at: Date;
}

/** The encounter for a checked-in appointment; a redelivered check-in finds it and changes nothing. */
export async function encounterFromCheckIn(deps: ClinicalDeps, checkIn: CheckIn): Promise<{ encounter: Encounter; created: boolean }> {
  return inTransaction(deps.prisma, async (tx) => {
    const id = randomUUID();
    const { count } = await tx.encounter.createMany({
      data: [
        {
          id,
          patientId: checkIn.patientId,
          doctorId: checkIn.doctorId,
          doctorUserId: checkIn.doctorUserId,
          appointmentId: checkIn.appointmentId,
          status: "ARRIVED",
          arrivedAt: checkIn.at,
          updatedAt: deps.clock(),
        },
      ],
      skipDuplicates: true,
    });
    const row = await tx.encounter.findUniqueOrThrow({ where: { appointmentId: checkIn.appointmentId } });
    const encounter = toEncounter(deps.cipher, row);
    if (count === 1) {
      await recordCareRelationship(tx, encounter.doctorUserId, encounter.patientId, checkIn.at, "encounter");
      await recordEvent(tx, "EncounterRegistered", encounterPayload(encounter, null, 0), deps.clock());
    }
    return { encounter, created: count === 1 };
  });
}

/** Reception registers a patient who came without an appointment. */
export async function registerWalkIn(deps: ClinicalDeps, actor: Actor, patientIdArg: string, doctorIdArg: string, requestId?: string): Promise<Encounter> {
  const patientId = requireId(patientIdArg, "patientId");
  const doctorId = requireId(doctorIdArg, "doctorId");
  let doctor;
  let patientExists;
  try {
    [doctor, patientExists] = await Promise.all([
      deps.doctors.doctor(doctorId),
      deps.patients.exists({ userId: actor.userId, role: actor.role, requestId: requestId ?? randomUUID() }, patientId),
    ]);
  } catch (err) {
    if (err instanceof DoctorsUnavailable) throw serviceUnavailable("The doctors directory is unavailable; try again shortly");
    if (err instanceof AccountsUnavailable) throw serviceUnavailable("The patient directory is unavailable; try again shortly");
    throw err;
  }
  if (!patientExists) throw notFound("No such patient");
  if (!doctor) throw notFound("No such doctor");
  if (!doctor.userId) throw badInput("This doctor has no user account to treat patients with", "doctorId");
  const now = deps.clock();
  return inTransaction(deps.prisma, async (tx) => {
    const row = await tx.encounter.create({
      data: {
        id: randomUUID(),
        patientId,
        doctorId,
        doctorUserId: doctor.userId!,
        status: "ARRIVED",
        arrivedAt: now,
        registeredBy: actor.userId,
        updatedAt: now,
      },
    });
    const encounter = toEncounter(deps.cipher, row);
    await recordCareRelationship(tx, encounter.doctorUserId, patientId, now, "encounter");
    await recordEvent(tx, "EncounterRegistered", encounterPayload(encounter, actor.userId, 0), now);
    return encounter;
  });
}

export async function lockEncounter(tx: Tx, deps: ClinicalDeps, id: string): Promise<{ encounter: Encounter; pending: number }> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM clinical.encounters WHERE id = ${id}::uuid FOR UPDATE`;
  if (locked.length === 0) throw notFound("No such encounter");
  const row = await tx.encounter.findUniqueOrThrow({ where: { id } });
  const pending = await tx.examination.count({ where: { encounterId: id, status: "ORDERED" } });
  return { encounter: toEncounter(deps.cipher, row), pending };
}

export interface TransitionArgs {
  summary?: string | null;
  reason?: string | null;
}

const EVENT = { START: "EncounterStarted", FINISH: "EncounterFinished", REFUSE: "EncounterRefused", CONFIRM_OUTCOME: "VisitOutcomeConfirmed" } as const;

/** START, FINISH, REFUSE (cancels the ORDERED examinations: nobody will review them) or CONFIRM_OUTCOME. */
export async function changeEncounter(
  deps: ClinicalDeps,
  actor: Actor,
  idArg: string,
  action: Exclude<EncounterAction, "ORDER_EXAMINATION">,
  args: TransitionArgs = {},
): Promise<Encounter> {
  const id = requireId(idArg, "id");
  const summary = action === "FINISH" ? requireText(args.summary, "summary", 10_000, false) : null;
  const reason = action === "REFUSE" ? requireText(args.reason, "reason", 2_000, true) : null;
  return inTransaction(deps.prisma, async (tx) => {
    const { encounter, pending } = await lockEncounter(tx, deps, id);
    assertCan(actor, encounter, action, pending);
    const now = deps.clock();
    let remaining = pending;
    if (action === "REFUSE" && pending > 0) {
      const ordered = await tx.examination.findMany({ where: { encounterId: id, status: "ORDERED" }, orderBy: [{ orderedAt: "asc" }, { id: "asc" }] });
      for (const row of ordered) {
        remaining -= 1;
        const cancelled = await tx.examination.update({
          where: { id: row.id },
          data: {
            status: "CANCELLED",
            cancelledAt: now,
            cancelledBy: actor.userId,
            cancelReasonEnc: seal(deps.cipher, "Treatment refused"),
            version: { increment: 1 },
            updatedAt: now,
          },
        });
        await recordEvent(tx, "ExaminationCancelled", examinationPayload(toExamination(deps.cipher, cancelled), encounter, actor.userId, remaining), now);
      }
    }
    const data =
      action === "START"
        ? { status: "IN_PROGRESS" as const, startedAt: now }
        : action === "FINISH"
          ? { status: "FINISHED" as const, endedAt: now, summaryEnc: seal(deps.cipher, summary) }
          : action === "REFUSE"
            ? { status: "REFUSED" as const, endedAt: now, refusalReasonEnc: seal(deps.cipher, reason) }
            : { outcomeConfirmedAt: now, outcomeConfirmedBy: actor.userId };
    const { count } = await tx.encounter.updateMany({
      where: { id, version: encounter.version },
      data: { ...data, version: { increment: 1 }, updatedAt: now },
    });
    if (count !== 1) throw new Error("encounter changed under its row lock"); // cannot happen: the row is locked
    const after = toEncounter(deps.cipher, await tx.encounter.findUniqueOrThrow({ where: { id } }));
    await recordEvent(tx, EVENT[action], encounterPayload(after, actor.userId, remaining), now);
    return after;
  });
}
