/**
 * The CSV of visits imported from another system: UTF-8 (a byte-order mark is skipped), one row per line (LF or CRLF;
 * empty lines are skipped), fields as RFC 4180 says (quoted fields may hold commas and doubled quotes, never a line
 * break: no field of this format has one). The first line is the header, exactly `VISIT_CSV_HEADER`.
 *
 * Lines are split here and their fields parsed by csv-parse, a block of lines at a time: csv-parse alone cannot tell
 * which line a record started on once quoted fields are involved, and after a malformed quote it reads on into the
 * following lines, losing rows that were fine. A block that does not come out one record per line is parsed again
 * line by line, so a bad line is rejected with its own number and every other line is read as it is.
 */
import { parse } from "csv-parse/sync";
import { isSafeText } from "@clinigraph/platform";

export const VISIT_CSV_COLUMNS = ["source_id", "visit_date", "specialty_code", "service_code", "status", "amount_minor", "currency", "rating"] as const;
export const VISIT_CSV_HEADER = VISIT_CSV_COLUMNS.join(",");
export const IMPORTED_STATUSES: ReadonlySet<string> = new Set(["FULFILLED", "NO_SHOW", "CANCELLED"]);
/** A longer line is rejected without being kept in memory whole (a valid one is far shorter). */
export const MAX_LINE_CHARS = 4_096;
export const MAX_SOURCE_ID_CHARS = 200;
/** The earliest visit day accepted. */
export const FIRST_VISIT_DATE = "1900-01-01";
const MAX_INT4 = 2_147_483_647;

/** One line of the file: its number (the header is line 1) and its text without the line break (null: too long). */
export interface CsvLine {
  line: number;
  text: string | null;
}

/**
 * Cuts decoded text into lines as it arrives, whatever the chunk boundaries: `push` each chunk, then `end`. A line
 * over `maxChars` is reported as null and its text dropped as it arrives, so memory stays bounded.
 */
export class LineSplitter {
  private partial = "";
  private tooLong = false;
  private next = 1;
  private started = false;

  constructor(private readonly maxChars = MAX_LINE_CHARS) {}

  /** Appends to `out` every line that `chunk` completes. */
  push(chunk: string, out: CsvLine[]): void {
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    let start = 0;
    for (let end = chunk.indexOf("\n"); end !== -1; end = chunk.indexOf("\n", start)) {
      this.emit(chunk.slice(start, end), out);
      start = end + 1;
    }
    if (start < chunk.length && !this.tooLong) {
      this.partial += chunk.slice(start);
      if (this.partial.length > this.maxChars + 1) {
        this.tooLong = true;
        this.partial = "";
      }
    }
  }

  /** Appends the last line, if the text did not end with a line break. */
  end(out: CsvLine[]): void {
    if (this.partial !== "" || this.tooLong) this.emit("", out);
  }

  private emit(piece: string, out: CsvLine[]): void {
    let text = this.partial === "" ? piece : this.partial + piece;
    this.partial = "";
    if (text.endsWith("\r")) text = text.slice(0, -1);
    const tooLong = this.tooLong || text.length > this.maxChars;
    this.tooLong = false;
    out.push({ line: this.next++, text: tooLong ? null : text });
  }
}

/** A line without content (nothing, or only spaces and tabs): skipped, it is no row. */
export const isBlank = (text: string) => text === "" || (text.charCodeAt(0) <= 32 && text.trim() === "");

/** What csv-parse reports, said without the line's text (never echoed back: it may hold anything). */
function parseProblem(err: unknown): string {
  switch ((err as { code?: unknown }).code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "a quoted field is not closed on its line";
    case "CSV_INVALID_CLOSING_QUOTE":
      return "a closing quote must be followed by a comma or the end of the line";
    case "INVALID_OPENING_QUOTE":
      return "a quote inside an unquoted field (quote the whole field and double the quotes inside it)";
    default:
      return "not a CSV row";
  }
}

const PARSE_OPTIONS = { relax_column_count: true, record_delimiter: "\n", skip_empty_lines: false } as const;

