/** Contact details from accounts, asked as the user themselves (accounts applies its own rules to the call). */
import { callSubgraphAs } from "@clinigraph/platform";
import { ContactsUnavailable, type ContactDirectory } from "../domain/ports.js";

export function createAccountsContacts(options: { url: string; routerSecrets: readonly string[] }): ContactDirectory {
  return {
    async phoneOf(actor) {
      const data = await callSubgraphAs<{ me: { phone: string | null } | null }>({
        ...options,
        caller: { userId: actor.userId, role: actor.role, requestId: actor.requestId },
        query: "query NotificationsContact { me { phone } }",
        unavailable: (message) => new ContactsUnavailable(`accounts: ${message}`),
      });
      return data.me?.phone ?? null;
    },
  };
}
