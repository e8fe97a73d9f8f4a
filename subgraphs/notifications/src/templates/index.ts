/**
 * Renders a notification in the recipient's language from the ICU MessageFormat templates beside this file
 * (`<language>/<kind-in-kebab-case>.ts`, one per kind and language; see template.ts for the arguments they use).
 *
 * Every time is written in the doctor's time zone (`facts.timezone`) with the zone named. Dates are formatted here with
 * Intl (so daylight-saving changes come out right) and handed to the templates as strings; so are amounts of money,
 * from minor units with the currency's own fraction digits, in the language's currency format. The HTML e-mail body is
 * built from the plain text: everything in it is HTML-escaped, paragraphs become <p>, and the link becomes an <a>.
 * Each ICU message is compiled once, on first use.
 */
import { IntlMessageFormat } from "intl-messageformat";
import type { ChangedBy, MessageFacts, NotificationKind, RenderedMessage, Renderer } from "../domain/messages.js";
import type { Language } from "../domain/types.js";
import type { MessageTemplate } from "./template.js";

import enAppointmentRequested from "./en/appointment-requested.js";
import koAppointmentRequested from "./ko/appointment-requested.js";
import ruAppointmentRequested from "./ru/appointment-requested.js";
import frAppointmentRequested from "./fr/appointment-requested.js";
import enAppointmentBooked from "./en/appointment-booked.js";
import koAppointmentBooked from "./ko/appointment-booked.js";
import ruAppointmentBooked from "./ru/appointment-booked.js";
import frAppointmentBooked from "./fr/appointment-booked.js";
import enAppointmentRejected from "./en/appointment-rejected.js";
import koAppointmentRejected from "./ko/appointment-rejected.js";
import ruAppointmentRejected from "./ru/appointment-rejected.js";
import frAppointmentRejected from "./fr/appointment-rejected.js";
import enAppointmentRescheduled from "./en/appointment-rescheduled.js";
import koAppointmentRescheduled from "./ko/appointment-rescheduled.js";
import ruAppointmentRescheduled from "./ru/appointment-rescheduled.js";
import frAppointmentRescheduled from "./fr/appointment-rescheduled.js";
import enAppointmentCancelled from "./en/appointment-cancelled.js";
import koAppointmentCancelled from "./ko/appointment-cancelled.js";
import ruAppointmentCancelled from "./ru/appointment-cancelled.js";
import frAppointmentCancelled from "./fr/appointment-cancelled.js";
import enHoldExpired from "./en/hold-expired.js";
import koHoldExpired from "./ko/hold-expired.js";
import ruHoldExpired from "./ru/hold-expired.js";
import frHoldExpired from "./fr/hold-expired.js";
import enWaitlistOffer from "./en/waitlist-offer.js";
import koWaitlistOffer from "./ko/waitlist-offer.js";
import ruWaitlistOffer from "./ru/waitlist-offer.js";
import frWaitlistOffer from "./fr/waitlist-offer.js";
import enAppointmentReminder from "./en/appointment-reminder.js";
import koAppointmentReminder from "./ko/appointment-reminder.js";
import ruAppointmentReminder from "./ru/appointment-reminder.js";
import frAppointmentReminder from "./fr/appointment-reminder.js";
import enExaminationResultReady from "./en/examination-result-ready.js";
import koExaminationResultReady from "./ko/examination-result-ready.js";
import ruExaminationResultReady from "./ru/examination-result-ready.js";
import frExaminationResultReady from "./fr/examination-result-ready.js";
import enFeedbackRequest from "./en/feedback-request.js";
import koFeedbackRequest from "./ko/feedback-request.js";
import ruFeedbackRequest from "./ru/feedback-request.js";
import frFeedbackRequest from "./fr/feedback-request.js";
import enInvoiceIssued from "./en/invoice-issued.js";
import koInvoiceIssued from "./ko/invoice-issued.js";
import ruInvoiceIssued from "./ru/invoice-issued.js";
import frInvoiceIssued from "./fr/invoice-issued.js";
import enAppointmentNeedsRebooking from "./en/appointment-needs-rebooking.js";
import koAppointmentNeedsRebooking from "./ko/appointment-needs-rebooking.js";
import ruAppointmentNeedsRebooking from "./ru/appointment-needs-rebooking.js";
import frAppointmentNeedsRebooking from "./fr/appointment-needs-rebooking.js";
import enEmailChangeCode from "./en/email-change-code.js";
import koEmailChangeCode from "./ko/email-change-code.js";
import ruEmailChangeCode from "./ru/email-change-code.js";
import frEmailChangeCode from "./fr/email-change-code.js";
import enEmailChangeTaken from "./en/email-change-taken.js";
import koEmailChangeTaken from "./ko/email-change-taken.js";
import ruEmailChangeTaken from "./ru/email-change-taken.js";
import frEmailChangeTaken from "./fr/email-change-taken.js";
import enEmailChanged from "./en/email-changed.js";
import koEmailChanged from "./ko/email-changed.js";
import ruEmailChanged from "./ru/email-changed.js";
import frEmailChanged from "./fr/email-changed.js";

