/** The projection of the services catalogue (domain/serviceStatus.ts): one row per service told of. */
import type { Sql } from "@clinigraph/platform";
import type { ServiceStatus, ServiceStatusRepository } from "../domain/serviceStatus.js";

export function createServiceStatusRepository(sql: Sql): ServiceStatusRepository {
  return {
    async statusOf(serviceId) {
      const { rows } = await sql.query<{ status: ServiceStatus }>(`SELECT "status" FROM "scheduling"."service_statuses" WHERE "service_id" = $1::uuid`, [
        serviceId,
      ]);
      return rows[0]?.status ?? null;
    },
    async applyChange(serviceId, status, changedAt) {
      // A redelivered event, or one older than what is kept (two consumers, or events read out of order), changes nothing.
      await sql.query(
        `INSERT INTO "scheduling"."service_statuses" ("service_id", "status", "changed_at") VALUES ($1::uuid, $2, $3)
         ON CONFLICT ("service_id") DO UPDATE SET "status" = EXCLUDED."status", "changed_at" = EXCLUDED."changed_at", "updated_at" = now()
         WHERE "service_statuses"."changed_at" IS NULL OR "service_statuses"."changed_at" <= EXCLUDED."changed_at"`,
        [serviceId, status, changedAt],
      );
    },
    async remember(serviceId, status) {
      await sql.query(
        `INSERT INTO "scheduling"."service_statuses" ("service_id", "status", "changed_at") VALUES ($1::uuid, $2, NULL) ON CONFLICT ("service_id") DO NOTHING`,
        [serviceId, status],
      );
    },
  };
}
