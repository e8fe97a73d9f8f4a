/**
 * Refresh tokens, stored as SHA-256 hashes. Each login starts a family; each refresh marks the
 * presented token used (compare-and-set, so two concurrent refreshes cannot both win) and issues the
 * next one in the same family. Presenting a used or revoked token revokes the whole family.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { inTransaction, type Role } from "@clinigraph/platform";
import type { RefreshTokenStore, RotateResult } from "../domain/ports.js";
import type { StoredRefreshToken } from "../domain/types.js";
import type { Prisma, PrismaClient } from "./prisma.js";

export const hashToken = (token: string) => createHash("sha256").update(token).digest("base64url");
export const newToken = () => randomBytes(32).toString("base64url");

export class RefreshTokenRepository implements RefreshTokenStore {
  constructor(private readonly db: PrismaClient) {}

  /**
   * Issues the first token of a family, only for an active user: the insert reads the user's row FOR SHARE, so it
   * waits for a deactivation or role change in flight and then sees its outcome (a deactivation's revocation of
   * every token can't miss a token issued meanwhile). The role returned is the one the row has at that moment.
   */
  async issue(userId: string, familyId: string, expiresAt: Date): Promise<{ token: string; role: Role } | null> {
    return issueGuarded(this.db, userId, familyId, expiresAt);
  }

  find(token: string): Promise<StoredRefreshToken | null> {
    return this.db.refreshToken.findUnique({
      where: { tokenHash: hashToken(token) },
      select: { id: true, userId: true, familyId: true, expiresAt: true, usedAt: true, revokedAt: true },
    });
  }

  /**
   * Marks the token used and issues its successor, atomically: "used" when someone else used it first, "inactive"
   * when the user was deactivated (nothing changes then).
   */
  async rotate(current: StoredRefreshToken, now: Date, expiresAt: Date): Promise<RotateResult> {
    return inTransaction(this.db, async (tx) => {
      const claimed = await tx.refreshToken.updateMany({ where: { id: current.id, usedAt: null, revokedAt: null }, data: { usedAt: now } });
      if (claimed.count !== 1) return "used" as const;
      const next = await issueGuarded(tx, current.userId, current.familyId, expiresAt);
      if (!next) throw new InactiveUser();
      return next;
    }).catch((err: unknown) => {
      if (err instanceof InactiveUser) return "inactive" as const;
      throw err;
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

/** Rolls back a rotation whose user turned out to be deactivated. */
class InactiveUser extends Error {}

async function issueGuarded(
  db: PrismaClient | Prisma.TransactionClient,
  userId: string,
  familyId: string,
  expiresAt: Date,
): Promise<{ token: string; role: Role } | null> {
  const token = newToken();
  const [row] = await db.$queryRaw<{ role: Role }[]>`
    WITH u AS (SELECT id, role FROM accounts.users WHERE id = ${userId}::uuid AND active FOR SHARE),
         issued AS (
           INSERT INTO accounts.refresh_tokens (id, user_id, family_id, token_hash, expires_at)
           SELECT ${randomUUID()}::uuid, u.id, ${familyId}::uuid, ${hashToken(token)}, ${expiresAt} FROM u
           RETURNING user_id)
    SELECT u.role::text AS role FROM u JOIN issued ON issued.user_id = u.id`;
  return row ? { token, role: row.role } : null;
}
