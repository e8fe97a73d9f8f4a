/**
 * Web push subscriptions: a browser that allowed notifications hands its PushSubscription (endpoint and keys) to
 * `registerPushSubscription`; push messages to the user go to every browser they registered. The push service's
 * 404/410 answer removes a subscription (dispatch.ts).
 */
import { createECDH } from "node:crypto";
import { badInput } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import type { Actor } from "./types.js";

export interface PushSubscriptionInput {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

const MAX_ENDPOINT_LENGTH = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** The problem with a subscription (and its field), or null: an https endpoint, a P-256 public key, a 16-byte secret. */
export function pushSubscriptionProblem(input: PushSubscriptionInput): { message: string; field: string } | null {
  if (typeof input?.endpoint !== "string" || !input.keys) return { message: "endpoint and keys are required", field: "input" };
  let url: URL;
  try {
    url = new URL(input.endpoint);
  } catch {
    return { message: "endpoint is not a URL", field: "input.endpoint" };
  }
  if (url.protocol !== "https:") return { message: "endpoint must be an https URL", field: "input.endpoint" };
  if (url.username || url.password) return { message: "endpoint must not carry credentials", field: "input.endpoint" };
  if (input.endpoint.length > MAX_ENDPOINT_LENGTH) return { message: `endpoint must be at most ${MAX_ENDPOINT_LENGTH} characters`, field: "input.endpoint" };
  const p256dh = decoded(input.keys.p256dh);
  if (!p256dh || p256dh.length !== 65 || p256dh[0] !== 0x04)
    return { message: "keys.p256dh must be an uncompressed P-256 public key (65 bytes, base64url)", field: "input.keys.p256dh" };
  if (!onCurve(p256dh)) return { message: "keys.p256dh is not a point on the P-256 curve", field: "input.keys.p256dh" };
  const auth = decoded(input.keys.auth);
  if (!auth || auth.length !== 16) return { message: "keys.auth must be 16 bytes, base64url", field: "input.keys.auth" };
  return null;
}

/** Agreeing a secret with a point that is not on the curve fails: such a key could never receive a push. */
function onCurve(point: Buffer): boolean {
  try {
    const probe = createECDH("prime256v1");
    probe.generateKeys();
    probe.computeSecret(point);
    return true;
  } catch {
    return false;
  }
}

function decoded(value: string): Buffer | null {
  if (typeof value !== "string" || !BASE64URL.test(value)) return null;
  return Buffer.from(value.replace(/=+$/, ""), "base64url");
}

export async function registerPushSubscription(deps: Pick<Deps, "pushSubscriptions" | "clock">, actor: Actor, input: PushSubscriptionInput): Promise<boolean> {
  const problem = pushSubscriptionProblem(input);
  if (problem) throw badInput(problem.message, problem.field);
  await deps.pushSubscriptions.save(actor.userId, { endpoint: input.endpoint, p256dh: input.keys.p256dh, auth: input.keys.auth }, deps.clock());
  return true;
}

export async function unregisterPushSubscription(deps: Pick<Deps, "pushSubscriptions">, actor: Actor, endpoint: string): Promise<boolean> {
  return deps.pushSubscriptions.removeForUser(actor.userId, endpoint);
}