export type { MessageTemplate } from "./template.js";

/** Every kind in every language, imported statically: a kind or language without its file does not compile. */
export const TEMPLATES: { readonly [K in NotificationKind]: { readonly [L in Language]: MessageTemplate } } = {
  APPOINTMENT_REQUESTED: { en: enAppointmentRequested, ko: koAppointmentRequested, ru: ruAppointmentRequested, fr: frAppointmentRequested },
  APPOINTMENT_BOOKED: { en: enAppointmentBooked, ko: koAppointmentBooked, ru: ruAppointmentBooked, fr: frAppointmentBooked },
  APPOINTMENT_REJECTED: { en: enAppointmentRejected, ko: koAppointmentRejected, ru: ruAppointmentRejected, fr: frAppointmentRejected },
  APPOINTMENT_RESCHEDULED: { en: enAppointmentRescheduled, ko: koAppointmentRescheduled, ru: ruAppointmentRescheduled, fr: frAppointmentRescheduled },
  APPOINTMENT_CANCELLED: { en: enAppointmentCancelled, ko: koAppointmentCancelled, ru: ruAppointmentCancelled, fr: frAppointmentCancelled },
  HOLD_EXPIRED: { en: enHoldExpired, ko: koHoldExpired, ru: ruHoldExpired, fr: frHoldExpired },
  WAITLIST_OFFER: { en: enWaitlistOffer, ko: koWaitlistOffer, ru: ruWaitlistOffer, fr: frWaitlistOffer },
  APPOINTMENT_REMINDER: { en: enAppointmentReminder, ko: koAppointmentReminder, ru: ruAppointmentReminder, fr: frAppointmentReminder },
  EXAMINATION_RESULT_READY: { en: enExaminationResultReady, ko: koExaminationResultReady, ru: ruExaminationResultReady, fr: frExaminationResultReady },
  FEEDBACK_REQUEST: { en: enFeedbackRequest, ko: koFeedbackRequest, ru: ruFeedbackRequest, fr: frFeedbackRequest },
  INVOICE_ISSUED: { en: enInvoiceIssued, ko: koInvoiceIssued, ru: ruInvoiceIssued, fr: frInvoiceIssued },
  APPOINTMENT_NEEDS_REBOOKING: {
    en: enAppointmentNeedsRebooking,
    ko: koAppointmentNeedsRebooking,
    ru: ruAppointmentNeedsRebooking,
    fr: frAppointmentNeedsRebooking,
  },
  EMAIL_CHANGE_CODE: { en: enEmailChangeCode, ko: koEmailChangeCode, ru: ruEmailChangeCode, fr: frEmailChangeCode },
  EMAIL_CHANGE_TAKEN: { en: enEmailChangeTaken, ko: koEmailChangeTaken, ru: ruEmailChangeTaken, fr: frEmailChangeTaken },
  EMAIL_CHANGED: { en: enEmailChanged, ko: koEmailChanged, ru: ruEmailChanged, fr: frEmailChanged },
};

type Part = keyof MessageTemplate;
type Arguments = Record<string, string | number>;

/** Stands for the link while the HTML body is built, so that only the template's link becomes an <a>. */
const LINK_MARK = "\u{E000}link\u{E001}";

const compiled = new Map<string, IntlMessageFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const moneyFormats = new Map<string, Intl.NumberFormat>();

