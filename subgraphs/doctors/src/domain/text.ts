/**
 * Free-text fields: trimmed, length-limited; an empty optional text is stored as null. Bidirectional
 * override/isolate and control characters are refused (BAD_USER_INPUT on the field); names,
 * licence numbers and locations are single-line, bios and reasons may hold line breaks and tabs.
 */
import { badInput, checkHumanText } from "@clinigraph/platform";

/** Fields (last segment of the path) whose text may span lines. */
const MULTILINE_FIELDS = new Set(["bio", "reason"]);

const checked = (text: string, field: string) => checkHumanText(text, field, { singleLine: !MULTILINE_FIELDS.has(field.split(".").pop() ?? field) });

export function requiredText(value: string | null | undefined, field: string, maxLength: number): string {
  const trimmed = value?.trim() ?? "";
  if (!trimmed) throw badInput("This field is required", field);
  if (trimmed.length > maxLength) throw badInput(`At most ${maxLength} characters`, field);
  return checked(trimmed, field);
}

export function optionalText(value: string | null | undefined, field: string, maxLength: number): string | null {
  const trimmed = value?.trim() ?? "";
  if (!trimmed) return null;
  if (trimmed.length > maxLength) throw badInput(`At most ${maxLength} characters`, field);
  return checked(trimmed, field);
}

export const TEXT_LIMITS = { name: 200, licenseNumber: 64, bio: 4000, location: 200, reason: 500 } as const;
