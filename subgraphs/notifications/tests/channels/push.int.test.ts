/**
 * The push channel against a local HTTPS push service (tests/support/pushService.ts: a self-signed certificate,
 * trusted through the channel's agent). The subscription is a real browser-like one — a P-256 key pair and 16 random
 * auth bytes — and each received body is decrypted from the browser's side (RFC 8291 / RFC 8188 with node:crypto);
 * this file also checks the VAPID JWT's ES256 signature, and the Topic, TTL and Urgency headers.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createPublicKey, randomBytes, randomUUID, verify } from "node:crypto";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { createPushChannel, generateVapidKeys, pushTopic, validatePushSubscription, PUSH_NOT_CONFIGURED, PUSH_TTL_SECONDS } from "../../src/channels/index.js";
import { DeliveryFailure, type Channel, type OutgoingMessage, type PushSubscriptionRecord } from "../../src/domain/ports.js";
import { startPushService, type Browser, type PushService, type ReceivedPush } from "../support/pushService.js";

const vapid = { ...generateVapidKeys(), subject: "mailto:operations@clinic.example" };
let service: PushService;

beforeAll(async () => {
  service = await startPushService();
});

afterAll(async () => {
  await service?.stop();
});

const browser = (kind?: string): Browser => service.browser(kind);
const decrypt = (body: Buffer, owner: Browser): string => service.decrypt(body, owner);

function outgoing(subscriptions: PushSubscriptionRecord[], key: string = randomUUID()): OutgoingMessage {
  return {
    idempotencyKey: key,
    recipient: { userId: randomUUID(), email: null, phone: null, pushSubscriptions: subscriptions },
    message: {
      subject: "Appointment booked",
      text: "long text",
      html: "<p>long html</p>",
      short: "Booked: Dr. Kim, 3 Mar 10:00, Room 2, see https://app.clinic.example/appointments/42.",
    },
  };
}

const push = (options: Partial<Parameters<typeof createPushChannel>[0]> = {}): Channel => createPushChannel({ vapid, agent: service.agent, ...options });

const requestTo = (endpoint: string): ReceivedPush => {
  const found = service.requestsTo(endpoint);
  expect(found).toHaveLength(1);
  return found[0]!;
};

async function failure(promise: Promise<unknown>): Promise<DeliveryFailure> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryFailure);
  return error as DeliveryFailure;
}

/** Checks `vapid t=<JWT>, k=<public key>` (RFC 8292): ES256 signature by the VAPID key, audience, subject, expiry. */
function expectVapid(authorization: string | string[] | undefined) {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(String(authorization));
  expect(match).not.toBeNull();
  const [, jwt, k] = match!;
  expect(k).toBe(vapid.publicKey);
  const [header, claims, signature] = jwt!.split(".") as [string, string, string];
  expect(JSON.parse(Buffer.from(header, "base64url").toString())).toEqual({ typ: "JWT", alg: "ES256" });
  const payload = JSON.parse(Buffer.from(claims, "base64url").toString()) as { aud: string; sub: string; exp: number };
  expect(payload.aud).toBe(service.origin);
  expect(payload.sub).toBe(vapid.subject);
  const now = Date.now() / 1000;
  expect(payload.exp).toBeGreaterThan(now);
  expect(payload.exp).toBeLessThanOrEqual(now + 24 * 60 * 60);

  const point = Buffer.from(vapid.publicKey, "base64url");
  const key = createPublicKey({
    key: { kty: "EC", crv: "P-256", x: point.subarray(1, 33).toString("base64url"), y: point.subarray(33, 65).toString("base64url") },
    format: "jwk",
  });
  expect(verify("sha256", Buffer.from(`${header}.${claims}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url"))).toBe(true);
}

describe("push channel", () => {
  it("sends the minimal payload, encrypted for the subscription, with VAPID, Topic, TTL and Urgency", async () => {
    const phone = browser();
    const message = outgoing([phone.subscription]);
    const channel = push();
    expect(channel.channel).toBe("PUSH");
    expect(channel.notConfigured).toBeNull();

    const result = await channel.send(message);

    const request = requestTo(phone.subscription.endpoint);
    expect(request.headers["content-encoding"]).toBe("aes128gcm");
    expect(JSON.parse(decrypt(request.body, phone))).toEqual({
      title: "Appointment booked",
      body: message.message.short,
      url: "https://app.clinic.example/appointments/42",
    });
    expectVapid(request.headers.authorization);
    const topic = request.headers.topic as string;
    expect(topic).toBe(pushTopic(message.idempotencyKey));
    expect(topic).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
    expect(request.headers.ttl).toBe(String(PUSH_TTL_SECONDS));
    expect(request.headers.urgency).toBe("normal");
    expect(result.providerMessageId).toMatch(new RegExp(`^${service.origin}/messages/`));
    expect(result.goneEndpoints).toEqual([]);
  });

  it("leaves the url out when the short text has no link, and repeats the Topic when the delivery is retried", async () => {
    const phone = browser();
    const key = randomUUID();
    const message = { ...outgoing([phone.subscription], key), message: { subject: "Cancelled", text: "t", html: "h", short: "Cancelled: 3 Mar 10:00" } };

    await push().send(message);
    await push().send(message);

    const requests = service.requestsTo(phone.subscription.endpoint);
    expect(requests).toHaveLength(2);
    expect(requests.map((r) => r.headers.topic)).toEqual([pushTopic(key), pushTopic(key)]);
    expect(requests.map((r) => JSON.parse(decrypt(r.body, phone)))).toEqual([
      { title: "Cancelled", body: "Cancelled: 3 Mar 10:00" },
      { title: "Cancelled", body: "Cancelled: 3 Mar 10:00" },
    ]);
    expect(pushTopic(randomUUID())).not.toBe(pushTopic(key));
  });

  it("sends to every subscription and reports the ones the push service says are gone (410)", async () => {
    const laptop = browser();
    const phone = browser();
    const oldTablet = browser("gone");

    const result = await push().send(outgoing([laptop.subscription, oldTablet.subscription, phone.subscription]));

    expect(JSON.parse(decrypt(requestTo(laptop.subscription.endpoint).body, laptop)).title).toBe("Appointment booked");
    expect(JSON.parse(decrypt(requestTo(phone.subscription.endpoint).body, phone)).title).toBe("Appointment booked");
    requestTo(oldTablet.subscription.endpoint);
    expect(result.goneEndpoints).toEqual([oldTablet.subscription.endpoint]);
    expect(result.providerMessageId).not.toBeNull();
  });

  it("fails permanently, listing them, when every subscription is gone (410 and 404)", async () => {
    const gone = browser("gone");
    const unknown = browser("unknown");

    const error = await failure(push().send(outgoing([gone.subscription, unknown.subscription])));

    expect(error.permanent).toBe(true);
    expect(error.goneEndpoints).toEqual([gone.subscription.endpoint, unknown.subscription.endpoint]);
  });

  it.each(["busy", "slow-down"])("fails temporarily when the push service answers /%s (503, 429), still reporting gone ones", async (kind) => {
    const busy = browser(kind);
    const gone = browser("gone");

    const error = await failure(push().send(outgoing([busy.subscription, gone.subscription])));

    expect(error.permanent).toBe(false);
    expect(error.goneEndpoints).toEqual([gone.subscription.endpoint]);
    requestTo(busy.subscription.endpoint);
  });

  it("fails temporarily when the push service cannot be reached", async () => {
    const closed = createTcpServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const phone = browser();

    const error = await failure(push().send(outgoing([{ ...phone.subscription, endpoint: `https://127.0.0.1:${port}/ok/${randomUUID()}` }])));

    expect(error.permanent).toBe(false);
    expect(error.goneEndpoints).toEqual([]);
  });

  it("does not trust the local push service without the agent that trusts its certificate (the agent is what is used)", async () => {
    const phone = browser();
    const error = await failure(push({ agent: undefined }).send(outgoing([phone.subscription])));
    expect(error.permanent).toBe(false);
    expect(service.requestsTo(phone.subscription.endpoint)).toEqual([]);
  });

  it("fails permanently when the recipient has no push subscription", async () => {
    const error = await failure(push().send(outgoing([])));
    expect(error.permanent).toBe(true);
    expect(error.goneEndpoints).toEqual([]);
  });

  it("says what to set when VAPID keys are missing, and refuses every message permanently", async () => {
    const channel = createPushChannel({ vapid: null });
    expect(channel.notConfigured).toBe("push is not configured: set VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT");
    const error = await failure(channel.send(outgoing([browser().subscription])));
    expect(error.permanent).toBe(true);
    expect(error.message).toBe(PUSH_NOT_CONFIGURED);
  });

  it("refuses malformed VAPID keys when the channel is made", () => {
    expect(() => createPushChannel({ vapid: { ...vapid, privateKey: "not-a-key" } })).toThrow();
    expect(() => createPushChannel({ vapid: { ...vapid, subject: "operations@clinic.example" } })).toThrow();
  });
});