function templateFor(kind: NotificationKind, language: Language): MessageTemplate {
  // Kind and language are typed, but they come from events and stored preferences: check them at run time too.
  const byLanguage = (TEMPLATES as Partial<Record<string, Partial<Record<string, MessageTemplate>>>>)[kind];
  const template = byLanguage?.[language];
  if (!template) throw new Error(`notifications: no message template for kind ${kind} in language ${language}`);
  return template;
}

function compiledMessage(kind: NotificationKind, language: Language, part: Part, source: string): IntlMessageFormat {
  const key = `${kind}\u0000${language}\u0000${part}`;
  let message = compiled.get(key);
  if (!message) {
    try {
      // ignoreTag: a "<" in a template is text, not a rich-text tag.
      message = new IntlMessageFormat(source, language, undefined, { ignoreTag: true });
    } catch (err) {
      throw new Error(`notifications: the ${part} of template ${kind} in language ${language} is not valid ICU MessageFormat: ${(err as Error).message}`, {
        cause: err,
      });
    }
    compiled.set(key, message);
  }
  return message;
}

function format(kind: NotificationKind, language: Language, part: Part, source: string, args: Arguments): string {
  try {
    const out = compiledMessage(kind, language, part, source).format(args);
    return Array.isArray(out) ? out.join("") : String(out);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith("notifications:")) throw err;
    throw new Error(`notifications: formatting the ${part} of template ${kind} in language ${language} failed: ${(err as Error).message}`, { cause: err });
  }
}

function cachedFormat(language: Language, timeZone: string, style: "dateTime" | "zoneName"): Intl.DateTimeFormat {
  const key = `${language}\u0000${timeZone}\u0000${style}`;
  let dtf = dateTimeFormats.get(key);
  if (!dtf) {
    dtf =
      style === "dateTime"
        ? new Intl.DateTimeFormat(language, { dateStyle: "full", timeStyle: "short", timeZone })
        : new Intl.DateTimeFormat(language, { timeZone, timeZoneName: "long" });
    dateTimeFormats.set(key, dtf);
  }
  return dtf;
}

/** A start in the doctor's zone: `short` names the IANA zone, `long` also the zone's name in the language (summer or standard time). */
function formatTime(date: Date, language: Language, timeZone: string): { short: string; long: string } {
  const dateTime = cachedFormat(language, timeZone, "dateTime").format(date);
  const zoneName = cachedFormat(language, timeZone, "zoneName")
    .formatToParts(date)
    .find((part) => part.type === "timeZoneName")?.value;
  const short = `${dateTime} (${timeZone})`;
  return { short, long: zoneName && zoneName !== timeZone ? `${dateTime}, ${zoneName} (${timeZone})` : short };
}

/** How long before the start a reminder goes: whole days, else whole hours, else minutes. */
function reminderOffset(minutes: number | null | undefined): { offsetUnit: string; offsetCount: number } {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes) || minutes <= 0) return { offsetUnit: "none", offsetCount: 0 };
  const whole = Math.round(minutes);
  if (whole % 1440 === 0) return { offsetUnit: "day", offsetCount: whole / 1440 };
  if (whole % 60 === 0) return { offsetUnit: "hour", offsetCount: whole / 60 };
  return { offsetUnit: "minute", offsetCount: whole };
}

/**
 * An amount in minor units of an ISO 4217 currency, in the language's currency format: the currency's fraction
 * digits (2 for EUR, 0 for KRW, 3 for BHD) turn minor units into the amount. Empty when amount or currency is unknown.
 */
function formatMoney(minor: number | null | undefined, currency: string | null | undefined, language: Language): string {
  if (minor === null || minor === undefined || !Number.isFinite(minor) || !currency) return "";
  const key = `${language}\u0000${currency}`;
  let nf = moneyFormats.get(key);
  if (!nf) {
    try {
      nf = new Intl.NumberFormat(language, { style: "currency", currency });
    } catch (err) {
      throw new Error(`notifications: cannot write amounts in currency ${JSON.stringify(currency)}: ${(err as Error).message}`, { cause: err });
    }
    moneyFormats.set(key, nf);
  }
  const digits = nf.resolvedOptions().maximumFractionDigits ?? 2;
  return nf.format(minor / 10 ** digits);
}

