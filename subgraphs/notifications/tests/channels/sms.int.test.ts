/**
 * The SMS channel against a local HTTP server that answers like Twilio's Messages endpoint: it checks the path, the
 * basic auth and the form, and answers 201 with a message resource or Twilio's error object.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createSmsChannel, SMS_NOT_CONFIGURED } from "../../src/channels/index.js";
import { DeliveryFailure, type OutgoingMessage } from "../../src/domain/ports.js";

const ACCOUNT_SID = `AC${randomBytes(16).toString("hex")}`;
const AUTH_TOKEN = randomBytes(16).toString("hex");
const FROM = "+15005550006";

interface Request {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  idempotencyToken: string | undefined;
  form: URLSearchParams;
}

/** How the fake answers a request for this To number (default: 201). */
const scripted = new Map<string, (res: ServerResponse, to: string) => void>();
/** To numbers whose request is never answered (a hung provider). */
const hanging = new Set<string>();
const requests: Request[] = [];
let server: Server;
let baseUrl: string;

function twilioError(res: ServerResponse, status: number, code: number, message: string) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
}

function handle(req: IncomingMessage, res: ServerResponse, raw: string) {
  const form = new URLSearchParams(raw);
  const request: Request = {
    method: req.method ?? "",
    path: req.url ?? "",
    authorization: req.headers.authorization,
    contentType: req.headers["content-type"],
    idempotencyToken: req.headers["i-twilio-idempotency-token"] as string | undefined,
    form,
  };
  requests.push(request);
  const expectedAuth = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString("base64")}`;
  if (request.authorization !== expectedAuth) return twilioError(res, 401, 20003, "Authenticate");
  if (request.method !== "POST" || request.path !== `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`) return twilioError(res, 404, 20404, "Not found");
  const to = form.get("To") ?? "";
  if (!to || !(form.get("From") || form.get("MessagingServiceSid")) || !form.get("Body"))
    return twilioError(res, 400, 21604, "A 'To' phone number is required.");
  if (hanging.has(to)) return; // never answers
  const script = scripted.get(to);
  if (script) return script(res, to);
  res.writeHead(201, { "content-type": "application/json" });
  res.end(JSON.stringify({ sid: `SM${randomBytes(16).toString("hex")}`, status: "queued", to, body: form.get("Body"), error_code: null }));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (raw += chunk));
    req.on("end", () => handle(req, res, raw));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let numbers = 0;
/** A phone number no other test uses. */
const uniquePhone = () => `+49170${String(process.pid % 1000).padStart(3, "0")}${String(++numbers).padStart(4, "0")}`;

function outgoing(phone: string | null, key: string = randomUUID()): OutgoingMessage {
  return {
    idempotencyKey: key,
    recipient: { userId: randomUUID(), email: null, phone, pushSubscriptions: [] },
    message: { subject: "Booked", text: "Booked", html: "<p>Booked</p>", short: `Booked: Dr. Kim, 3 Mar 10:00 ${randomUUID().slice(0, 8)}` },
  };
}

const sms = (overrides: Partial<Parameters<typeof createSmsChannel>[0]> = {}) =>
  createSmsChannel({ twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, baseUrl }, ...overrides });

async function failure(promise: Promise<unknown>): Promise<DeliveryFailure> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryFailure);
  return error as DeliveryFailure;
}

describe("SMS channel (Twilio Messages API)", () => {
  it("posts To, From and the short text with basic auth and the idempotency key, and returns Twilio's sid", async () => {
    const phone = uniquePhone();
    const message = outgoing(phone);
    const channel = sms();
    expect(channel.channel).toBe("SMS");
    expect(channel.notConfigured).toBeNull();

    const result = await channel.send(message);

    const request = requests.find((r) => r.form.get("To") === phone)!;
    expect(request.contentType).toBe("application/x-www-form-urlencoded");
    expect(request.form.get("From")).toBe(FROM);
    expect(request.form.get("Body")).toBe(message.message.short);
    expect(request.idempotencyToken).toBe(message.idempotencyKey);
    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it("sends from a Messaging Service when TWILIO_FROM is its SID", async () => {
    const phone = uniquePhone();
    const service = `MG${randomBytes(16).toString("hex")}`;
    await sms({ twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: service, baseUrl } }).send(outgoing(phone));

    const request = requests.find((r) => r.form.get("To") === phone)!;
    expect(request.form.get("MessagingServiceSid")).toBe(service);
    expect(request.form.has("From")).toBe(false);
  });

  it("fails permanently on 400 with Twilio's code and message, but never the phone number or the text", async () => {
    const phone = uniquePhone();
    // Twilio's real message quotes the number, with or without its +.
    scripted.set(phone, (res, to) => twilioError(res, 400, 21211, `The 'To' number ${to.slice(1)} is not a valid phone number (${to}).`));
    const message = outgoing(phone);

    const error = await failure(sms().send(message));

    expect(error.permanent).toBe(true);
    expect(error.message).toContain("400");
    expect(error.message).toContain("21211");
    expect(error.message).toContain("is not a valid phone number");
    expect(error.message).not.toContain(phone);
    expect(error.message).not.toContain(phone.slice(1));
    expect(error.message).not.toMatch(/\d{6,}/);
    expect(error.message).not.toContain(message.message.short);
  });

  it("fails permanently with a wrong auth token (401)", async () => {
    const error = await failure(sms({ twilio: { accountSid: ACCOUNT_SID, authToken: "wrong", from: FROM, baseUrl } }).send(outgoing(uniquePhone())));
    expect(error.permanent).toBe(true);
    expect(error.message).toContain("401");
    expect(error.message).toContain("20003");
  });

  it.each([
    [503, 20500, "Service Unavailable"],
    [429, 20429, "Too Many Requests"],
  ])("fails temporarily on HTTP %i", async (status, code, text) => {
    const phone = uniquePhone();
    scripted.set(phone, (res) => twilioError(res, status, code, text));

    const error = await failure(sms().send(outgoing(phone)));

    expect(error.permanent).toBe(false);
    expect(error.message).toContain(String(status));
  });

  it("fails temporarily when the answer is not JSON (a proxy's 502 page)", async () => {
    const phone = uniquePhone();
    scripted.set(phone, (res) => {
      res.writeHead(502, { "content-type": "text/html" });
      res.end("<html>Bad gateway</html>");
    });
    const error = await failure(sms().send(outgoing(phone)));
    expect(error.permanent).toBe(false);
    expect(error.message).toContain("502");
  });

  it("fails temporarily when Twilio cannot be reached", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error = await failure(
      sms({ twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, baseUrl: `http://127.0.0.1:${port}` } }).send(outgoing(uniquePhone())),
    );
    expect(error.permanent).toBe(false);
    expect(error.message).toContain("not reachable");
  });

  it("fails temporarily when Twilio does not answer within the timeout", async () => {
    const phone = uniquePhone();
    hanging.add(phone);
    const error = await failure(sms({ timeoutMs: 200 }).send(outgoing(phone)));
    expect(error.permanent).toBe(false);
    expect(error.message).toContain("no answer within 200 ms");
  });

  it("fails permanently, without calling Twilio, when the recipient has no phone number", async () => {
    const before = requests.length;
    const error = await failure(sms().send(outgoing(null)));
    expect(error.permanent).toBe(true);
    expect(requests.length).toBe(before);
  });

  it("says what to set when Twilio is not configured, and refuses every message permanently", async () => {
    const before = requests.length;
    const channel = createSmsChannel({ twilio: null });
    expect(channel.notConfigured).toBe("SMS is not configured: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM");

    const error = await failure(channel.send(outgoing(uniquePhone())));
    expect(error.permanent).toBe(true);
    expect(error.message).toBe(SMS_NOT_CONFIGURED);
    expect(requests.length).toBe(before);
  });
});
