/**
 * Amounts as billing staff type them ("12.50", "12,50", "1 200") ↔ the API's integer minor units, by the currency's
 * own number of decimals (2 for EUR, 0 for KRW, 3 for KWD); tax rates as percentages ↔ basis points. Integer
 * arithmetic on the digits: no floating-point rounding.
 */
import { locale } from "../../lib/time";

/** Decimals of the currency's minor unit (ISO 4217, as the browser knows it). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * "12.50" (EUR) → 1250; "1 234,5" → 123450; "1,234" → 123400; "" or "12.345" (EUR: too many decimals) or "-1" →
 * null. Spaces, thin spaces and apostrophes group thousands. With both "." and ",", the last is the decimal separator
 * and the other groups thousands; with one of them once, it is the decimal separator when the currency has that many
 * decimals after it, else three digits after it group thousands; several times, it groups thousands.
 */
export function parseAmount(text: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  const compact = text.trim().replace(/[\s\u00a0\u202f']/g, "");
  if (!/^[\d.,]*\d[\d.,]*$/.test(compact)) return null;
  const separators = compact.match(/[.,]/g) ?? [];
  const kinds = new Set(separators);
  let whole = compact;
  let fraction = "";
  const last = Math.max(compact.lastIndexOf("."), compact.lastIndexOf(","));
  if (kinds.size === 2 || (separators.length === 1 && compact.length - last - 1 <= digits)) {
    const head = compact.slice(0, last);
    // Before the decimal separator, only the other one, grouping by three.
    if (kinds.size === 2 && !/^\d{1,3}([.,]\d{3})*$/.test(head)) return null;
    if (head.includes(compact[last]!)) return null;
    whole = head.replace(/[.,]/g, "");
    fraction = compact.slice(last + 1);
  } else if (separators.length) {
    // Thousands only: every group after a separator has three digits.
    if (
      !compact
        .split(/[.,]/)
        .slice(1)
        .every((group) => group.length === 3)
    )
      return null;
    whole = compact.replace(/[.,]/g, "");
  }
  if (!/^\d*$/.test(fraction) || fraction.length > digits) return null;
  const value = Number(whole || "0") * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  return Number.isSafeInteger(value) ? value : null;
}

/** 1250 (EUR) → "12.50": a value for an input (no symbol, no grouping). */
export function amountInput(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? "-" : "";
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 10 ** digits)}.${String(abs % 10 ** digits).padStart(digits, "0")}`;
}

/** "19" → 1900, "7.5" / "7,5" → 750, "0" → 0; more than two decimals, negative or above 100 % → null. */
export function parsePercent(text: string): number | null {
  const match = /^(\d{1,3})(?:[.,](\d{1,2}))?$/.exec(text.trim().replace(/\s*%$/, ""));
  if (!match) return null;
  const bp = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return bp <= 10_000 ? bp : null;
}

/** 1900 → "19", 750 → "7.5": a value for an input. */
export function percentInput(bp: number): string {
  const whole = Math.floor(bp / 100);
  const rest = bp % 100;
  return rest ? `${whole}.${String(rest).padStart(2, "0").replace(/0$/, "")}` : String(whole);
}

/** 1900 → "19 %" in the language's form. */
export function formatPercent(bp: number | null | undefined, language: string): string {
  if (bp === null || bp === undefined) return "—";
  return new Intl.NumberFormat(locale(language), { style: "percent", maximumFractionDigits: 2 }).format(bp / 10_000);
}
