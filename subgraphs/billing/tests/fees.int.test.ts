/** Late-cancellation and no-show fees: off by default; when the clinic sets them, an issued invoice of their own. */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { STREAMS, type AppointmentEventData } from "@clinigraph/events";
import { queryDatabase } from "@clinigraph/testing";
import { feeFor } from "../src/domain/fees.js";
import { startHarness, type Harness } from "./support/harness.js";

let h: Harness;
let off: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { LATE_CANCELLATION_FEE_MINOR: "2500", LATE_CANCELLATION_HOURS: "24", NO_SHOW_FEE_MINOR: "4000" } });
  off = await startHarness();
});
afterAll(async () => {
  await h?.stop();
  await off?.stop();
});

const appointment = (startsAt: string, patch: Partial<AppointmentEventData> = {}): AppointmentEventData => {
  const patientId = randomUUID();
  return {
    appointmentId: randomUUID(),
    patientId,
    doctorId: randomUUID(),
    doctorUserId: randomUUID(),
    serviceId: null,
    status: "CANCELLED",
    startsAt,
    endsAt: new Date(Date.parse(startsAt) + 30 * 60_000).toISOString(),
    actorId: patientId,
    ...patch,
  };
};

const invoicesOf = (harness: Harness, patientId: string) =>
  queryDatabase<{ status: string; number: string | null; total_minor: number; description: string }>(
    harness.db.url,
    `SELECT i.status, i.number, i.total_minor, l.description FROM billing.invoices i JOIN billing.invoice_lines l ON l.invoice_id = i.id WHERE i.patient_id = $1`,
    [patientId],
  );

describe("fees", () => {
  it("a patient's cancellation less than 24 h before is charged once (a redelivery adds nothing); earlier, or by the clinic, is free", async () => {
    const late = appointment("2027-03-02T08:00:00.000Z");
    const id = randomUUID();
    await h.publish(STREAMS.appointments, [{ type: "AppointmentCancelled", data: late, id, time: "2027-03-01T10:00:00.000Z" }]);
    await h.publish(STREAMS.appointments, [{ type: "AppointmentCancelled", data: late, id, time: "2027-03-01T10:00:00.000Z" }]);
    const charged = await invoicesOf(h, late.patientId);
    expect(charged).toHaveLength(1);
    expect(charged[0]).toMatchObject({ status: "ISSUED", total_minor: 2500 });
    expect(charged[0]!.number).toMatch(/^2027-\d{6}$/);
    expect(charged[0]!.description).toContain("Late cancellation");

    const early = appointment("2027-03-05T08:00:00.000Z");
    await h.publish(STREAMS.appointments, [{ type: "AppointmentCancelled", data: early, time: "2027-03-01T10:00:00.000Z" }]);
    expect(await invoicesOf(h, early.patientId)).toEqual([]);
    const byClinic = appointment("2027-03-02T08:00:00.000Z", { actorId: randomUUID() });
    await h.publish(STREAMS.appointments, [{ type: "AppointmentCancelled", data: byClinic, time: "2027-03-01T10:00:00.000Z" }]);
    expect(await invoicesOf(h, byClinic.patientId)).toEqual([]);
  });

  it("a no-show is charged; the patient reads the fee invoice", async () => {
    const missed = appointment("2027-03-02T08:00:00.000Z", { status: "NO_SHOW", actorId: randomUUID() });
    await h.publish(STREAMS.appointments, [{ type: "AppointmentNoShow", data: missed, time: "2027-03-02T08:20:00.000Z" }]);
    const res = await h.call(`{ myInvoices { edges { node { status total { amountMinor } lines { service { id } description total { amountMinor } } } } } }`, {
      userId: missed.patientId,
      role: "PATIENT",
    });
    expect((res.data!.myInvoices as { edges: { node: unknown }[] }).edges.map((edge) => edge.node)).toEqual([
      { status: "ISSUED", total: { amountMinor: 4000 }, lines: [{ service: null, description: "No-show fee", total: { amountMinor: 4000 } }] },
    ]);
  });

  it("are off by default", async () => {
    const missed = appointment("2027-03-02T08:00:00.000Z", { status: "NO_SHOW" });
    await off.publish(STREAMS.appointments, [{ type: "AppointmentNoShow", data: missed, time: "2027-03-02T08:20:00.000Z" }]);
    expect(await invoicesOf(off, missed.patientId)).toEqual([]);
    expect(feeFor("AppointmentNoShow", missed, new Date(), { lateCancellationMinor: 0, lateCancellationHours: 24, noShowMinor: 0 })).toBeNull();
  });
});
