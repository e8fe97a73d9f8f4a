import type { StatusRepository } from "../domain/ports.js";
import type { PrismaClient } from "./prisma.js";

export function createStatusRepository(prisma: PrismaClient): StatusRepository {
  return {
    async databaseTime() {
      const rows = await prisma.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
      return rows[0]!.now;
    },
  };
}
