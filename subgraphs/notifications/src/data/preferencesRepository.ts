/** Users' notification preferences (notifications.preferences); a user without a row has the defaults. */
import type { Sql } from "@clinigraph/platform";
import type { PreferencesRepository } from "../domain/ports.js";
import type { Language, NotificationChannel, Preferences } from "../domain/types.js";

/** A row of notifications.preferences as node-postgres returns it (text[] and integer[] as arrays). */
export interface PreferencesRow {
  user_id: string;
  language: string;
  channels: string[];
  reminder_offsets_minutes: number[];
}

export const toPreferences = (row: Pick<PreferencesRow, "language" | "channels" | "reminder_offsets_minutes">): Preferences => ({
  language: row.language as Language,
  channels: row.channels as NotificationChannel[],
  reminderOffsetsMinutes: row.reminder_offsets_minutes,
});

/** Stored preferences of these users (in or out of a transaction). */
export async function findManyPreferences(db: Sql, userIds: readonly string[]): Promise<Map<string, Preferences>> {
  if (userIds.length === 0) return new Map();
  const { rows } = await db.query<PreferencesRow>(
    `SELECT user_id, language, channels, reminder_offsets_minutes FROM notifications.preferences WHERE user_id = ANY ($1::uuid[])`,
    [[...new Set(userIds)]],
  );
  return new Map(rows.map((row) => [row.user_id, toPreferences(row)]));
}

export function createPreferencesRepository(db: Sql): PreferencesRepository {
  return {
    async find(userId) {
      const { rows } = await db.query<PreferencesRow>(
        `SELECT user_id, language, channels, reminder_offsets_minutes FROM notifications.preferences WHERE user_id = $1`,
        [userId],
      );
      return rows[0] ? toPreferences(rows[0]) : null;
    },
    findMany: (userIds) => findManyPreferences(db, userIds),
    async save(userId, preferences, now) {
      await db.query(
        `INSERT INTO notifications.preferences (user_id, language, channels, reminder_offsets_minutes, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id) DO UPDATE
           SET language = excluded.language, channels = excluded.channels, reminder_offsets_minutes = excluded.reminder_offsets_minutes,
               updated_at = excluded.updated_at`,
        [userId, preferences.language, preferences.channels, preferences.reminderOffsetsMinutes, now],
      );
    },
  };
}
