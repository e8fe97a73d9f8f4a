/** The price list (billing.service_prices): rows are only ever added. */
import { randomUUID } from "node:crypto";
import type { PriceRepository } from "../domain/ports.js";
import type { ServicePrice } from "../domain/types.js";
import type { PrismaClient, Tx } from "./prisma.js";

type Row = { serviceId: string; amountMinor: number; currency: string; taxRateBp: number; effectiveFrom: Date; createdAt: Date };
const toPrice = (row: Row): ServicePrice => ({
  serviceId: row.serviceId,
  amountMinor: row.amountMinor,
  currency: row.currency,
  taxRateBp: row.taxRateBp,
  effectiveFrom: row.effectiveFrom.toISOString().slice(0, 10),
  setAt: row.createdAt,
});

/** In force on `day` for each service: the latest effective date on or before it, the latest set for that date. */
export async function pricesInForce(client: PrismaClient | Tx, serviceIds: readonly string[], day: string): Promise<Map<string, ServicePrice>> {
  if (serviceIds.length === 0) return new Map();
  const rows = await client.$queryRaw<Row[]>`
    SELECT DISTINCT ON (service_id) service_id AS "serviceId", amount_minor AS "amountMinor", currency, tax_rate_bp AS "taxRateBp",
           effective_from AS "effectiveFrom", created_at AS "createdAt"
      FROM billing.service_prices
     WHERE service_id = ANY(${[...serviceIds]}::uuid[]) AND effective_from <= ${day}::date
     ORDER BY service_id, effective_from DESC, created_at DESC`;
  return new Map(rows.map((row) => [row.serviceId, toPrice(row)]));
}

export function createPriceRepository(prisma: PrismaClient): PriceRepository {
  return {
    inForceMany: (serviceIds, day) => pricesInForce(prisma, serviceIds, day),
    async history(serviceId) {
      const rows = await prisma.servicePrice.findMany({ where: { serviceId }, orderBy: [{ effectiveFrom: "desc" }, { createdAt: "desc" }] });
      return rows.map(toPrice);
    },
    async add(price) {
      await prisma.servicePrice.create({
        data: {
          id: randomUUID(),
          serviceId: price.serviceId,
          amountMinor: price.amountMinor,
          currency: price.currency,
          taxRateBp: price.taxRateBp,
          effectiveFrom: new Date(`${price.effectiveFrom}T00:00:00Z`),
          setBy: price.setBy,
          createdAt: price.setAt,
        },
      });
    },
  };
}
