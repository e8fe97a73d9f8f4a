/** The price list (billing.service_prices): rows are only ever added. Hand-written SQL over platform `Sql`. */
import { randomUUID } from "node:crypto";
import type { Sql } from "@clinigraph/platform";
import type { PriceRepository } from "../domain/ports.js";
import type { ServicePrice } from "../domain/types.js";

interface PriceRow {
  service_id: string;
  amount_minor: number;
  currency: string;
  tax_rate_bp: number;
  /** YYYY-MM-DD (`effective_from::text`). */
  effective_from: string;
  created_at: Date;
}

const PRICE_COLUMNS = "service_id, amount_minor, currency, tax_rate_bp, effective_from::text AS effective_from, created_at";

const toPrice = (row: PriceRow): ServicePrice => ({
  serviceId: row.service_id,
  amountMinor: row.amount_minor,
  currency: row.currency,
  taxRateBp: row.tax_rate_bp,
  effectiveFrom: row.effective_from,
  setAt: row.created_at,
});

/** In force on `day` for each service: the latest effective date on or before it, the latest set for that date. */
export async function pricesInForce(db: Sql, serviceIds: readonly string[], day: string): Promise<Map<string, ServicePrice>> {
  if (serviceIds.length === 0) return new Map();
  const { rows } = await db.query<PriceRow>(
    `SELECT DISTINCT ON (service_id) ${PRICE_COLUMNS}
       FROM billing.service_prices
      WHERE service_id = ANY($1::uuid[]) AND effective_from <= $2::date
      ORDER BY service_id, effective_from DESC, created_at DESC`,
    [[...serviceIds], day],
  );
  return new Map(rows.map((row) => [row.service_id, toPrice(row)]));
}

export function createPriceRepository(db: Sql): PriceRepository {
  return {
    inForceMany: (serviceIds, day) => pricesInForce(db, serviceIds, day),
    async history(serviceId) {
      const { rows } = await db.query<PriceRow>(
        `SELECT ${PRICE_COLUMNS} FROM billing.service_prices WHERE service_id = $1::uuid ORDER BY effective_from DESC, created_at DESC`,
        [serviceId],
      );
      return rows.map(toPrice);
    },
    async add(price) {
      await db.query(
        `INSERT INTO billing.service_prices (id, service_id, amount_minor, currency, tax_rate_bp, effective_from, set_by, created_at)
         VALUES ($1::uuid, $2::uuid, $3::int, $4, $5::int, $6::date, $7::uuid, $8::timestamptz)`,
        [randomUUID(), price.serviceId, price.amountMinor, price.currency, price.taxRateBp, price.effectiveFrom, price.setBy, price.setAt],
      );
    },
  };
}
