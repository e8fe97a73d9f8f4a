/** Invoices, their lines and payments (billing.invoices, invoice_lines, payments), and the yearly number sequence. */
import { randomUUID } from "node:crypto";
import { conflict, constraintOf, sqlStateOf, SQLSTATE } from "@clinigraph/platform";
import type { InvoiceRepository, TransactionRepositories } from "../domain/ports.js";
import type { Invoice, InvoiceLine, InvoiceStatus, Payment, PaymentMethod, PaymentSession, PaymentSessionStatus } from "../domain/types.js";
import type { Prisma, PrismaClient, Tx } from "./prisma.js";

type InvoiceRow = Prisma.InvoiceGetPayload<{ include: { lines: true } }>;
type PaymentRow = Prisma.PaymentGetPayload<object>;

const withLines = { lines: { orderBy: [{ createdAt: "asc" as const }, { sourceKey: "asc" as const }] } };

const toInvoice = (row: InvoiceRow): Invoice => ({
  id: row.id,
  number: row.number,
  status: row.status as InvoiceStatus,
  kind: row.kind as "INVOICE" | "CREDIT_NOTE",
  creditFor: row.creditFor,
  reason: row.reason,
  patientId: row.patientId,
  doctorId: row.doctorId,
  encounterId: row.encounterId,
  appointmentId: row.appointmentId,
  currency: row.currency,
  visitDate: row.visitDate.toISOString().slice(0, 10),
  netMinor: row.netMinor,
  taxMinor: row.taxMinor,
  totalMinor: row.totalMinor,
  paidMinor: row.paidMinor,
  issuedAt: row.issuedAt,
  createdAt: row.createdAt,
  lines: row.lines.map((line): InvoiceLine => ({
    id: line.id,
    sourceKey: line.sourceKey,
    serviceId: line.serviceId,
    description: line.description,
    quantity: line.quantity,
    unitPriceMinor: line.unitPriceMinor,
    taxRateBp: line.taxRateBp,
    netMinor: line.netMinor,
    taxMinor: line.taxMinor,
    totalMinor: line.totalMinor,
  })),
});

const toPayment = (row: PaymentRow): Payment => ({
  id: row.id,
  idempotencyKey: row.idempotencyKey,
  invoiceId: row.invoiceId,
  appointmentId: row.appointmentId,
  patientId: row.patientId,
  kind: row.kind as Payment["kind"],
  method: row.method as PaymentMethod,
  status: row.status,
  amountMinor: row.amountMinor,
  currency: row.currency,
  creditMinor: row.creditMinor,
  creditAppliedMinor: row.creditAppliedMinor,
  creditRefundedMinor: row.creditRefundedMinor,
  refundedMinor: row.refundedMinor,
  creditOf: row.creditOf,
  refundOf: row.refundOf,
  reason: row.reason,
  providerRef: row.providerRef,
  recordedBy: row.recordedBy,
  createdAt: row.createdAt,
});

