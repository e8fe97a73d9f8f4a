/**
 * Patient data export (docs/adr/0027-patient-data-export.md): one JSON document with everything the platform holds
 * about a patient, asked for by the patient (`requestMyDataExport`) or by an ADMIN on their behalf
 * (`requestDataExport`). Requesting stores a PENDING export and answers at once; the export worker (jobs.ts) claims
 * PENDING exports, assembles each through every subgraph's own GraphQL API AS THE PATIENT (so the patient's policy
 * decides what is included, whoever asked), and stores the document sealed until it expires.
 *
 * Rules: at most one PENDING export per patient (the requester asking again gets it back; anyone else: CONFLICT);
 * at most `maxPerDay` requests per patient per 24 hours (RATE_LIMITED); the export is readable by its patient and by
 * the ADMIN who requested it (anyone else: null); requesting and reading the document are audited.
 */
import { randomUUID } from "node:crypto";
import { conflict, notFound, rateLimited, requireUuid, type Identity, type Logger, type Role } from "@clinigraph/platform";
import { readMyRecordAccess } from "./audit.js";
import type { Deps } from "./deps.js";
import { requireRole, requireSignedIn } from "./policy.js";
import type { Actor, UserRecord } from "./types.js";

export type DataExportStatus = "PENDING" | "READY" | "FAILED";

/** An export as the store hands it over (the document itself only through `readDocument`). */
export interface DataExportRecord {
  id: string;
  patientId: string;
  requestedBy: string;
  requestedRole: Role;
  status: DataExportStatus;
  requestedAt: Date;
  attempts: number;
  readyAt: Date | null;
  expiresAt: Date | null;
  failedAt: Date | null;
}

/** A PENDING export a worker took: it alone may complete or fail it while `claimToken` is the row's. */
export interface ClaimedExport {
  id: string;
  patientId: string;
  /** Attempts including this one. */
  attempts: number;
  claimToken: string;
}

/** The exports' table (data/dataExportRepository.ts): documents sealed below this port. */
export interface DataExportStore {
  /** A new PENDING export; null when the patient already has a PENDING one (the one-pending index refused it). */
  create(input: { patientId: string; requestedBy: string; requestedRole: Role; at: Date }): Promise<DataExportRecord | null>;
  findById(id: string): Promise<DataExportRecord | null>;
  findPending(patientId: string): Promise<DataExportRecord | null>;
  /** How many exports of the patient were requested at or after `since`. */
  countRequestedSince(patientId: string, since: Date): Promise<number>;
  /**
   * Claims up to `limit` PENDING exports due at `now` that nobody holds (or whose claim is older than `staleBefore`),
   * oldest first, FOR UPDATE SKIP LOCKED: two workers never take the same one. Counts an attempt on each.
   */
  claim(now: Date, staleBefore: Date, limit: number): Promise<ClaimedExport[]>;
  /** READY with the document (sealed); false when the claim was lost meanwhile (nothing written). */
  complete(claim: ClaimedExport, document: string, readyAt: Date, expiresAt: Date): Promise<boolean>;
  /** Releases the claim for a retry at `retryAt`, or (retryAt null) FAILED; `error` is kept for operators only. */
  fail(claim: ClaimedExport, error: string, now: Date, retryAt: Date | null): Promise<boolean>;
  /** The document in clear, or null when there is none (not READY, or dropped). */
  readDocument(id: string): Promise<string | null>;
  /** Drops the documents of exports expired at `now`; how many. */
  purgeExpired(now: Date): Promise<number>;
}

export interface DataExportSettings {
  /** Requests per patient per 24 hours. */
  maxPerDay: number;
  /** How long a READY document is kept. */
  ttlMs: number;
  /** Attempts before FAILED. */
  maxAttempts: number;
  /** A claim older than this is taken again (its worker died). */
  staleClaimMs: number;
  /** Wait before the next attempt after a failed one (times the attempts so far). */
  retryBackoffMs: number;
}

export const DEFAULT_DATA_EXPORT_SETTINGS: DataExportSettings = {
  maxPerDay: 5,
  ttlMs: 7 * 24 * 3_600_000,
  maxAttempts: 3,
  staleClaimMs: 10 * 60_000,
  retryBackoffMs: 30_000,
};

/** What earlier parts learnt that later parts ask about (billing's prepayments are asked per appointment). */
export interface ExportContext {
  appointmentIds: string[];
  /** Doctors and medical services the parts refer to by id (the directory part names them). */
  doctorIds: Set<string>;
  serviceIds: Set<string>;
}

/**
 * One part of the document, collected from one subgraph's API with the patient's identity (data/exportClients.ts).
 * Throws when the subgraph cannot answer: the attempt fails as a whole (no partial export).
 */
export interface PatientDataSource {
  readonly part: string;
  collect(patient: Actor, context: ExportContext): Promise<unknown>;
  /** What this part adds to the context for the parts after it (scheduling: the appointment ids). */
  learn?(collected: unknown, context: ExportContext): void;
}

