/**
 * Outgoing e-mail of accounts (registration codes) over SMTP with nodemailer: `SMTP_URL`, e.g.
 * smtp://user:pass@mail.example:587 (STARTTLS when the server offers it) or smtps:// for TLS from the start.
 * Under `pnpm start` a local MailDev inbox receives everything (http://127.0.0.1:1080).
 */
import nodemailer from "nodemailer";
import type { Mailer } from "../domain/ports.js";

export function createSmtpMailer(url: string, from: string): Mailer & { close(): void } {
  const transport = nodemailer.createTransport(url);
  return {
    async send({ to, subject, text }) {
      await transport.sendMail({ from, to, subject, text });
    },
    close: () => transport.close(),
  };
}