const CHANGED_BY: readonly ChangedBy[] = ["patient", "doctor", "staff", "system"];
const yesNo = (value: string | null | undefined): string => (value !== null && value !== undefined && value.trim() !== "" ? "yes" : "no");

/** The template arguments (see template.ts). Reads only the fields of MessageFacts. */
function messageArguments(language: Language, facts: MessageFacts): Arguments {
  const { audience, recipientName, patientName, doctorName, serviceName, location, timezone, startsAt, previousStartsAt, offsetMinutes, status } = facts;
  const { alternatives, alternativeDoctors, changedBy, invoiceNumber, amountMinor, balanceMinor, currency, link } = facts;
  const { code, validMinutes, maskedNewEmail } = facts;
  const start = formatTime(startsAt, language, timezone);
  const previous = previousStartsAt ? formatTime(previousStartsAt, language, timezone) : null;
  const others = (alternatives ?? []).slice(0, 3).map((date, i) => {
    const doctor = alternativeDoctors?.[i];
    return `• ${formatTime(date, language, timezone).short}${doctor ? ` — ${doctor}` : ""}`;
  });
  return {
    audience: audience === "doctor" ? "doctor" : "patient",
    recipientName: recipientName ?? "",
    hasRecipient: yesNo(recipientName),
    patientName: patientName ?? "",
    hasPatient: yesNo(patientName),
    doctorName,
    serviceName: serviceName ?? "",
    hasService: yesNo(serviceName),
    location: location ?? "",
    hasLocation: yesNo(location),
    time: start.short,
    timeLong: start.long,
    previousTime: previous?.short ?? "",
    previousTimeLong: previous?.long ?? "",
    hasPrevious: previous ? "yes" : "no",
    ...reminderOffset(offsetMinutes),
    status: status === "BOOKED" ? "BOOKED" : "PENDING",
    alternatives: others.join("\n"),
    alternativesCount: others.length,
    changedBy: changedBy && CHANGED_BY.includes(changedBy) ? changedBy : "unknown",
    invoiceNumber: invoiceNumber ?? "",
    hasInvoiceNumber: yesNo(invoiceNumber),
    total: formatMoney(amountMinor, currency, language),
    balance: formatMoney(balanceMinor, currency, language),
    paidInFull: status === "PAID" ? "yes" : "no",
    link,
    code: code ?? "",
    validMinutes: validMinutes ?? 30,
    maskedNewEmail: maskedNewEmail ?? "",
  };
}

/** One line of text: subjects and SMS/push bodies never carry a line break. */
const oneLine = (text: string): string => text.replace(/\s+/g, " ").trim();

/** Paragraphs separated by exactly one blank line, no trailing spaces. */
const paragraphs = (text: string): string =>
  text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();

function escapeHtml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function linkHtml(link: string): string {
  const text = escapeHtml(link);
  // Only web addresses become links; anything else (e.g. a javascript: URL) stays text.
  return /^https?:\/\//i.test(link) ? `<a href="${text}">${text}</a>` : text;
}

function htmlDocument(language: Language, subject: string, textWithMark: string, link: string): string {
  const body = textWithMark
    .split("\n\n")
    .map((paragraph) => `<p>${paragraph.split("\n").map(escapeHtml).join("<br>\n").split(LINK_MARK).join(linkHtml(link))}</p>`)
    .join("\n");
  return [
    "<!DOCTYPE html>",
    `<html lang="${language}">`,
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>`,
    `<body style="font-family: sans-serif; line-height: 1.5">`,
    body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}

export const renderMessage: Renderer = (kind, language, facts): RenderedMessage => {
  const template = templateFor(kind, language);
  const args = messageArguments(language, facts);
  const subject = oneLine(format(kind, language, "subject", template.subject, args));
  const text = paragraphs(format(kind, language, "text", template.text, args));
  const short = oneLine(format(kind, language, "short", template.short, args));
  const textWithMark = paragraphs(format(kind, language, "text", template.text, { ...args, link: LINK_MARK }));
  return { subject, text, html: htmlDocument(language, subject, textWithMark, String(args.link)), short };
};
