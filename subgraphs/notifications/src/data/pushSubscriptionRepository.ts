/** Browsers' web push subscriptions (notifications.push_subscriptions). */
import type { Sql } from "@clinigraph/platform";
import type { PushSubscriptionRecord, PushSubscriptionRepository } from "../domain/ports.js";

export function createPushSubscriptionRepository(db: Sql): PushSubscriptionRepository {
  return {
    async save(userId, subscription, now) {
      await db.query(
        `INSERT INTO notifications.push_subscriptions (endpoint, user_id, p256dh, auth, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth, created_at = excluded.created_at`,
        [subscription.endpoint, userId, subscription.p256dh, subscription.auth, now],
      );
    },
    async removeForUser(userId, endpoint) {
      const { rowCount } = await db.query(`DELETE FROM notifications.push_subscriptions WHERE user_id = $1 AND endpoint = $2`, [userId, endpoint]);
      return (rowCount ?? 0) > 0;
    },
    async removeEndpoints(endpoints) {
      if (endpoints.length) await db.query(`DELETE FROM notifications.push_subscriptions WHERE endpoint = ANY ($1::text[])`, [[...endpoints]]);
    },
    async ofUsers(userIds) {
      const { rows } = await db.query<{ user_id: string; endpoint: string; p256dh: string; auth: string }>(
        `SELECT user_id, endpoint, p256dh, auth FROM notifications.push_subscriptions WHERE user_id = ANY ($1::uuid[]) ORDER BY created_at`,
        [[...userIds]],
      );
      const byUser = new Map<string, PushSubscriptionRecord[]>();
      for (const row of rows) {
        const record = { endpoint: row.endpoint, p256dh: row.p256dh, auth: row.auth };
        const list = byUser.get(row.user_id);
        if (list) list.push(record);
        else byUser.set(row.user_id, [record]);
      }
      return byUser;
    },
  };
}
