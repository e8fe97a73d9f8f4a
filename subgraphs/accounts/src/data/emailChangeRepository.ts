/**
 * Pending e-mail changes (table accounts.email_changes): one per user, the new address sealed (and blind-indexed,
 * as users' e-mails are), the code stored as a hash bound to the user and the address, with its expiry and the
 * attempts made. `consume` counts an attempt and uses the change up in one statement each, so parallel guesses
 * can't share an attempt and a code works once.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FieldCipher } from "@clinigraph/platform";
import type { EmailChangeStore } from "../domain/ports.js";
import type { PrismaClient } from "./prisma.js";

const hashCode = (userId: string, emailHash: string, code: string) =>
  createHash("sha256").update(`email-change:${userId}:${emailHash}:${code}`).digest("base64url");

export class EmailChangeRepository implements EmailChangeStore {
  constructor(
    private readonly db: PrismaClient,
    private readonly cipher: FieldCipher,
  ) {}

  async put(userId: string, newEmail: string, code: string, expiresAt: Date): Promise<void> {
    const newEmailHash = this.cipher.blindIndex(newEmail);
    const data = { newEmailHash, newEmailEnc: this.cipher.encrypt(newEmail), codeHash: hashCode(userId, newEmailHash, code), expiresAt, attempts: 0 };
    await this.db.emailChange.upsert({ where: { userId }, create: { userId, ...data }, update: { ...data, createdAt: new Date() } });
  }

  async consume(userId: string, code: string, now: Date, maxAttempts: number): Promise<string | null> {
    // One attempt counted (and refused past the limit or the expiry) before the comparison.
    const [row] = await this.db.$queryRaw<{ code_hash: string; new_email_hash: string; new_email_enc: string }[]>`
      UPDATE accounts.email_changes SET attempts = attempts + 1
       WHERE user_id = ${userId}::uuid AND expires_at > ${now} AND attempts < ${maxAttempts}
       RETURNING code_hash, new_email_hash, new_email_enc`;
    if (!row) return null;
    const expected = Buffer.from(row.code_hash);
    const given = Buffer.from(hashCode(userId, row.new_email_hash, code));
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    // Used up: whoever deletes it first changes the address.
    const used = await this.db.emailChange.deleteMany({ where: { userId, codeHash: row.code_hash } });
    return used.count === 1 ? this.cipher.decrypt(row.new_email_enc) : null;
  }
}
