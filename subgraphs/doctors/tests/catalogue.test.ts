/** The catalogue's rules (codes, names, durations, kinds) and its use cases' decisions, without a database. */
import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { DomainError } from "@clinigraph/platform";
import {
  createMedicalService,
  createSpecialty,
  restoreMedicalService,
  retireMedicalService,
  retireSpecialty,
  servicePatch,
  updateMedicalService,
} from "../src/domain/catalogueAdmin.js";
import { resolveServices, resolveSpecialty } from "../src/domain/catalogue.js";
import { catalogueCode, catalogueName, serviceDuration, serviceKind } from "../src/domain/catalogueRules.js";
import type { Actor, MedicalService, Specialty } from "../src/domain/types.js";
import { fakeCatalogueWrites, fakeRepositories, SERVICES, SPECIALTIES } from "./support/fakeRepositories.js";

const admin: Actor = { userId: randomUUID(), role: "ADMIN", requestId: randomUUID() };
const receptionist: Actor = { userId: randomUUID(), role: "RECEPTIONIST", requestId: randomUUID() };

/** The error's code and field, or null when `run` does not throw. */
async function failure(run: () => unknown): Promise<{ code: string; field?: string; reason?: string } | null> {
  try {
    await run();
    return null;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return { code: err.code, ...(err.field ? { field: err.field } : {}), ...(err.reason ? { reason: err.reason } : {}) };
  }
}

describe("catalogue rules", () => {
  it("codes: 2 to 16 of A-Z, 0-9 and _, surrounding spaces dropped, never upper-cased for the caller", () => {
    expect(catalogueCode("CARD", "f")).toBe("CARD");
    expect(catalogueCode("  IMG_XRAY2 ", "f")).toBe("IMG_XRAY2");
    expect(catalogueCode("AB", "f")).toBe("AB");
    expect(catalogueCode("A".repeat(16), "f")).toBe("A".repeat(16));
    for (const bad of ["A", "A".repeat(17), "card", "Card", "A-B", "A B", "ÄB", "", "A\nB", "AB;DROP"]) {
      expect(() => catalogueCode(bad, "input.code")).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT", field: "input.code" }));
    }
  });

  it("names: one trimmed line of at most 200 characters", () => {
    expect(catalogueName("  Sleep medicine ", "input.name")).toBe("Sleep medicine");
    expect(catalogueName("x".repeat(200), "input.name")).toHaveLength(200);
    for (const bad of ["", "   ", "x".repeat(201), "two\nlines", "tab\there", "a\u202Eb", null, undefined]) {
      expect(() => catalogueName(bad, "input.name")).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT", field: "input.name" }));
    }
  });

  it("durations: 5 to 480 minutes in steps of 5", () => {
    for (const ok of [5, 10, 45, 475, 480]) expect(serviceDuration(ok, "d")).toBe(ok);
    for (const bad of [0, 4, 6, 12.5, 481, 485, -5, Number.NaN]) {
      expect(() => serviceDuration(bad, "input.durationMinutes")).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT" }));
    }
  });

  it("kinds: those of the schema only", () => {
    expect(serviceKind("IMAGING", "k")).toBe("IMAGING");
    expect(() => serviceKind("MASSAGE", "input.kind")).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT" }));
  });

  it("an update's patch holds the fields given; null is refused", () => {
    expect(servicePatch({})).toEqual({});
    expect(servicePatch({ name: " New ", durationMinutes: 20 })).toEqual({ name: "New", durationMinutes: 20 });
    expect(() => servicePatch({ kind: null })).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT", field: "input.kind" }));
    expect(() => servicePatch({ durationMinutes: null })).toThrow(expect.objectContaining({ code: "BAD_USER_INPUT" }));
  });
});

describe("retired entries for doctors", () => {
  const retiredService: MedicalService = { ...SERVICES[0]!, id: randomUUID(), code: "OLD_SCAN", status: "RETIRED", retiredAt: new Date() };
  const retiredSpecialty: Specialty = { ...SPECIALTIES[0]!, id: randomUUID(), code: "OLD", status: "RETIRED", retiredAt: new Date() };
  const catalogue = {
    findSpecialtyByCode: async (code: string) => [...SPECIALTIES, retiredSpecialty].find((s) => s.code === code) ?? null,
    servicesByCodes: async (codes: readonly string[]) => [...SERVICES, retiredService].filter((s) => codes.includes(s.code)),
  };

  it("a retired specialty or service code is refused like an unknown one (BAD_USER_INPUT on the field)", async () => {
    expect(await failure(() => resolveSpecialty(catalogue, "OLD", "input.specialtyCode"))).toEqual({ code: "BAD_USER_INPUT", field: "input.specialtyCode" });
    expect(await failure(() => resolveServices(catalogue, ["PROC_ECG", "OLD_SCAN"], "input.serviceCodes"))).toEqual({
      code: "BAD_USER_INPUT",
      field: "input.serviceCodes",
    });
    expect((await resolveServices(catalogue, ["PROC_ECG", " PROC_ECG"], "f")).map((s) => s.code)).toEqual(["PROC_ECG"]);
  });
});