/** The fields of each line (none blank, none null), or why the line is not CSV. */
export function parseLines(lines: readonly { line: number; text: string }[]): { line: number; fields: string[] | null; problem: string | null }[] {
  if (lines.length === 0) return [];
  try {
    const records = parse(lines.map((l) => l.text).join("\n"), PARSE_OPTIONS) as string[][];
    // One record per line unless a quoted field ran over a line break: then each line on its own.
    if (records.length === lines.length) return lines.map((l, i) => ({ line: l.line, fields: records[i]!, problem: null }));
  } catch {
    // some line is malformed: each line on its own tells which
  }
  return lines.map((l) => {
    try {
      const records = parse(l.text, PARSE_OPTIONS) as string[][];
      return records.length === 1 ? { line: l.line, fields: records[0]!, problem: null } : { line: l.line, fields: null, problem: "not a CSV row" };
    } catch (err) {
      return { line: l.line, fields: null, problem: parseProblem(err) };
    }
  });
}

/** Whether the header line is exactly the expected one (quoted names are read as names). */
export function isVisitHeader(text: string): boolean {
  const [record] = parseLines([{ line: 1, text }]);
  const fields = record?.fields;
  return !!fields && fields.length === VISIT_CSV_COLUMNS.length && fields.every((name, i) => name === VISIT_CSV_COLUMNS[i]);
}

/** What rows are checked against: the doctors catalogue's codes and the clinic's currency. */
export interface VisitRules {
  specialtyCodes: ReadonlySet<string>;
  services: ReadonlyMap<string, { id: string }>;
  currency: string;
}

/** A valid row. */
export interface VisitRow {
  sourceId: string;
  /** YYYY-MM-DD */
  visitDate: string;
  specialtyCode: string;
  serviceCode: string;
  serviceId: string;
  status: string;
  rating: number | null;
  amountMinor: number | null;
  currency: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (text: string) => {
  if (!DAY.test(text)) return false;
  const at = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === text;
};
const LINE_BREAK_OR_TAB = /[\t\n\r\u2028\u2029]/;

/** The row, or what is wrong with it (every rule broken, without echoing the values). */
export function checkVisitRow(fields: readonly string[], rules: VisitRules): VisitRow | string {
  if (fields.length !== VISIT_CSV_COLUMNS.length) return `expected ${VISIT_CSV_COLUMNS.length} fields, found ${fields.length}`;
  const [sourceId, visitDate, specialtyCode, serviceCode, status, amount, currency, rating] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const problems: string[] = [];
  if (sourceId.trim() === "") problems.push("source_id is empty");
  else if (sourceId.length > MAX_SOURCE_ID_CHARS) problems.push(`source_id is longer than ${MAX_SOURCE_ID_CHARS} characters`);
  else if (!isSafeText(sourceId) || LINE_BREAK_OR_TAB.test(sourceId) || sourceId.includes("\ufffd"))
    problems.push("source_id must be one line of text without control characters (and the file UTF-8)");
  if (!isDay(visitDate)) problems.push("visit_date must be a day, YYYY-MM-DD");
  else if (visitDate < FIRST_VISIT_DATE) problems.push(`visit_date must not be before ${FIRST_VISIT_DATE}`);
  if (!rules.specialtyCodes.has(specialtyCode)) problems.push("specialty_code is not a specialty code of the doctors catalogue");
  const service = rules.services.get(serviceCode);
  if (!service) problems.push("service_code is not a service code of the doctors catalogue");
  if (!IMPORTED_STATUSES.has(status)) problems.push("status must be FULFILLED, NO_SHOW or CANCELLED");
  let amountMinor: number | null = null;
  if (amount !== "") {
    amountMinor = /^\d{1,10}$/.test(amount) ? Number(amount) : NaN;
    if (!(amountMinor <= MAX_INT4)) problems.push(`amount_minor must be a whole number of minor units, 0 to ${MAX_INT4}`);
  }
  if (currency !== "" && currency !== rules.currency) problems.push(`currency must be the clinic's, ${rules.currency}`);
  if ((amount === "") !== (currency === "")) problems.push("amount_minor and currency go together: give both or neither");
  if (rating !== "" && !/^[1-5]$/.test(rating)) problems.push("rating must be a whole number from 1 to 5");
  if (problems.length > 0) return problems.join("; ");
  return {
    sourceId,
    visitDate,
    specialtyCode,
    serviceCode,
    serviceId: service!.id,
    status,
    rating: rating === "" ? null : Number(rating),
    amountMinor,
    currency: currency === "" ? null : currency,
  };
}
