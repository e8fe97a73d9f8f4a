/**
 * Issued invoices end to end inside the subgraph: billing's InvoiceIssued in (in-memory bus, the billing stream),
 * the patient's message out over real SMTP (smtp-server, parsed with mailparser), the scheduler driven by a fake
 * clock. accounts and doctors are replaced by directories the tests fill.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomInt, randomUUID } from "node:crypto";
import { STREAMS, type InvoiceEventData } from "@clinigraph/events";
import { queryDatabase, startMailbox, type Mailbox } from "@clinigraph/testing";
import { BERLIN_DOCTOR, startHarness, type Harness, type People } from "./support/harness.js";

let mailbox: Mailbox;
let h: Harness;

beforeAll(async () => {
  mailbox = await startMailbox();
  h = await startHarness({ env: { SMTP_URL: mailbox.url, MAIL_FROM: "Clinic <clinic@example.test>" } });
});

afterAll(async () => {
  await h?.stop();
  await mailbox?.stop();
});

/** An issued invoice of this patient's, as billing's event carries it, with a number no other test uses. */
const issued = (p: People, patch: Partial<InvoiceEventData> = {}): InvoiceEventData => ({
  invoiceId: randomUUID(),
  patientId: p.patientId,
  number: `2027-${String(randomInt(1_000_000)).padStart(6, "0")}`,
  status: "ISSUED",
  totalMinor: 12345,
  paidMinor: 2000,
  currency: "EUR",
  encounterId: randomUUID(),
  appointmentId: randomUUID(),
  ...patch,
});

const deliveriesTo = (recipientId: string) =>
  queryDatabase<{ kind: string; channel: string; status: string; appointment_id: string | null; subject: string | null; last_error: string | null }>(
    h.db.url,
    "SELECT kind, channel, status, appointment_id, subject, last_error FROM notifications.deliveries WHERE recipient_id = $1 ORDER BY channel",
    [recipientId],
  );

const mailsTo = (address: string) => mailbox.mails.filter((mail) => mail.to === address);

async function setPreferences(p: People, input: string) {
  const res = await h.call(`mutation { updateNotificationPreferences(input: ${input}) { language } }`, p.patient);
  expect(res.errors).toBeUndefined();
}

describe("an issued invoice", () => {
  it("is e-mailed to its patient in their language with the number, the total and the balance, and a redelivery sends nothing more", async () => {
    const p = h.patientAndDoctor();
    await setPreferences(p, `{ language: "fr" }`);
    h.clock.now = new Date("2027-09-01T09:00:00Z");
    const invoice = issued(p);
    const eventId = randomUUID();
    await h.publish(STREAMS.billing, [{ type: "InvoiceIssued", data: invoice, id: eventId }]);

    // Nothing about a doctor is asked to write it.
    const directory = h.running.deps.directory;
    const lookUpDoctor = directory.doctor;
    let doctorLookups = 0;
    directory.doctor = async (id) => {
      doctorLookups += 1;
      return lookUpDoctor(id);
    };
    try {
      await h.dispatch();
    } finally {
      directory.doctor = lookUpDoctor;
    }
    expect(doctorLookups).toBe(0);

    const mail = await mailbox.next((m) => m.to === p.patientEmail);
    const link = `https://app.clinic.example/invoices/${invoice.invoiceId}`;
    // French, and amounts as French writes euros (no-break spaces; subjects are one line of plain spaces).
    expect(mail.subject).toBe(`Votre facture ${invoice.number} est disponible : total 123,45 €`);
    expect(mail.text).toContain(`Votre facture ${invoice.number} est disponible.`);
    expect(mail.text).toContain("Total : 123,45\u00a0€\nReste à payer : 103,45\u00a0€");
    expect(mail.text).toContain(`Consultez-la et réglez-la dans l’application : ${link}`);
    expect(mail.html).toContain(`<a href="${link}">${link}</a>`);
    // No doctor, time or place: the invoice's number and amounts only.
    for (const absent of [BERLIN_DOCTOR.name, "Europe/Berlin", BERLIN_DOCTOR.location!, "/appointments/"]) expect(mail.text).not.toContain(absent);

    expect(await deliveriesTo(p.patientId)).toEqual([
      { kind: "INVOICE_ISSUED", channel: "EMAIL", status: "SENT", appointment_id: null, subject: mail.subject, last_error: null },
    ]);

    // The same event again (a redelivery): recorded once, nothing new to send.
    await h.publish(STREAMS.billing, [{ type: "InvoiceIssued", data: invoice, id: eventId }]);
    expect(await h.dispatch()).toMatchObject({ claimed: 0, sent: 0 });
    expect(await deliveriesTo(p.patientId)).toHaveLength(1);
    expect(mailsTo(p.patientEmail)).toHaveLength(1);
  });

  it("goes on each of the patient's channels; a paid one says so, in the currency's own digits; voiding tells nobody", async () => {
    const p = h.patientAndDoctor();
    h.phones.set(p.patientId, "+491701234568");
    h.people.set(p.patientId, { ...h.people.get(p.patientId)!, phone: "+491701234568" });
    await setPreferences(p, `{ language: "ko", channels: [EMAIL, SMS] }`);
    h.clock.now = new Date("2027-09-02T09:00:00Z");
    const invoice = issued(p, { status: "PAID", totalMinor: 150000, paidMinor: 150000, currency: "KRW" });
    await h.publish(STREAMS.billing, [
      { type: "InvoiceIssued", data: invoice },
      { type: "InvoiceVoided", data: { ...invoice, status: "VOID" } },
    ]);
    await h.dispatch();

    const mail = await mailbox.next((m) => m.to === p.patientEmail);
    expect(mail.subject).toBe(`청구서 ${invoice.number} 발행 안내: 총액 ₩150,000`);
    expect(mail.text).toContain("총액: ₩150,000\n이미 결제가 완료되어 납부하실 금액이 없습니다.");
    expect(mail.text).toContain(`앱에서 청구서 확인하기: https://app.clinic.example/invoices/${invoice.invoiceId}`);
    // One delivery per channel (SMS is not configured here: it ends FAILED saying so), and none for the voiding.
    const rows = await deliveriesTo(p.patientId);
    expect(rows.map((row) => [row.kind, row.channel, row.status])).toEqual([
      ["INVOICE_ISSUED", "EMAIL", "SENT"],
      ["INVOICE_ISSUED", "SMS", "FAILED"],
    ]);
    expect(rows[1]!.last_error).toMatch(/SMS is not configured/);
    expect(mailsTo(p.patientEmail)).toHaveLength(1);
  });
});
