/**
 * Reading the ledger back: a user's log page by page (newest first, cursors), every field of a delivery as stored,
 * and the ADMIN view's filters (recipient, appointment, kind, channel, status — SCHEDULED includes deliveries in
 * flight — and the creation window).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { STREAMS } from "@clinigraph/events";
import { queryDatabase, startMailbox, type Mailbox } from "@clinigraph/testing";
import { startHarness, type Harness, type People } from "./support/harness.js";

let mailbox: Mailbox;
let h: Harness;
let p: People;
const appointments: string[] = [];
const admin = { userId: randomUUID(), role: "ADMIN" as const };

const FIELDS = "id kind channel subject sentAt status dueAt createdAt attempts lastError appointmentId recipientId";
type Node = Record<string, unknown> & { id: string; channel: string; status: string; kind: string };
type Page = { edges: { cursor: string; node: Node }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

beforeAll(async () => {
  mailbox = await startMailbox();
  h = await startHarness({ now: new Date("2027-09-01T08:00:00Z"), env: { SMTP_URL: mailbox.url } });
  p = h.patientAndDoctor();
  h.phones.set(p.patientId, "+491701234567");
  await h.call(`mutation { updateNotificationPreferences(input: { channels: [EMAIL, SMS, PUSH] }) { channels } }`, p.patient);
  // Two bookings a minute apart: each a confirmation and two reminders on each of three channels.
  for (const startsAt of ["2027-09-10T08:00:00.000Z", "2027-09-11T08:00:00.000Z"]) {
    const booked = h.appointment(p, startsAt);
    appointments.push(booked.appointmentId);
    await h.publish(STREAMS.appointments, [{ type: "AppointmentBooked", data: booked }]);
    h.clock.now = new Date(h.clock.now.getTime() + 60_000);
  }
  // The confirmations are sent by e-mail (SMS and push are not configured: those end FAILED); one reminder is in flight.
  await h.dispatch();
  await queryDatabase(
    h.db.url,
    `UPDATE notifications.deliveries SET status = 'SENDING', lease_until = $2 WHERE id = (SELECT id FROM notifications.deliveries WHERE appointment_id = $1 AND kind = 'APPOINTMENT_REMINDER' ORDER BY due_at, channel LIMIT 1)`,
    [appointments[1], new Date("2027-09-01T09:00:00Z")],
  );
});

afterAll(async () => {
  await h?.stop();
  await mailbox?.stop();
});

async function page(query: string, caller: { userId: string; role: "PATIENT" | "ADMIN" }, variables: Record<string, unknown>): Promise<Page> {
  const res = await h.call(query, caller, variables);
  expect(res.errors).toBeUndefined();
  return Object.values(res.data!)[0] as Page;
}

const MINE = `query ($first: Int, $after: String) { myNotifications(first: $first, after: $after) { edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
const ALL = `query ($f: NotificationFilter, $first: Int) { notifications(filter: $f, first: $first) { edges { cursor node { ${FIELDS} } } pageInfo { hasNextPage endCursor } } }`;

describe("the delivery log", () => {
  it("a user's log, page by page, newest first, every field as stored", async () => {
    const seen: Node[] = [];
    let after: string | null = null;
    for (;;) {
      const result: Page = await page(MINE, p.patient, { first: 4, after });
      seen.push(...result.edges.map((edge) => edge.node));
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor;
    }
    const rows = await queryDatabase<Record<string, unknown>>(
      h.db.url,
      `SELECT id, kind, channel, subject, sent_at, status, due_at, created_at, attempts, last_error, appointment_id, recipient_id
         FROM notifications.deliveries WHERE recipient_id = $1 ORDER BY created_at DESC, id DESC`,
      [p.patientId],
    );
    expect(rows).toHaveLength(18);
    const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : null);
    expect(seen).toEqual(
      rows.map((row) => ({
        id: row.id,
        kind: row.kind,
        channel: row.channel,
        subject: row.subject,
        sentAt: iso(row.sent_at),
        status: row.status === "SENDING" ? "SCHEDULED" : row.status,
        dueAt: iso(row.due_at),
        createdAt: iso(row.created_at),
        attempts: row.attempts,
        lastError: row.last_error,
        appointmentId: row.appointment_id,
        recipientId: row.recipient_id,
      })),
    );
    expect(seen.find((node) => node.channel === "EMAIL" && node.kind === "APPOINTMENT_BOOKED" && node.status === "SENT")).toMatchObject({
      attempts: 1,
      subject: expect.any(String),
      sentAt: expect.any(String),
    });
  });

  it("the ADMIN view's filters", async () => {
    const count = async (filter: Record<string, unknown>) => (await page(ALL, admin, { f: { recipientId: p.patientId, ...filter }, first: 100 })).edges.length;
    expect(await count({})).toBe(18);
    expect(await count({ appointmentId: appointments[0] })).toBe(9);
    expect(await count({ channel: "SMS" })).toBe(6);
    expect(await count({ kind: "APPOINTMENT_REMINDER", channel: "PUSH" })).toBe(4);
    expect(await count({ status: "FAILED" })).toBe(4); // SMS and push confirmations
    expect(await count({ status: "SENT" })).toBe(2);
    expect(await count({ status: "SCHEDULED" })).toBe(12); // the reminders, the one in flight included
    expect(await count({ from: "2027-09-01T08:01:00.000Z" })).toBe(9);
    expect(await count({ to: "2027-09-01T08:00:30.000Z" })).toBe(9);
    expect(await count({ from: "2027-09-01T08:00:00.000Z", to: "2027-09-01T08:01:00.000Z" })).toBe(18);
    expect(await count({ recipientId: randomUUID() })).toBe(0);
    const newest = await page(ALL, admin, { f: { recipientId: p.patientId }, first: 3 });
    expect(newest.edges.map((edge) => edge.node.appointmentId)).toEqual([appointments[1], appointments[1], appointments[1]]);
    expect(newest.pageInfo.hasNextPage).toBe(true);
  });
});
