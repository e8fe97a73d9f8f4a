/**
 * The price list through the API: what setServicePrice refuses, the history it keeps, and the price in force
 * switching at midnight of the effective day in the clinic's time zone (fake clock).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { queryDatabase } from "@clinigraph/testing";
import { startHarness, type Harness } from "./support/harness.js";
import { as, BILLING, newService } from "./support/visits.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

const SET_PRICE = `mutation ($s: ID!, $p: MoneyInput!, $t: Int, $e: Date) {
  setServicePrice(serviceId: $s, price: $p, taxRateBp: $t, effectiveFrom: $e) { id price { amountMinor currency } taxRateBp }
}`;

async function setPrice(
  serviceId: string,
  amountMinor: number,
  options: { taxRateBp?: number | null; effectiveFrom?: string; currency?: string } = {},
  caller = BILLING(),
) {
  return h.call(SET_PRICE, caller, {
    s: serviceId,
    p: { amountMinor, currency: options.currency ?? "EUR" },
    t: options.taxRateBp ?? null,
    e: options.effectiveFrom ?? null,
  });
}

const SERVICE = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on MedicalService { id price { amountMinor currency } taxRateBp } } }`;
const HISTORY = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on MedicalService { priceHistory { price { amountMinor currency } taxRateBp effectiveFrom setAt } } } }`;

/** The service's price in force now, read anonymously (prices are public). */
async function priceNow(serviceId: string) {
  const res = await h.call(SERVICE, undefined, { r: [{ __typename: "MedicalService", id: serviceId }] });
  expect(res.errors).toBeUndefined();
  const [service] = res.data!._entities as { id: string; price: { amountMinor: number; currency: string } | null; taxRateBp: number | null }[];
  return { price: service!.price, taxRateBp: service!.taxRateBp };
}

async function historyOf(serviceId: string) {
  const res = await h.call(HISTORY, BILLING(), { r: [{ __typename: "MedicalService", id: serviceId }] });
  expect(res.errors).toBeUndefined();
  return (
    res.data!._entities as { priceHistory: { price: { amountMinor: number; currency: string }; taxRateBp: number; effectiveFrom: string; setAt: string }[] }[]
  )[0]!.priceHistory;
}

const storedPrices = async (serviceId: string) =>
  (await queryDatabase<{ n: number }>(h.db.url, "SELECT count(*)::int AS n FROM billing.service_prices WHERE service_id = $1", [serviceId]))[0]!.n;

describe("setServicePrice refuses", () => {
  it.each([
    ["another currency than the clinic's", { amountMinor: 1000, options: { currency: "USD" } }, "price.currency"],
    ["a negative amount", { amountMinor: -1, options: {} }, "price.amountMinor"],
    ["an amount beyond the maximum", { amountMinor: 1_000_000_001, options: {} }, "price.amountMinor"],
    ["a negative tax rate", { amountMinor: 1000, options: { taxRateBp: -1 } }, "taxRateBp"],
    ["a tax rate above 100 %", { amountMinor: 1000, options: { taxRateBp: 10_001 } }, "taxRateBp"],
    ["an effective day more than a year back", { amountMinor: 1000, options: { effectiveFrom: "2026-03-09" } }, "effectiveFrom"],
  ])(
    "%s (BAD_USER_INPUT naming the field) and stores nothing",
    async (_name, input: { amountMinor: number; options: Parameters<typeof setPrice>[2] }, field) => {
      h.clock.now = new Date("2027-03-10T10:00:00Z");
      const service = newService(h);
      const res = await setPrice(service.id, input.amountMinor, input.options);
      expect(res.data?.setServicePrice ?? null).toBeNull();
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
      expect(await storedPrices(service.id)).toBe(0);
    },
  );

  it("a service the doctors subgraph does not know, and an id that is no id", async () => {
    const unknown = randomUUID();
    expect((await setPrice(unknown, 1000)).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "serviceId" });
    expect((await setPrice("ultrasound", 1000)).errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "serviceId" });
    expect(await storedPrices(unknown)).toBe(0);
  });

  it("a year back is counted in the clinic's time zone (still today in UTC is already tomorrow in Berlin)", async () => {
    h.clock.now = new Date("2027-03-10T23:30:00Z"); // 00:30 on 11 March in Berlin
    const service = newService(h);
    expect((await setPrice(service.id, 1000, { effectiveFrom: "2026-03-10" })).errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      field: "effectiveFrom",
    });
    const res = await setPrice(service.id, 1000, { effectiveFrom: "2026-03-11" });
    expect(res.errors).toBeUndefined();
    expect(res.data!.setServicePrice).toEqual({ id: service.id, price: { amountMinor: 1000, currency: "EUR" }, taxRateBp: 0 });
  });
});

