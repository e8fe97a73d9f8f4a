/**
 * `POST /internal/messages`: another service (accounts' e-mail change) has notifications send a message about a user's
 * account at once, by e-mail to the address it gives, in the user's language — through a real SMTP server — and the
 * delivery log keeps the entry without the code. One mail per messageId; service identities only; strict input.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { IDENTITY_HEADER, type Identity } from "@clinigraph/platform";
import { queryDatabase, signIdentity, startMailbox, TEST_ROUTER_SECRETS, uniqueEmail, type Mailbox } from "@clinigraph/testing";
import { startHarness, type Harness } from "./support/harness.js";

let mailbox: Mailbox;
let h: Harness;
let endpoint: string;

beforeAll(async () => {
  mailbox = await startMailbox();
  h = await startHarness({ env: { SMTP_URL: mailbox.url, MAIL_FROM: "Clinic <clinic@example.test>" } });
  endpoint = h.url.replace("/graphql", "/internal/messages");
});

afterAll(async () => {
  await h?.stop();
  await mailbox?.stop();
});

const service = (): Identity => ({ userId: null, role: null, requestId: `test:${randomUUID()}` });

/** POSTs `body` signed as `caller` (default: a service), or unsigned. */
async function post(body: unknown, caller: Identity | "unsigned" = service()) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (caller !== "unsigned") headers[IDENTITY_HEADER] = await signIdentity(caller, TEST_ROUTER_SECRETS);
  const res = await fetch(endpoint, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { id?: string; status?: string; duplicate?: boolean; error?: { code: string; message: string } } };
}

const codeMessage = (patch: Record<string, unknown> = {}) => ({
  kind: "EMAIL_CHANGE_CODE",
  userId: randomUUID(),
  to: uniqueEmail("new"),
  messageId: `test:${randomUUID()}`,
  params: { code: "482913", validMinutes: 30 },
  ...patch,
});

const rowsOf = (userId: string) =>
  queryDatabase<Record<string, unknown>>(h.db.url, "SELECT * FROM notifications.deliveries WHERE recipient_id::text = $1 ORDER BY created_at", [userId]);

