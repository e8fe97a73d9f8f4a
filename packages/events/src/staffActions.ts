/**
 * The staff action log's writer for a subgraph with an outbox: each action becomes a `StaffActionRecorded` event in
 * `<schema>.outbox` (one statement for the lot) and the subgraph's relay is woken; accounts keeps the events in its
 * append-only audit log (its audit consumer), under the action's id, so a redelivered event is written once.
 */
import { currentTraceparent, type Sql, type StaffAction } from "@clinigraph/platform";
import type { StaffActionRecordedData } from "./catalogue.js";
import { outboxChannel } from "./relay.js";

export function outboxStaffActionWriter(db: Pick<Sql, "query">, service: string): (actions: StaffAction[]) => Promise<void> {
  if (!/^[a-z_]+$/.test(service)) throw new Error(`Not a schema name: ${service}`);
  const channel = outboxChannel(service);
  return async (actions) => {
    if (actions.length === 0) return;
    const events: StaffActionRecordedData[] = actions;
    await db.query(
      `WITH appended AS (
         INSERT INTO ${service}.outbox (id, aggregate_id, type, payload, occurred_at, traceparent)
         SELECT gen_random_uuid(), (e->>'actionId')::uuid, 'StaffActionRecorded', e, (e->>'at')::timestamptz, $3::text
         FROM jsonb_array_elements($1::jsonb) e
         RETURNING 1)
       SELECT pg_notify($2, '') WHERE EXISTS (SELECT 1 FROM appended)`,
      [JSON.stringify(events), channel, currentTraceparent() ?? null],
    );
  };
}
