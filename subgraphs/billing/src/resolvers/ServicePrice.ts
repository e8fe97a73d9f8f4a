import type { ServicePriceResolvers } from "../generated/graphql.js";

export const ServicePrice: ServicePriceResolvers = {
  price: (price) => ({ amountMinor: price.amountMinor, currency: price.currency }),
  effectiveFrom: (price) => new Date(`${price.effectiveFrom}T00:00:00Z`),
};
