/** The HTTP AccountsClient against a stub accounts endpoint (a local HTTP server on port 0). */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { DomainError, IDENTITY_HEADER, verifyIdentity, type Identity } from "@clinigraph/platform";
import { TEST_ROUTER_SECRETS } from "@clinigraph/testing";
import { AccountsUnavailable, createHttpAccountsClient } from "../src/data/accountsClient.js";

interface Seen {
  identity: Identity;
  body: { query: string; variables: Record<string, unknown> };
}
let reply: (seen: Seen) => { status: number; body: unknown } = () => ({ status: 200, body: {} });
const seen: Seen[] = [];
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString()));
    req.on("end", () => {
      void (async () => {
        const identity = await verifyIdentity(req.headers[IDENTITY_HEADER] as string, TEST_ROUTER_SECRETS);
        const entry = { identity, body: JSON.parse(raw) as Seen["body"] };
        seen.push(entry);
        const { status, body } = reply(entry);
        res.writeHead(status, { "content-type": "application/json" }).end(typeof body === "string" ? body : JSON.stringify(body));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const admin: Identity = { userId: "0b3c1a52-6f54-4d5e-9d8e-3f2a1b0c9d8e", role: "ADMIN", requestId: "req-1" };
const client = () => createHttpAccountsClient({ url, routerSecrets: TEST_ROUTER_SECRETS, timeoutMs: 2_000 });
/** What createStaffUser threw (or returned) for the stub's current reply. */
const createStaffUserFailure = () =>
  client()
    .createStaffUser({ email: "x@example.test", password: "p", name: "N", role: "DOCTOR" }, admin)
    .catch((e: unknown) => e);

describe("HTTP accounts client", () => {
  it("creates a staff user, forwarding the caller's identity signed with the router secret", async () => {
    reply = () => ({ status: 200, body: { data: { createStaffUser: { id: "u1", role: "DOCTOR", name: "Dr. X" } } } });
    const user = await client().createStaffUser({ email: "x@example.test", password: "pw-long-enough", name: "Dr. X", role: "DOCTOR" }, admin);
    expect(user).toEqual({ id: "u1", role: "DOCTOR", name: "Dr. X" });
    const last = seen.at(-1)!;
    expect(last.identity).toMatchObject({ userId: admin.userId, role: "ADMIN", requestId: "req-1" });
    expect(last.body.query).toContain("createStaffUser(input: $input) { id role name }");
    expect(last.body.variables).toEqual({ input: { email: "x@example.test", password: "pw-long-enough", name: "Dr. X", phone: null, role: "DOCTOR" } });
  });

  it("finds a user through _entities, and null when accounts knows none", async () => {
    reply = ({ body }) => {
      const [rep] = body.variables.r as { __typename: string; id: string }[];
      return { status: 200, body: { data: { _entities: [rep!.id === "u2" ? { id: "u2", role: "PATIENT", name: "P" } : null] } } };
    };
    expect(await client().findUser("u2", admin)).toEqual({ id: "u2", role: "PATIENT", name: "P" });
    expect(seen.at(-1)!.body.variables).toEqual({ r: [{ __typename: "User", id: "u2" }] });
    expect(await client().findUser("u3", admin)).toBeNull();
  });

  it.each([
    ["CONFLICT", "This e-mail is already registered", "input.email", "EMAIL_TAKEN"],
    ["BAD_USER_INPUT", "Password too weak", "input.password", undefined],
    ["FORBIDDEN", "You are not allowed to do this", undefined, undefined],
  ])("passes a %s error on with its message, field and reason", async (code, message, field, reason) => {
    reply = () => ({
      status: 200,
      body: { data: null, errors: [{ message, extensions: { code, ...(field ? { field } : {}), ...(reason ? { reason } : {}) } }] },
    });
    const err = await createStaffUserFailure();
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code, message, field, reason });
  });

  it("passes on invalid-variable errors (HTTP 400) and drops a reason that is unknown or not its code's", async () => {
    reply = () => ({ status: 400, body: { errors: [{ message: "Variable $input got an invalid value", extensions: { code: "BAD_USER_INPUT" } }] } });
    const invalid = await createStaffUserFailure();
    expect(invalid).toMatchObject({ code: "BAD_USER_INPUT", message: "Variable $input got an invalid value" });
    reply = () => ({ status: 200, body: { errors: [{ message: "Taken", extensions: { code: "FORBIDDEN", reason: "EMAIL_TAKEN" } }] } });
    const mismatched = await createStaffUserFailure();
    expect(mismatched).toBeInstanceOf(DomainError);
    expect((mismatched as DomainError).reason).toBeUndefined();
  });

  it("treats internal errors, refused identities and garbage as unavailable (masked for the caller)", async () => {
    for (const answer of [
      { status: 200, body: { errors: [{ message: "db exploded at 10.0.0.1", extensions: { code: "INTERNAL" } }] } },
      { status: 401, body: { errors: [{ message: "Requests must come through the router", extensions: { code: "UNAUTHENTICATED" } }] } },
      { status: 502, body: "<html>bad gateway</html>" },
      { status: 200, body: "not json" },
      { status: 200, body: { data: { createStaffUser: { id: 1 } } } },
    ]) {
      reply = () => answer;
      expect(await createStaffUserFailure()).toBeInstanceOf(AccountsUnavailable);
    }
  });

  it("reports an unreachable accounts service as unavailable", async () => {
    const down = createHttpAccountsClient({ url: "http://127.0.0.1:1/graphql", routerSecrets: TEST_ROUTER_SECRETS, timeoutMs: 1_000 });
    await expect(down.findUser("u1", admin)).rejects.toBeInstanceOf(AccountsUnavailable);
  });
});
