/**
 * Doctors' consumer of accounts' user changes (group `doctors-accounts`, on the accounts stream): a DOCTOR user
 * deactivated or reactivated in accounts deactivates or reactivates the doctor linked to that user
 * (domain/doctorStatus.ts), with the same events as the ADMIN's mutations. Delivery is at least once: each event is
 * claimed in the transaction of its effect, so a redelivery, or a second instance handling the same event, changes
 * nothing; users of other roles, and users without a doctor profile, are acknowledged without effect.
 */
import { STREAMS, subscribe, type Consumer, type ConsumerOptions } from "@clinigraph/events";
import { isUuid } from "@clinigraph/platform";
import type { Deps } from "../../domain/deps.js";
import { applyUserStatus } from "../../domain/doctorStatus.js";

export const ACCOUNTS_GROUP = "doctors-accounts";

export function startAccountsConsumer(options: ConsumerOptions<Pick<Deps, "unitOfWork" | "doctors">>): Consumer {
  const { deps, logger } = options;
  return subscribe({
    ...options,
    group: ACCOUNTS_GROUP,
    streams: [STREAMS.accounts],
    types: ["UserDeactivated", "UserReactivated"],
    handler: async (event) => {
      const { userId, role, actorId, at } = event.data;
      if (!isUuid(userId)) {
        logger.error({ eventId: event.id, type: event.type }, "user event with a malformed user id: ignored");
        return;
      }
      const outcome = await applyUserStatus(deps, ACCOUNTS_GROUP, {
        eventId: event.id,
        active: event.type === "UserReactivated",
        userId: userId.toLowerCase(),
        role,
        actorId,
        at,
      });
      logger.debug({ eventId: event.id, type: event.type, userId, outcome }, "user status change handled");
    },
  });
}
