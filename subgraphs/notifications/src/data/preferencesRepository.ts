import type { PreferencesRepository } from "../domain/ports.js";
import type { Language, NotificationChannel } from "../domain/types.js";
import type { PrismaClient } from "./prisma.js";

export function createPreferencesRepository(prisma: PrismaClient): PreferencesRepository {
  return {
    async find(userId) {
      const row = await prisma.preferences.findUnique({ where: { userId } });
      return row
        ? { language: row.language as Language, channels: row.channels as NotificationChannel[], reminderOffsetsMinutes: row.reminderOffsetsMinutes }
        : null;
    },
    async save(userId, preferences, now) {
      const data = { ...preferences, updatedAt: now };
      await prisma.preferences.upsert({ where: { userId }, create: { userId, ...data }, update: data });
    },
  };
}
