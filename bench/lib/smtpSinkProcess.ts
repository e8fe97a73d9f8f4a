/**
 * A child process of a benchmark: a local SMTP server (smtp-server, plain SMTP without STARTTLS, no authentication
 * needed, as a clinic's relay on the same network) that accepts every message and keeps, per message, the envelope's
 * sender and recipients and the Message-ID header. Only the header block is read; the body is drained unparsed, so the
 * sink spends as little CPU as it can on the machine it shares with the processes measured.
 *
 * Methods (see `children.ts`): `start()` → `{ url }`, `reset()`, `report()` → `SinkReport`, and `mark`/`usage`.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { serveParent } from "./children.js";

export interface SinkMessage {
  messageId: string;
  from: string;
  to: string[];
}

export interface SinkReport {
  messages: SinkMessage[];
  /** SMTP connections opened since the last reset. */
  connections: number;
}

let messages: SinkMessage[] = [];
let connections = 0;

/** The Message-ID header's value from a header block ("" when there is none). */
function messageIdOf(headers: string): string {
  const match = /^message-id:[ \t]*(.*(?:\r\n[ \t].*)*)/im.exec(headers);
  return match ? match[1]!.replace(/\r\n[ \t]+/g, " ").trim() : "";
}

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  closeTimeout: 200,
  onConnect(_session, callback) {
    connections++;
    callback();
  },
  onData(stream, session, callback) {
    let head = "";
    let done = false;
    stream.on("data", (chunk: Buffer) => {
      if (done) return;
      head += chunk.toString("latin1");
      const end = head.indexOf("\r\n\r\n");
      if (end >= 0) {
        head = head.slice(0, end);
        done = true;
      }
    });
    stream.on("end", () => {
      const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
      messages.push({ messageId: messageIdOf(head), from, to: session.envelope.rcptTo.map((rcpt) => rcpt.address) });
      callback();
    });
    stream.on("error", callback);
  },
});

serveParent({
  async start() {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return { url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}` };
  },
  reset() {
    messages = [];
    connections = 0;
  },
  report(): SinkReport {
    return { messages, connections };
  },
  async stop() {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  },
});