describe("validatePushSubscription", () => {
  const real = () => {
    const { subscription } = browser();
    return { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } };
  };

  it("accepts a real browser subscription", () => {
    expect(validatePushSubscription(real())).toBeNull();
  });

  it.each([
    ["an http endpoint", (s: ReturnType<typeof real>) => ({ ...s, endpoint: s.endpoint.replace("https:", "http:") }), "https"],
    ["a non-URL endpoint", (s: ReturnType<typeof real>) => ({ ...s, endpoint: "push service" }), "not a URL"],
    ["an endpoint over 2048 characters", (s: ReturnType<typeof real>) => ({ ...s, endpoint: `https://push.example/${"a".repeat(2030)}` }), "2048"],
    ["p256dh of 64 bytes", (s: ReturnType<typeof real>) => ({ ...s, keys: { ...s.keys, p256dh: randomBytes(64).toString("base64url") } }), "p256dh"],
    [
      "p256dh not starting with 0x04",
      (s: ReturnType<typeof real>) => ({ ...s, keys: { ...s.keys, p256dh: Buffer.concat([Buffer.from([3]), randomBytes(64)]).toString("base64url") } }),
      "p256dh",
    ],
    [
      "p256dh off the curve",
      (s: ReturnType<typeof real>) => ({ ...s, keys: { ...s.keys, p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]).toString("base64url") } }),
      "curve",
    ],
    ["p256dh in standard base64", (s: ReturnType<typeof real>) => ({ ...s, keys: { ...s.keys, p256dh: "+/" + s.keys.p256dh.slice(2) } }), "base64url"],
    ["auth of 15 bytes", (s: ReturnType<typeof real>) => ({ ...s, keys: { ...s.keys, auth: randomBytes(15).toString("base64url") } }), "16 bytes"],
    ["auth missing", (s: ReturnType<typeof real>) => ({ ...s, keys: { ...s.keys, auth: "" } }), "auth"],
  ])("rejects %s", (_name, spoil, problem) => {
    const result = validatePushSubscription(spoil(real()));
    expect(result).not.toBeNull();
    expect(result).toContain(problem);
  });
});
