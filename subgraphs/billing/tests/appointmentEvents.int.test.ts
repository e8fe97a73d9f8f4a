/**
 * scheduling's appointment events as the consumer reads them, a block at a time: a booking burst is one write, as
 * handling its events one by one would leave it; a redelivered block changes nothing; an event that earns a fee is
 * handled in its place in the block's order; a draft follows the service of an event in a block; and when a block
 * fails, its events are handled one by one, so one bad event is dead-lettered alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { STREAMS } from "@clinigraph/events";
import { queryDatabase, snapshotTables } from "@clinigraph/testing";
import { APPOINTMENTS_GROUP } from "../src/events/consumers/appointments.js";
import { CatalogueUnavailable } from "../src/domain/ports.js";
import { startHarness, type Harness } from "./support/harness.js";
import { appointmentData, as, encounterData, invoiceOfEncounter, newService, newVisitors, setPrice, type Visitors } from "./support/visits.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { NO_SHOW_FEE_MINOR: "2000" } });
});
afterAll(async () => {
  await h?.stop();
});

const appointmentRows = (ids: readonly string[]) =>
  queryDatabase<{ appointment_id: string; status: string; service_id: string | null; starts_at: Date }>(
    h.db.url,
    "SELECT appointment_id, status, service_id, starts_at FROM billing.appointments WHERE appointment_id = ANY($1::uuid[]) ORDER BY appointment_id",
    [ids],
  );

const processedCount = async (eventIds: readonly string[]) =>
  Number(
    (
      await queryDatabase<{ count: string }>(h.db.url, "SELECT count(*) FROM billing.processed_events WHERE consumer = $1 AND event_id = ANY($2::text[])", [
        APPOINTMENTS_GROUP,
        eventIds,
      ])
    )[0]!.count,
  );

/** Pays the appointment ahead with the test provider (the patient starts the session and confirms it). */
async function prepaid(v: Visitors, appointmentId: string) {
  const res = await h.call(
    `mutation($a: ID!, $k: String!) { prepayAppointment(appointmentId: $a, idempotencyKey: $k) { checkoutUrl } }`,
    as("PATIENT", v.patientId),
    { a: appointmentId, k: `prepay-${randomUUID()}` },
  );
  expect(res.errors).toBeUndefined();
  const { checkoutUrl } = res.data!.prepayAppointment as { checkoutUrl: string };
  const confirmed = await fetch(`${new URL(h.url).origin}${new URL(checkoutUrl).pathname}/confirm`, { method: "POST" });
  expect(await confirmed.text()).toContain("APPLIED");
}

const feeOf = async (appointmentId: string) =>
  queryDatabase<{ status: string; total_minor: number; paid_minor: number }>(
    h.db.url,
    "SELECT status, total_minor, paid_minor FROM billing.invoices WHERE appointment_id = $1",
    [appointmentId],
  );

