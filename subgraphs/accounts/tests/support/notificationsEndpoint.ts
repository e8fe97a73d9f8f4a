/**
 * Notifications' `POST /internal/messages` as accounts meets it, for accounts' own tests: it checks the signed identity
 * is a service's (401 / FORBIDDEN otherwise, as notifications answers), records each message and answers SENT; `down`
 * makes it answer SERVICE_UNAVAILABLE, as notifications does when its mail server refuses. The real endpoint (rendering,
 * sending, the delivery log) is tested in notifications and end to end through the router.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { IDENTITY_HEADER, verifyIdentitySync } from "@clinigraph/platform";
import { TEST_ROUTER_SECRETS } from "@clinigraph/testing";

export interface RecordedMessage {
  kind: string;
  userId: string;
  to: string;
  messageId?: string;
  params: { code?: string; validMinutes?: number; maskedNewEmail?: string };
}

export interface NotificationsEndpoint {
  /** The GraphQL URL accounts is told (its /internal/messages shares the origin). */
  url: string;
  messages: RecordedMessage[];
  /** The first recorded message matching, waiting up to timeoutMs. */
  next(match: (message: RecordedMessage) => boolean, timeoutMs?: number): Promise<RecordedMessage>;
  down: { value: boolean };
  stop(): Promise<void>;
}

export async function startNotificationsEndpoint(): Promise<NotificationsEndpoint> {
  const messages: RecordedMessage[] = [];
  const down = { value: false };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const answer = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (req.method !== "POST" || req.url !== "/internal/messages") return answer(404, { error: { code: "NOT_FOUND" } });
      let caller;
      try {
        const header = req.headers[IDENTITY_HEADER];
        caller = verifyIdentitySync(Array.isArray(header) ? header[0] : header, TEST_ROUTER_SECRETS);
      } catch {
        return answer(401, { error: { code: "UNAUTHENTICATED" } });
      }
      if (caller.userId !== null || caller.role !== null) return answer(400, { error: { code: "FORBIDDEN" } });
      if (down.value) return answer(400, { error: { code: "SERVICE_UNAVAILABLE" } });
      messages.push(JSON.parse(Buffer.concat(chunks).toString("utf8")) as RecordedMessage);
      answer(200, { id: randomUUID(), status: "SENT", duplicate: false });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    messages,
    down,
    async next(match, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(match);
        if (found) return found;
        if (Date.now() > until) throw new Error("no such message was sent");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    stop: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
