import { badInput } from "@clinigraph/platform";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === "string" && UUID.test(value);

export function requireId(value: string, field: string): string {
  if (!isUuid(value)) throw badInput("Not a valid id", field);
  return value.toLowerCase();
}

export function optionalId(value: string | null | undefined, field: string): string | null {
  return value === null || value === undefined ? null : requireId(value, field);
}

export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  const text = value?.trim();
  if (!text) return null;
  if (text.length > max) throw badInput(`At most ${max} characters`, field);
  return text;
}
