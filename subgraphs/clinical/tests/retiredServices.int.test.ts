/**
 * A retired medical service is not ordered: clinical reads the service (with its status) from the doctors catalogue
 * when an examination is ordered, and refuses a RETIRED one with BAD_USER_INPUT "service retired". Examinations
 * ordered before the retirement keep naming it, and are performed as usual.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { codeOf, person, startHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const ORDER = `mutation($e: ID!, $s: ID!) { orderExamination(encounterId: $e, serviceId: $s) { id status service { id } } }`;
const PERFORM = `mutation($id: ID!, $r: String!) { performExamination(id: $id, result: $r) { id status service { id } } }`;

describe("orderExamination of a retired service", () => {
  it("is refused with BAD_USER_INPUT 'service retired' and orders nothing; what was ordered before stays and is performed", async () => {
    const service = { id: randomUUID(), code: `LAB_${randomUUID().slice(0, 6).toUpperCase()}`, kind: "LAB_TEST", status: "ACTIVE" };
    h.doctors.services.set(service.id, service);
    const visit = await h.visit();
    const before = await h.call<{ orderExamination: { id: string } }>(ORDER, { e: visit.encounter.id, s: service.id }, visit.doctor.caller);
    expect(before.errors).toBeUndefined();

    h.doctors.services.set(service.id, { ...service, status: "RETIRED" });
    const other = await h.visit();
    const refused = await h.call(ORDER, { e: other.encounter.id, s: service.id }, other.doctor.caller);
    expect(codeOf(refused)).toBe("BAD_USER_INPUT");
    expect(refused.errors?.[0]).toMatchObject({ message: "service retired", extensions: { field: "serviceId" } });
    expect(await h.prisma.examination.count({ where: { encounterId: other.encounter.id } })).toBe(0);

    const examiner = person("EXAMINER");
    const performed = await h.call<{ performExamination: { status: string; service: { id: string } } }>(
      PERFORM,
      { id: before.data!.orderExamination.id, r: "Within normal limits" },
      examiner.caller,
    );
    expect(performed.errors).toBeUndefined();
    expect(performed.data!.performExamination).toEqual({ id: before.data!.orderExamination.id, status: "PERFORMED", service: { id: service.id } });
  });
});
