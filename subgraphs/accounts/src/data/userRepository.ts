/**
 * Users and patients. Contact data is sealed by the FieldCipher on the way in and opened on the way
 * out, so nothing above this file sees ciphertext and nothing below it sees clear text.
 */
import { randomUUID } from "node:crypto";
import { constraintOf, isUuid, sqlStateOf, SQLSTATE, type FieldCipher } from "@clinigraph/platform";
import type { ProfileChange, UserStore } from "../domain/ports.js";
import { DuplicateContactError, type NationalIdValue, type NewUser, type UserContact, type UserFilter, type UserRecord } from "../domain/types.js";
import { Prisma, type PrismaClient } from "./prisma.js";

type Row = Prisma.UserGetPayload<{ include: { patient: true } }>;

export class UserRepository implements UserStore {
  constructor(
    private readonly db: PrismaClient,
    private readonly cipher: FieldCipher,
  ) {}

  private toRecord = (row: Row): UserRecord => ({
    id: row.id,
    role: row.role,
    name: row.name,
    email: this.cipher.decrypt(row.emailEnc),
    phone: row.phoneEnc ? this.cipher.decrypt(row.phoneEnc) : null,
    passwordHash: row.passwordHash,
    passwordChangedAt: row.passwordChangedAt,
    createdAt: row.createdAt,
    active: row.active,
    deactivatedAt: row.deactivatedAt,
    deactivationReason: row.deactivationReason,
    patient: row.patient
      ? {
          dateOfBirth: row.patient.dateOfBirth,
          gender: row.patient.gender,
          nationalId: row.patient.nationalIdEnc ? this.cipher.decrypt(row.patient.nationalIdEnc) : null,
        }
      : null,
  });

  /** Domain-separated from the e-mail and phone indexes: equal values in two columns give unrelated hashes. */
  private nationalIdIndex(compact: string): string {
    return this.cipher.blindIndex(`national-id:${compact}`);
  }

  private sealNationalId(value: NationalIdValue | null | undefined) {
    return value
      ? { nationalIdHash: this.nationalIdIndex(value.compact), nationalIdEnc: this.cipher.encrypt(value.display) }
      : { nationalIdHash: null, nationalIdEnc: null };
  }

  emailKey(email: string): string {
    return this.cipher.blindIndex(email);
  }

  async create(user: NewUser): Promise<UserRecord> {
    const id = randomUUID();
    try {
      const row = await this.db.user.create({
        data: {
          id,
          role: user.role,
          name: user.name,
          emailHash: this.cipher.blindIndex(user.email),
          emailEnc: this.cipher.encrypt(user.email),
          phoneHash: user.phone ? this.cipher.blindIndex(user.phone) : null,
          phoneEnc: user.phone ? this.cipher.encrypt(user.phone) : null,
          passwordHash: user.passwordHash,
          patient: user.patient
            ? { create: { dateOfBirth: user.patient.dateOfBirth, gender: user.patient.gender, ...this.sealNationalId(user.patient.nationalId) } }
            : undefined,
        },
        include: { patient: true },
      });
      return this.toRecord(row);
    } catch (err) {
      throw duplicateOr(err);
    }
  }

  /** Sets or clears a patient's national id; null when there is no such patient. */
  async setNationalId(patientId: string, value: NationalIdValue | null): Promise<UserRecord | null> {
    if (!isUuid(patientId)) return null;
    try {
      await this.db.patient.update({ where: { id: patientId }, data: this.sealNationalId(value) });
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2025") return null;
      throw duplicateOr(err);
    }
    return this.findById(patientId);
  }

  /** Changes the given fields; the phone sealed and blind-indexed as at creation. Null when there is no such user. */
  async updateProfile(id: string, change: ProfileChange): Promise<UserRecord | null> {
    if (!isUuid(id)) return null;
    const data: Prisma.UserUpdateInput = {
      ...(change.name !== undefined ? { name: change.name } : {}),
      ...(change.phone !== undefined
        ? change.phone === null
          ? { phoneHash: null, phoneEnc: null }
          : { phoneHash: this.cipher.blindIndex(change.phone), phoneEnc: this.cipher.encrypt(change.phone) }
        : {}),
    };
    const patient = change.patient ?? {};
    const patientData = {
      ...(patient.dateOfBirth !== undefined ? { dateOfBirth: patient.dateOfBirth } : {}),
      ...(patient.gender !== undefined ? { gender: patient.gender } : {}),
    };
    if (Object.keys(patientData).length > 0) data.patient = { update: patientData };
    try {
      await this.db.user.update({ where: { id }, data });
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2025") return null;
      throw err;
    }
    return this.findById(id);
  }

