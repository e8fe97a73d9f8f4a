import type { PreferencesRepository } from "../domain/ports.js";
import type { Language, NotificationChannel } from "../domain/types.js";
import type { PrismaClient, Tx } from "./prisma.js";

type Row = { language: string; channels: string[]; reminderOffsetsMinutes: number[] };
const toPreferences = (row: Row) => ({
  language: row.language as Language,
  channels: row.channels as NotificationChannel[],
  reminderOffsetsMinutes: row.reminderOffsetsMinutes,
});

/** Stored preferences of these users (in or out of a transaction). */
export async function findManyPreferences(client: PrismaClient | Tx, userIds: readonly string[]) {
  const rows = userIds.length ? await client.preferences.findMany({ where: { userId: { in: [...new Set(userIds)] } } }) : [];
  return new Map(rows.map((row) => [row.userId, toPreferences(row)]));
}

export function createPreferencesRepository(prisma: PrismaClient): PreferencesRepository {
  return {
    async find(userId) {
      const row = await prisma.preferences.findUnique({ where: { userId } });
      return row ? toPreferences(row) : null;
    },
    findMany: (userIds) => findManyPreferences(prisma, userIds),
    async save(userId, preferences, now) {
      const data = { ...preferences, updatedAt: now };
      await prisma.preferences.upsert({ where: { userId }, create: { userId, ...data }, update: data });
    },
  };
}