describe("the price list", () => {
  it("keeps every price set, and the price in force switches at midnight (Berlin) of its effective day", async () => {
    h.clock.now = new Date("2027-04-10T10:00:00Z");
    const service = newService(h);
    const setter = BILLING();
    expect(await priceNow(service.id)).toEqual({ price: null, taxRateBp: null });

    // Today, by default; the answer shows the price in force today.
    const first = await setPrice(service.id, 1000, { taxRateBp: 1900 }, setter);
    expect(first.errors).toBeUndefined();
    expect(first.data!.setServicePrice).toEqual({ id: service.id, price: { amountMinor: 1000, currency: "EUR" }, taxRateBp: 1900 });

    // From the 13th, set twice (the later setting for a day wins); the answer still shows today's price.
    h.clock.now = new Date("2027-04-10T11:00:00Z");
    const later = await setPrice(service.id, 1200, { taxRateBp: 700, effectiveFrom: "2027-04-13" }, as("ADMIN"));
    expect(later.data!.setServicePrice).toEqual({ id: service.id, price: { amountMinor: 1000, currency: "EUR" }, taxRateBp: 1900 });
    h.clock.now = new Date("2027-04-10T12:00:00Z");
    expect((await setPrice(service.id, 1100, { taxRateBp: 1900, effectiveFrom: "2027-04-13" })).errors).toBeUndefined();

    expect(await historyOf(service.id)).toEqual([
      { price: { amountMinor: 1100, currency: "EUR" }, taxRateBp: 1900, effectiveFrom: "2027-04-13", setAt: "2027-04-10T12:00:00.000Z" },
      { price: { amountMinor: 1200, currency: "EUR" }, taxRateBp: 700, effectiveFrom: "2027-04-13", setAt: "2027-04-10T11:00:00.000Z" },
      { price: { amountMinor: 1000, currency: "EUR" }, taxRateBp: 1900, effectiveFrom: "2027-04-10", setAt: "2027-04-10T10:00:00.000Z" },
    ]);
    const setBy = await queryDatabase<{ set_by: string }>(h.db.url, "SELECT set_by FROM billing.service_prices WHERE service_id = $1 AND amount_minor = 1000", [
      service.id,
    ]);
    expect(setBy).toEqual([{ set_by: setter.userId }]);

    h.clock.now = new Date("2027-04-12T21:59:59.999Z"); // 23:59:59 on the 12th in Berlin (CEST)
    expect(await priceNow(service.id)).toEqual({ price: { amountMinor: 1000, currency: "EUR" }, taxRateBp: 1900 });
    h.clock.now = new Date("2027-04-12T22:00:00.000Z"); // midnight: the 13th in Berlin, still the 12th in UTC
    expect(await priceNow(service.id)).toEqual({ price: { amountMinor: 1100, currency: "EUR" }, taxRateBp: 1900 });
    h.clock.now = new Date("2027-06-01T08:00:00.000Z");
    expect(await priceNow(service.id)).toEqual({ price: { amountMinor: 1100, currency: "EUR" }, taxRateBp: 1900 });
  });

  it("answers MedicalService.price to anyone, signed in or not, and null for a service without a price", async () => {
    h.clock.now = new Date("2027-05-02T08:00:00Z");
    const priced = newService(h);
    const unpriced = newService(h);
    expect((await setPrice(priced.id, 4550, { taxRateBp: 1900 })).errors).toBeUndefined();

    const representations = [
      { __typename: "MedicalService", id: priced.id },
      { __typename: "MedicalService", id: unpriced.id },
    ];
    for (const caller of [undefined, as("PATIENT"), as("DOCTOR")]) {
      const res = await h.call(SERVICE, caller, { r: representations });
      expect(res.errors).toBeUndefined();
      expect(res.data!._entities).toEqual([
        { id: priced.id, price: { amountMinor: 4550, currency: "EUR" }, taxRateBp: 1900 },
        { id: unpriced.id, price: null, taxRateBp: null },
      ]);
    }
  });

  it("takes a free service (0) as a price, unlike no price at all", async () => {
    h.clock.now = new Date("2027-05-03T08:00:00Z");
    const free = newService(h);
    expect((await setPrice(free.id, 0)).errors).toBeUndefined();
    expect(await priceNow(free.id)).toEqual({ price: { amountMinor: 0, currency: "EUR" }, taxRateBp: 0 });
  });
});
