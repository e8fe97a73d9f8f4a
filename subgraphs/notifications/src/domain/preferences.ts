/**
 * Notification preferences: the language of a user's messages, the channels they arrive by, and how long before an
 * appointment reminders go out. Every user has them (the defaults until they change them); only the user changes
 * their own.
 */
import { badInput, serviceUnavailable } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { ContactsUnavailable } from "./ports.js";
import { CHANNELS, LANGUAGES, type Actor, type Language, type NotificationChannel, type Preferences } from "./types.js";

export const DEFAULT_PREFERENCES: Readonly<Preferences> = Object.freeze({
  language: "en" as const,
  channels: ["EMAIL" as const],
  reminderOffsetsMinutes: [1440, 60],
});

/** Reminders: at most 5, each between 5 minutes and 14 days before the appointment. */
export const REMINDER_LIMITS = { count: 5, minMinutes: 5, maxMinutes: 14 * 24 * 60 } as const;

export interface PreferencesInput {
  language?: string | null;
  channels?: readonly string[] | null;
  reminderOffsetsMinutes?: readonly number[] | null;
}

export async function myPreferences(deps: Pick<Deps, "preferences">, actor: Actor): Promise<Preferences> {
  return (
    (await deps.preferences.find(actor.userId)) ?? {
      ...DEFAULT_PREFERENCES,
      channels: [...DEFAULT_PREFERENCES.channels],
      reminderOffsetsMinutes: [...DEFAULT_PREFERENCES.reminderOffsetsMinutes],
    }
  );
}

/** Changes the caller's preferences; fields left out keep their value. */
export async function updatePreferences(deps: Pick<Deps, "preferences" | "contacts" | "clock">, actor: Actor, input: PreferencesInput): Promise<Preferences> {
  const current = await myPreferences(deps, actor);
  const next: Preferences = {
    language: input.language == null ? current.language : language(input.language),
    channels: input.channels == null ? current.channels : channels(input.channels),
    reminderOffsetsMinutes: input.reminderOffsetsMinutes == null ? current.reminderOffsetsMinutes : offsets(input.reminderOffsetsMinutes),
  };
  if (next.channels.includes("SMS") && !current.channels.includes("SMS")) await assertHasPhone(deps, actor);
  await deps.preferences.save(actor.userId, next, deps.clock());
  return next;
}

function language(value: string): Language {
  const found = LANGUAGES.find((l) => l === value.trim().toLowerCase());
  if (!found) throw badInput(`Unknown language; choose one of ${LANGUAGES.join(", ")}`, "input.language");
  return found;
}

function channels(values: readonly string[]): NotificationChannel[] {
  const unknown = values.find((v) => !(CHANNELS as readonly string[]).includes(v));
  if (unknown !== undefined) throw badInput(`Unknown channel; choose from ${CHANNELS.join(", ")}`, "input.channels");
  return CHANNELS.filter((c) => values.includes(c)); // each once, in a fixed order
}

function offsets(values: readonly number[]): number[] {
  const { count, minMinutes, maxMinutes } = REMINDER_LIMITS;
  for (const value of values)
    if (!Number.isInteger(value) || value < minMinutes || value > maxMinutes)
      throw badInput(`A reminder goes out between ${minMinutes} minutes and ${maxMinutes / 1440} days before the appointment`, "input.reminderOffsetsMinutes");
  const distinct = [...new Set(values)].sort((a, b) => b - a);
  if (distinct.length > count) throw badInput(`At most ${count} reminders`, "input.reminderOffsetsMinutes");
  return distinct;
}

/** SMS needs a phone number on the account (accounts is asked as the user). */
async function assertHasPhone(deps: Pick<Deps, "contacts">, actor: Actor): Promise<void> {
  let phone: string | null;
  try {
    phone = await deps.contacts.phoneOf(actor);
  } catch (err) {
    if (err instanceof ContactsUnavailable) throw serviceUnavailable("The account directory is unavailable; try again shortly");
    throw err;
  }
  if (!phone) throw badInput("Add a phone number to your account before choosing SMS", "input.channels");
}
