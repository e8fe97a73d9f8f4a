/**
 * Sign-in throttling through the router: parallel sign-ins can't get more passwords
 * verified than the per-account limit, a shared address's failures don't lock other users out while guessing
 * from it is still stopped, and X-Forwarded-For is believed only from a configured trusted proxy.
 *
 * Clients pick their source address: Linux routes all of 127/8 to lo, so a request bound to 127.0.0.x reaches
 * the router (on 127.0.0.1) from that address. Each test uses its own addresses.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import http from "node:http";
import { uniqueEmail } from "@clinigraph/testing";
import { expectData, startStack, type Stack } from "../support/stack.js";

const PER_ACCOUNT = 5; // LOGIN_MAX_FAILURES (default)
const PER_IP = 10; // LOGIN_MAX_FAILURES_PER_IP: past it, an address may only try accounts without failures
const PER_IP_HARD = 40; // LOGIN_MAX_FAILURES_PER_IP_HARD: past it, nothing from the address
const ENV = { LOGIN_MAX_FAILURES_PER_IP: String(PER_IP), LOGIN_MAX_FAILURES_PER_IP_HARD: String(PER_IP_HARD) };
const PASSWORD = "Correct-horse-42";
const WRONG = "Wrong-password-1";
const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`;

interface From {
  /** Source address of the TCP connection (127.0.0.x). */
  address: string;
  forwardedFor?: string;
}

