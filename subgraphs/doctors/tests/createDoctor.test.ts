import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import type { Identity } from "@clinigraph/platform";
import { createDoctor, type CreateDoctorInput } from "../src/domain/createDoctor.js";
import { FakeAccounts } from "./support/fakeAccounts.js";
import { aDoctor, fakeRepositories, SPECIALTIES } from "./support/fakeRepositories.js";

const admin: Identity = { userId: randomUUID(), role: "ADMIN", requestId: "r1" };
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

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (err) {
    return err as { code: string; field?: string; message: string };
  }
  throw new Error("expected a failure");
};

describe("createDoctor", () => {
  it("creates the DOCTOR user in accounts as the calling admin, then the doctor", async () => {
    const { deps, accounts, repos } = setup();
    const doctor = await createDoctor(admin, base, deps);
    expect(doctor).toMatchObject({ name: "Dr. Grace Hopper", specialtyId: SPECIALTIES[1]!.id, timezone: "Europe/Berlin", autoApprove: true });
    expect(accounts.calls).toEqual([{ op: "createStaffUser", caller: admin }]);
    expect([...accounts.users.values()][0]).toMatchObject({ id: doctor.userId, role: "DOCTOR", name: "Dr. Grace Hopper" });
    expect(repos.writes).toEqual(["doctors.create"]);
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
    expect(await failure(createDoctor(admin, { ...base, ...patch }, deps))).toMatchObject({ code: "BAD_USER_INPUT", field });
    expect(accounts.calls).toEqual([]);
    expect(repos.writes).toEqual([]);
  });

  it("only an ADMIN may create doctors", async () => {
    const { deps, accounts } = setup();
    expect(await failure(createDoctor({ userId: null, role: null, requestId: "r" }, base, deps))).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await failure(createDoctor({ userId: randomUUID(), role: "DOCTOR", requestId: "r" }, base, deps))).toMatchObject({ code: "FORBIDDEN" });
    expect(accounts.calls).toEqual([]);
  });

  it("links an existing DOCTOR user and refuses other roles, unknown users and users who already are doctors", async () => {
    const existing = aDoctor();
    const { deps, accounts } = setup(fakeRepositories([existing]));
    const linkInput = { ...base, email: null, password: null };
    const doctorUser = accounts.addUser("DOCTOR");
    const patientUser = accounts.addUser("PATIENT");
    expect(await createDoctor(admin, { ...linkInput, userId: doctorUser.id }, deps)).toMatchObject({ userId: doctorUser.id });
    expect(await failure(createDoctor(admin, { ...linkInput, userId: patientUser.id }, deps))).toMatchObject({ code: "BAD_USER_INPUT", field: "input.userId" });
    expect(await failure(createDoctor(admin, { ...linkInput, userId: randomUUID() }, deps))).toMatchObject({ code: "BAD_USER_INPUT", field: "input.userId" });
    expect(await failure(createDoctor(admin, { ...linkInput, userId: existing.userId }, deps))).toMatchObject({
      code: "CONFLICT",
      message: "This user is already a doctor",
    });
    expect(await failure(createDoctor(admin, { ...linkInput, userId: "not-a-uuid" }, deps))).toMatchObject({ code: "BAD_USER_INPUT" });
  });

  it("passes accounts' errors on unchanged", async () => {
    const { deps } = setup();
    expect(await failure(createDoctor(admin, { ...base, password: "short" }, deps))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.password",
      message: "Password must be at least 10 characters",
    });
    await createDoctor(admin, base, deps);
    expect(await failure(createDoctor(admin, base, deps))).toMatchObject({ code: "CONFLICT", message: "This e-mail is already registered" });
  });
});
