/**
 * The price list: a service's price from a day on, with its tax rate. Prices are never changed in place: each
 * setting is a new row, the one in force on a day is the latest effective on or before it. Invoices take the
 * prices in force on the visit day when they are issued and keep them.
 */
import { badInput, dayIn, forbidden, isUuid, serviceUnavailable } from "@clinigraph/platform";
import type { Deps } from "./deps.js";
import { MAX_TAX_RATE_BP } from "./money.js";
import { CatalogueUnavailable } from "./ports.js";
import type { Actor, ServicePrice } from "./types.js";

export interface SetPriceInput {
  serviceId: string;
  price: { amountMinor: number; currency: string };
  taxRateBp?: number | null;
  /** A calendar day (the GraphQL Date scalar: UTC midnight of it). */
  effectiveFrom?: Date | null;
}

/** The largest price: 10 million in major units (keeps every invoice total a safe integer). */
const MAX_PRICE_MINOR = 1_000_000_000;

export async function setServicePrice(
  deps: Pick<Deps, "prices" | "catalogue" | "settings" | "clock">,
  actor: Actor,
  input: SetPriceInput,
): Promise<{ id: string }> {
  if (actor.role !== "BILLING" && actor.role !== "ADMIN") throw forbidden("Only billing staff and administrators set prices");
  if (!isUuid(input.serviceId)) throw badInput("serviceId must be an id", "serviceId");
  const { amountMinor, currency } = input.price;
  if (currency !== deps.settings.currency) throw badInput(`Prices are in the clinic's currency, ${deps.settings.currency}`, "price.currency");
  if (!Number.isInteger(amountMinor) || amountMinor < 0 || amountMinor > MAX_PRICE_MINOR)
    throw badInput(`amountMinor must be a whole number of minor units from 0 to ${MAX_PRICE_MINOR}`, "price.amountMinor");
  const taxRateBp = input.taxRateBp ?? 0;
  if (!Number.isInteger(taxRateBp) || taxRateBp < 0 || taxRateBp > MAX_TAX_RATE_BP) throw badInput("taxRateBp must be 0 to 10000 (basis points)", "taxRateBp");
  const now = deps.clock();
  const today = dayIn(now, deps.settings.timezone);
  const effectiveFrom = input.effectiveFrom ? input.effectiveFrom.toISOString().slice(0, 10) : today;
  // Back-dating corrects the price of visits not invoiced yet (drafts are priced as of their visit day); issued
  // invoices keep their prices whatever the list says later. More than a year back is a mistake.
  if (effectiveFrom < yearBefore(today)) throw badInput("A price can take effect at most a year back", "effectiveFrom");
  let service;
  try {
    service = await deps.catalogue.service(input.serviceId);
  } catch (err) {
    if (err instanceof CatalogueUnavailable) throw serviceUnavailable("The service catalogue cannot be checked right now");
    throw err;
  }
  if (!service) throw badInput("No such medical service", "serviceId");
  const price: ServicePrice = { serviceId: service.id, amountMinor, currency, taxRateBp, effectiveFrom, setAt: now };
  await deps.prices.add({ ...price, setBy: actor.userId });
  return { id: service.id };
}

const yearBefore = (day: string) => `${Number(day.slice(0, 4)) - 1}${day.slice(4)}`;

/** The prices in force today of these services (one query for all; a service without a price is null). */
export async function currentPrices(deps: Pick<Deps, "prices" | "settings" | "clock">, serviceIds: readonly string[]): Promise<(ServicePrice | null)[]> {
  const prices = await deps.prices.inForceMany(serviceIds, dayIn(deps.clock(), deps.settings.timezone));
  return serviceIds.map((id) => prices.get(id) ?? null);
}