/** One sign-in through the router: "signed in", or the first error's code. */
function login(routerUrl: string, from: From, email: string, password: string): Promise<string> {
  const body = JSON.stringify({ query: LOGIN, variables: { e: email, p: password } });
  return new Promise((resolve, reject) => {
    const req = http.request(
      routerUrl,
      {
        method: "POST",
        localAddress: from.address,
        agent: false, // a connection of its own: the requests really run in parallel
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          ...(from.forwardedFor ? { "x-forwarded-for": from.forwardedFor } : {}),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          try {
            const json = JSON.parse(text) as { data?: { login?: unknown }; errors?: { extensions?: { code?: string } }[] };
            resolve(json.errors?.length ? String(json.errors[0]!.extensions?.code) : json.data?.login ? "signed in" : `status ${res.statusCode}`);
          } catch (err) {
            reject(err as Error);
          }
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const count = (outcomes: string[], outcome: string) => outcomes.filter((o) => o === outcome).length;

async function register(stack: Stack, name: string): Promise<string> {
  const email = uniqueEmail(name);
  await expectData(stack.routerUrl, `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken } }`, {
    i: { email, password: PASSWORD, name: "Throttle Test" },
  });
  return email;
}

/**
 * 40 wrong passwords and the right one (at index 20) for one account, all at once. At most PER_ACCOUNT are
 * verified: unless the right one was among the first PER_ACCOUNT admitted, exactly PER_ACCOUNT wrong ones are
 * answered UNAUTHENTICATED and everything else, the right one included, RATE_LIMITED. (If it was admitted, its
 * success resets the account, as any sign-in does, and at most PER_ACCOUNT more can be tried after it.)
 */
async function burst(stack: Stack, email: string, from: (i: number) => From) {
  const outcomes = await Promise.all(Array.from({ length: 41 }, (_, i) => login(stack.routerUrl, from(i), email, i === 20 ? PASSWORD : WRONG)));
  expect(count(outcomes, "UNAUTHENTICATED") + count(outcomes, "RATE_LIMITED") + count(outcomes, "signed in")).toBe(41);
  if (outcomes[20] === "signed in") {
    expect(count(outcomes, "UNAUTHENTICATED")).toBeLessThanOrEqual(2 * PER_ACCOUNT - 1);
  } else {
    expect(outcomes[20]).toBe("RATE_LIMITED");
    expect(count(outcomes, "UNAUTHENTICATED")).toBe(PER_ACCOUNT);
    expect(count(outcomes, "RATE_LIMITED")).toBe(41 - PER_ACCOUNT);
    // The account stays locked for the window, from any address.
    expect(await login(stack.routerUrl, { address: "127.0.0.99" }, email, PASSWORD)).toBe("RATE_LIMITED");
  }
}

describe("sign-in throttling through the router (X-Forwarded-For ignored: no trusted proxy)", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: ENV });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("verifies no more than the per-account limit of 41 parallel sign-ins from one address", async () => {
    await burst(stack, await register(stack, "burst"), () => ({ address: "127.0.0.11" }));
  });

  it("holds the per-account limit in total when the parallel sign-ins come from 8 addresses", async () => {
    await burst(stack, await register(stack, "spread"), (i) => ({ address: `127.0.0.${12 + (i % 8)}` }));
  });

  it("lets another user's right password in from an address where many sign-ins failed, and still stops guessing there", async () => {
    const shared = { address: "127.0.0.21" };
    const [other, colleague] = [await register(stack, "other"), await register(stack, "colleague")];
    // 25 unknown e-mails (beyond the address's limit of 10) and 5 wrong passwords for another account.
    const ghosts = await Promise.all(Array.from({ length: 25 }, () => login(stack.routerUrl, shared, uniqueEmail("ghost"), WRONG)));
    expect(ghosts).toEqual(Array(25).fill("UNAUTHENTICATED"));
    const others = [];
    for (let i = 0; i < 5; i++) others.push(await login(stack.routerUrl, shared, other, WRONG));
    // The first was verified; then the address, past its limit, may not keep guessing an account that failed.
    expect(others).toEqual(["UNAUTHENTICATED", ...Array(4).fill("RATE_LIMITED")]);
    expect(await login(stack.routerUrl, shared, colleague, PASSWORD)).toBe("signed in");
    expect(await login(stack.routerUrl, shared, other, PASSWORD)).toBe("RATE_LIMITED");
    // Spraying fresh e-mails goes on only up to the hard limit: 26 failures so far, 14 more, then nothing.
    const spray = await Promise.all(Array.from({ length: 20 }, () => login(stack.routerUrl, shared, uniqueEmail("spray"), WRONG)));
    expect([count(spray, "UNAUTHENTICATED"), count(spray, "RATE_LIMITED")]).toEqual([PER_IP_HARD - 26, 20 - (PER_IP_HARD - 26)]);
    expect(await login(stack.routerUrl, shared, colleague, PASSWORD)).toBe("RATE_LIMITED");
    // Elsewhere the other account is fine.
    expect(await login(stack.routerUrl, { address: "127.0.0.22" }, other, PASSWORD)).toBe("signed in");
  });

  it("ignores X-Forwarded-For: a client can't spread its failures over addresses it makes up", async () => {
    const touched = await register(stack, "touched");
    expect(await login(stack.routerUrl, { address: "127.0.0.32" }, touched, WRONG)).toBe("UNAUTHENTICATED");
    for (let i = 0; i < PER_IP; i++) {
      expect(await login(stack.routerUrl, { address: "127.0.0.31", forwardedFor: `198.51.100.${i}` }, uniqueEmail("ghost"), WRONG)).toBe("UNAUTHENTICATED");
    }
    // Counted on 127.0.0.31, which is past its limit for an account that failed, whatever the header says…
    expect(await login(stack.routerUrl, { address: "127.0.0.31", forwardedFor: "198.51.100.200" }, touched, PASSWORD)).toBe("RATE_LIMITED");
    // …while from another address it signs in.
    expect(await login(stack.routerUrl, { address: "127.0.0.33", forwardedFor: "198.51.100.0" }, touched, PASSWORD)).toBe("signed in");
  });
});

describe("sign-in throttling behind a trusted proxy (TRUSTED_PROXIES=127.0.0.1)", () => {
  let stack: Stack;
  const proxy = "127.0.0.1";
  beforeAll(async () => {
    stack = await startStack({ env: ENV, trustedProxies: [proxy] });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("takes the client address from the proxy's X-Forwarded-For (its right-most untrusted entry)", async () => {
    const touched = await register(stack, "touched");
    expect(await login(stack.routerUrl, { address: "127.0.0.41" }, touched, WRONG)).toBe("UNAUTHENTICATED");
    // 10 failures from client 203.0.113.5 behind the proxy; what the client itself wrote in the header (left) is ignored.
    for (let i = 0; i < PER_IP; i++) {
      const forwardedFor = `10.${i}.0.1, 203.0.113.5`;
      expect(await login(stack.routerUrl, { address: proxy, forwardedFor }, uniqueEmail("ghost"), WRONG)).toBe("UNAUTHENTICATED");
    }
    expect(await login(stack.routerUrl, { address: proxy, forwardedFor: "203.0.113.5" }, touched, PASSWORD)).toBe("RATE_LIMITED");
    // Another client behind the same proxy is another address (not the proxy's, shared by all).
    expect(await login(stack.routerUrl, { address: proxy, forwardedFor: "203.0.113.6" }, touched, PASSWORD)).toBe("signed in");
  });

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", async () => {
    const touched = await register(stack, "touched");
    expect(await login(stack.routerUrl, { address: "127.0.0.42" }, touched, WRONG)).toBe("UNAUTHENTICATED");
    for (let i = 0; i < PER_IP; i++) {
      expect(await login(stack.routerUrl, { address: "127.0.0.43", forwardedFor: `203.0.113.${100 + i}` }, uniqueEmail("ghost"), WRONG)).toBe(
        "UNAUTHENTICATED",
      );
    }
    expect(await login(stack.routerUrl, { address: "127.0.0.43", forwardedFor: "203.0.113.200" }, touched, PASSWORD)).toBe("RATE_LIMITED");
  });

  it("counts an IPv6 client per /64: rotating addresses inside its network does not escape the address limit", async () => {
    const touched = await register(stack, "touched6");
    expect(await login(stack.routerUrl, { address: "127.0.0.44" }, touched, WRONG)).toBe("UNAUTHENTICATED");
    // 10 failures, each from another address of 2001:db8:7:7::/64.
    for (let i = 0; i < PER_IP; i++) {
      expect(await login(stack.routerUrl, { address: proxy, forwardedFor: `2001:db8:7:7::${(i + 1).toString(16)}` }, uniqueEmail("ghost"), WRONG)).toBe(
        "UNAUTHENTICATED",
      );
    }
    expect(await login(stack.routerUrl, { address: proxy, forwardedFor: "2001:db8:7:7:beef::1" }, touched, PASSWORD)).toBe("RATE_LIMITED");
    // Another /64 is another client.
    expect(await login(stack.routerUrl, { address: proxy, forwardedFor: "2001:db8:7:8::1" }, touched, PASSWORD)).toBe("signed in");
  });

  it("holds the per-account limit in total over many forwarded client addresses", async () => {
    await burst(stack, await register(stack, "forwarded"), (i) => ({ address: proxy, forwardedFor: `192.0.2.${i}` }));
  });
});
