/**
 * `DateTime` (ISO-8601 with offset in, UTC ISO-8601 out) and `Date` (YYYY-MM-DD, a real calendar day).
 * Bad values are BAD_USER_INPUT errors, whether they arrive inline or as variables.
 */
import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A value a scalar refused: the caller's input (errors.ts answers it as BAD_USER_INPUT even inside a validation error). */
export class ScalarInputError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: "BAD_USER_INPUT" } });
    this.name = "ScalarInputError";
  }
}

const invalid = (message: string) => new ScalarInputError(message);

export function parseDateTime(value: unknown): Date {
  if (typeof value !== "string" || !ISO_DATE_TIME.test(value))
    throw invalid("DateTime must be an ISO-8601 date-time with a time zone offset, e.g. 2026-03-29T09:00:00Z");
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw invalid("DateTime is not a valid instant");
  parseDate(value.slice(0, 10)); // Date would roll 2025-02-30 over into March

  return date;
}

/** Parses YYYY-MM-DD into a Date at UTC midnight; rejects impossible days like 2026-02-30. */
export function parseDate(value: unknown): Date {
  const match = typeof value === "string" ? ISO_DATE.exec(value) : null;
  if (!match) throw invalid("Date must be YYYY-MM-DD");
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) throw invalid("Date is not a calendar day");
  return date;
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: "DateTime",
  description: "ISO-8601 date-time; always UTC on output",
  serialize(value) {
    const date = value instanceof Date ? value : new Date(value as string);
    if (Number.isNaN(date.getTime())) throw new Error("DateTime cannot represent an invalid date");
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw invalid("DateTime must be a string");
    return parseDateTime(ast.value);
  },
});

export const DateScalar = new GraphQLScalarType<Date, string>({
  name: "Date",
  description: "Calendar date, YYYY-MM-DD",
  serialize(value) {
    const date = value instanceof Date ? value : new Date(value as string);
    if (Number.isNaN(date.getTime())) throw new Error("Date cannot represent an invalid date");
    return date.toISOString().slice(0, 10);
  },
  parseValue: parseDate,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw invalid("Date must be a string");
    return parseDate(ast.value);
  },
});
