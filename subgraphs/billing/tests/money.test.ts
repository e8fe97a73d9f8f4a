/**
 * Money arithmetic: exact integer minor units, tax rounded half-even per line, days and years in the clinic's time
 * zone. The expected values are worked out by hand in the comments.
 */
import { describe, expect, it } from "@jest/globals";
import { divideHalfEven, invoiceNumber, invoiceTotals, lineAmounts, MAX_TAX_RATE_BP } from "../src/domain/money.js";

describe("divideHalfEven", () => {
  it.each([
    [5, 2, 2], // 2.5 → 2 (even)
    [7, 2, 4], // 3.5 → 4 (even)
    [9, 2, 4], // 4.5 → 4
    [11, 2, 6], // 5.5 → 6
    [875, 10, 88], // 87.5 → 88
    [805, 10, 80], // 80.5 → 80
    [864_5, 10, 864], // 864.5 → 864
    [865_5, 10, 866], // 865.5 → 866
  ])("rounds an exact half to the even neighbour: %i / %i = %i", (numerator, denominator, expected) => {
    expect(divideHalfEven(numerator, denominator)).toBe(expected);
  });

  it.each([
    [14, 10, 1], // 1.4 → 1
    [16, 10, 2], // 1.6 → 2
    [1, 3, 0], // 0.33 → 0
    [2, 3, 1], // 0.67 → 1
    [5001, 10_000, 1], // just above a half → up
    [4999, 10_000, 0], // just below a half → down
    [12, 4, 3], // exact
    [0, 7, 0],
  ])("rounds anything else to the nearest: %i / %i = %i", (numerator, denominator, expected) => {
    expect(divideHalfEven(numerator, denominator)).toBe(expected);
  });

  it.each([
    [-5, 2, -2], // -2.5 → -2
    [-7, 2, -4], // -3.5 → -4
    [-3, 2, -2], // -1.5 → -2
    [-875, 10, -88],
    [-805, 10, -80],
    [-16, 10, -2], // -1.6 → -2
    [-14, 10, -1], // -1.4 → -1
  ])("is symmetric for negatives: %i / %i = %i", (numerator, denominator, expected) => {
    expect(divideHalfEven(numerator, denominator)).toBe(expected);
  });

  it("gives a plain zero (not -0) for a negative numerator that rounds to nothing", () => {
    expect(Object.is(divideHalfEven(-1, 2), 0)).toBe(true); // -0.5 → 0
    expect(Object.is(divideHalfEven(-1, 3), 0)).toBe(true);
  });

  it("stays exact beyond the range of doubles", () => {
    // MAX_SAFE_INTEGER × 1900 = 17 113 678 584 007 882 900, beyond 2^53: a double would lose the last digits.
    expect(divideHalfEven(BigInt(Number.MAX_SAFE_INTEGER) * 1900n, 10_000)).toBe(1_711_367_858_400_788); // …788.29 → …788
    // Exact halves far beyond 2^53 before dividing: (2^53 − 1) / 2 = …495.5 → …496 (even); (2^53 − 3) / 2 = …494.5 → …494.
    expect(divideHalfEven(BigInt(Number.MAX_SAFE_INTEGER) * 5000n, 10_000)).toBe(4_503_599_627_370_496);
    expect(divideHalfEven(BigInt(Number.MAX_SAFE_INTEGER - 2) * 5000n, 10_000)).toBe(4_503_599_627_370_494);
  });
});

