/**
 * E-mail over SMTP with nodemailer, through a pool of connections kept open between messages. The SMTP URL is the
 * same form accounts uses (smtp://user:pass@host:587, STARTTLS when offered; smtps:// for TLS from the start).
 *
 * Every message carries `Message-ID: <idempotencyKey@clinigraph>`: a resend after a crash between the SMTP server's
 * acceptance and our commit carries the same Message-ID, so mail clients that collapse duplicates show it once.
 */
import { createHash } from "node:crypto";
import { connect, type Socket } from "node:net";
import nodemailer from "nodemailer";
import type { Logger } from "@clinigraph/platform";
import { DeliveryFailure, type Channel, type OutgoingMessage, type SendResult } from "../domain/ports.js";

export interface EmailChannelOptions {
  /** SMTP_URL, or null when e-mail is not configured (the channel then refuses every message). */
  smtpUrl: string | null;
  /** The sender, e.g. `Clinic <notifications@clinic.example>`. */
  from: string;
  /** Keep connections open and reuse them (default true). */
  pool?: boolean;
  /** Pooled connections at most (default 5). */
  maxConnections?: number;
  /** Connection, greeting and socket timeouts in milliseconds (default 30 s each), unless the URL sets them. */
  timeoutMs?: number;
  /** Transport errors outside a send and refused messages are logged here (never an address or a message text). */
  logger?: Pick<Logger, "warn">;
}

export const EMAIL_NOT_CONFIGURED = "e-mail is not configured: set SMTP_URL";

/** nodemailer's per-connection socket hook: `{ connection }` is a connected socket it takes over. */
type SocketHook = (
  options: { host?: string; port?: number; secure?: boolean },
  callback: (err: Error | null, socketOptions: { connection: Socket } | false) => void,
) => void;

/** What nodemailer puts on the errors it rejects a send with. */
interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

/** Characters a Message-ID's left part may hold as is (RFC 5322 dot-atom text). */
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** `<key@clinigraph>`; a key that cannot stand in a Message-ID as is is replaced by its hash (still the same on every attempt). */
export function emailMessageId(idempotencyKey: string): string {
  const local = DOT_ATOM.test(idempotencyKey) ? idempotencyKey : createHash("sha256").update(idempotencyKey).digest("base64url");
  return `<${local}@clinigraph>`;
}

/** The server's reply without any address in it (a 550 reply usually names the refused mailbox). */
const withoutAddresses = (text: string): string => text.replace(/<?[^\s<>]+@[^\s<>]+>?/g, "[address]").trim();

function classify(error: unknown): DeliveryFailure {
  const err = (error ?? {}) as SmtpError;
  const code = typeof err.responseCode === "number" ? err.responseCode : null;
  const reply = typeof err.response === "string" ? withoutAddresses(err.response) : null;
  if (code !== null && code >= 500) {
    return new DeliveryFailure(`SMTP server refused the message (${code}${reply ? `: ${reply}` : ""})`, true);
  }
  if (code !== null) {
    return new DeliveryFailure(`SMTP server deferred the message (${code}${reply ? `: ${reply}` : ""})`, false);
  }
  // No SMTP reply: the connection failed, timed out or broke off.
  return new DeliveryFailure(`SMTP server not reachable (${err.code ?? err.name ?? "error"})`, false);
}

/** The URL with the pool settings and timeouts added as nodemailer's query options, unless the URL already sets them. */
function transportUrl(smtpUrl: string, options: EmailChannelOptions): string {
  const url = new URL(smtpUrl);
  const timeout = String(options.timeoutMs ?? 30_000);
  const defaults: Record<string, string> = {
    pool: String(options.pool ?? true),
    maxConnections: String(options.maxConnections ?? 5),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  };
  for (const [key, value] of Object.entries(defaults)) if (!url.searchParams.has(key)) url.searchParams.set(key, value);
  return url.toString();
}

export function createEmailChannel(options: EmailChannelOptions): Channel {
  if (options.smtpUrl === null) {
    return {
      channel: "EMAIL",
      notConfigured: EMAIL_NOT_CONFIGURED,
      send: () => Promise.reject(new DeliveryFailure(EMAIL_NOT_CONFIGURED, true)),
      close: async () => {},
    };
  }

  const transport = nodemailer.createTransport(transportUrl(options.smtpUrl, options));
  // Nagle's algorithm holds each SMTP command back until the previous segment is acknowledged (~40 ms with delayed
  // ACKs): a pooled connection then carries ~20 messages a second instead of hundreds. nodemailer has no option for
  // it, but asks this hook for each connection: the socket is connected here with TCP_NODELAY and handed over
  // (nodemailer then speaks SMTP on it, upgrading it to TLS for smtps:// or STARTTLS as it would its own).
  (transport as unknown as { getSocket: SocketHook }).getSocket = (socketOptions, callback) => {
    const socket = connect({ host: socketOptions.host ?? "localhost", port: socketOptions.port ?? (socketOptions.secure ? 465 : 587), noDelay: true });
    const timer = setTimeout(() => socket.destroy(new Error("SMTP connection timed out")), options.timeoutMs ?? 30_000);
    const settle = (err: Error | null) => {
      clearTimeout(timer);
      socket.off("connect", onConnect).off("error", onError);
      if (err) callback(err, false);
      else callback(null, { connection: socket });
    };
    const onConnect = () => settle(null);
    const onError = (err: Error) => settle(err);
    socket.once("connect", onConnect).once("error", onError);
  };
  // A pooled connection that breaks between messages is reported here; without a listener it would end the process.
  transport.on("error", (error: SmtpError) => options.logger?.warn({ code: error.code }, "SMTP transport error"));

  return {
    channel: "EMAIL",
    notConfigured: null,
    async send({ idempotencyKey, recipient, message }: OutgoingMessage): Promise<SendResult> {
      if (!recipient.email) throw new DeliveryFailure("the recipient has no e-mail address", true);
      const messageId = emailMessageId(idempotencyKey);
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: recipient.email,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId,
          // RFC 3834: an automatic message, so out-of-office responders do not answer it.
          headers: { "Auto-Submitted": "auto-generated" },
        });
        return { providerMessageId: info.messageId ?? messageId };
      } catch (error) {
        const failure = classify(error);
        options.logger?.warn({ permanent: failure.permanent, reason: failure.message }, "e-mail not sent");
        throw failure;
      }
    },
    async close() {
      transport.close();
    },
  };
}
