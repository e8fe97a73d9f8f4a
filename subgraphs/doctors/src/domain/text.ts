/** Free-text fields: trimmed, length-limited; an empty optional text is stored as null. */
import { badInput } from "@clinigraph/platform";

export function requiredText(value: string | null | undefined, field: string, maxLength: number): string {
  const trimmed = value?.trim() ?? "";
  if (!trimmed) throw badInput("This field is required", field);
  if (trimmed.length > maxLength) throw badInput(`At most ${maxLength} characters`, field);
  return trimmed;
}

export function optionalText(value: string | null | undefined, field: string, maxLength: number): string | null {
  const trimmed = value?.trim() ?? "";
  if (!trimmed) return null;
  if (trimmed.length > maxLength) throw badInput(`At most ${maxLength} characters`, field);
  return trimmed;
}

export const TEXT_LIMITS = { name: 200, licenseNumber: 64, bio: 4000, location: 200, reason: 500 } as const;
