import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import type { Identity } from "@clinigraph/platform";
import { createDoctor, type CreateDoctorInput } from "../src/domain/createDoctor.js";
import type { Actor } from "../src/domain/types.js";
import { FakeAccounts } from "./support/fakeAccounts.js";
import { rejection } from "./support/failure.js";
import { aDoctor, fakeRepositories, SPECIALTIES } from "./support/fakeRepositories.js";

const admin: Actor = { userId: randomUUID(), role: "ADMIN", requestId: "r1" };
/** Resolvers refuse anonymous callers first (ctx.actor()); the use case refuses them too. */
const anonymous = { userId: null, role: null, requestId: "r" } satisfies Identity as unknown as Actor;
const base: CreateDoctorInput = {
  email: "new.doctor@example.test",
  password: "Long-enough-password-1",
  name: "  Dr. Grace Hopper ",
  specialtyCode: "CARD",
  timezone: "Europe/Berlin",
  serviceCodes: ["PROC_ECG", "LAB_BLOOD", "PROC_ECG"],
};

function setup(initial = fakeRepositories()) {
  const accounts = new FakeAccounts();
  return { repos: initial, accounts, deps: { ...initial, accounts } };
}

describe("createDoctor", () => {
  it("creates the DOCTOR user in accounts as the calling admin, then the doctor", async () => {
    const { deps, accounts, repos } = setup();
    const doctor = await createDoctor(deps, admin, base);
    expect(doctor).toMatchObject({ name: "Dr. Grace Hopper", specialtyId: SPECIALTIES[1]!.id, timezone: "Europe/Berlin", autoApprove: true });
    expect(accounts.calls).toEqual([{ op: "createStaffUser", caller: admin }]);
    expect([...accounts.users.values()][0]).toMatchObject({ id: doctor.userId, role: "DOCTOR", name: "Dr. Grace Hopper" });
    expect(repos.writes).toEqual(["doctors.create"]);
    expect(repos.events).toEqual([{ type: "DoctorScheduleChanged", doctorId: doctor.id }]);
  });

  it.each([
    ["an invalid time zone", { timezone: "Mars/Olympus" }, "input.timezone"],
    ["an unknown specialty", { specialtyCode: "ASTRO" }, "input.specialtyCode"],
    ["an unknown service", { serviceCodes: ["LAB_BLOOD", "TELEPORT"] }, "input.serviceCodes"],
    ["an empty name", { name: "   " }, "input.name"],
    ["no password", { password: null }, "input.password"],
    ["both userId and email", { userId: randomUUID() }, "input.userId"],
  ])("refuses %s before any side effect", async (_label, patch, field) => {
    const { deps, accounts, repos } = setup();
    expect(await rejection(createDoctor(deps, admin, { ...base, ...patch }))).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(accounts.calls).toEqual([]);
    expect(repos.writes).toEqual([]);
    expect(repos.events).toEqual([]);
  });

  it("only an ADMIN may create doctors", async () => {
    const { deps, accounts } = setup();
    expect(await rejection(createDoctor(deps, anonymous, base))).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await rejection(createDoctor(deps, { userId: randomUUID(), role: "DOCTOR", requestId: "r" }, base))).toMatchObject({ code: "FORBIDDEN" });
    expect(accounts.calls).toEqual([]);
  });

  it("links an existing DOCTOR user and refuses other roles, unknown users and users who already are doctors", async () => {
    const existing = aDoctor();
    const { deps, accounts } = setup(fakeRepositories([existing]));
    const linkInput = { ...base, email: null, password: null };
    const doctorUser = accounts.addUser("DOCTOR");
    const patientUser = accounts.addUser("PATIENT");
    expect(await createDoctor(deps, admin, { ...linkInput, userId: doctorUser.id })).toMatchObject({ userId: doctorUser.id });
    expect(await rejection(createDoctor(deps, admin, { ...linkInput, userId: patientUser.id }))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.userId",
    });
    expect(await rejection(createDoctor(deps, admin, { ...linkInput, userId: randomUUID() }))).toMatchObject({ code: "BAD_USER_INPUT", field: "input.userId" });
    expect(await rejection(createDoctor(deps, admin, { ...linkInput, userId: existing.userId }))).toMatchObject({
      code: "CONFLICT",
      message: "This user is already a doctor",
    });
    expect(await rejection(createDoctor(deps, admin, { ...linkInput, userId: "not-a-uuid" }))).toMatchObject({ code: "BAD_USER_INPUT" });
  });

  it("passes accounts' errors on unchanged", async () => {
    const { deps } = setup();
    expect(await rejection(createDoctor(deps, admin, { ...base, password: "short" }))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.password",
      message: "Password must be at least 10 characters",
    });
    await createDoctor(deps, admin, base);
    expect(await rejection(createDoctor(deps, admin, base))).toMatchObject({ code: "CONFLICT", message: "This e-mail is already registered" });
  });
});
