/**
 * Fees for appointments that did not take place, if the clinic charges them (both off by default): a cancellation
 * by the patient less than LATE_CANCELLATION_HOURS before the start, and a no-show. Each is an invoice of its own
 * with one line at the configured amount, issued at once (numbered like every invoice). A redelivered event adds
 * nothing (the line's source key names the appointment).
 */
import { dayIn } from "@clinigraph/platform";
import { randomUUID } from "node:crypto";
import type { Deps } from "./deps.js";
import { issueLocked } from "./issue.js";
import { lineAmounts } from "./money.js";
import type { TransactionRepositories } from "./ports.js";
import type { Invoice } from "./types.js";

export interface FeeEventFacts {
  appointmentId: string;
  patientId: string;
  doctorId: string;
  startsAt: string;
  actorId: string | null;
}

/** The fee an appointment event earns under the settings, or null. */
export function feeFor(
  type: string,
  data: FeeEventFacts,
  eventTime: Date,
  fees: Deps["settings"]["fees"],
): { kind: "late-cancellation" | "no-show"; description: string; amountMinor: number } | null {
  if (type === "AppointmentNoShow" && fees.noShowMinor > 0) return { kind: "no-show", description: "No-show fee", amountMinor: fees.noShowMinor };
  if (type === "AppointmentCancelled" && fees.lateCancellationMinor > 0 && data.actorId === data.patientId) {
    const hoursBefore = (Date.parse(data.startsAt) - eventTime.getTime()) / 3_600_000;
    if (hoursBefore < fees.lateCancellationHours)
      return {
        kind: "late-cancellation",
        description: `Late cancellation fee (less than ${fees.lateCancellationHours} h before)`,
        amountMinor: fees.lateCancellationMinor,
      };
  }
  return null;
}

/** Writes and issues the fee invoice inside the event's transaction. */
export async function chargeFee(
  tx: TransactionRepositories,
  settings: Deps["settings"],
  data: FeeEventFacts,
  fee: NonNullable<ReturnType<typeof feeFor>>,
  now: Date,
): Promise<Invoice | null> {
  const amounts = lineAmounts(fee.amountMinor, 1, 0);
  const invoice = {
    id: randomUUID(),
    status: "DRAFT" as const,
    patientId: data.patientId,
    doctorId: data.doctorId,
    encounterId: null,
    appointmentId: data.appointmentId,
    currency: settings.currency,
    visitDate: dayIn(new Date(data.startsAt), settings.timezone),
    ...amounts,
    paidMinor: 0,
    lines: [
      {
        id: randomUUID(),
        sourceKey: `${fee.kind}:${data.appointmentId}`,
        serviceId: null,
        description: fee.description,
        quantity: 1,
        unitPriceMinor: fee.amountMinor,
        taxRateBp: 0,
        ...amounts,
      },
    ],
  };
  if (!(await tx.invoices.createWithLines(invoice, now))) return null;
  const draft = await tx.invoices.lock(invoice.id);
  const outcome = await issueLocked(tx, settings, draft!, now);
  return outcome.invoice;
}
