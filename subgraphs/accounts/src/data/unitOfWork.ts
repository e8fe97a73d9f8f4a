/**
 * One database transaction, handed to a use case as transaction-bound account writes and the outbox
 * (`inTransaction`: retried on deadlock or serialization failure). Deactivation, reactivation and role changes go
 * through here, so their events are written in the transaction of the change they announce.
 */
import { inTransaction, type Role } from "@clinigraph/platform";
import type { AccountWrites, UnitOfWork } from "../domain/ports.js";
import { createOutbox } from "../events/outbox.js";
import type { Prisma, PrismaClient } from "./prisma.js";

export function createUnitOfWork(prisma: PrismaClient): UnitOfWork {
  return {
    run: (work) => inTransaction(prisma, (tx) => work({ accounts: createAccountWrites(tx), outbox: createOutbox(tx) })),
  };
}

function createAccountWrites(tx: Prisma.TransactionClient): AccountWrites {
  return {
    async lock(userId) {
      const [row] = await tx.$queryRaw<{ id: string; role: Role; active: boolean }[]>`
        SELECT id::text, role::text AS role, active FROM accounts.users WHERE id = ${userId}::uuid FOR UPDATE`;
      return row ?? null;
    },
    async setActive(userId, active, at, reason) {
      await tx.user.update({
        where: { id: userId },
        data: active ? { active, deactivatedAt: null, deactivationReason: null } : { active, deactivatedAt: at, deactivationReason: reason },
      });
    },
    async setRole(userId, role) {
      await tx.user.update({ where: { id: userId }, data: { role } });
    },
    async revokeSessions(userId, at) {
      const { count } = await tx.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } });
      return count;
    },
  };
}