type ExportDeps = Pick<Deps, "users" | "audit" | "clock" | "dataExports" | "dataExportSettings">;

const DAY_MS = 24 * 3_600_000;

/** What a FAILED export says: never what went wrong inside. */
export const EXPORT_FAILURE_REASON = "The export could not be assembled: a service of the clinic did not answer. Please request a new export.";

/** PATIENT: an export of their own data. */
export async function requestMyDataExport(deps: ExportDeps, caller: Identity): Promise<DataExportRecord> {
  requireRole(caller, "PATIENT");
  return requestExport(deps, caller as Actor, caller.userId!);
}

/** ADMIN: an export of a patient's data, on their behalf (assembled as the patient all the same). */
export async function requestDataExport(deps: ExportDeps, caller: Identity, input: { patientId: string }): Promise<DataExportRecord> {
  requireRole(caller, "ADMIN");
  const patientId = requireUuid(input.patientId, "patientId");
  const patient = await deps.users.findById(patientId);
  if (!patient?.patient) throw notFound("No such patient");
  return requestExport(deps, caller as Actor, patientId);
}

async function requestExport(deps: ExportDeps, actor: Actor, patientId: string): Promise<DataExportRecord> {
  const now = deps.clock();
  const pendingOrConflict = async (): Promise<DataExportRecord | null> => {
    const pending = await deps.dataExports.findPending(patientId);
    if (!pending) return null;
    if (pending.requestedBy !== actor.userId) throw conflict("An export of this patient's data is already being prepared", "ALREADY_EXISTS");
    return pending;
  };
  let record = await pendingOrConflict();
  if (!record) {
    const { maxPerDay } = deps.dataExportSettings;
    if ((await deps.dataExports.countRequestedSince(patientId, new Date(now.getTime() - DAY_MS))) >= maxPerDay)
      throw rateLimited(`At most ${maxPerDay} data exports per patient per day`, { retryAfter: 3_600 });
    // Another request may have won the one-pending index meanwhile: then it is that one (or CONFLICT).
    record = (await deps.dataExports.create({ patientId, requestedBy: actor.userId, requestedRole: actor.role, at: now })) ?? (await pendingOrConflict());
    if (!record) throw conflict("An export of this patient's data is already being prepared", "ALREADY_EXISTS");
  }
  await deps.audit.record(actor, "DATA_EXPORT_REQUESTED", [patientId], { type: "DataExport", id: record.id });
  return record;
}

/** The patient the export belongs to, and the ADMIN who requested it. */
export function canReadDataExport(caller: Identity, record: Pick<DataExportRecord, "patientId" | "requestedBy">): boolean {
  if (!caller.userId || !caller.role) return false;
  if (caller.role === "PATIENT") return caller.userId === record.patientId;
  return caller.role === "ADMIN" && caller.userId === record.requestedBy;
}

/** One export, or null when there is none the caller may read (unknown and not theirs answer alike). */
export async function readDataExport(deps: Pick<ExportDeps, "dataExports">, caller: Identity, input: { id: string }): Promise<DataExportRecord | null> {
  requireSignedIn(caller);
  const id = requireUuid(input.id, "id");
  const record = await deps.dataExports.findById(id);
  return record && canReadDataExport(caller, record) ? record : null;
}

/** True while the export's document may be read. */
export const isDownloadable = (record: DataExportRecord, now: Date): boolean =>
  record.status === "READY" && record.expiresAt !== null && record.expiresAt.getTime() > now.getTime();

/** The document of a READY, unexpired export the caller may read (audited: DATA_EXPORT_READ), else null. */
export async function readDataExportDocument(
  deps: Pick<ExportDeps, "dataExports" | "audit" | "clock">,
  caller: Identity,
  record: DataExportRecord,
): Promise<string | null> {
  if (!canReadDataExport(caller, record) || !isDownloadable(record, deps.clock())) return null;
  const document = await deps.dataExports.readDocument(record.id);
  if (document === null) return null;
  await deps.audit.record(caller, "DATA_EXPORT_READ", [record.patientId], { type: "DataExport", id: record.id });
  return document;
}

/** For people, on a FAILED export. */
export const failureReason = (record: DataExportRecord): string | null => (record.status === "FAILED" ? EXPORT_FAILURE_REASON : null);

// ---------------------------------------------------------------------------------------------------------------
// The worker's side

/** A patient the export cannot be made for (the account is gone): failed at once, not retried. */
export class PermanentExportError extends Error {
  override name = "PermanentExportError";
}

export interface ExportWorkerDeps extends Pick<Deps, "users" | "audit" | "clock" | "dataExports" | "dataExportSettings"> {
  logger: Logger;
  sources: readonly PatientDataSource[];
}

/**
 * One pass of the worker: claims up to `limit` due exports and assembles them one after the other. Returns how many
 * it claimed (0: nothing to do). Never throws for an export's failure: that export is retried later or FAILED.
 */
