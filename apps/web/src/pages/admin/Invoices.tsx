import { Fragment, useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage } from "../../components/ErrorMessage";
import { QueryState } from "../../components/QueryState";
import { SuccessNotice } from "../../components/SuccessNotice";
import { useSession } from "../../auth";
import { formatDay, formatMoney } from "../../lib/time";
import {
  BillingInvoicesDocument,
  BillingIssueInvoiceDocument,
  BillingRecordPaymentDocument,
  type BillingInvoiceFieldsFragment,
  type InvoiceStatus,
  type PaymentMethod,
} from "../../generated/operations";
import { Pager, useCursorPages } from "./paging";
import { amountInput, formatPercent, parseAmount } from "./money";

const STATUSES: readonly InvoiceStatus[] = ["DRAFT", "ISSUED", "PARTIALLY_PAID", "PAID", "VOID"];
/** Money taken at the desk. */
const DESK_METHODS: readonly PaymentMethod[] = ["CASH", "CARD"];
const PAGE_SIZE = 25;

/** Invoices, newest first, by status: issue drafts, take payments at the desk. */
export function Invoices() {
  const { t, i18n } = useTranslation("admin");
  const role = useSession()?.user.role;
  // recordPayment is billing's and reception's; issueInvoice billing's and admins'.
  const canTakePayments = role === "BILLING";
  const [status, setStatus] = useState<InvoiceStatus | "">("");
  const pages = useCursorPages();
  const invoices = useQuery(BillingInvoicesDocument, {
    variables: { filter: status ? { status } : null, first: PAGE_SIZE, after: pages.after },
    fetchPolicy: "cache-and-network",
  });
  const [issue, issuing] = useMutation(BillingIssueInvoiceDocument);
  const [open, setOpen] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = invoices.data?.invoices.edges.map((e) => e.node) ?? [];
  const money = (m: { amountMinor: number; currency: string } | null | undefined) => formatMoney(m, i18n.language);

  async function doIssue(invoice: BillingInvoiceFieldsFragment) {
    setNotice(null);
    const result = await issue({ variables: { id: invoice.id } }).catch(() => null);
    if (result?.data) setNotice(t("billing.issued", { number: result.data.issueInvoice.number ?? "", patient: invoice.patient.name }));
  }

  return (
    <Page title={t("billing.title")}>
      <div className="form-inline" style={{ marginBottom: "var(--space-3)" }}>
        <div className="field">
          <label htmlFor="invoice-status">{t("billing.status")}</label>
          <select
            id="invoice-status"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as InvoiceStatus | "");
              pages.reset();
            }}
          >
            <option value="">{t("billing.allStatuses")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`billing.statuses.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <QueryState result={invoices} isEmpty={list.length === 0} empty={t("billing.empty")}>
        <ErrorMessage error={issuing.error} />
        <SuccessNotice>{notice}</SuccessNotice>
      </QueryState>
      {list.length ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t("billing.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("billing.number")}</th>
                <th scope="col">{t("billing.patient")}</th>
                <th scope="col">{t("billing.visitDate")}</th>
                <th scope="col">{t("billing.status")}</th>
                <th scope="col">{t("billing.total")}</th>
                <th scope="col">{t("billing.paid")}</th>
                <th scope="col">{t("billing.balance")}</th>
                <th scope="col">{t("billing.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((invoice) => {
                const label = invoice.number ?? t("billing.draft");
                const payable = invoice.status === "ISSUED" || invoice.status === "PARTIALLY_PAID";
                return (
                  <Fragment key={invoice.id}>
                    <tr data-testid="invoice">
                      <td>
                        {label}
                        {invoice.kind === "CREDIT_NOTE" ? (
                          <div className="small muted">{t("billing.creditNoteFor", { number: invoice.creditFor?.number ?? "—" })}</div>
                        ) : null}
                      </td>
                      <td>{invoice.patient.name}</td>
                      <td>{formatDay(invoice.visitDate, i18n.language)}</td>
                      <td>
                        <span className="status">{t(`billing.statuses.${invoice.status}`)}</span>
                      </td>
                      <td>{money(invoice.total)}</td>
                      <td>{money(invoice.paid)}</td>
                      <td>{money(invoice.balance)}</td>
                      <td>
                        <div className="row">
                          <button
                            type="button"
                            className="secondary"
                            aria-expanded={open === invoice.id}
                            aria-controls={`invoice-${invoice.id}`}
                            onClick={() => setOpen(open === invoice.id ? null : invoice.id)}
                            aria-label={t("billing.detailsOf", { number: label, patient: invoice.patient.name })}
                          >
                            {t("billing.details")}
                          </button>
                          {invoice.status === "DRAFT" ? (
                            <button
                              type="button"
                              disabled={issuing.loading}
                              onClick={() => void doIssue(invoice)}
                              aria-label={t("billing.issueFor", { patient: invoice.patient.name })}
                            >
                              {t("billing.issue")}
                            </button>
                          ) : null}
                          {payable && canTakePayments && open !== invoice.id ? (
                            <button type="button" onClick={() => setOpen(invoice.id)} aria-label={t("billing.payFor", { number: label })}>
                              {t("billing.recordPayment")}
                            </button>
                          ) : null}
                        </div>
                      </td>
                    </tr>
                    {open === invoice.id ? (
                      <tr id={`invoice-${invoice.id}`}>
                        <td colSpan={8}>
                          <InvoiceDetails invoice={invoice} />
                          {payable && canTakePayments ? <PaymentForm invoice={invoice} onPaid={(text) => setNotice(text)} /> : null}
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      <Pager label={t("billing.title")} pages={pages} pageInfo={invoices.data?.invoices.pageInfo} />
    </Page>
  );
}

function InvoiceDetails({ invoice }: { invoice: BillingInvoiceFieldsFragment }) {
  const { t, i18n } = useTranslation("admin");
  const money = (m: { amountMinor: number; currency: string } | null | undefined) => formatMoney(m, i18n.language);
  return (
    <div className="stack">
      {invoice.reason ? <p className="small">{t("billing.reason", { reason: invoice.reason })}</p> : null}
      <table>
        <thead>
          <tr>
            <th scope="col">{t("billing.line")}</th>
            <th scope="col">{t("billing.quantity")}</th>
            <th scope="col">{t("billing.unitPrice")}</th>
            <th scope="col">{t("billing.tax")}</th>
            <th scope="col">{t("billing.total")}</th>
          </tr>
        </thead>
        <tbody>
          {invoice.lines.map((line, i) => (
            <tr key={i}>
              <td>{line.description}</td>
              <td>{line.quantity}</td>
              <td>{line.unitPrice ? money(line.unitPrice) : <strong>{t("billing.noPrice")}</strong>}</td>
              <td>{formatPercent(line.taxRateBp, i18n.language)}</td>
              <td>{money(line.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="small">
        {t("billing.net")}: {money(invoice.net)} · {t("billing.tax")}: {money(invoice.tax)} · {t("billing.total")}: {money(invoice.total)}
      </p>
    </div>
  );
}

/** Money taken at the desk. The idempotency key is the form's: sending it twice (a double click, a retry) is one payment. */
export function PaymentForm({ invoice, onPaid }: { invoice: BillingInvoiceFieldsFragment; onPaid(text: string): void }) {
  const { t, i18n } = useTranslation("admin");
  const id = useId();
  const currency = invoice.balance.currency;
  const [amount, setAmount] = useState(() => amountInput(invoice.balance.amountMinor, currency));
  const [method, setMethod] = useState<PaymentMethod>("CARD");
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [invalid, setInvalid] = useState(false);
  const [record, recording] = useMutation(BillingRecordPaymentDocument);
  const minor = parseAmount(amount, currency);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (minor === null || minor <= 0) {
      setInvalid(true);
      return;
    }
    const result = await record({ variables: { invoiceId: invoice.id, amount: { amountMinor: minor, currency }, method, idempotencyKey: key } }).catch(
      () => null,
    );
    const payment = result?.data?.recordPayment;
    if (!payment) return;
    setKey(crypto.randomUUID());
    const text = t("billing.paidOk", { amount: formatMoney(payment.amount, i18n.language), number: invoice.number ?? "" });
    onPaid(payment.credit.amountMinor > 0 ? `${text} ${t("billing.credit", { amount: formatMoney(payment.credit, i18n.language) })}` : text);
  }

  return (
    <form className="form-inline" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`} style={{ marginTop: "var(--space-3)" }} noValidate>
      <h3 id={`${id}-title`} style={{ flexBasis: "100%", margin: 0 }}>
        {t("billing.recordPayment")} · {invoice.number}
      </h3>
      <div className="field">
        <label htmlFor={`${id}-amount`}>{t("billing.amount", { currency })}</label>
        <input
          id={`${id}-amount`}
          inputMode="decimal"
          value={amount}
          onChange={(e) => {
            setAmount(e.target.value);
            setInvalid(false);
          }}
          aria-invalid={invalid || undefined}
          aria-describedby={`${id}-amount-hint`}
        />
        <div className="hint" id={`${id}-amount-hint`}>
          {invalid ? t("billing.badAmount") : minor !== null ? `= ${formatMoney({ amountMinor: minor, currency }, i18n.language)}` : "\u00a0"}
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-method`}>{t("billing.method")}</label>
        <select id={`${id}-method`} value={method} onChange={(e) => setMethod(e.target.value as PaymentMethod)}>
          {DESK_METHODS.map((m) => (
            <option key={m} value={m}>
              {t(`billing.methods.${m}`)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={recording.loading}>
        {t("billing.take")}
      </button>
      <div style={{ flexBasis: "100%" }}>
        <ErrorMessage error={recording.error} />
      </div>
    </form>
  );
}
