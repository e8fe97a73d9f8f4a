/**
 * Public reads over HTTP against the real server and database: catalogue, doctor search with filters
 * and keyset pagination, entity resolution (_entities) with DataLoader batching, and the router-only rule.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { signIdentity } from "@clinigraph/testing";
import { IDENTITY_HEADER } from "@clinigraph/platform";
import { insertDoctor, serviceId } from "./support/factories.js";
import { ADMIN, codeOf, PATIENT, startHarness, type GraphQLResult, type Harness } from "./support/harness.js";

let h: Harness;
const ids: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness();
  const add = async (key: string, fixture: Parameters<typeof insertDoctor>[1]) => (ids[key] = (await insertDoctor(h.prisma, fixture)).id);
  await add("hart", { name: "Dr. Amelia Hart", specialtyCode: "GP", location: "Berlin Mitte", serviceCodes: ["GENERAL_CHECKUP", "LAB_BLOOD"] });
  await add("weber", { name: "Dr. Lucas Weber", specialtyCode: "GP", location: "Berlin Kreuzberg", serviceCodes: ["GENERAL_CHECKUP"] });
  await add("rossi", { name: "Dr. Sofia Rossi", specialtyCode: "CARD", location: "Berlin Mitte", serviceCodes: ["SPECIALIST_CONSULT", "PROC_ECG"] });
  await add("sato", {
    name: "Dr. Kenji Sato",
    specialtyCode: "CARD",
    location: "New York Midtown",
    serviceCodes: ["SPECIALIST_CONSULT"],
    timezone: "America/New_York",
  });
  await add("percent", { name: "Dr. 100% Sure", specialtyCode: "DERM", location: null });
  // Many doctors with the same name: pages must split ties by id without gaps or duplicates.
  for (let i = 0; i < 12; i++)
    await add(`twin${i}`, { name: "Dr. Same Name", specialtyCode: i % 2 ? "PED" : "GP", location: i % 3 ? "Hamburg" : "Berlin Mitte" });
  for (let i = 0; i < 8; i++)
    await add(`many${i}`, { name: `Dr. Many ${String.fromCharCode(65 + i)}`, specialtyCode: "RAD", location: "Munich", serviceCodes: ["IMG_XRAY"] });
});
afterAll(async () => {
  await h?.stop();
});

const SEARCH = `query($filter: DoctorFilter, $first: Int, $after: String) {
  doctors(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id name location specialty { code } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface Page {
  doctors: {
    edges: { cursor: string; node: { id: string; name: string; location: string | null; specialty: { code: string } } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  };
}

async function allPages(filter: Record<string, unknown> | null, first: number) {
  const seen: Page["doctors"]["edges"][number]["node"][] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    const res: GraphQLResult<Page> = await h.call<Page>(SEARCH, { filter, first, after });
    expect(res.errors).toBeUndefined();
    const { edges, pageInfo } = res.data!.doctors;
    expect(pageInfo.hasPreviousPage).toBe(after !== null);
    seen.push(...edges.map((e) => e.node));
    if (!pageInfo.hasNextPage) return seen;
    expect(edges).toHaveLength(first);
    after = pageInfo.endCursor;
  }
  throw new Error("too many pages");
}

/** The expected order: by name, then id (as the database collates them). */
async function expectedOrder(where: object = {}) {
  const rows = await h.prisma.doctor.findMany({ where, orderBy: [{ name: "asc" }, { id: "asc" }], select: { id: true } });
  return rows.map((r) => r.id);
}

describe("catalogue", () => {
  it("lists the seeded specialties and services, filtered by kind", async () => {
    const res = await h.call(`{ specialties { id code name } medicalServices(kind: IMAGING) { code kind durationMinutes } all: medicalServices { code } }`);
    expect(res.errors).toBeUndefined();
    const codes = res.data.specialties.map((s: { code: string }) => s.code);
    expect(codes).toEqual(expect.arrayContaining(["GP", "CARD", "DERM", "OBGYN", "RAD", "PED"]));
    expect(res.data.medicalServices.map((s: { kind: string }) => s.kind)).toEqual(expect.arrayContaining(["IMAGING"]));
    expect(new Set(res.data.medicalServices.map((s: { kind: string }) => s.kind))).toEqual(new Set(["IMAGING"]));
    expect(res.data.medicalServices).toContainEqual({ code: "IMG_XRAY", kind: "IMAGING", durationMinutes: 15 });
    expect(res.data.all.map((s: { code: string }) => s.code)).toEqual(
      expect.arrayContaining([
        "GENERAL_CHECKUP",
        "SPECIALIST_CONSULT",
        "LAB_BLOOD",
        "LAB_URINE",
        "IMG_ULTRASOUND",
        "PROC_ECG",
        "OP_CSECTION",
        "OP_APPENDECTOMY",
      ]),
    );
  });
});

