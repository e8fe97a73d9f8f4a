import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useApolloClient, useMutation, useQuery } from "@apollo/client/react";
import { Page } from "../../components/Page";
import { ErrorMessage } from "../../components/ErrorMessage";
import { QueryState } from "../../components/QueryState";
import { formatDay, formatMoney } from "../../lib/time";
import { InvoicePdfDocument, MyInvoicesDocument, PayInvoiceDocument, type MyInvoiceFieldsFragment } from "../../generated/operations";

const PAYABLE = new Set(["ISSUED", "PARTIALLY_PAID"]);

/** The bytes of a base64 string, as a Blob of that type. */
export function base64Blob(base64: string, contentType: string): Blob {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: contentType });
}

/** Only a web address is followed (never a `javascript:` one). */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * My invoices (newest first) with my account's credit, prepayments and what is owed. Each invoice's PDF is a download;
 * an open one can be paid online: the provider's checkout opens in a new tab (this tab keeps the session), and the
 * list reloads when the patient comes back to it.
 */
export function Invoices() {
  const { t, i18n } = useTranslation("patient");
  const invoices = useQuery(MyInvoicesDocument, { variables: { first: 50 }, fetchPolicy: "cache-and-network" });
  const account = invoices.data?.myBillingAccount;
  const list = invoices.data?.myInvoices.edges.map((e) => e.node) ?? [];
  const pageInfo = invoices.data?.myInvoices.pageInfo;

  // Back from the checkout tab: the payment may have arrived.
  useEffect(() => {
    const onFocus = () => void invoices.refetch().catch(() => undefined);
    window.addEventListener("focus", onFocus);
    return () => window.removeEventListener("focus", onFocus);
  }, [invoices.refetch]);

  function more() {
    if (!pageInfo?.endCursor) return;
    void invoices
      .fetchMore({
        variables: { after: pageInfo.endCursor },
        updateQuery: (previous, { fetchMoreResult }) => ({
          ...fetchMoreResult,
          myInvoices: { ...fetchMoreResult.myInvoices, edges: [...(previous.myInvoices?.edges ?? []), ...fetchMoreResult.myInvoices.edges] },
        }),
      })
      .catch(() => undefined);
  }

  return (
    <Page title={t("invoices.title")}>
      <QueryState result={invoices} />
      {account ? (
        <section className="card" aria-labelledby="account-heading">
          <h2 id="account-heading" style={{ marginTop: 0 }}>
            {t("invoices.account")}
          </h2>
          <dl className="row" style={{ gap: "var(--space-6)", margin: 0 }}>
            <div>
              <dt className="small muted">{t("invoices.outstanding")}</dt>
              <dd style={{ margin: 0, fontWeight: 700 }}>{formatMoney(account.outstanding, i18n.language)}</dd>
            </div>
            <div>
              <dt className="small muted">{t("invoices.credit")}</dt>
              <dd style={{ margin: 0, fontWeight: 700 }}>{formatMoney(account.credit, i18n.language)}</dd>
            </div>
            <div>
              <dt className="small muted">{t("invoices.prepaid")}</dt>
              <dd style={{ margin: 0, fontWeight: 700 }}>{formatMoney(account.prepaid, i18n.language)}</dd>
            </div>
          </dl>
          <p className="small muted">{t("invoices.creditHint")}</p>
        </section>
      ) : null}
      {invoices.data ? (
        list.length === 0 ? (
          <p className="muted">{t("invoices.empty")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">{t("invoices.title")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("invoices.number")}</th>
                  <th scope="col">{t("invoices.visitDate")}</th>
                  <th scope="col">{t("invoices.status")}</th>
                  <th scope="col">{t("invoices.total")}</th>
                  <th scope="col">{t("invoices.balance")}</th>
                  <th scope="col">{t("invoices.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((invoice) => (
                  <InvoiceRow key={invoice.id} invoice={invoice} />
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      {pageInfo?.hasNextPage ? (
        <button type="button" className="secondary" onClick={more}>
          {t("invoices.more")}
        </button>
      ) : null}
    </Page>
  );
}

function InvoiceRow({ invoice }: { invoice: MyInvoiceFieldsFragment }) {
  const { t, i18n } = useTranslation("patient");
  const label = invoice.number ?? t("invoices.draft");
  return (
    <tr>
      <th scope="row">
        {label}
        {invoice.kind === "CREDIT_NOTE" ? <div className="small muted">{t("invoices.creditNote")}</div> : null}
      </th>
      <td>{formatDay(invoice.visitDate, i18n.language)}</td>
      <td>
        <span className="status">{t(`invoices.statuses.${invoice.status}`, { defaultValue: invoice.status })}</span>
      </td>
      <td>{formatMoney(invoice.total, i18n.language)}</td>
      <td>{formatMoney(invoice.balance, i18n.language)}</td>
      <td>
        <div className="stack" style={{ gap: "var(--space-1)" }}>
          <PdfLink invoiceId={invoice.id} label={label} />
          {invoice.kind === "INVOICE" && PAYABLE.has(invoice.status) && invoice.balance.amountMinor > 0 ? <PayButton invoice={invoice} label={label} /> : null}
        </div>
      </td>
    </tr>
  );
}

/** Fetches the PDF (base64) on demand and offers it as a download (a Blob URL, released when the page closes). */
function PdfLink({ invoiceId, label }: { invoiceId: string; label: string }) {
  const { t } = useTranslation("patient");
  const client = useApolloClient();
  const [file, setFile] = useState<{ url: string; filename: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const link = useRef<HTMLAnchorElement>(null);
  useEffect(() => () => (file ? URL.revokeObjectURL(file.url) : undefined), [file]);

  async function load() {
    setLoading(true);
    setError(null);
    try {
      // Not cached: the document is large and only wanted once.
      const { data, error: failed } = await client.query({ query: InvoicePdfDocument, variables: { id: invoiceId }, fetchPolicy: "no-cache" });
      if (failed) throw failed;
      const document = data?.invoicePdf;
      if (!document) throw new Error(t("invoices.pdfMissing"));
      setFile({ url: URL.createObjectURL(base64Blob(document.base64, document.contentType)), filename: document.filename });
      requestAnimationFrame(() => link.current?.focus());
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }

  if (file)
    return (
      <a ref={link} href={file.url} download={file.filename} className="button secondary">
        {t("invoices.download", { name: file.filename })}
      </a>
    );
  return (
    <>
      <button type="button" className="secondary" disabled={loading} onClick={() => void load()}>
        {loading ? t("loading", { ns: "common" }) : t("invoices.pdf")}
        <span className="visually-hidden"> {label}</span>
      </button>
      <ErrorMessage error={error} />
    </>
  );
}

/**
 * Starts (or, pressed again, resumes: the same idempotency key returns the same session) an online payment of the
 * balance, and links to the provider's checkout page.
 */
function PayButton({ invoice, label }: { invoice: MyInvoiceFieldsFragment; label: string }) {
  const { t, i18n } = useTranslation("patient");
  const key = useRef<string>(crypto.randomUUID());
  const [pay, paying] = useMutation(PayInvoiceDocument);
  const session = paying.data?.payInvoice;
  const checkout = safeHttpUrl(session?.checkoutUrl);

  if (session?.status === "SUCCEEDED") return <p className="small">{t("invoices.paid")}</p>;
  if (session && checkout)
    return (
      <div className="small">
        <a className="button" href={checkout} target="_blank" rel="noopener noreferrer">
          {t("invoices.checkout", { amount: formatMoney(session.amount, i18n.language) })}
        </a>
        <p className="muted" style={{ margin: "var(--space-1) 0 0" }}>
          {t("invoices.checkoutHint")}
        </p>
      </div>
    );
  if (session) return <p className="small">{t("invoices.noCheckout")}</p>;
  return (
    <>
      <button
        type="button"
        disabled={paying.loading}
        onClick={() => void pay({ variables: { invoiceId: invoice.id, idempotencyKey: key.current } }).catch(() => undefined)}
      >
        {t("invoices.pay", { amount: formatMoney(invoice.balance, i18n.language) })}
        <span className="visually-hidden"> {label}</span>
      </button>
      <ErrorMessage error={paying.error} />
    </>
  );
}
