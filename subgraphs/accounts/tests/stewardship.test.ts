/** The rules of user stewardship and profile changes, without a database: pure checks and the use cases over fakes. */
import { describe, expect, it } from "@jest/globals";
import { DomainError, type Identity, type Role } from "@clinigraph/platform";
import type { UserAccountChangedData } from "@clinigraph/events";
import { changeUserRole, CHANGEABLE_ROLES, deactivateUser } from "../src/domain/stewardship.js";
import { maskEmail, profileChange } from "../src/domain/profiles.js";
import { normalizeReason } from "../src/domain/validation.js";
import type { Deps } from "../src/domain/deps.js";
import type { UserRecord } from "../src/domain/types.js";

const NOW = new Date("2026-12-07T10:00:00Z");
const ADMIN: Identity = { userId: "00000000-0000-4000-8000-00000000000a", role: "ADMIN", requestId: "t" };
const TARGET = "00000000-0000-4000-8000-0000000000b1";

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (err: unknown) => (err instanceof DomainError ? `${err.code}${err.field ? `:${err.field}` : ""}` : String(err)),
  );

/** A one-user store with the unit of work's effects recorded. */
function fakes(user: { role: Role; active: boolean }) {
  const state = { ...user, revoked: 0 };
  const events: { type: string; payload: UserAccountChangedData }[] = [];
  const audits: string[] = [];
  const deps = {
    clock: () => NOW,
    users: { findById: async (id: string) => (id === TARGET ? ({ id, role: state.role, active: state.active } as UserRecord) : null) },
    audit: { record: async (_: Identity, action: string) => void audits.push(action) },
    unitOfWork: {
      run: <T>(work: (tx: never) => Promise<T>) =>
        work({
          accounts: {
            lock: async (id: string) => (id === TARGET ? { id, role: state.role, active: state.active } : null),
            setActive: async (_: string, active: boolean) => void (state.active = active),
            setRole: async (_: string, role: Role) => void (state.role = role),
            revokeSessions: async () => ++state.revoked,
          },
          outbox: { append: async (type: string, payload: UserAccountChangedData) => void events.push({ type, payload }) },
        } as never),
    },
  } as unknown as Deps;
  return { deps, state, events, audits };
}

describe("reasons", () => {
  it("are trimmed to one line of at most 500 characters", () => {
    expect(normalizeReason("  Left\n the   clinic ")).toBe("Left the clinic");
    expect(() => normalizeReason(" \n ")).toThrow(DomainError);
    expect(() => normalizeReason("x".repeat(501))).toThrow(/500/);
    expect(normalizeReason("x".repeat(500))).toHaveLength(500);
  });
});

describe("profile changes", () => {
  it("keeps left-out fields out, clears with null, and validates what is given", () => {
    expect(profileChange({ phone: null }, true, NOW)).toEqual({ phone: null });
    expect(profileChange({ name: " A  B ", gender: "MALE" }, true, NOW)).toEqual({ name: "A B", patient: { gender: "MALE" } });
    expect(() => profileChange({}, true, NOW)).toThrow(/at least one field/);
    expect(() => profileChange({ name: null }, true, NOW)).toThrow(/name/);
    expect(() => profileChange({ dateOfBirth: new Date("2027-01-01") }, true, NOW)).toThrow(/future/);
  });

  it("refuses patient fields for staff, naming the field", () => {
    for (const field of ["dateOfBirth", "gender"] as const) {
      try {
        profileChange({ [field]: null }, false, NOW);
        throw new Error("accepted");
      } catch (err) {
        expect(err).toMatchObject({ code: "BAD_USER_INPUT", field: `input.${field}` });
      }
    }
  });

  it("masks the new address in the notice to the old one", () => {
    expect(maskEmail("jane.doe@example.test")).toBe("j******@example.test");
    expect(maskEmail("j@x.test")).toBe("j*@x.test");
  });
});

describe("deactivation", () => {
  it("locks, deactivates, ends the sessions and writes the event; twice is a no-op", async () => {
    const { deps, state, events, audits } = fakes({ role: "RECEPTIONIST", active: true });
    await deactivateUser(deps, ADMIN, { id: TARGET, reason: "Left" });
    await deactivateUser(deps, ADMIN, { id: TARGET, reason: "Left" });
    expect(state).toMatchObject({ active: false, revoked: 1 });
    expect(events).toEqual([{ type: "UserDeactivated", payload: { userId: TARGET, role: "RECEPTIONIST", actorId: ADMIN.userId, at: NOW.toISOString() } }]);
    expect(audits).toEqual(["USER_DEACTIVATED"]);
  });

  it("refuses the caller's own account and non-admins", async () => {
    const { deps } = fakes({ role: "ADMIN", active: true });
    expect(await codeOf(deactivateUser(deps, ADMIN, { id: ADMIN.userId!, reason: "x" }))).toBe("FORBIDDEN");
    expect(await codeOf(deactivateUser(deps, { ...ADMIN, role: "RECEPTIONIST" }, { id: TARGET, reason: "x" }))).toBe("FORBIDDEN");
    expect(await codeOf(deactivateUser(deps, ADMIN, { id: "nope", reason: "x" }))).toBe("BAD_USER_INPUT:id");
  });
});

describe("role changes", () => {
  it("only among staff roles other than DOCTOR", async () => {
    expect(CHANGEABLE_ROLES).not.toContain("PATIENT");
    expect(CHANGEABLE_ROLES).not.toContain("DOCTOR");
    for (const from of ["PATIENT", "DOCTOR"] as Role[])
      expect(await codeOf(changeUserRole(fakes({ role: from, active: true }).deps, ADMIN, { id: TARGET, role: "BILLING" }))).toBe("BAD_USER_INPUT:id");
    for (const to of ["PATIENT", "DOCTOR"] as Role[])
      expect(await codeOf(changeUserRole(fakes({ role: "BILLING", active: true }).deps, ADMIN, { id: TARGET, role: to }))).toBe("BAD_USER_INPUT:role");
  });

  it("ends the sessions and names the previous role in the event", async () => {
    const { deps, state, events } = fakes({ role: "EXAMINER", active: true });
    await changeUserRole(deps, ADMIN, { id: TARGET, role: "ADMIN" });
    expect(state).toMatchObject({ role: "ADMIN", revoked: 1 });
    expect(events[0]).toEqual({ type: "UserRoleChanged", payload: expect.objectContaining({ role: "ADMIN", previousRole: "EXAMINER" }) });
    expect(await codeOf(changeUserRole(deps, ADMIN, { id: ADMIN.userId!, role: "BILLING" }))).toBe("FORBIDDEN");
  });
});
