/**
 * Refresh tokens, stored as SHA-256 hashes. Each login starts a family; each refresh marks the
 * presented token used (compare-and-set, so two concurrent refreshes cannot both win) and issues the
 * next one in the same family. Presenting a used or revoked token revokes the whole family.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { inTransaction } from "@clinigraph/platform";
import type { RefreshTokenStore } from "../domain/ports.js";
import type { StoredRefreshToken } from "../domain/types.js";
import type { PrismaClient } from "./prisma.js";

export const hashToken = (token: string) => createHash("sha256").update(token).digest("base64url");
export const newToken = () => randomBytes(32).toString("base64url");

export class RefreshTokenRepository implements RefreshTokenStore {
  constructor(private readonly db: PrismaClient) {}

  async issue(userId: string, familyId: string, expiresAt: Date): Promise<string> {
    const token = newToken();
    await this.db.refreshToken.create({ data: { id: randomUUID(), userId, familyId, tokenHash: hashToken(token), expiresAt } });
    return token;
  }

  find(token: string): Promise<StoredRefreshToken | null> {
    return this.db.refreshToken.findUnique({
      where: { tokenHash: hashToken(token) },
      select: { id: true, userId: true, familyId: true, expiresAt: true, usedAt: true, revokedAt: true },
    });
  }

  /** Marks the token used and issues its successor, atomically. Returns null when someone else used it first. */
  async rotate(current: StoredRefreshToken, now: Date, expiresAt: Date): Promise<string | null> {
    return inTransaction(this.db, async (tx) => {
      const claimed = await tx.refreshToken.updateMany({ where: { id: current.id, usedAt: null, revokedAt: null }, data: { usedAt: now } });
      if (claimed.count !== 1) return null;
      const token = newToken();
      await tx.refreshToken.create({ data: { id: randomUUID(), userId: current.userId, familyId: current.familyId, tokenHash: hashToken(token), expiresAt } });
      return token;
    });
  }

  async revokeFamily(familyId: string, now: Date): Promise<void> {
    await this.db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: now } });
  }

  async familyStartedAt(familyId: string): Promise<Date | null> {
    const first = await this.db.refreshToken.findFirst({ where: { familyId }, orderBy: { createdAt: "asc" }, select: { createdAt: true } });
    return first?.createdAt ?? null;
  }

  async openSessions(familyIds: readonly string[]): Promise<Set<string>> {
    if (familyIds.length === 0) return new Set();
    const rows = await this.db.$queryRaw<{ family_id: string }[]>`
      SELECT family_id::text FROM accounts.refresh_tokens WHERE family_id = ANY(${[...familyIds]}::uuid[])
       GROUP BY family_id HAVING bool_and(revoked_at IS NULL)`;
    return new Set(rows.map((r) => r.family_id));
  }

  async revokeAllOfUser(userId: string, now: Date): Promise<void> {
    await this.db.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
  }
}
