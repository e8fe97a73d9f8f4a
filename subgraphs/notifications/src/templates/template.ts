/**
 * The shape of one message template (one kind in one language) and the arguments every template may use.
 *
 * Each template is three ICU MessageFormat strings (https://unicode-org.github.io/icu/userguide/format_parse/messages/):
 * - `subject`: the e-mail subject line;
 * - `text`: the e-mail body as plain text, paragraphs separated by one blank line (the HTML version is built from it);
 * - `short`: the SMS and web push body: the time, the place when known, and the link (for an invoice: its number,
 *   amounts and link). No names of services.
 *
 * Arguments (all always present; the `has*` ones are "yes" or "no" so that a template can `select` on them):
 * - `audience`: "patient" | "doctor"
 * - `recipientName`, `hasRecipient`; `patientName`, `hasPatient`; `doctorName`;
 *   `serviceName`, `hasService`; `location`, `hasLocation`
 * - `time`: the start in the doctor's time zone with the IANA zone id, e.g. "Sunday, October 25, 2026 at 9:30 AM (Europe/Berlin)"
 * - `timeLong`: the same with the zone's long name (summer or standard time) too, e.g. "Sunday, October 25, 2026 at 9:30 AM, Central European Standard Time (Europe/Berlin)"
 * - `previousTime`, `previousTimeLong`, `hasPrevious`: APPOINTMENT_RESCHEDULED, the start before the move
 * - `offsetUnit` ("day" | "hour" | "minute" | "none") and `offsetCount` (a number, for `plural`): APPOINTMENT_REMINDER
 * - `status`: "BOOKED" or "PENDING" (WAITLIST_OFFER; anything but BOOKED counts as PENDING)
 * - `alternatives` (one line per time, each with the zone) and `alternativesCount` (0 to 3): APPOINTMENT_REJECTED;
 *   APPOINTMENT_NEEDS_REBOOKING (times of other doctors of the same specialty, each line ending with the doctor's name)
 * - `changedBy`: "patient" | "doctor" | "staff" | "system" | "unknown" (APPOINTMENT_CANCELLED, APPOINTMENT_RESCHEDULED)
 * - `invoiceNumber`, `hasInvoiceNumber`: INVOICE_ISSUED, the invoice's number (e.g. 2026-000123)
 * - `total`, `balance`: INVOICE_ISSUED, the invoice's total and what is still due, in the language's currency format
 *   (e.g. "€123.45", "123,45 €", "₩150,000")
 * - `paidInFull`: "yes" when the invoice's status is PAID (nothing is due), else "no" (INVOICE_ISSUED)
 * - `link`: where the recipient sees the appointment (or the examination, or the invoice) in the web app
 * - `code`, `validMinutes` (a number, for `plural`): EMAIL_CHANGE_CODE, the 6-digit code and how long it is valid;
 *   never in a `subject` (the delivery log keeps subjects)
 * - `maskedNewEmail`: EMAIL_CHANGED, the new address masked (e.g. "a*****@example.org")
 *
 * A literal apostrophe must not stand right before `{` (ICU would quote the brace); French uses the typographic ’.
 */
export interface MessageTemplate {
  readonly subject: string;
  readonly text: string;
  readonly short: string;
}