describe("lineAmounts", () => {
  it("computes 19 % of 45.50 as 8.64 (864.5 cents to the even 864)", () => {
    expect(lineAmounts(4550, 1, 1900)).toEqual({ netMinor: 4550, taxMinor: 864, totalMinor: 5414 });
  });

  it("computes 7 % of 12.50 as 0.88 (87.5 cents up to the even 88)", () => {
    expect(lineAmounts(1250, 1, 700)).toEqual({ netMinor: 1250, taxMinor: 88, totalMinor: 1338 });
  });

  it("computes 7 % of 11.50 as 0.80 (80.5 cents down to the even 80)", () => {
    expect(lineAmounts(1150, 1, 700)).toEqual({ netMinor: 1150, taxMinor: 80, totalMinor: 1230 });
  });

  it("multiplies by the quantity before taxing (rounding once, on the line)", () => {
    // 3 × 12.50 = 37.50; 7 % = 262.5 cents → 262 (even), not 3 × 88 = 264.
    expect(lineAmounts(1250, 3, 700)).toEqual({ netMinor: 3750, taxMinor: 262, totalMinor: 4012 });
  });

  it("leaves exempt lines untaxed and taxes 100 % in full", () => {
    expect(lineAmounts(3333, 1, 0)).toEqual({ netMinor: 3333, taxMinor: 0, totalMinor: 3333 });
    expect(lineAmounts(3333, 1, MAX_TAX_RATE_BP)).toEqual({ netMinor: 3333, taxMinor: 3333, totalMinor: 6666 });
  });

  it("prices a free service at zero", () => {
    expect(lineAmounts(0, 1, 1900)).toEqual({ netMinor: 0, taxMinor: 0, totalMinor: 0 });
  });

  it("stays exact where net × rate is beyond 2^53", () => {
    // 999 999 999 × 4 999 = 4 998 999 995 001; × 1900 = 9.498e15 > 2^53. 19 % of it = 949 809 999 050.19 → …050.
    const net = 999_999_999 * 4_999;
    expect(net).toBe(4_998_999_995_001);
    const expectedTax = Number((BigInt(net) * 1900n + 5000n) / 10_000n); // .19 rounds down either way
    expect(expectedTax).toBe(949_809_999_050);
    expect(lineAmounts(999_999_999, 4_999, 1900)).toEqual({ netMinor: net, taxMinor: 949_809_999_050, totalMinor: 5_948_809_994_051 });
  });

  it("refuses amounts it could not represent exactly rather than rounding them", () => {
    expect(() => lineAmounts(Number.MAX_SAFE_INTEGER, 2, 0)).toThrow(RangeError);
    // The net is exact, but net + 19 % tax is beyond 2^53: the total must not be silently rounded.
    expect(() => lineAmounts(Number.MAX_SAFE_INTEGER - 1, 1, 1900)).toThrow(RangeError);
  });
});

describe("invoiceTotals", () => {
  it("is zero for no lines", () => {
    expect(invoiceTotals([])).toEqual({ netMinor: 0, taxMinor: 0, totalMinor: 0 });
  });

  it("sums the lines as each was rounded, not the tax of the sum", () => {
    const lines = [lineAmounts(1250, 1, 700), lineAmounts(1250, 1, 700), lineAmounts(1250, 1, 700)];
    // Each line's tax is 88 (87.5 → 88): 264. Taxing the sum, 262.5 → 262, would not match the lines shown.
    expect(invoiceTotals(lines)).toEqual({ netMinor: 3750, taxMinor: 264, totalMinor: 4014 });
  });

  it("adds lines of different rates", () => {
    const lines = [lineAmounts(4550, 1, 1900), lineAmounts(1250, 1, 700), lineAmounts(1150, 1, 700), lineAmounts(2000, 1, 0)];
    // net 4550 + 1250 + 1150 + 2000 = 8950; tax 864 + 88 + 80 + 0 = 1032.
    expect(invoiceTotals(lines)).toEqual({ netMinor: 8950, taxMinor: 1032, totalMinor: 9982 });
  });
});

describe("invoiceNumber", () => {
  it("is the year and the sequence padded to six digits", () => {
    expect(invoiceNumber(2027, 1)).toBe("2027-000001");
    expect(invoiceNumber(2027, 123)).toBe("2027-000123");
    expect(invoiceNumber(2030, 999_999)).toBe("2030-999999");
  });

  it("never truncates a sequence beyond six digits (numbers stay unique)", () => {
    expect(invoiceNumber(2027, 1_000_000)).toBe("2027-1000000");
  });
});
