/**
 * Fact writes taken a block at a time (what a consumer's batch does) give exactly the facts of the same writes taken
 * one at a time, in stream order, whatever the block holds: several changes of one fact, repeats, every kind.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { queryDatabase } from "@clinigraph/testing";
import type { FactWrite } from "../src/domain/types.js";
import { startHarness, type Harness } from "./support/harness.js";

let oneByOne: Harness;
let inBlocks: Harness;
beforeAll(async () => {
  [oneByOne, inBlocks] = await Promise.all([startHarness(), startHarness()]);
});
afterAll(async () => {
  await Promise.all([oneByOne?.stop(), inBlocks?.stop()]);
});

function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** Changes of a few facts of each kind, in a random order, some of them twice (a redelivery). */
function writes(): FactWrite[] {
  const next = random(7);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const at = (hours: number) => new Date(Date.UTC(2027, 2, 1) + Math.floor(hours * 3_600_000));
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const doctors = [randomUUID(), randomUUID()];
  const all: FactWrite[] = [];
  const appointments = Array.from({ length: 6 }, () => ({ key: randomUUID(), patient: randomUUID() }));
  for (let i = 0; i < 60; i++) {
    const a = pick(appointments);
    const startsAt = at(48 + Math.floor(next() * 96));
    const statusAt = at(Math.floor(next() * 4) * 6); // equal times happen: rank and event id decide
    const status = pick(["PENDING", "BOOKED", "CANCELLED", "FULFILLED", "NO_SHOW", "CHECKED_IN"]);
    all.push({
      kind: "appointment",
      eventId: randomUUID(),
      change: {
        appointmentKey: a.key,
        source: "LIVE",
        sourceId: null,
        patientKey: a.patient,
        doctorId: pick(doctors),
        specialtyCode: pick(["BATCH_A", "BATCH_B"]),
        serviceId: null,
        serviceCode: null,
        location: pick(["North", null]),
        visitDate: day(startsAt),
        startsAt,
        endsAt: new Date(startsAt.getTime() + 1_800_000),
        requestedAt: next() < 0.5 ? at(next() * 20) : null,
        answeredAt: next() < 0.3 ? at(next() * 20) : null,
        bookedAt: next() < 0.5 ? at(next() * 20) : null,
        checkedInAt: next() < 0.2 ? at(next() * 20) : null,
        needsApproval: next() < 0.2,
        status,
        statusAt,
        statusEventId: randomUUID(),
        rating: next() < 0.2 ? 1 + Math.floor(next() * 5) : null,
        amountMinor: null,
        currency: null,
      },
    });
  }
  const encounters = Array.from({ length: 4 }, () => ({ key: randomUUID(), patient: randomUUID(), doctor: pick(doctors) }));
  for (let i = 0; i < 30; i++) {
    const e = pick(encounters);
    const when = at(next() * 72);
    all.push({
      kind: "visit",
      eventId: randomUUID(),
      change: {
        encounterKey: e.key,
        appointmentKey: null,
        patientKey: e.patient,
        doctorId: e.doctor,
        specialtyCode: "BATCH_A",
        location: null,
        visitDate: day(when),
        step: pick(["registeredAt", "startedAt", "finishedAt", "refusedAt", "confirmedAt"] as const),
        at: when,
      },
    });
    all.push({
      kind: "examination",
      eventId: randomUUID(),
      change: {
        examinationKey: `exam-${e.key}`,
        encounterKey: e.key,
        patientKey: e.patient,
        doctorId: e.doctor,
        specialtyCode: "BATCH_A",
        location: null,
        serviceId: randomUUID(),
        serviceCode: "BATCH_ECG",
        visitDate: "2027-03-02",
        orderedAt: at(24),
        step: pick(["performedAt", "cancelledAt", "reviewedAt", null] as const),
        at: when,
      },
    });
  }
  const invoices = Array.from({ length: 3 }, () => randomUUID());
  for (let i = 0; i < 12; i++) {
    const invoiceKey = pick(invoices);
    all.push({
      kind: "invoice",
      eventId: randomUUID(),
      change: {
        invoiceKey,
        appointmentKey: appointments[0]!.key,
        patientKey: appointments[0]!.patient,
        doctorId: doctors[0]!,
        specialtyCode: "BATCH_A",
        location: null,
        visitDate: "2027-03-03",
        kind: "INVOICE",
        totalMinor: 5_000,
        currency: "EUR",
        voided: next() < 0.3,
      },
    });
    all.push({
      kind: "payment",
      eventId: randomUUID(),
      change: {
        paymentKey: pick(["p1", "p2", "p3"]) + invoiceKey,
        invoiceKey,
        appointmentKey: null,
        kind: "PAYMENT",
        method: "CARD",
        cashMinor: Math.floor(next() * 1_000),
        appliedMinor: Math.floor(next() * 1_000),
        at: at(next() * 72),
      },
    });
  }
  // Shuffle, then deliver a fifth of them again.
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return [...all, ...all.filter(() => next() < 0.2)];
}

const TABLES = {
  appointment_facts: "appointment_key",
  visit_facts: "encounter_key",
  examination_facts: "examination_key",
  invoice_facts: "invoice_key",
  payment_facts: "payment_key",
};

async function facts(h: Harness) {
  const tables: Record<string, unknown[]> = {};
  for (const [table, key] of Object.entries(TABLES)) {
    const rows = await queryDatabase<Record<string, unknown>>(h.db.url, `SELECT * FROM analytics.${table} ORDER BY ${key}`);
    tables[table] = rows.map(({ updated_at: _, ...row }) => row);
  }
  return tables;
}

describe("fact writes in blocks", () => {
  it("give the facts of the same writes one at a time", async () => {
    const all = writes();
    for (const write of all) await oneByOne.running.deps.facts.apply("batch-test", [write]);
    for (let i = 0; i < all.length; i += 37) await inBlocks.running.deps.facts.apply("batch-test", all.slice(i, i + 37));
    // The whole stream as one block, again: every event was handled, nothing changes.
    await inBlocks.running.deps.facts.apply("batch-test", all);
    const expected = await facts(oneByOne);
    expect(expected.appointment_facts!.length).toBe(6);
    expect(expected.payment_facts!.length).toBeGreaterThan(3);
    expect(await facts(inBlocks)).toEqual(expected);
  });
});