describe("POST /internal/messages", () => {
  it("sends the code once per messageId, in English by default, and the log holds no code", async () => {
    const message = codeMessage();
    const first = await post(message);
    expect(first).toEqual({ status: 200, body: { id: expect.any(String), status: "SENT", duplicate: false } });
    const mail = await mailbox.next((m) => m.to === message.to);
    expect(mail.text).toContain("482913");
    expect(mail.text).toMatch(/30 minutes/);
    expect(mail.subject).not.toContain("482913");

    // The same messageId again (a retry): answered, not sent again.
    const again = await post(message);
    expect(again).toEqual({ status: 200, body: { id: first.body.id, status: "SENT", duplicate: true } });
    // Another message after it, so that a second copy of the first would have arrived by now.
    const later = codeMessage();
    await post(later);
    await mailbox.next((m) => m.to === later.to);
    expect(mailbox.mails.filter((m) => m.to === message.to)).toHaveLength(1);

    const rows = await rowsOf(message.userId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: "EMAIL_CHANGE_CODE", channel: "EMAIL", status: "SENT", subject: mail.subject, lease_until: null });
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain("482913");
    expect(stored).not.toContain(message.to);

    // The user sees it in their log (kind, subject, status).
    const log = await h.call("{ myNotifications { edges { node { kind subject status } } } }", { userId: message.userId, role: "PATIENT" });
    expect(log.data).toEqual({ myNotifications: { edges: [{ node: { kind: "EMAIL_CHANGE_CODE", subject: mail.subject, status: "SENT" } }] } });
  });

  it("writes in the user's stored language, else the caller's locale, else English", async () => {
    const userId = randomUUID();
    await h.call(`mutation { updateNotificationPreferences(input: { language: "ko" }) { language } }`, { userId, role: "PATIENT" });
    const korean = codeMessage({ userId, locale: "fr" });
    expect((await post(korean)).status).toBe(200);
    expect((await mailbox.next((m) => m.to === korean.to)).text).toMatch(/\p{Script=Hangul}{2}/u);

    const french = codeMessage({ locale: "fr-CA" });
    expect((await post(french)).status).toBe(200);
    expect((await mailbox.next((m) => m.to === french.to)).text).toContain("valable 30 minutes");

    const unknown = codeMessage({ locale: "de" });
    expect((await post(unknown)).status).toBe(200);
    expect((await mailbox.next((m) => m.to === unknown.to)).text).toContain("valid for 30 minutes");
  });

  it("sends the notice to a taken address (no code) and the notice of a change with the masked new address", async () => {
    const taken = { kind: "EMAIL_CHANGE_TAKEN", userId: randomUUID(), to: uniqueEmail("taken"), params: {} };
    expect((await post(taken)).body.status).toBe("SENT");
    expect((await mailbox.next((m) => m.to === taken.to)).text).toMatch(/already has an account/);

    const changed = { kind: "EMAIL_CHANGED", userId: randomUUID(), to: uniqueEmail("old"), locale: "ru", params: { maskedNewEmail: "n******@example.org" } };
    expect((await post(changed)).body.status).toBe("SENT");
    const notice = await mailbox.next((m) => m.to === changed.to);
    expect(notice.text).toContain("n******@example.org");
    expect(notice.subject).toMatch(/\p{Script=Cyrillic}{3}/u);
  });

  it("refuses callers that are not services: 401 unsigned, FORBIDDEN for a user or a browser, before reading the body", async () => {
    const message = codeMessage();
    expect((await post(message, "unsigned")).status).toBe(401);
    for (const caller of [
      { userId: randomUUID(), role: "ADMIN", requestId: "r" },
      { userId: null, role: null, requestId: "r", clientIp: "203.0.113.9" },
    ] as Identity[]) {
      const res = await post(message, caller);
      expect(res.status).toBe(400);
      expect(res.body.error?.code).toBe("FORBIDDEN");
    }
    expect(await rowsOf(message.userId)).toEqual([]);
    expect(mailbox.mails.some((m) => m.to === message.to)).toBe(false);
  });

  it.each([
    ["an unknown kind", { kind: "PASSWORD_RESET" }, "kind"],
    ["a user id that is no UUID", { userId: "42" }, "userId"],
    ["no address", { to: "not-an-address" }, "to"],
    ["a code that is not 6 digits", { params: { code: "12345" } }, "params.code"],
    ["no code", { params: {} }, "params.code"],
    ["a parameter of another kind", { params: { code: "123456", maskedNewEmail: "a*@b.c" } }, "params.maskedNewEmail"],
    ["an unknown field", { body: "hello" }, "body"],
    ["a bad locale", { locale: "<script>" }, "locale"],
    ["a bad messageId", { messageId: "a b" }, "messageId"],
    ["a validity out of range", { params: { code: "123456", validMinutes: 0 } }, "params.validMinutes"],
  ])("refuses %s (BAD_USER_INPUT)", async (_label, patch, field) => {
    const message = codeMessage(patch);
    const res = await post(message);
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("BAD_USER_INPUT");
    expect(res.body.error?.message).toContain(field.split(".").pop()!);
    expect(await rowsOf(message.userId as string)).toEqual([]);
  });

  it("refuses a messageId reused for another message (CONFLICT)", async () => {
    const message = codeMessage();
    expect((await post(message)).status).toBe(200);
    const res = await post({ ...message, kind: "EMAIL_CHANGE_TAKEN", params: {} });
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("CONFLICT");
  });

  it("answers SERVICE_UNAVAILABLE when the mail server is down, logs FAILED, and sends on a retry with the same messageId", async () => {
    const message = codeMessage();
    await mailbox.down();
    try {
      const res = await post(message);
      expect(res.status).toBe(400);
      expect(res.body.error?.code).toBe("SERVICE_UNAVAILABLE");
    } finally {
      await mailbox.up();
    }
    const [failed] = await rowsOf(message.userId);
    expect(failed).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(JSON.stringify(failed)).not.toContain("482913");

    expect((await post(message)).body).toMatchObject({ status: "SENT", duplicate: false });
    await mailbox.next((m) => m.to === message.to);
    const rows = await rowsOf(message.userId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "SENT", attempts: 2, last_error: null });
  });

  it("is never sent by the scheduler; a send left SENDING by a process that died is taken over by a retry after 2 minutes", async () => {
    const message = codeMessage();
    expect((await post(message)).status).toBe(200);
    await mailbox.next((m) => m.to === message.to);
    // As if the process had died mid-send, long ago.
    await queryDatabase(
      h.db.url,
      "UPDATE notifications.deliveries SET status = 'SENDING', updated_at = now() - interval '1 hour', due_at = now() - interval '1 hour' WHERE recipient_id::text = $1",
      [message.userId],
    );
    const report = await h.dispatch(new Date(Date.now() + 86_400_000));
    expect(report.claimed).toBe(0);
    expect((await post(message)).body).toMatchObject({ status: "SENT", duplicate: false });
    await mailbox.next((m) => m.to === message.to && mailbox.mails.filter((x) => x.to === message.to).length === 2);
    const [row] = await rowsOf(message.userId);
    expect(row).toMatchObject({ status: "SENT", attempts: 2 });
  });
});
