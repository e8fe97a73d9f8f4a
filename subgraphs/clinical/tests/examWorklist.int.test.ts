/**
 * The examiners' worklist is a read model of clinical's examination events (consumer group
 * `clinical-worklist`), so examination orders are accepted while the examiners' functions are down: the
 * orders wait in the stream and appear once the worklist consumer is back — each once, however
 * often an event is delivered.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { STREAMS, type EventEnvelope } from "@clinigraph/events";
import { codeOf, person, SERVICES, startHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

const WORKLIST = `query($first: Int) { examinationWorklist(first: $first) { id status encounter { id } service { id } } }`;
const ORDER = `mutation($e: ID!, $s: ID!) { orderExamination(encounterId: $e, serviceId: $s) { id status } }`;
const examiner = person("EXAMINER");

async function worklist(first?: number): Promise<{ id: string; status: string }[]> {
  const res = await h.call<{ examinationWorklist: { id: string; status: string }[] }>(WORKLIST, { first }, examiner.caller);
  expect(res.errors).toBeUndefined();
  return res.data!.examinationWorklist;
}

describe("examinationWorklist", () => {
  it("is for examiners and admins", async () => {
    expect(codeOf(await h.call(WORKLIST, {}, person("ADMIN").caller))).toBe("OK");
    for (const role of ["DOCTOR", "RECEPTIONIST", "PATIENT", "BILLING"] as const)
      expect(codeOf(await h.call(WORKLIST, {}, person(role).caller))).toBe("FORBIDDEN");
    expect(codeOf(await h.call(WORKLIST, { first: 0 }, examiner.caller))).toBe("BAD_USER_INPUT");
    expect(codeOf(await h.call(WORKLIST, { first: 10_000 }, examiner.caller))).toBe("BAD_USER_INPUT");
  });

  it("accepts orders while the worklist is down; when it is back, each order appears once, oldest first; performed ones leave it", async () => {
    await h.clinical.worklist.stop();
    expect(h.clinical.worklist.running).toBe(false);
    const visit = await h.visit();
    const first = await h.call<{ orderExamination: { id: string; status: string } }>(
      ORDER,
      { e: visit.encounter.id, s: SERVICES.LAB_BLOOD.id },
      visit.doctor.caller,
    );
    h.clock.advanceMinutes(1);
    const second = await h.call<{ orderExamination: { id: string; status: string } }>(
      ORDER,
      { e: visit.encounter.id, s: SERVICES.IMG_XRAY.id },
      visit.doctor.caller,
    );
    expect([first, second].map(codeOf)).toEqual(["OK", "OK"]);
    await h.settle();
    expect(await worklist()).toEqual([]);
    expect(await h.prisma.worklistItem.count()).toBe(0);

    h.clinical.worklist.start();
    await h.settle();
    const ids = [first.data!.orderExamination.id, second.data!.orderExamination.id];
    expect((await worklist()).map((x) => x.id)).toEqual(ids);
    expect(await h.prisma.worklistItem.count({ where: { examinationId: { in: ids } } })).toBe(2);
    expect((await worklist(1)).map((x) => x.id)).toEqual([ids[0]]);

    // Every examination event delivered again (same event ids): nothing changes.
    const rows = await h.prisma.outboxEvent.findMany({ where: { aggregateId: visit.encounter.id }, orderBy: { sequence: "asc" } });
    const envelopes: EventEnvelope[] = rows.map((r) => ({
      specversion: "1.0",
      id: r.id,
      source: "clinigraph/clinical",
      type: r.type,
      time: r.occurredAt.toISOString(),
      subject: r.aggregateId,
      datacontenttype: "application/json",
      data: r.payload,
    }));
    await h.bus.publish(STREAMS.clinical, envelopes);
    await h.settle();
    expect((await worklist()).map((x) => x.id)).toEqual(ids);

    // Performed (and its event handled): off the worklist.
    expect(codeOf(await h.call(`mutation($id: ID!) { performExamination(id: $id, result: "normal") { id } }`, { id: ids[0] }, examiner.caller))).toBe("OK");
    await h.settle();
    expect((await worklist()).map((x) => x.id)).toEqual([ids[1]]);
    expect((await h.prisma.worklistItem.findUniqueOrThrow({ where: { examinationId: ids[0]! } })).status).toBe("PERFORMED");
  });

  it("never moves a row back: an ORDERED event replayed after PERFORMED leaves it PERFORMED", async () => {
    const visit = await h.visit();
    const res = await h.call<{ orderExamination: { id: string } }>(ORDER, { e: visit.encounter.id, s: SERVICES.LAB_URINE.id }, visit.doctor.caller);
    const id = res.data!.orderExamination.id;
    await h.call(`mutation($id: ID!) { performExamination(id: $id, result: "clear") { id } }`, { id }, examiner.caller);
    await h.settle();
    const ordered = await h.prisma.outboxEvent.findFirstOrThrow({ where: { aggregateId: visit.encounter.id, type: "ExaminationOrdered" } });
    await h.bus.publish(STREAMS.clinical, [
      {
        specversion: "1.0",
        id: randomUUID(), // not deduplicated by its id: the row's status order decides
        source: "clinigraph/clinical",
        type: "ExaminationOrdered",
        time: ordered.occurredAt.toISOString(),
        subject: visit.encounter.id,
        datacontenttype: "application/json",
        data: ordered.payload,
      },
    ]);
    await h.settle();
    expect((await h.prisma.worklistItem.findUniqueOrThrow({ where: { examinationId: id } })).status).toBe("PERFORMED");
    expect((await worklist()).map((x) => x.id)).not.toContain(id);
  });
});