  async changeEmail(id: string, email: string): Promise<void> {
    try {
      await this.db.user.update({ where: { id }, data: { emailHash: this.cipher.blindIndex(email), emailEnc: this.cipher.encrypt(email) } });
    } catch (err) {
      throw duplicateOr(err);
    }
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    const row = await this.db.user.findUnique({ where: { emailHash: this.cipher.blindIndex(email) }, include: { patient: true } });
    return row ? this.toRecord(row) : null;
  }

  async findByIds(ids: readonly string[]): Promise<UserRecord[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    const rows = await this.db.user.findMany({ where: { id: { in: [...valid] } }, include: { patient: true } });
    return rows.map(this.toRecord);
  }

  /** Only the contact columns (no password hash, no patient row): what another service may learn to reach a user. */
  async findContacts(ids: readonly string[]): Promise<UserContact[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    const rows = await this.db.user.findMany({
      where: { id: { in: [...valid] } },
      select: { id: true, role: true, name: true, emailEnc: true, phoneEnc: true },
    });
    return rows.map((row) => ({
      userId: row.id,
      name: row.name,
      email: this.cipher.decrypt(row.emailEnc),
      phone: row.phoneEnc ? this.cipher.decrypt(row.phoneEnc) : null,
      role: row.role,
    }));
  }

  async findById(id: string): Promise<UserRecord | null> {
    return (await this.findByIds([id]))[0] ?? null;
  }

  /** Keyset page ordered by (createdAt, id). */
  async list(filter: UserFilter, after: [string, string] | null, limit: number): Promise<UserRecord[]> {
    const where: Prisma.UserWhereInput = {
      ...(filter.role ? { role: filter.role } : {}),
      ...(filter.patientsOnly ? { patient: { isNot: null } } : {}),
    };
    if (filter.nameContains || filter.emailEquals || filter.nationalIdEquals) {
      where.OR = [
        ...(filter.nameContains ? [{ name: { contains: filter.nameContains, mode: "insensitive" as const } }] : []),
        ...(filter.emailEquals ? [{ emailHash: this.cipher.blindIndex(filter.emailEquals) }] : []),
        ...(filter.nationalIdEquals ? [{ patient: { is: { nationalIdHash: this.nationalIdIndex(filter.nationalIdEquals.compact) } } }] : []),
      ];
    }
    if (after) {
      const [createdAt, id] = after;
      where.AND = [{ OR: [{ createdAt: { gt: new Date(createdAt) } }, { createdAt: new Date(createdAt), id: { gt: id } }] }];
    }
    const rows = await this.db.user.findMany({ where, include: { patient: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: limit });
    return rows.map(this.toRecord);
  }

  async updatePassword(id: string, passwordHash: string, at: Date): Promise<void> {
    await this.db.user.update({ where: { id }, data: { passwordHash, passwordChangedAt: at } });
  }
}

/** The unique indexes on contact columns, by name and by column (how the driver adapter names them); phones are not unique. */
const CONTACT_CONSTRAINTS: Record<string, DuplicateContactError["field"]> = {
  users_email_hash_key: "email",
  email_hash: "email",
  patients_national_id_hash_key: "nationalId",
  national_id_hash: "nationalId",
};

/** A unique violation of a contact column becomes a DuplicateContactError naming the field; anything else stays as it is. */
function duplicateOr(err: unknown): unknown {
  if (sqlStateOf(err) !== SQLSTATE.UNIQUE_VIOLATION) return err;
  const field = CONTACT_CONSTRAINTS[constraintOf(err) ?? ""];
  return field ? new DuplicateContactError(field) : err;
}
