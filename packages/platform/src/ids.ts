import { badInput } from "./errors.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else cannot name a row (and must not reach a uuid column). */
export const isUuid = (value: unknown): value is string => typeof value === "string" && UUID.test(value);

/** An id argument: a UUID (lower-cased) or BAD_USER_INPUT naming the field. */
export function requireUuid(value: string, field: string): string {
  if (!isUuid(value)) throw badInput("Not a valid id", field);
  return value.toLowerCase();
}
