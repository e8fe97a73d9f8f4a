/**
 * Visits imported from another system (the CSV of visitCsv.ts), through `importVisitsCsv` (ADMIN, one request's worth)
 * or the `pnpm analytics:import <file.csv>` command (a file of any size, read as a stream). Both run `importVisits`:
 * - each valid row becomes an appointment fact of source IMPORT: its visit day as given, requested and booked at the
 *   start of that day in the clinic's time zone (so it counts as requested and booked), its status, rating and
 *   amount; the appointment key is the keyed hash of its source_id, and no patient (the other system's visits name
 *   none — suppression counts each imported row as a patient of its own, see factRepository.ts);
 * - a row that breaks a rule is rejected with its line number (the header is line 1) and what is wrong, and the
 *   good rows are kept; a row whose source_id was imported before (or earlier in the file) is skipped;
 * - rows are inserted in batches, each its own transaction: an interrupted import keeps the batches it finished, and
 *   running it again skips them. One batch is written while the next is read and checked, so memory stays flat.
 */
import { DateTime } from "luxon";
import { badInput, forbidden, serviceUnavailable } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { CatalogueUnavailable } from "./ports.js";
import type { Actor, AppointmentChange } from "./types.js";
import { checkVisitRow, isBlank, isVisitHeader, LineSplitter, parseLines, VISIT_CSV_HEADER, type CsvLine, type VisitRow, type VisitRules } from "./visitCsv.js";

/** The largest CSV `importVisitsCsv` takes (UTF-8 bytes): well inside the router's 1 MB request limit. */
export const MAX_CSV_BYTES = 512 * 1024;
/** Rejected rows `importVisitsCsv` lists (all are counted). */
export const REJECTED_LISTED = 1_000;
export const DEFAULT_BATCH_ROWS = 2_000;

export interface RejectedRow {
  line: number;
  reason: string;
}

export interface ImportReport {
  /** Rows inserted. */
  imported: number;
  /** Valid rows whose source_id was imported before (or earlier in the same file). */
  skipped: number;
  /** The first rejected rows, by line. */
  rejected: RejectedRow[];
  rejectedCount: number;
}

export interface ImportProgress {
  /** Rows read so far (the header and empty lines not counted). */
  rows: number;
  imported: number;
  skipped: number;
  rejected: number;
}

export interface ImportOptions {
  /** How many rejected rows the report lists (default REJECTED_LISTED). */
  listRejected?: number;
  /** Rows per batch (one INSERT, one transaction). */
  batchRows?: number;
  /** Told after each batch is written. */
  onProgress?: (progress: ImportProgress) => void;
}

type ImportDeps = Pick<Deps, "catalogue" | "imports" | "pseudonyms" | "settings">;

const headerError = () => badInput(`The first line must be the header ${VISIT_CSV_HEADER}`, "csv");

/** The catalogue's codes and the clinic's currency (SERVICE_UNAVAILABLE when the doctors subgraph does not answer). */
async function visitRules(deps: ImportDeps): Promise<VisitRules> {
  try {
    const [specialtyCodes, services] = await Promise.all([deps.catalogue.specialtyCodes(), deps.catalogue.servicesByCode()]);
    return { specialtyCodes, services, currency: deps.settings.currency };
  } catch (err) {
    if (err instanceof CatalogueUnavailable) throw serviceUnavailable("The doctors catalogue did not answer: try again later");
    throw err;
  }
}

/** The instant a day starts in `timezone`, remembered per day (an import spans a few thousand days at most). */
function dayStarts(timezone: string): (day: string) => Date {
  const known = new Map<string, Date>();
  return (day) => {
    let at = known.get(day);
    if (!at) {
      if (known.size >= 50_000) known.clear();
      at = DateTime.fromISO(day, { zone: timezone }).startOf("day").toJSDate();
      known.set(day, at);
    }
    return at;
  };
}

/** The appointment fact an imported row becomes. */
export function importedChange(row: VisitRow, appointmentKey: string, dayStart: Date): AppointmentChange {
  return {
    appointmentKey,
    source: "IMPORT",
    sourceId: row.sourceId,
    patientKey: null,
    doctorId: null,
    specialtyCode: row.specialtyCode,
    serviceId: row.serviceId,
    serviceCode: row.serviceCode,
    location: null,
    visitDate: row.visitDate,
    startsAt: null,
    endsAt: null,
    requestedAt: dayStart,
    answeredAt: null,
    bookedAt: dayStart,
    checkedInAt: null,
    needsApproval: false,
    status: row.status,
    statusAt: dayStart,
    statusEventId: "import",
    rating: row.rating,
    amountMinor: row.amountMinor,
    currency: row.currency,
  };
}