describe("catalogue use cases", () => {
  it("only ADMIN changes the catalogue; nothing is written for anybody else", async () => {
    const repos = fakeRepositories();
    expect(await failure(() => createSpecialty(repos, receptionist, { code: "SLEEP", name: "Sleep" }))).toEqual({ code: "FORBIDDEN" });
    expect(await failure(() => createMedicalService(repos, receptionist, { code: "X_1", name: "X", kind: "LAB_TEST", durationMinutes: 10 }))).toEqual({
      code: "FORBIDDEN",
    });
    expect(repos.catalogueEvents).toEqual([]);
  });

  it("retiring a service takes it off its doctors' lists and writes one event, and DoctorScheduleChanged per doctor", async () => {
    const services = SERVICES.map((s) => ({ ...s }));
    const [a, b] = [randomUUID(), randomUUID()].sort();
    const rows = [
      { doctorId: b!, serviceId: services[0]!.id },
      { doctorId: a!, serviceId: services[0]!.id },
      { doctorId: a!, serviceId: services[1]!.id },
    ];
    const repos = fakeRepositories([], fakeCatalogueWrites([...SPECIALTIES], services, rows));
    const retired = await retireMedicalService(repos, admin, { id: services[0]!.id });
    expect(retired).toMatchObject({ status: "RETIRED", retiredAt: expect.any(Date) });
    expect(rows).toEqual([{ doctorId: a, serviceId: services[1]!.id }]);
    expect(repos.events).toEqual([
      { type: "DoctorScheduleChanged", doctorId: a },
      { type: "DoctorScheduleChanged", doctorId: b },
    ]);
    expect(repos.catalogueEvents).toEqual([
      {
        type: "MedicalServiceChanged",
        payload: expect.objectContaining({ serviceId: services[0]!.id, status: "RETIRED", change: "RETIRED", actorId: admin.userId }),
      },
    ]);

    // Again: nothing changes, nothing is written. Restored: ACTIVE, one event.
    await retireMedicalService(repos, admin, { id: services[0]!.id });
    expect(repos.catalogueEvents).toHaveLength(1);
    expect(await restoreMedicalService(repos, admin, { id: services[0]!.id })).toMatchObject({ status: "ACTIVE", retiredAt: null });
    expect(repos.catalogueEvents.map((e) => e.payload.change)).toEqual(["RETIRED", "RESTORED"]);
  });

  it("an update that changes nothing writes nothing; unknown or malformed ids are NOT_FOUND", async () => {
    const services = SERVICES.map((s) => ({ ...s }));
    const repos = fakeRepositories([], fakeCatalogueWrites([...SPECIALTIES], services));
    await updateMedicalService(repos, admin, { id: services[1]!.id, input: { name: services[1]!.name, durationMinutes: services[1]!.durationMinutes } });
    expect(repos.catalogueEvents).toEqual([]);
    expect(await failure(() => updateMedicalService(repos, admin, { id: randomUUID(), input: { name: "X" } }))).toEqual({ code: "NOT_FOUND" });
    expect(await failure(() => retireMedicalService(repos, admin, { id: "1; DROP TABLE" }))).toEqual({ code: "NOT_FOUND" });
  });

  it("a specialty that doctors have is not retired (CONFLICT INVALID_STATE)", async () => {
    const specialties = SPECIALTIES.map((s) => ({ ...s }));
    const repos = fakeRepositories(
      [],
      fakeCatalogueWrites(specialties, [...SERVICES], [], (id) => (id === specialties[0]!.id ? 2 : 0)),
    );
    expect(await failure(() => retireSpecialty(repos, admin, { id: specialties[0]!.id }))).toEqual({ code: "CONFLICT", field: "id", reason: "INVALID_STATE" });
    expect(await retireSpecialty(repos, admin, { id: specialties[1]!.id })).toMatchObject({ status: "RETIRED" });
    expect(repos.catalogueEvents.map((e) => [e.type, e.payload.change])).toEqual([["SpecialtyChanged", "RETIRED"]]);
  });
});
