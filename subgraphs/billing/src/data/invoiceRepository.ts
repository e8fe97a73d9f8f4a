/**
 * Invoices, their lines and payments (billing.invoices, invoice_lines, payments), online payment sessions
 * (billing.payment_sessions) and the yearly number sequence: hand-written SQL over node-postgres (platform `Sql`),
 * each statement with its row type and mapper beside it.
 *
 * Locking: a row is locked by a `SELECT … FOR UPDATE` that returns it as it is once the lock is held (PostgreSQL
 * re-reads a row it had to wait for). An invoice is locked first and read with its lines by a second statement, so
 * the lines are as the transaction that held the lock left them (one statement reads all its rows as of its start).
 */
import { randomUUID } from "node:crypto";
import { conflict, constraintOf, sqlStateOf, SQLSTATE, type Sql } from "@clinigraph/platform";
import type { InvoiceRepository, TransactionRepositories } from "../domain/ports.js";
import type { Invoice, InvoiceLine, InvoiceStatus, Payment, PaymentMethod, PaymentSession, PaymentSessionStatus } from "../domain/types.js";

// --- invoices ---------------------------------------------------------------------------------------------------

interface InvoiceRow {
  id: string;
  number: string | null;
  status: string;
  kind: string;
  credit_for: string | null;
  reason: string | null;
  patient_id: string;
  doctor_id: string;
  encounter_id: string | null;
  appointment_id: string | null;
  currency: string;
  /** YYYY-MM-DD (`visit_date::text`: a `date` is never turned into a Date in the process's time zone). */
  visit_date: string;
  net_minor: number;
  tax_minor: number;
  total_minor: number;
  paid_minor: number;
  issued_at: Date | null;
  created_at: Date;
  /** The invoice's lines as JSON, in the order they were added. */
  lines: InvoiceLine[];
}

/** An invoice with its lines (`i`: billing.invoices), oldest line first (the order they were added, then their key). */
const INVOICE_SELECT = `
  SELECT i.id, i.number, i.status, i.kind, i.credit_for, i.reason, i.patient_id, i.doctor_id, i.encounter_id, i.appointment_id,
         i.currency, i.visit_date::text AS visit_date, i.net_minor, i.tax_minor, i.total_minor, i.paid_minor, i.issued_at, i.created_at,
         COALESCE((SELECT json_agg(json_build_object(
                     'id', l.id, 'sourceKey', l.source_key, 'serviceId', l.service_id, 'description', l.description, 'quantity', l.quantity,
                     'unitPriceMinor', l.unit_price_minor, 'taxRateBp', l.tax_rate_bp, 'netMinor', l.net_minor, 'taxMinor', l.tax_minor,
                     'totalMinor', l.total_minor) ORDER BY l.created_at, l.source_key)
                     FROM billing.invoice_lines l WHERE l.invoice_id = i.id), '[]'::json) AS lines
    FROM billing.invoices i`;

