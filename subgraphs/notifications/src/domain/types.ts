/** Domain records of the notifications subgraph (plain data). */
import type { Identity, Role } from "@clinigraph/platform";

/** The signed-in caller (its identity is what the notifications service shows accounts when it asks for contacts). */
export type Actor = Identity & { userId: string; role: Role };

export const CHANNELS = ["EMAIL", "SMS", "PUSH"] as const;
export type NotificationChannel = (typeof CHANNELS)[number];

/** The languages messages are written in. */
export const LANGUAGES = ["en", "ko", "ru", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Preferences {
  language: Language;
  channels: NotificationChannel[];
  /** Minutes before the appointment, largest first. */
  reminderOffsetsMinutes: number[];
}
