/**
 * The accounts contact directory (src/data/accountsContacts.ts) against a real accounts on its own test database:
 * `contactsOf` asks with the notifications service's own identity, gets users' contacts in clear, leaves unknown ids
 * out and splits long lists into batches of 500; anything but a well-formed 200 (accounts down, a refusal, no answer
 * in time, an odd body) is ContactsUnavailable with a message that names nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { buildAccountsServer, createPrisma } from "@clinigraph/accounts";
import { createLogger, fieldCipherFromEnv, verifyIdentity, type Identity, type RunningServer } from "@clinigraph/platform";
import { createTestDatabase, TEST_ROUTER_SECRETS, testEnv, uniqueEmail, type TestDatabase } from "@clinigraph/testing";
import { createAccountsContacts } from "../src/data/accountsContacts.js";
import { ContactsUnavailable } from "../src/domain/ports.js";

let db: TestDatabase;
let prisma: ReturnType<typeof createPrisma>;
let accounts: Awaited<ReturnType<typeof buildAccountsServer>>;
let running: RunningServer;

beforeAll(async () => {
  db = await createTestDatabase(["accounts"]);
  const env = testEnv(db.url);
  prisma = createPrisma(db.url);
  accounts = await buildAccountsServer({
    config: { routerSecrets: TEST_ROUTER_SECRETS, accessTokenTtlSeconds: 600, refreshTokenTtlDays: 30, admin: null, exposeInternalErrors: false },
    prisma,
    cipher: fieldCipherFromEnv(env),
    logger: createLogger("accounts-test", "silent"),
  });
  running = await accounts.listen(0);
});

afterAll(async () => {
  await running?.close();
  await prisma?.$disconnect();
  await db?.drop();
});

async function newUser(name: string, phone: string | null, role: "PATIENT" | "DOCTOR" = "PATIENT") {
  const email = uniqueEmail("notify");
  const user = await accounts.users.create({ role, name, email, phone, passwordHash: "not-a-real-hash" });
  return { userId: user.id, name, email, phone };
}

const byUserId = <T extends { userId: string }>(list: T[]) => [...list].sort((a, b) => (a.userId < b.userId ? -1 : 1));

describe("contactsOf against a real accounts", () => {
  it("answers the contacts of the users accounts knows, in clear, and leaves unknown ids out", async () => {
    const paula = await newUser("Paula Notify", "+491701112233");
    const dora = await newUser("Dr. Dora Notify", null, "DOCTOR");
    const directory = createAccountsContacts({ url: running.url, routerSecrets: TEST_ROUTER_SECRETS });

    const contacts = await directory.contactsOf([paula.userId, randomUUID(), dora.userId, paula.userId, "not-an-id"]);

    expect(byUserId(contacts)).toEqual(byUserId([paula, dora]));
  });

  it("answers nothing, without asking, for no ids", async () => {
    const directory = createAccountsContacts({ url: "http://127.0.0.1:1/graphql", routerSecrets: TEST_ROUTER_SECRETS });
    expect(await directory.contactsOf([])).toEqual([]);
  });

  it("asks in batches of 500 (accounts refuses more in one request)", async () => {
    const first = await newUser("First Batch", "+491702223344");
    const last = await newUser("Second Batch", null);
    const ids = [first.userId, ...Array.from({ length: 700 }, () => randomUUID()), last.userId];
    const directory = createAccountsContacts({ url: running.url, routerSecrets: TEST_ROUTER_SECRETS });

    expect(byUserId(await directory.contactsOf(ids))).toEqual(byUserId([first, last]));
  });

  it("keeps phoneOf: the signed-in user's own phone, asked as the user", async () => {
    const paula = await newUser("Phone Owner", "+491703334455");
    const directory = createAccountsContacts({ url: running.url, routerSecrets: TEST_ROUTER_SECRETS });
    expect(await directory.phoneOf({ userId: paula.userId, role: "PATIENT", requestId: "test" })).toBe("+491703334455");
  });
});

describe("contactsOf when accounts cannot answer", () => {
  /** A stand-in for accounts: records the verified identity of each request and answers with `respond`. */
  async function standIn(respond: (res: http.ServerResponse) => void) {
    const seen: { identity: Identity | null; path: string | undefined; body: unknown }[] = [];
    const server = http.createServer((req, res) => {
      let raw = "";
      req.on("data", (chunk) => (raw += chunk));
      req.on("end", async () => {
        const identity = await verifyIdentity(req.headers["x-clinigraph-identity"] as string | undefined, TEST_ROUTER_SECRETS).catch(() => null);
        seen.push({ identity, path: req.url, body: JSON.parse(raw) });
        respond(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    return {
      url,
      seen,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    };
  }

  /** The error contactsOf throws, checked to be ContactsUnavailable naming none of the ids asked about. */
  async function failureOf(promise: Promise<unknown>, ids: readonly string[]): Promise<ContactsUnavailable> {
    const err = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ContactsUnavailable);
    for (const id of ids) expect((err as Error).message).not.toContain(id);
    return err as ContactsUnavailable;
  }

  it("accounts down: ContactsUnavailable", async () => {
    const gone = await standIn((res) => res.end());
    await gone.close(); // nothing listens on its port any more
    const ids = [randomUUID()];
    const directory = createAccountsContacts({ url: gone.url, routerSecrets: TEST_ROUTER_SECRETS });
    const err = await failureOf(directory.contactsOf(ids), ids);
    expect(err.message).toMatch(/unreachable/);
  });

  it("signs as the notifications service itself on accounts' /internal/contacts", async () => {
    const accountsStandIn = await standIn((res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ contacts: [] })));
    try {
      const ids = [randomUUID(), randomUUID()];
      await createAccountsContacts({ url: accountsStandIn.url, routerSecrets: TEST_ROUTER_SECRETS }).contactsOf(ids);
      expect(accountsStandIn.seen).toHaveLength(1);
      const [request] = accountsStandIn.seen;
      expect(request!.path).toBe("/internal/contacts");
      expect(request!.body).toEqual({ userIds: ids });
      expect(request!.identity).toMatchObject({ userId: null, role: null });
      expect(request!.identity!.requestId).toMatch(/^notifications:[0-9a-f-]{36}$/);
    } finally {
      await accountsStandIn.close();
    }
  });

  it.each([
    ["a refusal (401, the secrets differ)", (res: http.ServerResponse) => res.writeHead(401, { "content-type": "application/json" }).end("{}"), /HTTP 401/],
    ["a server error", (res: http.ServerResponse) => res.writeHead(500, { "content-type": "application/json" }).end("{}"), /HTTP 500/],
    ["a 200 that is not JSON", (res: http.ServerResponse) => res.writeHead(200, { "content-type": "text/html" }).end("<html>"), /unexpected shape/],
    ["a 200 without contacts", (res: http.ServerResponse) => res.writeHead(200, { "content-type": "application/json" }).end("{}"), /unexpected shape/],
    [
      "a 200 with a malformed contact",
      (res: http.ServerResponse) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ contacts: [{ userId: 7, email: [] }] })),
      /unexpected shape/,
    ],
  ])("%s: ContactsUnavailable", async (_name, respond, message) => {
    const accountsStandIn = await standIn(respond);
    try {
      const ids = [randomUUID()];
      const err = await failureOf(createAccountsContacts({ url: accountsStandIn.url, routerSecrets: TEST_ROUTER_SECRETS }).contactsOf(ids), ids);
      expect(err.message).toMatch(message);
    } finally {
      await accountsStandIn.close();
    }
  });

  it("no answer within the timeout: ContactsUnavailable", async () => {
    const silent = await standIn(() => {}); // takes the request and never answers
    try {
      const ids = [randomUUID()];
      const directory = createAccountsContacts({ url: silent.url, routerSecrets: TEST_ROUTER_SECRETS, timeoutMs: 200 });
      const err = await failureOf(directory.contactsOf(ids), ids);
      expect(err.message).toMatch(/no answer within 200 ms/);
    } finally {
      await silent.close();
    }
  });
});
