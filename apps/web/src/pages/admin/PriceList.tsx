import { Fragment, useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage } from "../../components/ErrorMessage";
import { QueryState } from "../../components/QueryState";
import { SuccessNotice } from "../../components/SuccessNotice";
import { formatDay, formatMoney } from "../../lib/time";
import { BillingPriceListDocument, BillingSetServicePriceDocument, type BillingPriceFieldsFragment } from "../../generated/operations";
import { amountInput, formatPercent, parseAmount, parsePercent, percentInput } from "./money";

/** The price list (BILLING, ADMIN): every medical service with the price in force today; a new price from a day on. */
export function PriceList() {
  const { t, i18n } = useTranslation(["admin", "common"]);
  const prices = useQuery(BillingPriceListDocument, { fetchPolicy: "cache-and-network" });
  const [search, setSearch] = useState("");
  const [editing, setEditing] = useState<string | null>(null);
  const [history, setHistory] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const services = prices.data?.medicalServices ?? [];
  // The clinic's currency: the one its prices are in (the API refuses any other).
  const known = services.find((s) => s.price)?.price?.currency ?? services.flatMap((s) => s.priceHistory)[0]?.price.currency ?? null;
  const needle = search.trim().toLowerCase();
  const shown = services.filter((s) => !needle || s.name.toLowerCase().includes(needle) || s.code.toLowerCase().includes(needle));

  return (
    <Page title={t("billing.prices.title")}>
      <div className="form-inline" style={{ marginBottom: "var(--space-3)" }}>
        <div className="field">
          <label htmlFor="prices-search">{t("billing.prices.search")}</label>
          <input id="prices-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
      </div>
      <QueryState result={prices} isEmpty={shown.length === 0} empty={t("none", { ns: "common" })}>
        <SuccessNotice>{notice}</SuccessNotice>
      </QueryState>
      {shown.length ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t("billing.prices.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("billing.prices.code")}</th>
                <th scope="col">{t("billing.prices.service")}</th>
                <th scope="col">{t("billing.prices.kind")}</th>
                <th scope="col">{t("billing.prices.price")}</th>
                <th scope="col">{t("billing.prices.taxRate")}</th>
                <th scope="col">{t("billing.prices.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((s) => (
                <Fragment key={s.id}>
                  <tr data-testid="price">
                    <td>
                      <code>{s.code}</code>
                    </td>
                    <td>{s.name}</td>
                    <td>{t(`billing.prices.kinds.${s.kind}`)}</td>
                    <td>{s.price ? formatMoney(s.price, i18n.language) : <strong>{t("billing.prices.noPrice")}</strong>}</td>
                    <td>{formatPercent(s.taxRateBp, i18n.language)}</td>
                    <td>
                      <div className="row">
                        <button
                          type="button"
                          className="secondary"
                          onClick={() => {
                            setEditing(editing === s.id ? null : s.id);
                            setNotice(null);
                          }}
                          aria-expanded={editing === s.id}
                          aria-label={t("billing.prices.changeFor", { name: s.name })}
                        >
                          {t("billing.prices.change")}
                        </button>
                        {s.priceHistory.length ? (
                          <button
                            type="button"
                            className="secondary"
                            onClick={() => setHistory(history === s.id ? null : s.id)}
                            aria-expanded={history === s.id}
                            aria-label={t("billing.prices.historyFor", { name: s.name })}
                          >
                            {t("billing.prices.history")}
                          </button>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                  {editing === s.id ? (
                    <tr>
                      <td colSpan={6}>
                        <PriceForm
                          service={s}
                          knownCurrency={s.price?.currency ?? known}
                          onSaved={(text) => {
                            setNotice(text);
                            setEditing(null);
                          }}
                        />
                      </td>
                    </tr>
                  ) : null}
                  {history === s.id ? (
                    <tr>
                      <td colSpan={6}>
                        <table>
                          <caption className="small">{t("billing.prices.historyOf", { name: s.name })}</caption>
                          <thead>
                            <tr>
                              <th scope="col">{t("billing.prices.effectiveFrom")}</th>
                              <th scope="col">{t("billing.prices.price")}</th>
                              <th scope="col">{t("billing.prices.taxRate")}</th>
                            </tr>
                          </thead>
                          <tbody>
                            {s.priceHistory.map((p) => (
                              <tr key={`${p.effectiveFrom}-${p.setAt}`}>
                                <td>{formatDay(p.effectiveFrom, i18n.language, "long")}</td>
                                <td>{formatMoney(p.price, i18n.language)}</td>
                                <td>{formatPercent(p.taxRateBp, i18n.language)}</td>
                              </tr>
                            ))}
                          </tbody>
                        </table>
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Page>
  );
}

/** A new price of one service: amount, tax rate (percent) and the day it applies from (empty: today). */
export function PriceForm({
  service,
  knownCurrency,
  onSaved,
}: {
  service: BillingPriceFieldsFragment;
  /** The clinic's currency, as its prices show it; null before the first price (then asked, EUR by default). */
  knownCurrency: string | null;
  onSaved(text: string): void;
}) {
  const { t, i18n } = useTranslation("admin");
  const id = useId();
  const [currencyText, setCurrencyText] = useState(knownCurrency ?? "EUR");
  const currency = /^[A-Za-z]{3}$/.test(currencyText.trim()) ? currencyText.trim().toUpperCase() : "EUR";
  const [amount, setAmount] = useState(() => (service.price ? amountInput(service.price.amountMinor, currency) : ""));
  const [tax, setTax] = useState(() => (service.taxRateBp !== null ? percentInput(service.taxRateBp) : "0"));
  const [from, setFrom] = useState("");
  const [problem, setProblem] = useState<"amount" | "tax" | null>(null);
  const [save, saving] = useMutation(BillingSetServicePriceDocument);
  const minor = parseAmount(amount, currency);
  const bp = parsePercent(tax);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (minor === null) return setProblem("amount");
    if (bp === null) return setProblem("tax");
    const result = await save({
      variables: { serviceId: service.id, price: { amountMinor: minor, currency }, taxRateBp: bp, effectiveFrom: from || null },
    }).catch(() => null);
    if (result?.data)
      onSaved(
        t("billing.prices.saved", {
          name: service.name,
          price: formatMoney({ amountMinor: minor, currency }, i18n.language),
          from: from ? formatDay(from, i18n.language, "long") : t("billing.prices.today"),
        }),
      );
  }

  return (
    <form className="form-inline" onSubmit={(e) => void submit(e)} aria-label={t("billing.prices.changeFor", { name: service.name })} noValidate>
      <div className="field">
        <label htmlFor={`${id}-amount`}>{t("billing.prices.amount", { currency })}</label>
        <input
          id={`${id}-amount`}
          inputMode="decimal"
          value={amount}
          onChange={(e) => {
            setAmount(e.target.value);
            setProblem(null);
          }}
          aria-invalid={problem === "amount" || undefined}
          aria-describedby={`${id}-amount-hint`}
          autoFocus
        />
        <div className="hint" id={`${id}-amount-hint`}>
          {problem === "amount"
            ? t("billing.badAmount")
            : minor !== null
              ? `= ${formatMoney({ amountMinor: minor, currency }, i18n.language)}`
              : t("billing.prices.net")}
        </div>
      </div>
      {knownCurrency ? null : (
        <div className="field">
          <label htmlFor={`${id}-currency`}>{t("billing.prices.currency")}</label>
          <input
            id={`${id}-currency`}
            value={currencyText}
            onChange={(e) => setCurrencyText(e.target.value)}
            maxLength={3}
            autoComplete="off"
            aria-describedby={`${id}-currency-hint`}
          />
          <div className="hint" id={`${id}-currency-hint`}>
            {t("billing.prices.currencyHint")}
          </div>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-tax`}>{t("billing.prices.taxPercent")}</label>
        <input
          id={`${id}-tax`}
          inputMode="decimal"
          value={tax}
          onChange={(e) => {
            setTax(e.target.value);
            setProblem(null);
          }}
          aria-invalid={problem === "tax" || undefined}
          aria-describedby={`${id}-tax-hint`}
        />
        <div className="hint" id={`${id}-tax-hint`}>
          {problem === "tax" ? t("billing.prices.badTax") : bp !== null ? `= ${formatPercent(bp, i18n.language)}` : "\u00a0"}
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-from`}>{t("billing.prices.effectiveFromOptional")}</label>
        <input id={`${id}-from`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} aria-describedby={`${id}-from-hint`} />
        <div className="hint" id={`${id}-from-hint`}>
          {t("billing.prices.fromHint")}
        </div>
      </div>
      <button type="submit" disabled={saving.loading}>
        {t("save", { ns: "common" })}
      </button>
      <div style={{ flexBasis: "100%" }}>
        <ErrorMessage error={saving.error} />
      </div>
    </form>
  );
}
