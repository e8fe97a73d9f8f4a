import type { MedicalServiceResolvers } from "../generated/graphql.js";

export const MedicalService: MedicalServiceResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  price: async (service, _args, ctx) => {
    const price = await ctx.loaders.currentPrice.load(service.id);
    return price ? { amountMinor: price.amountMinor, currency: price.currency } : null;
  },
  taxRateBp: async (service, _args, ctx) => (await ctx.loaders.currentPrice.load(service.id))?.taxRateBp ?? null,
  priceHistory: (service, _args, ctx) => ctx.deps.prices.history(service.id),
};
