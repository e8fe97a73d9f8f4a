/**
 * Billing: amounts as staff type them ↔ minor units by the currency's decimals, tax rates ↔ basis points, and desk
 * payments: one idempotency key per payment (a retry after a failure is the same payment, the next one is new).
 */
import { TextDecoder, TextEncoder } from "node:util";
import { afterEach, describe, expect, it } from "@jest/globals";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { Observable } from "rxjs";
import i18n from "../../src/i18n";
import { amountInput, formatPercent, parseAmount, parsePercent, percentInput } from "../../src/pages/admin/money";
import type { BillingInvoiceFieldsFragment } from "../../src/generated/operations";

// The area's texts load on demand in the app: here, before anything renders.
await i18n.loadNamespaces(["admin", "common"]);

// jsdom has no TextEncoder, which react-router (imported by the session guard) needs when it loads.
Object.assign(globalThis, { TextEncoder, TextDecoder });
const { PaymentForm } = await import("../../src/pages/admin/Invoices");

afterEach(cleanup);

describe("amounts", () => {
  it("reads what staff type, by the currency's decimals", () => {
    expect(parseAmount("12.50", "EUR")).toBe(1250);
    expect(parseAmount("12,5", "EUR")).toBe(1250);
    expect(parseAmount(" 1 234,56 ", "EUR")).toBe(123456);
    expect(parseAmount("1,234.56", "USD")).toBe(123456);
    expect(parseAmount("1.234.567", "EUR")).toBe(123456700);
    expect(parseAmount("1,234", "EUR")).toBe(123400); // three digits after one separator: thousands
    expect(parseAmount("0.1", "EUR")).toBe(10);
    expect(parseAmount("15000", "KRW")).toBe(15000); // no minor unit
    expect(parseAmount("15,000", "KRW")).toBe(15000);
    expect(parseAmount("1.5", "KRW")).toBeNull();
    expect(parseAmount("1.234", "KWD")).toBe(1234); // three decimals
    for (const bad of ["", "-5", "12.5.0,1", "1,23,4", "abc", "12.3x"]) expect(parseAmount(bad, "EUR")).toBeNull();
  });

  it("writes minor units back for an input, and rates both ways", () => {
    expect(amountInput(1250, "EUR")).toBe("12.50");
    expect(amountInput(5, "EUR")).toBe("0.05");
    expect(amountInput(15000, "KRW")).toBe("15000");
    expect(parseAmount(amountInput(987654, "EUR"), "EUR")).toBe(987654);
    expect(parsePercent("19")).toBe(1900);
    expect(parsePercent("7,5 %")).toBe(750);
    expect(parsePercent("0")).toBe(0);
    expect(parsePercent("100")).toBe(10000);
    expect(parsePercent("100.01")).toBeNull();
    expect(parsePercent("-1")).toBeNull();
    expect(parsePercent("5.555")).toBeNull();
    expect(percentInput(750)).toBe("7.5");
    expect(percentInput(725)).toBe("7.25");
    expect(percentInput(1900)).toBe("19");
    expect(formatPercent(1900, "en")).toBe("19%");
    expect(formatPercent(null, "en")).toBe("—");
  });
});

describe("PaymentForm", () => {
  const money = (amountMinor: number) => ({ __typename: "Money", amountMinor, currency: "EUR" });
  const invoice = {
    __typename: "Invoice",
    id: "inv-1",
    number: "2026-000042",
    status: "ISSUED",
    kind: "INVOICE",
    reason: null,
    visitDate: "2026-03-30",
    issuedAt: "2026-03-30T10:00:00.000Z",
    patient: { __typename: "Patient", id: "p-1", name: "Paula Payer" },
    creditFor: null,
    lines: [],
    net: money(5000),
    tax: money(950),
    total: money(5950),
    paid: money(0),
    balance: money(5950),
  } as unknown as BillingInvoiceFieldsFragment;

  it("offers the balance, keeps the key across a retry and takes a new one for the next payment", async () => {
    const calls: Record<string, unknown>[] = [];
    let fail = true;
    const link = new ApolloLink(
      (operation) =>
        new Observable<ApolloLink.Result>((observer) => {
          calls.push(operation.variables);
          if (fail) {
            fail = false;
            observer.next({ errors: [{ message: "Billing is busy", extensions: { code: "SERVICE_UNAVAILABLE" } }] } as ApolloLink.Result);
          } else {
            const v = operation.variables as { amount: { amountMinor: number } };
            observer.next({
              data: {
                recordPayment: {
                  __typename: "Payment",
                  id: `pay-${calls.length}`,
                  method: "CASH",
                  amount: money(v.amount.amountMinor),
                  credit: money(Math.max(0, v.amount.amountMinor - 5950)),
                  invoice: { ...invoice, status: "PARTIALLY_PAID", paid: money(v.amount.amountMinor), balance: money(5950 - v.amount.amountMinor) },
                },
              },
            });
          }
          observer.complete();
        }),
    );
    const notices: string[] = [];
    render(
      <ApolloProvider client={new ApolloClient({ link, cache: new InMemoryCache() })}>
        <PaymentForm invoice={invoice} onPaid={(text) => notices.push(text)} />
      </ApolloProvider>,
    );
    const amount = screen.getByLabelText("Amount (EUR)") as HTMLInputElement;
    expect(amount.value).toBe("59.50");
    fireEvent.change(amount, { target: { value: "abc" } });
    fireEvent.click(screen.getByRole("button", { name: "Record payment" }));
    expect(screen.getByText("Enter an amount such as 12.50.")).toBeTruthy();
    expect(calls).toHaveLength(0);

    fireEvent.change(amount, { target: { value: "20,00" } });
    fireEvent.change(screen.getByLabelText("Paid by"), { target: { value: "CASH" } });
    fireEvent.click(screen.getByRole("button", { name: "Record payment" }));
    await screen.findByText(/Billing is busy/);
    fireEvent.click(screen.getByRole("button", { name: "Record payment" }));
    await waitFor(() => expect(notices).toEqual(["Payment of €20.00 recorded on 2026-000042."]));
    fireEvent.click(screen.getByRole("button", { name: "Record payment" }));
    await waitFor(() => expect(calls).toHaveLength(3));

    expect(calls[0]).toMatchObject({ invoiceId: "inv-1", amount: { amountMinor: 2000, currency: "EUR" }, method: "CASH" });
    const keys = calls.map((c) => c.idempotencyKey as string);
    expect(keys[1]).toBe(keys[0]); // the retry is the same payment
    expect(keys[2]).not.toBe(keys[1]); // the next one is another
  });
});
