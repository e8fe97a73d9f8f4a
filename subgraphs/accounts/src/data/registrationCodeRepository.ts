/**
 * Registration codes (table accounts.registration_codes): one per e-mail's blind index, stored as a hash,
 * with its expiry and the attempts made. `consume` counts an attempt and uses the code up in one statement
 * each, so parallel guesses can't share an attempt and a code works once.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { RegistrationCodeStore } from "../domain/ports.js";
import type { PrismaClient } from "./prisma.js";

const hashCode = (emailKey: string, code: string) => createHash("sha256").update(`${emailKey}:${code}`).digest("base64url");

export class RegistrationCodeRepository implements RegistrationCodeStore {
  constructor(private readonly db: PrismaClient) {}

  async put(emailKey: string, code: string, expiresAt: Date): Promise<void> {
    const codeHash = hashCode(emailKey, code);
    await this.db.registrationCode.upsert({
      where: { emailHash: emailKey },
      create: { emailHash: emailKey, codeHash, expiresAt },
      update: { codeHash, expiresAt, attempts: 0, createdAt: new Date() },
    });
  }

  async consume(emailKey: string, code: string, now: Date, maxAttempts: number): Promise<boolean> {
    // One attempt counted (and refused past the limit or the expiry) before the comparison.
    const [row] = await this.db.$queryRaw<{ code_hash: string }[]>`
      UPDATE accounts.registration_codes SET attempts = attempts + 1
       WHERE email_hash = ${emailKey} AND expires_at > ${now} AND attempts < ${maxAttempts}
       RETURNING code_hash`;
    if (!row) return false;
    const expected = Buffer.from(row.code_hash);
    const given = Buffer.from(hashCode(emailKey, code));
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
    // Used up: whoever deletes it first registers.
    const used = await this.db.registrationCode.deleteMany({ where: { emailHash: emailKey, codeHash: row.code_hash } });
    return used.count === 1;
  }
}
