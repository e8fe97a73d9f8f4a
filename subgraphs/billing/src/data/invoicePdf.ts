/**
 * The invoice as a PDF (pdfkit): the clinic's name, the invoice's number, dates and status, its lines with their
 * prices and tax, and the totals. Money is printed from minor units with the currency's digits (Intl). The standard
 * PDF font covers Latin text; other scripts in service names need an embedded font (not yet).
 */
import PDFDocument from "pdfkit";
import type { InvoiceDocuments } from "../domain/ports.js";
import type { Invoice } from "../domain/types.js";

const formatMoney = (amountMinor: number, currency: string) => {
  const format = new Intl.NumberFormat("en-GB", { style: "currency", currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
};

const percent = (bp: number | null) => (bp === null ? "" : `${(bp / 100).toFixed(bp % 100 === 0 ? 0 : 2)} %`);

export function createInvoicePdfRenderer(options: { clinicName: string }): InvoiceDocuments {
  return {
    render(invoice: Invoice): Promise<Buffer> {
      return new Promise((resolve, reject) => {
        const doc = new PDFDocument({ size: "A4", margin: 50, info: { Title: `Invoice ${invoice.number ?? "(draft)"}`, Author: options.clinicName } });
        const chunks: Buffer[] = [];
        doc.on("data", (chunk: Buffer) => chunks.push(chunk));
        doc.on("end", () => resolve(Buffer.concat(chunks)));
        doc.on("error", reject);

        doc.fontSize(18).text(options.clinicName);
        doc
          .moveDown(0.5)
          .fontSize(14)
          .text(invoice.number ? `Invoice ${invoice.number}` : "Draft invoice (not issued)");
        doc.moveDown(0.5).fontSize(10);
        doc.text(`Visit date: ${invoice.visitDate}`);
        if (invoice.issuedAt) doc.text(`Issued: ${invoice.issuedAt.toISOString().slice(0, 10)}`);
        doc.text(`Status: ${invoice.status}`);
        doc.text(`Patient reference: ${invoice.patientId}`);
        doc.moveDown();

        const columns = { description: 50, quantity: 300, unit: 340, tax: 420, total: 480 };
        const row = (cells: Record<keyof typeof columns, string>, bold = false) => {
          const y = doc.y;
          doc.font(bold ? "Helvetica-Bold" : "Helvetica");
          doc.text(cells.description, columns.description, y, { width: 240 });
          const bottom = doc.y;
          doc.text(cells.quantity, columns.quantity, y, { width: 35, align: "right" });
          doc.text(cells.unit, columns.unit, y, { width: 75, align: "right" });
          doc.text(cells.tax, columns.tax, y, { width: 55, align: "right" });
          doc.text(cells.total, columns.total, y, { width: 65, align: "right" });
          doc.x = columns.description;
          doc.y = Math.max(bottom, doc.y) + 4;
        };
        row({ description: "Service", quantity: "Qty", unit: "Unit price", tax: "Tax", total: "Total" }, true);
        for (const line of invoice.lines)
          row({
            description: line.description,
            quantity: String(line.quantity),
            unit: line.unitPriceMinor === null ? "–" : formatMoney(line.unitPriceMinor, invoice.currency),
            tax: percent(line.taxRateBp),
            total: line.totalMinor === null ? "–" : formatMoney(line.totalMinor, invoice.currency),
          });
        doc.moveDown();
        const sum = (label: string, amountMinor: number, bold = false) =>
          row({ description: label, quantity: "", unit: "", tax: "", total: formatMoney(amountMinor, invoice.currency) }, bold);
        sum("Net", invoice.netMinor);
        sum("Tax", invoice.taxMinor);
        sum("Total", invoice.totalMinor, true);
        sum("Paid", invoice.paidMinor);
        sum("Balance due", invoice.totalMinor - invoice.paidMinor, true);
        doc.end();
      });
    },
  };
}
