import { badInput, requireUuid as requireId } from "@clinigraph/platform";

export { requireUuid as requireId } from "@clinigraph/platform";

export function optionalId(value: string | null | undefined, field: string): string | null {
  return value === null || value === undefined ? null : requireId(value, field);
}

export function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  const text = value?.trim();
  if (!text) return null;
  if (text.length > max) throw badInput(`At most ${max} characters`, field);
  return text;
}
