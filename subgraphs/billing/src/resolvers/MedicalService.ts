import type { MedicalServiceResolvers } from "../generated/graphql.js";
import { currentPrice } from "../domain/prices.js";

export const MedicalService: MedicalServiceResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  price: async (service, _args, ctx) => {
    const price = await currentPrice(ctx.deps, service.id);
    return price ? { amountMinor: price.amountMinor, currency: price.currency } : null;
  },
  taxRateBp: async (service, _args, ctx) => (await currentPrice(ctx.deps, service.id))?.taxRateBp ?? null,
  priceHistory: (service, _args, ctx) => ctx.deps.prices.history(service.id),
};
