/** Browsers' web push subscriptions (notifications.push_subscriptions). */
import type { PushSubscriptionRecord, PushSubscriptionRepository } from "../domain/ports.js";
import type { PrismaClient } from "./prisma.js";

export function createPushSubscriptionRepository(prisma: PrismaClient): PushSubscriptionRepository {
  return {
    async save(userId, subscription, now) {
      const data = { userId, p256dh: subscription.p256dh, auth: subscription.auth, createdAt: now };
      await prisma.pushSubscription.upsert({ where: { endpoint: subscription.endpoint }, create: { endpoint: subscription.endpoint, ...data }, update: data });
    },
    async removeForUser(userId, endpoint) {
      const { count } = await prisma.pushSubscription.deleteMany({ where: { userId, endpoint } });
      return count > 0;
    },
    async removeEndpoints(endpoints) {
      if (endpoints.length) await prisma.pushSubscription.deleteMany({ where: { endpoint: { in: [...endpoints] } } });
    },
    async ofUsers(userIds) {
      const rows = await prisma.pushSubscription.findMany({ where: { userId: { in: [...userIds] } }, orderBy: { createdAt: "asc" } });
      const byUser = new Map<string, PushSubscriptionRecord[]>();
      for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), { endpoint: row.endpoint, p256dh: row.p256dh, auth: row.auth }]);
      return byUser;
    },
  };
}
