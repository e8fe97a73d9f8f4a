import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import type { Identity } from "@clinigraph/platform";
import { updateDoctor } from "../src/domain/updateDoctor.js";
import { aDoctor, fakeRepositories, SPECIALTIES } from "./support/fakeRepositories.js";

const admin: Identity = { userId: randomUUID(), role: "ADMIN", requestId: "r" };
const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (err) {
    return err as { code: string; field?: string };
  }
  throw new Error("expected a failure");
};

describe("updateDoctor", () => {
  it("lets the doctor change bio and location only", async () => {
    const doctor = aDoctor();
    const repos = fakeRepositories([doctor]);
    const self: Identity = { userId: doctor.userId, role: "DOCTOR", requestId: "r" };
    expect(await updateDoctor(self, doctor.id, { bio: " Cardiologist ", location: null }, repos)).toMatchObject({ bio: "Cardiologist", location: null });
    expect(await failure(updateDoctor(self, doctor.id, { name: "Dr. Other" }, repos))).toMatchObject({ code: "FORBIDDEN" });
    expect(await failure(updateDoctor(self, doctor.id, { bio: "x", autoApprove: false }, repos))).toMatchObject({ code: "FORBIDDEN" });
    expect(repos.writes).toEqual(["doctors.update"]);
  });

  it("lets an ADMIN change administrative fields, validating them", async () => {
    const doctor = aDoctor();
    const repos = fakeRepositories([doctor]);
    expect(await updateDoctor(admin, doctor.id, { specialtyCode: "CARD", timezone: "asia/seoul", autoApprove: false }, repos)).toMatchObject({
      specialtyId: SPECIALTIES[1]!.id,
      timezone: "Asia/Seoul",
      autoApprove: false,
    });
    expect(await failure(updateDoctor(admin, doctor.id, { name: null }, repos))).toMatchObject({ code: "BAD_USER_INPUT", field: "input.name" });
    expect(await failure(updateDoctor(admin, doctor.id, { timezone: "Mars/Olympus" }, repos))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.timezone",
    });
    expect(await failure(updateDoctor(admin, randomUUID(), { bio: "x" }, repos))).toMatchObject({ code: "NOT_FOUND" });
    expect(await failure(updateDoctor(admin, "nope", { bio: "x" }, repos))).toMatchObject({ code: "NOT_FOUND" });
  });
});