describe("a block of appointment events", () => {
  it("of a booking burst leaves each appointment as its last event tells, each event once; the same block again changes nothing", async () => {
    const service = newService(h, "Consultation", "CONSULTATION");
    const bookings = Array.from({ length: 40 }, (_, i) => {
      const requested = appointmentData(newVisitors(h), service.id, `2027-03-${String(2 + (i % 20)).padStart(2, "0")}T09:00:00.000Z`, {
        status: "PENDING",
      });
      return [
        { type: "AppointmentRequested" as const, data: requested, id: randomUUID() },
        { type: "AppointmentBooked" as const, data: { ...requested, status: "BOOKED" }, id: randomUUID() },
      ];
    });
    // The first booking's request once more at the end of the block: the same event, handled at its first place.
    const block = [...bookings.flat(), bookings[0]![0]!];
    await h.publish(STREAMS.appointments, block);

    const ids = bookings.map(([requested]) => requested!.data.appointmentId);
    const rows = await appointmentRows(ids);
    expect(rows).toHaveLength(40);
    const byId = new Map(bookings.map(([requested]) => [requested!.data.appointmentId, requested!.data]));
    for (const row of rows) {
      const data = byId.get(row.appointment_id)!;
      expect(row).toEqual({ appointment_id: data.appointmentId, status: "BOOKED", service_id: service.id, starts_at: new Date(data.startsAt) });
    }
    expect(await processedCount(block.map((event) => event.id))).toBe(80);

    const before = await snapshotTables(h.db.url);
    await h.publish(STREAMS.appointments, block);
    await h.publish(STREAMS.appointments, [bookings[1]![0]!]); // an older event of a booked appointment, redelivered alone
    expect(await snapshotTables(h.db.url)).toEqual(before);
  });

  it("handles an event that earns a fee in its place: what the events before it changed is there, what those after it change is not", async () => {
    for (const order of ["fulfilled first", "no-show first"] as const) {
      const v = newVisitors(h);
      await setPrice(h, v.consultation.id, 3000);
      // A visit paid ahead (credit held for it until it takes place), and an appointment the patient will miss.
      const paidAhead = appointmentData(v, null, "2027-03-05T09:00:00.000Z", { status: "BOOKED", actorId: v.patientId });
      const missed = appointmentData(v, null, "2027-03-01T08:00:00.000Z", { status: "BOOKED", actorId: v.patientId });
      await h.publish(STREAMS.appointments, [
        { type: "AppointmentBooked", data: paidAhead },
        { type: "AppointmentBooked", data: missed },
      ]);
      await prepaid(v, paidAhead.appointmentId);

      const fulfilled = { type: "AppointmentFulfilled" as const, data: { ...paidAhead, status: "FULFILLED" } };
      const noShow = { type: "AppointmentNoShow" as const, data: { ...missed, status: "NO_SHOW", actorId: randomUUID() }, time: "2027-03-01T08:20:00.000Z" };
      await h.publish(STREAMS.appointments, order === "fulfilled first" ? [fulfilled, noShow] : [noShow, fulfilled]);

      // Once its visit took place, a prepayment is the patient's credit, which pays the fee issued after that.
      expect(await feeOf(missed.appointmentId)).toEqual(
        order === "fulfilled first" ? [{ status: "PAID", total_minor: 2000, paid_minor: 2000 }] : [{ status: "ISSUED", total_minor: 2000, paid_minor: 0 }],
      );
      expect((await appointmentRows([paidAhead.appointmentId, missed.appointmentId])).map((row) => row.status).sort()).toEqual(["FULFILLED", "NO_SHOW"]);
    }
  });

  it("lets a visit's draft take the service of a check-in that comes in a block with other events", async () => {
    const v = newVisitors(h);
    const booked = newService(h, "Cardiology consultation", "CONSULTATION");
    const appointment = appointmentData(v, booked.id, "2027-03-01T09:00:00.000Z", { status: "BOOKED" });
    // Registered before the check-in event arrived: the draft starts with the doctor's consultation service.
    const encounter = encounterData(v, { appointmentId: appointment.appointmentId });
    await h.publish(STREAMS.clinical, [{ type: "EncounterRegistered", data: encounter }]);
    expect((await invoiceOfEncounter(h, encounter.encounterId))!.lines.map((line) => line.service?.id)).toEqual([v.consultation.id]);

    // Asked directly, the one-statement write refuses the block (a draft must follow it) and writes nothing.
    const other = appointmentData(newVisitors(h), booked.id, "2027-03-04T09:00:00.000Z", { status: "BOOKED" });
    const checkIn = { type: "PatientCheckedIn" as const, data: { ...appointment, status: "CHECKED_IN" }, id: randomUUID() };
    const otherBooked = { type: "AppointmentBooked" as const, data: other, id: randomUUID() };
    const changes = [checkIn, otherBooked].map((event) => ({
      eventId: event.id,
      appointment: { ...event.data, startsAt: new Date(event.data.startsAt) },
    }));
    expect(await h.running.deps.appointments.recordChanges(APPOINTMENTS_GROUP, changes, h.clock.now)).toBe(false);
    expect(await processedCount([checkIn.id, otherBooked.id])).toBe(0);
    expect(await appointmentRows([other.appointmentId])).toEqual([]);

    await h.publish(STREAMS.appointments, [otherBooked, checkIn]);
    const draft = await invoiceOfEncounter(h, encounter.encounterId);
    expect(draft).toMatchObject({ status: "DRAFT" });
    expect(draft!.lines.map((line) => ({ service: line.service?.id, description: line.description }))).toEqual([
      { service: booked.id, description: booked.name },
    ]);
    expect((await appointmentRows([appointment.appointmentId, other.appointmentId])).map((row) => row.status).sort()).toEqual(["BOOKED", "CHECKED_IN"]);
    expect(await processedCount([checkIn.id, otherBooked.id])).toBe(2);
  });

  it("that fails is handled event by event: the one that keeps failing is dead-lettered alone, the others take effect", async () => {
    const unreachable = newService(h, "Consultation", "CONSULTATION");
    const lookUp = h.services.get.bind(h.services);
    h.services.get = (id: string) => {
      if (id === unreachable.id) throw new CatalogueUnavailable("doctors cannot be reached");
      return lookUp(id);
    };
    try {
      const before = appointmentData(newVisitors(h), null, "2027-03-08T09:00:00.000Z", { status: "BOOKED" });
      const cancelledLater = appointmentData(newVisitors(h), unreachable.id, "2027-03-09T09:00:00.000Z", { status: "BOOKED" });
      const after = appointmentData(newVisitors(h), null, "2027-03-10T09:00:00.000Z", { status: "BOOKED" });
      await h.publish(STREAMS.appointments, [{ type: "AppointmentBooked", data: cancelledLater }]);
      // A cancellation is handled in a transaction of its own, which asks the catalogue for the visit's service first.
      const cancelled = { type: "AppointmentCancelled" as const, data: { ...cancelledLater, status: "CANCELLED" }, id: randomUUID() };
      await h.publish(STREAMS.appointments, [{ type: "AppointmentBooked", data: before }, cancelled, { type: "AppointmentBooked", data: after }]);

      const rows = await appointmentRows([before.appointmentId, cancelledLater.appointmentId, after.appointmentId]);
      expect(Object.fromEntries(rows.map((row) => [row.appointment_id, row.status]))).toEqual({
        [before.appointmentId]: "BOOKED",
        [cancelledLater.appointmentId]: "BOOKED",
        [after.appointmentId]: "BOOKED",
      });
      const dead = await h.bus.deadLetters(STREAMS.appointments, APPOINTMENTS_GROUP);
      expect(dead.map((letter) => letter.envelope?.id)).toEqual([cancelled.id]);
      expect(dead[0]!.error).toContain("doctors cannot be reached");
    } finally {
      h.services.get = lookUp;
    }
  });
});
