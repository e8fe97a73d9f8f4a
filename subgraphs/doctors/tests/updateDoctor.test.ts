import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import type { Actor } from "../src/domain/types.js";
import { updateDoctor } from "../src/domain/updateDoctor.js";
import { aDoctor, fakeRepositories, SPECIALTIES } from "./support/fakeRepositories.js";
import { rejection } from "./support/failure.js";

const admin: Actor = { userId: randomUUID(), role: "ADMIN", requestId: "r" };

describe("updateDoctor", () => {
  it("lets the doctor change bio and location only", async () => {
    const doctor = aDoctor();
    const repos = fakeRepositories([doctor]);
    const self: Actor = { userId: doctor.userId, role: "DOCTOR", requestId: "r" };
    expect(await updateDoctor(repos, self, { id: doctor.id, input: { bio: " Cardiologist ", location: null } })).toMatchObject({
      bio: "Cardiologist",
      location: null,
    });
    expect(await rejection(updateDoctor(repos, self, { id: doctor.id, input: { name: "Dr. Other" } }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await rejection(updateDoctor(repos, self, { id: doctor.id, input: { bio: "x", autoApprove: false } }))).toMatchObject({ code: "FORBIDDEN" });
    expect(repos.writes).toEqual(["doctors.update"]);
    expect(repos.events).toEqual([{ type: "DoctorScheduleChanged", doctorId: doctor.id }]);
  });

  it("lets an ADMIN change administrative fields, validating them", async () => {
    const doctor = aDoctor();
    const repos = fakeRepositories([doctor]);
    expect(await updateDoctor(repos, admin, { id: doctor.id, input: { specialtyCode: "CARD", timezone: "asia/seoul", autoApprove: false } })).toMatchObject({
      specialtyId: SPECIALTIES[1]!.id,
      timezone: "Asia/Seoul",
      autoApprove: false,
    });
    expect(await rejection(updateDoctor(repos, admin, { id: doctor.id, input: { name: null } }))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.name",
    });
    expect(await rejection(updateDoctor(repos, admin, { id: doctor.id, input: { timezone: "Mars/Olympus" } }))).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "input.timezone",
    });
    expect(await rejection(updateDoctor(repos, admin, { id: randomUUID(), input: { bio: "x" } }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await rejection(updateDoctor(repos, admin, { id: "nope", input: { bio: "x" } }))).toMatchObject({ code: "NOT_FOUND" });
  });
});
