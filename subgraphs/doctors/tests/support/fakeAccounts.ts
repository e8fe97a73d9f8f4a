/**
 * In-memory AccountsClient for integration tests of this subgraph alone. The real cross-subgraph path
 * (HTTP to the accounts subgraph through the router's identity header) is covered by the lead's
 * end-to-end test; the HTTP client itself by accountsClient.test.ts against a stub server.
 */
import { randomUUID } from "node:crypto";
import { badInput, conflict, type Identity, type Role } from "@clinigraph/platform";
import type { AccountsClient, AccountsUser, NewStaffUser } from "../../src/domain/ports.js";

export class FakeAccounts implements AccountsClient {
  readonly users = new Map<string, AccountsUser & { email?: string }>();
  readonly calls: { op: "findUser" | "createStaffUser"; caller: Identity }[] = [];

  addUser(role: Role, name = "Some User"): AccountsUser {
    const user = { id: randomUUID(), role, name };
    this.users.set(user.id, user);
    return user;
  }

  async findUser(id: string, caller: Identity) {
    this.calls.push({ op: "findUser", caller });
    const user = this.users.get(id);
    return user ? { id: user.id, role: user.role, name: user.name } : null;
  }

  async createStaffUser(input: NewStaffUser, caller: Identity) {
    this.calls.push({ op: "createStaffUser", caller });
    if (caller.role !== "ADMIN") throw new Error("fake accounts: createStaffUser needs an ADMIN caller");
    if (input.password.length < 10) throw badInput("Password must be at least 10 characters", "input.password");
    if ([...this.users.values()].some((u) => u.email === input.email)) throw conflict("This e-mail is already registered", "EMAIL_TAKEN", "input.email");
    const user = { id: randomUUID(), role: input.role, name: input.name, email: input.email };
    this.users.set(user.id, user);
    return { id: user.id, role: user.role, name: user.name };
  }
}
