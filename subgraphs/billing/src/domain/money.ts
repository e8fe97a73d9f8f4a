/**
 * Money arithmetic in integer minor units. Tax is computed per line and rounded half-even (banker's rounding) on
 * the line: 0.5 of a cent goes to the even cent, so rounding errors do not drift one way over many lines.
 */

/** numerator / denominator rounded half to even; both integers, denominator > 0. Exact (BigInt). */
export function divideHalfEven(numerator: number | bigint, denominator: number): number {
  const n = BigInt(numerator);
  const d = BigInt(denominator);
  const negative = n < 0n;
  const abs = negative ? -n : n;
  let q = abs / d;
  const r = abs % d;
  const twice = 2n * r;
  if (twice > d || (twice === d && q % 2n === 1n)) q += 1n;
  return Number(negative ? -q : q);
}

/** Basis points: 10000 = 100 %. */
export const MAX_TAX_RATE_BP = 10_000;

export interface LineAmounts {
  netMinor: number;
  taxMinor: number;
  totalMinor: number;
}

/** A line's amounts: net = unit × quantity; tax = net × rate, rounded half-even; total = net + tax. */
export function lineAmounts(unitPriceMinor: number, quantity: number, taxRateBp: number): LineAmounts {
  const netMinor = unitPriceMinor * quantity;
  if (!Number.isSafeInteger(netMinor)) throw new RangeError("amount too large");
  const taxMinor = divideHalfEven(BigInt(netMinor) * BigInt(taxRateBp), MAX_TAX_RATE_BP);
  const totalMinor = netMinor + taxMinor;
  // The sum of two safe integers may not be one: refuse rather than round the total.
  if (!Number.isSafeInteger(totalMinor)) throw new RangeError("amount too large");
  return { netMinor, taxMinor, totalMinor };
}

/** The amounts of an invoice: the sum of its lines (each rounded on its own). */
export function invoiceTotals(lines: readonly LineAmounts[]): LineAmounts {
  return lines.reduce(
    (sum, line) => ({ netMinor: sum.netMinor + line.netMinor, taxMinor: sum.taxMinor + line.taxMinor, totalMinor: sum.totalMinor + line.totalMinor }),
    {
      netMinor: 0,
      taxMinor: 0,
      totalMinor: 0,
    },
  );
}

/** A gapless invoice number: the year and the sequence, zero-padded to 6 digits (2026-000123). */
export const invoiceNumber = (year: number, sequence: number) => `${year}-${String(sequence).padStart(6, "0")}`;