describe("doctors search", () => {
  it("pages through every doctor in (name, id) order without gaps or duplicates", async () => {
    const expected = await expectedOrder();
    for (const first of [1, 4, 7, 100]) {
      const seen = await allPages(null, first);
      expect(seen.map((d) => d.id)).toEqual(expected);
    }
  });

  it("filters by specialty code", async () => {
    const seen = await allPages({ specialty: "CARD" }, 1);
    expect(seen.map((d) => d.id)).toEqual([ids.sato, ids.rossi]); // "Dr. Kenji Sato" < "Dr. Sofia Rossi"
    expect(seen.every((d) => d.specialty.code === "CARD")).toBe(true);
  });

  it("filters by service", async () => {
    const ecg = await serviceId(h.prisma, "PROC_ECG");
    expect((await allPages({ serviceId: ecg }, 10)).map((d) => d.id)).toEqual([ids.rossi]);
    const checkup = await serviceId(h.prisma, "GENERAL_CHECKUP");
    expect((await allPages({ serviceId: checkup }, 1)).map((d) => d.id)).toEqual([ids.hart, ids.weber]);
  });

  it("filters by location and name, case-insensitively", async () => {
    expect((await allPages({ location: "new york" }, 10)).map((d) => d.id)).toEqual([ids.sato]);
    expect((await allPages({ name: "ROSSI" }, 10)).map((d) => d.id)).toEqual([ids.rossi]);
    const berlin = await allPages({ location: "BERLIN" }, 3);
    expect(berlin.map((d) => d.id)).toEqual(await expectedOrder({ location: { contains: "Berlin" } }));
  });

  it("combines filters and pages through the result", async () => {
    const seen = await allPages({ specialty: "GP", location: "berlin mitte", name: "same" }, 1);
    const expected = await expectedOrder({ name: "Dr. Same Name", location: "Berlin Mitte", specialty: { code: "GP" } });
    expect(expected.length).toBeGreaterThan(1);
    expect(seen.map((d) => d.id)).toEqual(expected);
  });

  it("treats LIKE wildcards in search terms literally", async () => {
    expect((await allPages({ name: "%" }, 50)).map((d) => d.id)).toEqual([ids.percent]);
    expect(await allPages({ name: "_" }, 50)).toEqual([]);
  });

  it("refuses an unknown specialty code with BAD_USER_INPUT", async () => {
    const res = await h.call(SEARCH, { filter: { specialty: "ASTROLOGY" } });
    expect(codeOf(res)).toBe("BAD_USER_INPUT");
    expect(res.errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "filter.specialty" });
  });

  it("refuses an unknown service, a bad cursor and a bad page size", async () => {
    expect(codeOf(await h.call(SEARCH, { filter: { serviceId: randomUUID() } }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(SEARCH, { filter: { serviceId: "x-ray" } }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(SEARCH, { after: "garbage" }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(SEARCH, { after: Buffer.from(JSON.stringify(["a", "not-a-uuid"])).toString("base64url") }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(SEARCH, { first: 0 }))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(SEARCH, { first: 1000 }))).toBe("BAD_USER_INPUT");
  });

  it("is public: anonymous, patients and admins get the same answer", async () => {
    const anonymous = await h.call(SEARCH, { first: 5 }, "anonymous");
    expect(anonymous.errors).toBeUndefined();
    expect(await h.call(SEARCH, { first: 5 }, PATIENT)).toEqual(anonymous);
    expect(await h.call(SEARCH, { first: 5 }, ADMIN)).toEqual(anonymous);
  });
});

describe("doctor(id)", () => {
  it("returns the doctor with user reference, specialty and services", async () => {
    const row = await h.prisma.doctor.findUniqueOrThrow({ where: { id: ids.rossi } });
    const res = await h.call(
      `query($id: ID!) { doctor(id: $id) { id name user { id } specialty { code name } services { code } timezone autoApprove location weeklySchedule { dayOfWeek } timeOff { id } } }`,
      {
        id: ids.rossi,
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.doctor).toEqual({
      id: ids.rossi,
      name: "Dr. Sofia Rossi",
      user: { id: row.userId },
      specialty: { code: "CARD", name: "Cardiology" },
      services: [{ code: "PROC_ECG" }, { code: "SPECIALIST_CONSULT" }],
      timezone: "Europe/Berlin",
      autoApprove: true,
      location: "Berlin Mitte",
      weeklySchedule: [],
      timeOff: [],
    });
  });

  it("returns null for an unknown or malformed id", async () => {
    const res = await h.call(`query($a: ID!, $b: ID!) { a: doctor(id: $a) { id } b: doctor(id: $b) { id } }`, {
      a: randomUUID(),
      b: "robert'); DROP TABLE doctors;--",
    });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ a: null, b: null });
  });
});

describe("_entities", () => {
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
    ... on Doctor { id name specialty { code } services { code } weeklySchedule { startTime } timeOff { id } }
    ... on MedicalService { id code kind }
  } }`;

  it("resolves several Doctors and MedicalServices in order, null for unknown ones", async () => {
    const xray = await serviceId(h.prisma, "IMG_XRAY");
    const reps = [
      { __typename: "Doctor", id: ids.sato },
      { __typename: "MedicalService", id: xray },
      { __typename: "Doctor", id: ids.hart },
      { __typename: "Doctor", id: randomUUID() },
      { __typename: "MedicalService", id: "nope" },
      { __typename: "Doctor", id: ids.rossi },
    ];
    const res = await h.call(ENTITIES, { r: reps });
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([
      { id: ids.sato, name: "Dr. Kenji Sato", specialty: { code: "CARD" }, services: [{ code: "SPECIALIST_CONSULT" }], weeklySchedule: [], timeOff: [] },
      { id: xray, code: "IMG_XRAY", kind: "IMAGING" },
      {
        id: ids.hart,
        name: "Dr. Amelia Hart",
        specialty: { code: "GP" },
        services: [{ code: "LAB_BLOOD" }, { code: "GENERAL_CHECKUP" }],
        weeklySchedule: [],
        timeOff: [],
      },
      null,
      null,
      {
        id: ids.rossi,
        name: "Dr. Sofia Rossi",
        specialty: { code: "CARD" },
        services: [{ code: "PROC_ECG" }, { code: "SPECIALIST_CONSULT" }],
        weeklySchedule: [],
        timeOff: [],
      },
    ]);
  });

  it("loads each kind of data in one SQL query per batch", async () => {
    const reps = Object.keys(ids)
      .filter((k) => k.startsWith("many") || k.startsWith("twin"))
      .map((k) => ({ __typename: "Doctor", id: ids[k] }));
    expect(reps.length).toBe(20);
    reps.push(
      { __typename: "MedicalService", id: await serviceId(h.prisma, "LAB_URINE") },
      { __typename: "MedicalService", id: await serviceId(h.prisma, "PROC_ECG") },
    );
    h.queries.length = 0;
    const res = await h.call(ENTITIES, { r: reps });
    expect(res.errors).toBeUndefined();
    expect(res.data._entities.filter(Boolean)).toHaveLength(22);
    const from = (table: string) => h.queries.filter((q) => new RegExp(`FROM "doctors"\\."${table}"(?!\\w)`).test(q)).length;
    expect(from("doctors")).toBe(1);
    expect(from("medical_services")).toBe(1); // MedicalService references
    expect(from("doctor_services")).toBe(1); // services of all 20 doctors (joined with medical_services)
    expect(from("specialties")).toBe(1);
    expect(from("schedule_rules")).toBe(1);
    expect(from("time_off")).toBe(1);
    // The weekly rules in force: the base rules above and, in one more query, the versions in force today.
    expect(h.queries.filter((q) => /FROM doctors\.schedule_versions/.test(q))).toHaveLength(1);
    expect(h.queries).toHaveLength(7);
  });
});

describe("router-only access", () => {
  it("refuses a request without the identity header: HTTP 401, UNAUTHENTICATED", async () => {
    const res = await h.call(`{ specialties { code } }`, {}, "noHeader");
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe("UNAUTHENTICATED");
    expect(res.data ?? null).toBeNull();
  });

  it("refuses _entities and a forged identity header alike", async () => {
    const entities = await h.call(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Doctor { id } } }`,
      { r: [{ __typename: "Doctor", id: ids.hart }] },
      "noHeader",
    );
    expect(entities.status).toBe(401);
    const forged = await signIdentity({ userId: randomUUID(), role: "ADMIN", requestId: "x" }, ["not-the-router-secret-0123456789abcdef"]);
    const res = await fetch(h.url, {
      method: "POST",
      headers: { "content-type": "application/json", [IDENTITY_HEADER]: forged },
      body: JSON.stringify({ query: "{ specialties { code } }" }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe("UNAUTHENTICATED");
  });
});
