/**
 * A local HTTPS push service (RFC 8030) for tests, with a self-signed certificate made at start and an agent that
 * trusts it (give it to `createPushChannel({ agent })`). It records every request it receives and answers by the
 * endpoint's first path segment: /gone → 410, /unknown → 404, /busy → 503, /slow-down → 429, anything else → 201
 * with a Location. `browser()` makes a browser-like subscription on it (a P-256 key pair and 16 random auth bytes),
 * and `decrypt()` reads a received body from that browser's side (RFC 8291 over RFC 8188 aes128gcm, node:crypto).
 */
import { createDecipheriv, createECDH, hkdfSync, randomBytes, randomUUID, type ECDH } from "node:crypto";
import { Agent, createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { generate } from "selfsigned";
import type { PushSubscriptionRecord } from "../../src/domain/ports.js";

/** One request the push service received. */
export interface ReceivedPush {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A browser's side of a subscription: its key pair and auth secret (what the service worker would hold). */
export interface Browser {
  ecdh: ECDH;
  auth: Buffer;
  subscription: PushSubscriptionRecord;
  /** The subscription as a browser's PushSubscription.toJSON() gives it (registerPushSubscription's input). */
  input: { endpoint: string; keys: { p256dh: string; auth: string } };
}

export interface PushService {
  /** https://127.0.0.1:<port> */
  origin: string;
  /** Trusts the service's certificate (and nothing else's). */
  agent: Agent;
  /** Every request received so far, in order. */
  received: ReceivedPush[];
  /** A new subscription whose endpoint is `<origin>/<kind>/<uuid>`; `kind` chooses how the service answers. */
  browser(kind?: string): Browser;
  /** The requests received for this endpoint, in order. */
  requestsTo(endpoint: string): ReceivedPush[];
  /** The plaintext of a received body, decrypted with the browser's keys. */
  decrypt(body: Buffer, browser: Browser): string;
  stop(): Promise<void>;
}

const STATUS_BY_KIND = new Map([
  ["gone", 410],
  ["unknown", 404],
  ["busy", 503],
  ["slow-down", 429],
]);

export async function startPushService(): Promise<PushService> {
  const pems = await generate([{ name: "commonName", value: "localhost" }], { keyType: "ec", curve: "P-256" });
  const received: ReceivedPush[] = [];
  let origin = "";
  const server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const path = req.url ?? "";
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks) });
      const status = STATUS_BY_KIND.get(path.split("/")[1] ?? "") ?? 201;
      res.writeHead(status, status === 201 ? { location: `${origin}/messages/${randomUUID()}` } : {});
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new Agent({ ca: pems.cert, keepAlive: false });

  return {
    origin,
    agent,
    received,
    browser(kind = "ok") {
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const subscription = {
        endpoint: `${origin}/${kind}/${randomUUID()}`,
        p256dh: ecdh.getPublicKey().toString("base64url"),
        auth: auth.toString("base64url"),
      };
      return { ecdh, auth, subscription, input: { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } } };
    },
    requestsTo: (endpoint) => received.filter((request) => `${origin}${request.path}` === endpoint),
    decrypt: decryptPush,
    async stop() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * RFC 8291 (Message Encryption for Web Push) over RFC 8188 (aes128gcm), from the browser's side. Throws when the
 * body is not one well-formed last record for this browser (wrong header, failed authentication, no delimiter).
 */
export function decryptPush(body: Buffer, { ecdh, auth }: Pick<Browser, "ecdh" | "auth">): string {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20]!;
  const senderPublic = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  if (idLength !== 65) throw new Error(`the key id is ${idLength} bytes, not the sender's 65-byte public key`);
  if (record.length > recordSize) throw new Error(`the record (${record.length} bytes) is larger than the record size ${recordSize}`);

  const shared = ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), ecdh.getPublicKey(), senderPublic]);
  const ikm = Buffer.from(hkdfSync("sha256", shared, auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));

  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error("the record does not end with the last-record delimiter 0x02");
  return padded.subarray(0, end).toString("utf8");
}
