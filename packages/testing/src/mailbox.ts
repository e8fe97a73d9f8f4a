/**
 * A real SMTP server for tests (smtp-server, parsed with mailparser), as a clinic's mail relay would be: plain SMTP
 * without STARTTLS (smtp-server's built-in certificate has expired). `next(match)` resolves when a matching mail has
 * arrived (already or later); `down()`/`up()` stop and restart it on the same port to play an outage.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  parsed: ParsedMail;
}

export interface Mailbox {
  /** smtp://127.0.0.1:<port> */
  url: string;
  mails: ReceivedMail[];
  /** The first mail (in arrival order) matching, waiting up to timeoutMs for it. */
  next(match: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMailbox(): Promise<Mailbox> {
  const mails: ReceivedMail[] = [];
  let waiters: (() => void)[] = [];
  const create = () =>
    new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      // Pooled clients keep connections open: an outage closes them at once rather than after 30 s.
      closeTimeout: 200,
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((parsed) => {
            const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
            mails.push({
              to: to?.value[0]?.address ?? "",
              subject: parsed.subject ?? "",
              text: parsed.text ?? "",
              html: typeof parsed.html === "string" ? parsed.html : "",
              messageId: parsed.messageId ?? "",
              parsed,
            });
            const woken = waiters;
            waiters = [];
            for (const wake of woken) wake();
            callback();
          })
          .catch(callback);
      },
    });
  let server = create();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  let running = true;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async next(match, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = mails.find(match);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching mail within ${timeoutMs} ms (${mails.length} received)`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => (clearTimeout(timer), resolve()));
        });
      }
    },
    async down() {
      if (!running) return;
      running = false;
      await close();
    },
    async up() {
      if (running) return;
      server = create();
      await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
      running = true;
    },
    async stop() {
      if (running) await close();
      running = false;
    },
  };
}
