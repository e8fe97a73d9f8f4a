import type { NotificationResolvers } from "../generated/graphql.js";

export const Notification: NotificationResolvers = {
  // A delivery in flight is still scheduled to whoever reads the log.
  status: (delivery) => (delivery.status === "SENDING" ? "SCHEDULED" : delivery.status),
};