export function createInvoiceRepository(prisma: PrismaClient): InvoiceRepository {
  const one = async (where: Prisma.InvoiceWhereInput) => {
    const row = await prisma.invoice.findFirst({ where, include: withLines, orderBy: { createdAt: "desc" } });
    return row ? toInvoice(row) : null;
  };
  return {
    find: (id) => one({ id }),
    findByEncounter: (encounterId) => one({ encounterId }),
    findByAppointment: (appointmentId) => one({ appointmentId }),
    async list(filter, first, after) {
      const where: Prisma.InvoiceWhereInput = {
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.patientId ? { patientId: filter.patientId } : {}),
        ...(filter.from || filter.to ? { createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lte: filter.to } : {}) } } : {}),
      };
      const rows = await prisma.invoice.findMany({
        where: after ? { AND: [where, { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }] } : where,
        include: withLines,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: first,
      });
      return rows.map(toInvoice);
    },
    async findSession(id) {
      const row = await prisma.paymentSession.findUnique({ where: { id } });
      return row ? toSession(row) : null;
    },
    async paymentsOf(invoiceId) {
      return (await prisma.payment.findMany({ where: { invoiceId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map(toPayment);
    },
    async prepaymentsOf(appointmentId) {
      return (await prisma.payment.findMany({ where: { appointmentId, kind: "PAYMENT" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map(toPayment);
    },
    async accountOf(patientId) {
      const [row] = await prisma.$queryRaw<{ credit: bigint; prepaid: bigint; outstanding: bigint }[]>`
        SELECT
          COALESCE((SELECT SUM(p.credit_minor - p.credit_applied_minor - p.credit_refunded_minor)
                      FROM billing.payments p LEFT JOIN billing.appointments a ON a.appointment_id = p.appointment_id
                     WHERE p.patient_id = ${patientId}::uuid AND p.kind = 'PAYMENT'
                       AND (p.appointment_id IS NULL OR a.status IN ('FULFILLED', 'NO_SHOW'))), 0) AS credit,
          COALESCE((SELECT SUM(p.credit_minor - p.credit_applied_minor - p.credit_refunded_minor)
                      FROM billing.payments p LEFT JOIN billing.appointments a ON a.appointment_id = p.appointment_id
                     WHERE p.patient_id = ${patientId}::uuid AND p.kind = 'PAYMENT'
                       AND p.appointment_id IS NOT NULL AND a.status IS DISTINCT FROM 'FULFILLED' AND a.status IS DISTINCT FROM 'NO_SHOW'), 0) AS prepaid,
          COALESCE((SELECT SUM(total_minor - paid_minor) FROM billing.invoices
                     WHERE patient_id = ${patientId}::uuid AND status IN ('ISSUED', 'PARTIALLY_PAID') AND kind = 'INVOICE'), 0) AS outstanding`;
      return { creditMinor: Number(row!.credit), prepaidMinor: Number(row!.prepaid), outstandingMinor: Number(row!.outstanding) };
    },
  };
}

export function createTransactionInvoices(tx: Tx): TransactionRepositories["invoices"] {
  const lockWhere = async (ids: string[]) => {
    if (ids.length === 0) return [];
    await tx.$queryRaw`SELECT id FROM billing.invoices WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;
    return (await tx.invoice.findMany({ where: { id: { in: ids } }, include: withLines, orderBy: { id: "asc" } })).map(toInvoice);
  };
  return {
    async openForEncounter(invoice, now) {
      await tx.invoice.createMany({
        data: [{ ...invoice, visitDate: new Date(`${invoice.visitDate}T00:00:00Z`), createdAt: now, updatedAt: now }],
        skipDuplicates: true,
      });
      const [locked] = await lockWhere([(await tx.invoice.findUniqueOrThrow({ where: { encounterId: invoice.encounterId! }, select: { id: true } })).id]);
      return locked!;
    },
    async createWithLines(invoice, now) {
      const keys = invoice.lines.map((line) => line.sourceKey);
      if ((await tx.invoiceLine.count({ where: { sourceKey: { in: keys } } })) > 0) return false;
      const { lines, visitDate, ...fields } = invoice;
      await tx.invoice.create({
        data: {
          ...fields,
          visitDate: new Date(`${visitDate}T00:00:00Z`),
          createdAt: now,
          updatedAt: now,
          lines: { create: lines.map((line) => ({ ...line, createdAt: now })) },
        },
      });
      return true;
    },
    lock: async (id) => (await lockWhere([id]))[0] ?? null,
    async lockByEncounter(encounterId) {
      const row = await tx.invoice.findUnique({ where: { encounterId }, select: { id: true } });
      return row ? ((await lockWhere([row.id]))[0] ?? null) : null;
    },
    async lockOfAppointment(appointmentId, statuses) {
      const rows = await tx.invoice.findMany({ where: { appointmentId, status: { in: [...statuses] } }, select: { id: true } });
      return (await lockWhere(rows.map((row) => row.id))).filter((invoice) => statuses.includes(invoice.status));
    },
    async upsertLine(invoiceId, line, now) {
      await tx.invoiceLine.upsert({
        where: { sourceKey: line.sourceKey },
        create: { id: randomUUID(), invoiceId, ...line, createdAt: now },
        update: { serviceId: line.serviceId, description: line.description, quantity: line.quantity },
      });
    },
    async save(invoice, now) {
      await tx.invoice.update({
        where: { id: invoice.id },
        data: {
          number: invoice.number,
          status: invoice.status,
          netMinor: invoice.netMinor,
          taxMinor: invoice.taxMinor,
          totalMinor: invoice.totalMinor,
          paidMinor: invoice.paidMinor,
          issuedAt: invoice.issuedAt,
          updatedAt: now,
        },
      });
      for (const line of invoice.lines)
        await tx.invoiceLine.update({
          where: { id: line.id },
          data: {
            unitPriceMinor: line.unitPriceMinor,
            taxRateBp: line.taxRateBp,
            netMinor: line.netMinor,
            taxMinor: line.taxMinor,
            totalMinor: line.totalMinor,
          },
        });
    },
    async nextNumber(year) {
      // The row stays locked until commit: concurrent issues take turns, and a rollback gives the number back.
      const rows = await tx.$queryRaw<{ lastNumber: number }[]>`
        INSERT INTO billing.invoice_sequences (year, last_number) VALUES (${year}, 1)
        ON CONFLICT (year) DO UPDATE SET last_number = billing.invoice_sequences.last_number + 1
        RETURNING last_number AS "lastNumber"`;
      return rows[0]!.lastNumber;
    },
  };
}

export function createTransactionPayments(tx: Tx): TransactionRepositories["payments"] {
  return {
    async findByKey(idempotencyKey) {
      const row = await tx.payment.findUnique({ where: { idempotencyKey } });
      return row ? toPayment(row) : null;
    },
    async lock(id) {
      const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM billing.payments WHERE id = ${id}::uuid FOR UPDATE`;
      if (rows.length === 0) return null;
      return toPayment(await tx.payment.findUniqueOrThrow({ where: { id } }));
    },
    async add(payment) {
      try {
        await tx.payment.create({
          data: {
            ...payment,
            appointmentId: payment.appointmentId ?? null,
            creditOf: payment.creditOf ?? null,
            refundOf: payment.refundOf ?? null,
            reason: payment.reason ?? null,
            providerRef: payment.providerRef ?? null,
            recordedBy: payment.recordedBy ?? null,
          },
        });
      } catch (err) {
        // The invoice's lock orders the payments of one invoice only: a payment of another invoice with the same key
        // may have committed meanwhile. That is the key reused, not a failure.
        if (isIdempotencyKeyTaken(err)) throw conflict("This idempotency key was used for another payment", "IDEMPOTENCY_KEY_REUSED", "idempotencyKey");
        throw err;
      }
    },
    async record(id, changes) {
      await tx.payment.update({ where: { id }, data: changes });
    },
    async lockCreditSources(patientId, appointmentId) {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        SELECT p.id FROM billing.payments p LEFT JOIN billing.appointments a ON a.appointment_id = p.appointment_id
         WHERE p.patient_id = ${patientId}::uuid AND p.kind = 'PAYMENT'
           AND p.credit_minor > p.credit_applied_minor + p.credit_refunded_minor
           AND (p.appointment_id IS NULL OR p.appointment_id = ${appointmentId}::uuid OR a.status IN ('FULFILLED', 'NO_SHOW'))
         ORDER BY p.id
           FOR UPDATE OF p`;
      if (rows.length === 0) return [];
      const payments = (await tx.payment.findMany({ where: { id: { in: rows.map((row) => row.id) } } })).map(toPayment);
      const own = (payment: Payment) => (appointmentId !== null && payment.appointmentId === appointmentId ? 0 : 1);
      return payments.sort((a, b) => own(a) - own(b) || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
    },
    async lockPrepayments(appointmentId) {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM billing.payments WHERE appointment_id = ${appointmentId}::uuid AND kind = 'PAYMENT' ORDER BY id FOR UPDATE`;
      if (rows.length === 0) return [];
      return (await tx.payment.findMany({ where: { id: { in: rows.map((row) => row.id) } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map(toPayment);
    },
  };
}

type SessionRow = Prisma.PaymentSessionGetPayload<object>;
const toSession = (row: SessionRow): PaymentSession => ({
  id: row.id,
  idempotencyKey: row.idempotencyKey,
  invoiceId: row.invoiceId,
  appointmentId: row.appointmentId,
  patientId: row.patientId,
  provider: row.provider,
  providerRef: row.providerRef,
  amountMinor: row.amountMinor,
  currency: row.currency,
  status: row.status as PaymentSessionStatus,
  checkoutUrl: row.checkoutUrl,
  clientSecret: row.clientSecret,
  createdAt: row.createdAt,
});

export function createTransactionSessions(tx: Tx): TransactionRepositories["sessions"] {
  return {
    async findByKey(idempotencyKey) {
      const row = await tx.paymentSession.findUnique({ where: { idempotencyKey } });
      return row ? toSession(row) : null;
    },
    async lockByProviderRef(provider, providerRef) {
      const rows = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM billing.payment_sessions WHERE provider = ${provider} AND provider_ref = ${providerRef} FOR UPDATE`;
      if (rows.length === 0) return null;
      return toSession(await tx.paymentSession.findUniqueOrThrow({ where: { id: rows[0]!.id } }));
    },
    async add(session) {
      await tx.paymentSession.create({ data: { ...session, appointmentId: session.appointmentId ?? null, updatedAt: session.createdAt } });
    },
    async record(id, changes, now) {
      await tx.paymentSession.update({ where: { id }, data: { ...changes, updatedAt: now } });
    },
  };
}

/** A unique violation of payments.idempotency_key (the driver names the index or its column). */
function isIdempotencyKeyTaken(err: unknown): boolean {
  if (sqlStateOf(err) !== SQLSTATE.UNIQUE_VIOLATION) return false;
  const constraint = constraintOf(err);
  return constraint === "payments_idempotency_key_key" || constraint === "idempotency_key";
}
