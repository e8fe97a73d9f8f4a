/**
 * Facts (analytics.appointment_facts, visit_facts, examination_facts, invoice_facts, payment_facts): merged from
 * events so that duplicates and any order of arrival give the same rows, and summed per period (kpiCounts.ts).
 */
import { claimEvents } from "@clinigraph/events";
import { inTransaction, sqlTransactions, type SqlPool } from "@clinigraph/platform";
import type { FactRepository } from "../domain/ports.js";
import type { FactWrite } from "../domain/types.js";
import { FACT_TABLES, foldByKey, insertFromJson, type Row } from "./factTables.js";
import { countFacts } from "./kpiCounts.js";
import type { PrismaClient } from "./prisma.js";

/**
 * `apply` runs on node-postgres directly (`pool`, the one Prisma's client also uses): a block of events is a few
 * statements in one transaction, and Prisma's client-side interpretation cost more than PostgreSQL spent on them.
 */
export function createFactRepository(prisma: PrismaClient, pool: SqlPool): FactRepository {
  const transactions = sqlTransactions(pool);
  return {
    async apply(consumer, writes) {
      if (writes.length === 0) return;
      await inTransaction(transactions, async (tx) => {
        const fresh = await claimEvents(
          tx,
          "analytics",
          consumer,
          writes.map((w) => w.eventId),
        );
        const rows = new Map<FactWrite["kind"], Row[]>();
        for (const write of writes) {
          if (!fresh.delete(write.eventId)) continue; // handled before, or earlier in this call
          const row = (FACT_TABLES[write.kind].row as (change: FactWrite["change"]) => Row)(write.change);
          const batch = rows.get(write.kind);
          if (batch) batch.push(row);
          else rows.set(write.kind, [row]);
        }
        // In this order: a payment's trigger finds the invoice and appointment written with it.
        for (const kind of ["appointment", "visit", "examination", "invoice", "payment"] as const) {
          const batch = rows.get(kind);
          if (!batch) continue;
          const spec = FACT_TABLES[kind];
          await tx.query(insertFromJson(spec, spec.onConflict), [JSON.stringify(foldByKey(batch, spec.key, spec.merge))]);
        }
      });
    },

    async periodCounts(from, to, granularity, filter) {
      return (await countFacts(prisma, from, to, granularity, { filter }, true)).map(({ counts }) => counts);
    },
  };
}