const toInvoice = (row: InvoiceRow): Invoice => ({
  id: row.id,
  number: row.number,
  status: row.status as InvoiceStatus,
  kind: row.kind as "INVOICE" | "CREDIT_NOTE",
  creditFor: row.credit_for,
  reason: row.reason,
  patientId: row.patient_id,
  doctorId: row.doctor_id,
  encounterId: row.encounter_id,
  appointmentId: row.appointment_id,
  currency: row.currency,
  visitDate: row.visit_date,
  netMinor: row.net_minor,
  taxMinor: row.tax_minor,
  totalMinor: row.total_minor,
  paidMinor: row.paid_minor,
  issuedAt: row.issued_at,
  createdAt: row.created_at,
  lines: row.lines.map((line) => ({
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

// --- payments ---------------------------------------------------------------------------------------------------

interface PaymentRow {
  id: string;
  idempotency_key: string;
  invoice_id: string | null;
  appointment_id: string | null;
  patient_id: string;
  kind: string;
  method: string;
  status: string;
  amount_minor: number;
  currency: string;
  credit_minor: number;
  credit_applied_minor: number;
  credit_refunded_minor: number;
  refunded_minor: number;
  credit_of: string | null;
  refund_of: string | null;
  reason: string | null;
  provider_ref: string | null;
  recorded_by: string | null;
  created_at: Date;
}

const PAYMENT_COLUMNS = `id, idempotency_key, invoice_id, appointment_id, patient_id, kind, method, status, amount_minor, currency, credit_minor,
  credit_applied_minor, credit_refunded_minor, refunded_minor, credit_of, refund_of, reason, provider_ref, recorded_by, created_at`;
/** The same columns of `p` (a query that joins other tables). */
const PAYMENT_COLUMNS_OF_P = PAYMENT_COLUMNS.split(",")
  .map((column) => `p.${column.trim()}`)
  .join(", ");

const toPayment = (row: PaymentRow): Payment => ({
  id: row.id,
  idempotencyKey: row.idempotency_key,
  invoiceId: row.invoice_id,
  appointmentId: row.appointment_id,
  patientId: row.patient_id,
  kind: row.kind as Payment["kind"],
  method: row.method as PaymentMethod,
  status: row.status,
  amountMinor: row.amount_minor,
  currency: row.currency,
  creditMinor: row.credit_minor,
  creditAppliedMinor: row.credit_applied_minor,
  creditRefundedMinor: row.credit_refunded_minor,
  refundedMinor: row.refunded_minor,
  creditOf: row.credit_of,
  refundOf: row.refund_of,
  reason: row.reason,
  providerRef: row.provider_ref,
  recordedBy: row.recorded_by,
  createdAt: row.created_at,
});

// --- payment sessions -------------------------------------------------------------------------------------------

interface SessionRow {
  id: string;
  idempotency_key: string;
  invoice_id: string | null;
  appointment_id: string | null;
  patient_id: string;
  provider: string;
  provider_ref: string | null;
  amount_minor: number;
  currency: string;
  status: string;
  checkout_url: string | null;
  client_secret: string | null;
  created_at: Date;
}

const SESSION_COLUMNS = `id, idempotency_key, invoice_id, appointment_id, patient_id, provider, provider_ref, amount_minor, currency, status,
  checkout_url, client_secret, created_at`;

const toSession = (row: SessionRow): PaymentSession => ({
  id: row.id,
  idempotencyKey: row.idempotency_key,
  invoiceId: row.invoice_id,
  appointmentId: row.appointment_id,
  patientId: row.patient_id,
  provider: row.provider,
  providerRef: row.provider_ref,
  amountMinor: row.amount_minor,
  currency: row.currency,
  status: row.status as PaymentSessionStatus,
  checkoutUrl: row.checkout_url,
  clientSecret: row.client_secret,
  createdAt: row.created_at,
});

/** The columns `sessions.record` may change, by field. */
const SESSION_CHANGES = { status: "status", providerRef: "provider_ref", checkoutUrl: "checkout_url", clientSecret: "client_secret" } as const;

// --- reads outside transactions ---------------------------------------------------------------------------------

export function createInvoiceRepository(db: Sql): InvoiceRepository {
  /** The latest invoice where `column` is `value`. */
  const latestWhere = async (column: "id" | "encounter_id" | "appointment_id", value: string) => {
    const { rows } = await db.query<InvoiceRow>(`${INVOICE_SELECT} WHERE i.${column} = $1::uuid ORDER BY i.created_at DESC LIMIT 1`, [value]);
    return rows[0] ? toInvoice(rows[0]) : null;
  };
  return {
    find: (id) => latestWhere("id", id),
    findByEncounter: (encounterId) => latestWhere("encounter_id", encounterId),
    findByAppointment: (appointmentId) => latestWhere("appointment_id", appointmentId),
    async list(filter, first, after) {
      // Absent filters are NULL parameters; each statement is planned with its values, so they cost nothing.
      const { rows } = await db.query<InvoiceRow>(
        `${INVOICE_SELECT}
          WHERE ($1::text IS NULL OR i.status = $1::text)
            AND ($2::uuid IS NULL OR i.patient_id = $2::uuid)
            AND ($3::timestamptz IS NULL OR i.created_at >= $3::timestamptz)
            AND ($4::timestamptz IS NULL OR i.created_at <= $4::timestamptz)
            AND ($5::timestamptz IS NULL OR i.created_at < $5::timestamptz OR (i.created_at = $5::timestamptz AND i.id < $6::uuid))
          ORDER BY i.created_at DESC, i.id DESC
          LIMIT $7`,
        [filter.status || null, filter.patientId || null, filter.from ?? null, filter.to ?? null, after?.createdAt ?? null, after?.id ?? null, first],
      );
      return rows.map(toInvoice);
    },
    async findSession(id) {
      const { rows } = await db.query<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM billing.payment_sessions WHERE id = $1::uuid`, [id]);
      return rows[0] ? toSession(rows[0]) : null;
    },
    async paymentsOf(invoiceId) {
      const { rows } = await db.query<PaymentRow>(`SELECT ${PAYMENT_COLUMNS} FROM billing.payments WHERE invoice_id = $1::uuid ORDER BY created_at, id`, [
        invoiceId,
      ]);
      return rows.map(toPayment);
    },
    async prepaymentsOf(appointmentId) {
      const { rows } = await db.query<PaymentRow>(
        `SELECT ${PAYMENT_COLUMNS} FROM billing.payments WHERE appointment_id = $1::uuid AND kind = 'PAYMENT' ORDER BY created_at, id`,
        [appointmentId],
      );
      return rows.map(toPayment);
    },
    async accountOf(patientId) {
      const { rows } = await db.query<{ credit: string; prepaid: string; outstanding: string }>(
        `SELECT
           COALESCE((SELECT SUM(p.credit_minor - p.credit_applied_minor - p.credit_refunded_minor)
                       FROM billing.payments p LEFT JOIN billing.appointments a ON a.appointment_id = p.appointment_id
                      WHERE p.patient_id = $1::uuid AND p.kind = 'PAYMENT'
                        AND (p.appointment_id IS NULL OR a.status IN ('FULFILLED', 'NO_SHOW'))), 0)::text AS credit,
           COALESCE((SELECT SUM(p.credit_minor - p.credit_applied_minor - p.credit_refunded_minor)
                       FROM billing.payments p LEFT JOIN billing.appointments a ON a.appointment_id = p.appointment_id
                      WHERE p.patient_id = $1::uuid AND p.kind = 'PAYMENT'
                        AND p.appointment_id IS NOT NULL AND a.status IS DISTINCT FROM 'FULFILLED' AND a.status IS DISTINCT FROM 'NO_SHOW'), 0)::text AS prepaid,
           COALESCE((SELECT SUM(total_minor - paid_minor) FROM billing.invoices
                      WHERE patient_id = $1::uuid AND status IN ('ISSUED', 'PARTIALLY_PAID') AND kind = 'INVOICE'), 0)::text AS outstanding`,
        [patientId],
      );
      const row = rows[0]!;
      return { creditMinor: Number(row.credit), prepaidMinor: Number(row.prepaid), outstandingMinor: Number(row.outstanding) };
    },
  };
}

// --- in a transaction -------------------------------------------------------------------------------------------

/** An invoice's own columns as both inserts take them ($1 … $11): id, status, kind, credit_for … visit_date. */
type InvoiceHead = Pick<
  Invoice,
  "id" | "status" | "kind" | "creditFor" | "reason" | "patientId" | "doctorId" | "encounterId" | "appointmentId" | "currency" | "visitDate"
>;
const invoiceHead = (invoice: InvoiceHead) => [
  invoice.id,
  invoice.status,
  invoice.kind ?? null,
  invoice.creditFor ?? null,
  invoice.reason ?? null,
  invoice.patientId,
  invoice.doctorId,
  invoice.encounterId,
  invoice.appointmentId,
  invoice.currency,
  invoice.visitDate,
];

/** The lines' prices as the statements take them, a column each: unit price, tax rate, net, tax, total. */
const linePrices = (lines: readonly InvoiceLine[]) => [
  lines.map((line) => line.unitPriceMinor),
  lines.map((line) => line.taxRateBp),
  lines.map((line) => line.netMinor),
  lines.map((line) => line.taxMinor),
  lines.map((line) => line.totalMinor),
];

export function createTransactionInvoices(tx: Sql): TransactionRepositories["invoices"] {
  /** The invoices locked by `lockStatement` (which selects their ids), read with their lines once locked, by id. */
  const lockedBy = async (lockStatement: string, values: readonly unknown[]): Promise<Invoice[]> => {
    const locked = await tx.query<{ id: string }>(lockStatement, values);
    if (locked.rows.length === 0) return [];
    const { rows } = await tx.query<InvoiceRow>(`${INVOICE_SELECT} WHERE i.id = ANY($1::uuid[]) ORDER BY i.id`, [locked.rows.map((row) => row.id)]);
    return rows.map(toInvoice);
  };
  const lockByEncounter = async (encounterId: string) =>
    (await lockedBy(`SELECT id FROM billing.invoices WHERE encounter_id = $1::uuid FOR UPDATE`, [encounterId]))[0] ?? null;
  return {
    async openForEncounter(invoice, now) {
      await tx.query(
        `INSERT INTO billing.invoices (id, status, kind, credit_for, reason, patient_id, doctor_id, encounter_id, appointment_id, currency, visit_date,
                                       created_at, updated_at)
         VALUES ($1::uuid, $2, COALESCE($3, 'INVOICE'), $4::uuid, $5, $6::uuid, $7::uuid, $8::uuid, $9::uuid, $10, $11::date, $12::timestamptz, $12::timestamptz)
         ON CONFLICT DO NOTHING`,
        [...invoiceHead(invoice), now],
      );
      const locked = await lockByEncounter(invoice.encounterId!);
      if (!locked) throw new Error(`the invoice of encounter ${invoice.encounterId} is missing after it was opened`);
      return locked;
    },
    async createWithLines(invoice, now) {
      // Nothing is written when a line's source key exists (a redelivery); invoice and lines are one statement.
      const { lines } = invoice;
      const { rows } = await tx.query<{ created: boolean }>(
        `WITH taken AS (SELECT 1 FROM billing.invoice_lines WHERE source_key = ANY($17::text[]) LIMIT 1),
         invoice AS (
           INSERT INTO billing.invoices (id, status, kind, credit_for, reason, patient_id, doctor_id, encounter_id, appointment_id, currency,
                                         visit_date, net_minor, tax_minor, total_minor, paid_minor, created_at, updated_at)
           SELECT $1::uuid, $2, COALESCE($3, 'INVOICE'), $4::uuid, $5, $6::uuid, $7::uuid, $8::uuid, $9::uuid, $10, $11::date,
                  $12::int, $13::int, $14::int, $15::int, $16::timestamptz, $16::timestamptz
            WHERE NOT EXISTS (SELECT 1 FROM taken)
           RETURNING id),
         lines AS (
           INSERT INTO billing.invoice_lines (id, invoice_id, source_key, service_id, description, quantity, unit_price_minor, tax_rate_bp,
                                              net_minor, tax_minor, total_minor, created_at)
           SELECT l.id, invoice.id, l.source_key, l.service_id, l.description, l.quantity, l.unit_price_minor, l.tax_rate_bp,
                  l.net_minor, l.tax_minor, l.total_minor, $16::timestamptz
             FROM invoice,
                  unnest($18::uuid[], $17::text[], $19::uuid[], $20::text[], $21::int[], $22::int[], $23::int[], $24::int[], $25::int[], $26::int[])
                    AS l(id, source_key, service_id, description, quantity, unit_price_minor, tax_rate_bp, net_minor, tax_minor, total_minor))
         SELECT EXISTS (SELECT 1 FROM invoice) AS created`,
        [
          ...invoiceHead(invoice),
          invoice.netMinor,
          invoice.taxMinor,
          invoice.totalMinor,
          invoice.paidMinor,
          now,
          lines.map((line) => line.sourceKey),
          lines.map((line) => line.id),
          lines.map((line) => line.serviceId),
          lines.map((line) => line.description),
          lines.map((line) => line.quantity),
          ...linePrices(lines),
        ],
      );
      return rows[0]!.created;
    },
    lock: async (id) => (await lockedBy(`SELECT id FROM billing.invoices WHERE id = $1::uuid FOR UPDATE`, [id]))[0] ?? null,
    lockByEncounter,
    async lockOfAppointment(appointmentId, statuses) {
      const invoices = await lockedBy(`SELECT id FROM billing.invoices WHERE appointment_id = $1::uuid AND status = ANY($2::text[]) ORDER BY id FOR UPDATE`, [
        appointmentId,
        [...statuses],
      ]);
      return invoices.filter((invoice) => statuses.includes(invoice.status));
    },
    async upsertLine(invoiceId, line, now) {
      await tx.query(
        `INSERT INTO billing.invoice_lines (id, invoice_id, source_key, service_id, description, quantity, unit_price_minor, tax_rate_bp,
                                            net_minor, tax_minor, total_minor, created_at)
         VALUES ($1::uuid, $2::uuid, $3, $4::uuid, $5, $6::int, $7::int, $8::int, $9::int, $10::int, $11::int, $12::timestamptz)
         ON CONFLICT (source_key) DO UPDATE SET service_id = EXCLUDED.service_id, description = EXCLUDED.description, quantity = EXCLUDED.quantity`,
        [
          randomUUID(),
          invoiceId,
          line.sourceKey,
          line.serviceId,
          line.description,
          line.quantity,
          line.unitPriceMinor,
          line.taxRateBp,
          line.netMinor,
          line.taxMinor,
          line.totalMinor,
          now,
        ],
      );
    },
    async save(invoice, now) {
      // The invoice and the prices of its lines, in one statement.
      const { lines } = invoice;
      await tx.query(
        `WITH invoice AS (
           UPDATE billing.invoices
              SET number = $2, status = $3, net_minor = $4::int, tax_minor = $5::int, total_minor = $6::int, paid_minor = $7::int,
                  issued_at = $8::timestamptz, updated_at = $9::timestamptz
            WHERE id = $1::uuid)
         UPDATE billing.invoice_lines l
            SET unit_price_minor = x.unit_price_minor, tax_rate_bp = x.tax_rate_bp, net_minor = x.net_minor, tax_minor = x.tax_minor,
                total_minor = x.total_minor
           FROM unnest($10::uuid[], $11::int[], $12::int[], $13::int[], $14::int[], $15::int[])
                  AS x(id, unit_price_minor, tax_rate_bp, net_minor, tax_minor, total_minor)
          WHERE l.id = x.id`,
        [
          invoice.id,
          invoice.number,
          invoice.status,
          invoice.netMinor,
          invoice.taxMinor,
          invoice.totalMinor,
          invoice.paidMinor,
          invoice.issuedAt,
          now,
          lines.map((line) => line.id),
          ...linePrices(lines),
        ],
      );
    },
    async nextNumber(year) {
      // The row stays locked until commit: concurrent issues take turns, and a rollback gives the number back.
      const { rows } = await tx.query<{ last_number: number }>(
        `INSERT INTO billing.invoice_sequences (year, last_number) VALUES ($1::int, 1)
         ON CONFLICT (year) DO UPDATE SET last_number = billing.invoice_sequences.last_number + 1
         RETURNING last_number`,
        [year],
      );
      return rows[0]!.last_number;
    },
  };
}

export function createTransactionPayments(tx: Sql): TransactionRepositories["payments"] {
  return {
    async findByKey(idempotencyKey) {
      const { rows } = await tx.query<PaymentRow>(`SELECT ${PAYMENT_COLUMNS} FROM billing.payments WHERE idempotency_key = $1`, [idempotencyKey]);
      return rows[0] ? toPayment(rows[0]) : null;
    },
    async lock(id) {
      const { rows } = await tx.query<PaymentRow>(`SELECT ${PAYMENT_COLUMNS} FROM billing.payments WHERE id = $1::uuid FOR UPDATE`, [id]);
      return rows[0] ? toPayment(rows[0]) : null;
    },
    async add(payment) {
      try {
        await tx.query(
          `INSERT INTO billing.payments (${PAYMENT_COLUMNS})
           VALUES ($1::uuid, $2, $3::uuid, $4::uuid, $5::uuid, $6, $7, $8, $9::int, $10, $11::int, $12::int, $13::int, $14::int,
                   $15::uuid, $16::uuid, $17, $18, $19::uuid, $20::timestamptz)`,
          [
            payment.id,
            payment.idempotencyKey,
            payment.invoiceId,
            payment.appointmentId ?? null,
            payment.patientId,
            payment.kind,
            payment.method,
            payment.status,
            payment.amountMinor,
            payment.currency,
            payment.creditMinor,
            payment.creditAppliedMinor ?? 0,
            payment.creditRefundedMinor ?? 0,
            payment.refundedMinor,
            payment.creditOf ?? null,
            payment.refundOf ?? null,
            payment.reason ?? null,
            payment.providerRef ?? null,
            payment.recordedBy ?? null,
            payment.createdAt,
          ],
        );
      } catch (err) {
        // The invoice's lock orders the payments of one invoice only: a payment of another invoice with the same key
        // may have committed meanwhile. That is the key reused, not a failure.
        if (isIdempotencyKeyTaken(err)) throw conflict("This idempotency key was used for another payment", "IDEMPOTENCY_KEY_REUSED", "idempotencyKey");
        throw err;
      }
    },
    async record(id, changes) {
      // Each amount is NOT NULL: a NULL parameter is a field not given, which keeps its value.
      await tx.query(
        `UPDATE billing.payments
            SET refunded_minor = COALESCE($2::int, refunded_minor),
                credit_applied_minor = COALESCE($3::int, credit_applied_minor),
                credit_refunded_minor = COALESCE($4::int, credit_refunded_minor)
          WHERE id = $1::uuid`,
        [id, changes.refundedMinor ?? null, changes.creditAppliedMinor ?? null, changes.creditRefundedMinor ?? null],
      );
    },
    async lockCreditSources(patientId, appointmentId) {
      const { rows } = await tx.query<PaymentRow>(
        `SELECT ${PAYMENT_COLUMNS_OF_P}
           FROM billing.payments p LEFT JOIN billing.appointments a ON a.appointment_id = p.appointment_id
          WHERE p.patient_id = $1::uuid AND p.kind = 'PAYMENT'
            AND p.credit_minor > p.credit_applied_minor + p.credit_refunded_minor
            AND (p.appointment_id IS NULL OR p.appointment_id = $2::uuid OR a.status IN ('FULFILLED', 'NO_SHOW'))
          ORDER BY p.id
            FOR UPDATE OF p`,
        [patientId, appointmentId],
      );
      const payments = rows.map(toPayment);
      const own = (payment: Payment) => (appointmentId !== null && payment.appointmentId === appointmentId ? 0 : 1);
      return payments.sort((a, b) => own(a) - own(b) || a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
    },
    async lockPrepayments(appointmentId) {
      // Locked in id order (as every locker of payments does), answered oldest first.
      const { rows } = await tx.query<PaymentRow>(
        `SELECT ${PAYMENT_COLUMNS}
           FROM (SELECT ${PAYMENT_COLUMNS} FROM billing.payments WHERE appointment_id = $1::uuid AND kind = 'PAYMENT' ORDER BY id FOR UPDATE) locked
          ORDER BY created_at, id`,
        [appointmentId],
      );
      return rows.map(toPayment);
    },
  };
}

export function createTransactionSessions(tx: Sql): TransactionRepositories["sessions"] {
  return {
    async findByKey(idempotencyKey) {
      const { rows } = await tx.query<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM billing.payment_sessions WHERE idempotency_key = $1`, [idempotencyKey]);
      return rows[0] ? toSession(rows[0]) : null;
    },
    async lockByProviderRef(provider, providerRef) {
      const { rows } = await tx.query<SessionRow>(
        `SELECT ${SESSION_COLUMNS} FROM billing.payment_sessions WHERE provider = $1 AND provider_ref = $2 FOR UPDATE`,
        [provider, providerRef],
      );
      return rows[0] ? toSession(rows[0]) : null;
    },
    async add(session) {
      await tx.query(
        `INSERT INTO billing.payment_sessions (${SESSION_COLUMNS}, updated_at)
         VALUES ($1::uuid, $2, $3::uuid, $4::uuid, $5::uuid, $6, $7, $8::int, $9, $10, $11, $12, $13::timestamptz, $13::timestamptz)`,
        [
          session.id,
          session.idempotencyKey,
          session.invoiceId,
          session.appointmentId ?? null,
          session.patientId,
          session.provider,
          session.providerRef,
          session.amountMinor,
          session.currency,
          session.status,
          session.checkoutUrl,
          session.clientSecret,
          session.createdAt,
        ],
      );
    },
    async record(id, changes, now) {
      // The fields given are set (null included: a Stripe session has no checkout URL); the others keep their value.
      const given = (Object.keys(SESSION_CHANGES) as (keyof typeof SESSION_CHANGES)[]).filter((field) => changes[field] !== undefined);
      await tx.query(
        `UPDATE billing.payment_sessions SET ${given.map((field, i) => `${SESSION_CHANGES[field]} = $${i + 3}`).join(", ")}${given.length > 0 ? ", " : ""}updated_at = $2::timestamptz
          WHERE id = $1::uuid`,
        [id, now, ...given.map((field) => changes[field])],
      );
    },
  };
}

/** A unique violation of payments.idempotency_key (the driver names the index or its column). */
function isIdempotencyKeyTaken(err: unknown): boolean {
  if (sqlStateOf(err) !== SQLSTATE.UNIQUE_VIOLATION) return false;
  const constraint = constraintOf(err);
  return constraint === "payments_idempotency_key_key" || constraint === "idempotency_key";
}