export async function runDataExportPass(deps: ExportWorkerDeps, limit = 5): Promise<number> {
  const settings = deps.dataExportSettings;
  const now = deps.clock();
  const claims = await deps.dataExports.claim(now, new Date(now.getTime() - settings.staleClaimMs), limit);
  for (const claim of claims) {
    try {
      const document = await assembleDataExport(deps, claim);
      const readyAt = deps.clock();
      if (!(await deps.dataExports.complete(claim, JSON.stringify(document), readyAt, new Date(readyAt.getTime() + settings.ttlMs))))
        deps.logger.warn({ exportId: claim.id }, "data export: the claim was taken over meanwhile; the document was not stored");
    } catch (err) {
      const permanent = err instanceof PermanentExportError;
      const last = permanent || claim.attempts >= settings.maxAttempts;
      const at = deps.clock();
      const retryAt = last ? null : new Date(at.getTime() + settings.retryBackoffMs * claim.attempts);
      // The message is for operators (subgraph clients' messages name no patient data); the API shows EXPORT_FAILURE_REASON.
      const message = (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 500);
      deps.logger.warn({ exportId: claim.id, attempts: claim.attempts, final: last, err: message }, "data export attempt failed");
      await deps.dataExports.fail(claim, message, at, retryAt);
    }
  }
  return claims.length;
}

/** Drops expired documents; how many. */
export const purgeExpiredDataExports = (deps: Pick<ExportDeps, "dataExports" | "clock">): Promise<number> => deps.dataExports.purgeExpired(deps.clock());

/** The document's format name and version (a reader can tell what it holds). */
export const DATA_EXPORT_FORMAT = "clinigraph.patient-data-export";
export const DATA_EXPORT_VERSION = 1;

/**
 * The whole document of one claimed export: accounts' own parts (profile, who read the record) through its own use
 * cases as the patient, then every source in turn, each as the patient.
 */
export async function assembleDataExport(deps: ExportWorkerDeps, claim: Pick<ClaimedExport, "id" | "patientId">): Promise<Record<string, unknown>> {
  const user = await deps.users.findById(claim.patientId);
  if (!user?.patient) throw new PermanentExportError("the patient's account no longer exists");
  const patient: Actor = { userId: user.id, role: "PATIENT", requestId: randomUUID() };
  const document: Record<string, unknown> = {
    format: DATA_EXPORT_FORMAT,
    version: DATA_EXPORT_VERSION,
    exportId: claim.id,
    generatedAt: deps.clock().toISOString(),
    patientId: user.id,
    profile: profileOf(user),
    recordAccess: await recordAccessOf(deps, patient),
  };
  const context: ExportContext = { appointmentIds: [], doctorIds: new Set(), serviceIds: new Set() };
  for (const source of deps.sources) {
    const collected = await source.collect(patient, context);
    source.learn?.(collected, context);
    document[source.part] = collected;
  }
  return document;
}

/** accounts' part: the user and the patient profile, national id included (the patient may read it). */
export function profileOf(user: UserRecord): Record<string, unknown> {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    phone: user.phone,
    role: user.role,
    createdAt: user.createdAt.toISOString(),
    dateOfBirth: user.patient?.dateOfBirth ? user.patient.dateOfBirth.toISOString().slice(0, 10) : null,
    gender: user.patient?.gender ?? null,
    nationalId: user.patient?.nationalId ?? null,
  };
}

/** Upper bound of pages read from one connection (100 entries each): a cursor that never ends is an error, not a loop. */
export const MAX_EXPORT_PAGES = 1_000;

/** Who read the patient's record (`myRecordAccess`, every page), with the reader's name and role. */
async function recordAccessOf(deps: Pick<Deps, "audit" | "users">, patient: Actor): Promise<Record<string, unknown>[]> {
  const entries: Record<string, unknown>[] = [];
  let after: string | null = null;
  for (let page = 0; ; page++) {
    if (page >= MAX_EXPORT_PAGES) throw new Error("recordAccess: too many pages");
    const connection = await readMyRecordAccess(deps, patient, { first: 100, after });
    const actorIds = [...new Set(connection.edges.map((e) => e.node.actorId).filter((id): id is string => id !== null))];
    const actors = new Map((await deps.users.findByIds(actorIds)).map((u) => [u.id, u]));
    for (const { node } of connection.edges) {
      const actor = node.actorId ? actors.get(node.actorId) : undefined;
      entries.push({
        id: node.id,
        at: node.at.toISOString(),
        action: node.action,
        actorId: node.actorId,
        actorRole: node.actorRole,
        // The name of staff (as `AuditEntry.actor` shows it to the patient); never another patient's.
        actorName: actor && (actor.role !== "PATIENT" || actor.id === patient.userId) ? actor.name : null,
        requestId: node.requestId,
      });
    }
    if (!connection.pageInfo.hasNextPage) return entries;
    after = connection.pageInfo.endCursor;
  }
}
