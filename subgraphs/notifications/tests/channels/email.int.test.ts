/**
 * The e-mail channel against a real SMTP server on 127.0.0.1 (smtp-server), each received message parsed with
 * mailparser: what arrives, the Message-ID a resend keeps, and how refusals and unreachable servers are classified.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import { uniqueEmail } from "@clinigraph/testing";
import { createEmailChannel, EMAIL_NOT_CONFIGURED } from "../../src/channels/index.js";
import { DeliveryFailure, type Channel, type OutgoingMessage } from "../../src/domain/ports.js";

interface Received {
  envelopeTo: string[];
  mail: ParsedMail;
}

const received: Received[] = [];
/** SMTP connections the server has accepted so far. */
let connections = 0;
let smtp: SMTPServer;
let smtpUrl: string;
const channels: Channel[] = [];

/** Recipients the server refuses: `refused.*` permanently (550), `busy.*` for now (451). */
beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onRcptTo(address, _session, callback) {
      const refusal = address.address.startsWith("refused.")
        ? Object.assign(new Error("5.1.1 mailbox unavailable"), { responseCode: 550 })
        : address.address.startsWith("busy.")
          ? Object.assign(new Error("4.2.1 try again later"), { responseCode: 451 })
          : null;
      callback(refusal ?? undefined);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const channel of channels) await channel.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

function channel(options: Partial<Parameters<typeof createEmailChannel>[0]> = {}): Channel {
  const created = createEmailChannel({ smtpUrl, from: "Clinic <notifications@clinic.example>", ...options });
  channels.push(created);
  return created;
}

function outgoing(email: string | null, key: string = randomUUID()): OutgoingMessage {
  return {
    idempotencyKey: key,
    recipient: { userId: randomUUID(), email, phone: null, pushSubscriptions: [] },
    message: {
      subject: "Your appointment is booked",
      text: "Dr. Kim, 3 March 2031 10:00 (Europe/Berlin), Room 2.\nhttps://app.clinic.example/appointments/1",
      html: "<p>Dr. Kim, 3 March 2031 10:00 (Europe/Berlin), Room 2.</p>",
      short: "Booked: Dr. Kim, 3 Mar 10:00",
    },
  };
}

/** The DeliveryFailure `promise` rejects with (fails the test when it resolves or throws anything else). */
async function failure(promise: Promise<unknown>): Promise<DeliveryFailure> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryFailure);
  return error as DeliveryFailure;
}

/** A port on 127.0.0.1 nobody listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("e-mail channel", () => {
  it("delivers subject, text and HTML to the recipient with Message-ID <idempotencyKey@clinigraph>", async () => {
    const to = uniqueEmail("patient");
    const message = outgoing(to);
    const email = channel();
    expect(email.channel).toBe("EMAIL");
    expect(email.notConfigured).toBeNull();

    const result = await email.send(message);

    expect(result.providerMessageId).toBe(`<${message.idempotencyKey}@clinigraph>`);
    const mail = received.find((r) => r.envelopeTo.includes(to))!.mail;
    expect(mail.subject).toBe(message.message.subject);
    expect(mail.text?.trim()).toBe(message.message.text);
    expect(mail.html).toContain("Dr. Kim, 3 March 2031 10:00 (Europe/Berlin), Room 2.");
    expect(mail.messageId).toBe(`<${message.idempotencyKey}@clinigraph>`);
    expect(mail.from?.value[0]?.address).toBe("notifications@clinic.example");
    const toAddresses = (Array.isArray(mail.to) ? mail.to : [mail.to]).flatMap((a) => a?.value.map((v) => v.address) ?? []);
    expect(toAddresses).toEqual([to]);
    expect(mail.headers.get("auto-submitted")).toBe("auto-generated");
  });

  it("sends the same Message-ID again when the same delivery is sent twice (a resend after a crash), on one pooled connection", async () => {
    const to = uniqueEmail("resend");
    const key = randomUUID();
    const email = channel();
    const before = connections;

    const first = await email.send(outgoing(to, key));
    const second = await email.send(outgoing(to, key));

    expect(connections - before).toBe(1);

    const ids = received.filter((r) => r.envelopeTo.includes(to)).map((r) => r.mail.messageId);
    expect(ids).toEqual([`<${key}@clinigraph>`, `<${key}@clinigraph>`]);
    expect(second.providerMessageId).toBe(first.providerMessageId);
  });

  it("keeps a key that cannot stand in a Message-ID stable by hashing it", async () => {
    const to = uniqueEmail("oddkey");
    const key = `delivery <${randomUUID()}> @ odd`;
    const email = channel();

    const first = await email.send(outgoing(to, key));
    const second = await email.send(outgoing(to, key));

    expect(first.providerMessageId).toMatch(/^<[A-Za-z0-9_-]{43}@clinigraph>$/);
    expect(second.providerMessageId).toBe(first.providerMessageId);
    expect(received.filter((r) => r.envelopeTo.includes(to)).map((r) => r.mail.messageId)).toEqual([first.providerMessageId, first.providerMessageId]);
  });

  it("fails permanently, without the address in the reason, when the server answers 550 for the recipient", async () => {
    const to = uniqueEmail("refused");
    const error = await failure(channel().send(outgoing(to)));

    expect(error.permanent).toBe(true);
    expect(error.message).toContain("550");
    expect(error.message).not.toContain(to);
    expect(received.some((r) => r.envelopeTo.includes(to))).toBe(false);
  });

  it("fails temporarily when the server answers 451", async () => {
    const to = uniqueEmail("busy");
    const error = await failure(channel().send(outgoing(to)));

    expect(error.permanent).toBe(false);
    expect(error.message).toContain("451");
    expect(error.message).not.toContain(to);
  });

  it("fails temporarily when nothing listens on the SMTP port", async () => {
    const port = await closedPort();
    const error = await failure(channel({ smtpUrl: `smtp://127.0.0.1:${port}` }).send(outgoing(uniqueEmail("closed"))));

    expect(error.permanent).toBe(false);
    expect(error.message).toContain("not reachable");
  });

  it("fails temporarily when the server never greets within the timeout", async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const error = await failure(channel({ smtpUrl: `smtp://127.0.0.1:${port}`, timeoutMs: 300 }).send(outgoing(uniqueEmail("silent"))));
      expect(error.permanent).toBe(false);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("fails permanently when the recipient has no e-mail address", async () => {
    const error = await failure(channel().send(outgoing(null)));
    expect(error.permanent).toBe(true);
    expect(error.message).toBe("the recipient has no e-mail address");
  });

  it("says what to set when SMTP_URL is missing, and refuses every message permanently", async () => {
    const email = createEmailChannel({ smtpUrl: null, from: "Clinic <notifications@clinic.example>" });
    expect(email.notConfigured).toBe(EMAIL_NOT_CONFIGURED);
    expect(EMAIL_NOT_CONFIGURED).toBe("e-mail is not configured: set SMTP_URL");

    const error = await failure(email.send(outgoing(uniqueEmail("unconfigured"))));
    expect(error.permanent).toBe(true);
    expect(error.message).toBe(EMAIL_NOT_CONFIGURED);
    await email.close();
  });
});
