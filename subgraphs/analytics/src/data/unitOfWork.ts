import { inTransaction } from "@clinigraph/platform";
import type { UnitOfWork } from "../domain/ports.js";
import { createOutbox } from "../events/outbox.js";
import type { PrismaClient } from "./prisma.js";

export function createUnitOfWork(prisma: PrismaClient): UnitOfWork {
  return { run: (work) => inTransaction(prisma, (tx) => work({ outbox: createOutbox(tx) })) };
}