/**
 * Imports the CSV read from `input` (text, or UTF-8 bytes in chunks of any size). BAD_USER_INPUT when the first line
 * is not the header, before anything is written.
 */
export async function importVisits(
  deps: ImportDeps,
  input: AsyncIterable<string | Uint8Array> | Iterable<string>,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const listRejected = options.listRejected ?? REJECTED_LISTED;
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  const rules = await visitRules(deps);
  const dayStart = dayStarts(deps.settings.timezone);
  const decoder = new TextDecoder("utf-8");
  const splitter = new LineSplitter();

  const progress: ImportProgress = { rows: 0, imported: 0, skipped: 0, rejected: 0 };
  const rejected: RejectedRow[] = [];
  const reject = (line: number, reason: string) => {
    progress.rejected++;
    if (rejected.length < listRejected) rejected.push({ line, reason });
  };

  // One batch in flight while the next is read; its failure is kept until it is awaited (never unhandled).
  let writing: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | null = null;
  const written = async () => {
    await writing;
    if (failure) throw failure.error;
  };

  let header = false;
  let pending: CsvLine[] = [];
  let rows: CsvLine[] = [];
  const take = () => {
    for (const line of pending) {
      if (!header) {
        if (line.text === null || !isVisitHeader(line.text)) throw headerError();
        header = true;
      } else if (line.text === null || !isBlank(line.text)) rows.push(line);
    }
    pending = [];
  };
  const flush = async () => {
    const block = rows.length > batchRows ? rows.slice(0, batchRows) : rows;
    rows = rows.length > batchRows ? rows.slice(batchRows) : [];
    const parsed = parseLines(block.filter((l): l is { line: number; text: string } => l.text !== null));
    const changes: AppointmentChange[] = [];
    let next = 0;
    for (const { line, text } of block) {
      progress.rows++;
      if (text === null) {
        reject(line, "the line is too long");
        continue;
      }
      const { fields, problem } = parsed[next++]!;
      const checked = fields ? checkVisitRow(fields, rules) : problem!;
      if (typeof checked === "string") reject(line, checked);
      else changes.push(importedChange(checked, deps.pseudonyms.imported(checked.sourceId), dayStart(checked.visitDate)));
    }
    await written();
    writing = deps.imports.insertNew(changes).then(
      (inserted) => {
        progress.imported += inserted;
        progress.skipped += changes.length - inserted;
        options.onProgress?.({ ...progress });
      },
      (error: unknown) => {
        failure = { error };
      },
    );
    // Let the driver send the batch now, not after the next block is checked (promise callbacks alone never yield).
    await new Promise((resolve) => setImmediate(resolve));
  };

  for await (const chunk of input) {
    splitter.push(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }), pending);
    take();
    while (rows.length >= batchRows) await flush();
  }
  splitter.push(decoder.decode(), pending);
  splitter.end(pending);
  take();
  if (!header) throw headerError();
  while (rows.length > 0) await flush();
  await written();
  // Blocks are checked in the order of their lines: the list is by line.
  return { imported: progress.imported, skipped: progress.skipped, rejected, rejectedCount: progress.rejected };
}

/** The mutation: ADMIN only, a CSV of at most MAX_CSV_BYTES (larger files: the command). */
export async function importVisitsCsv(deps: ImportDeps & Pick<Deps, "logger">, actor: Actor, csv: string): Promise<ImportReport> {
  if (actor.role !== "ADMIN") throw forbidden("Importing visits is for administrators");
  if (Buffer.byteLength(csv, "utf8") > MAX_CSV_BYTES)
    throw badInput(`The CSV is larger than ${MAX_CSV_BYTES / 1024} KiB: import larger files with pnpm analytics:import <file.csv>`, "csv");
  const report = await importVisits(deps, [csv]);
  deps.logger.info({ userId: actor.userId, imported: report.imported, skipped: report.skipped, rejected: report.rejectedCount }, "visits imported");
  return report;
}
