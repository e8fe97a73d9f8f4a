import { describe, expect, it } from "@jest/globals";
import { existsSync, readdirSync } from "node:fs";
import { IntlMessageFormat } from "intl-messageformat";
import { NOTIFICATION_KINDS, type MessageFacts, type NotificationKind, type RenderedMessage } from "../src/domain/messages.js";
import { LANGUAGES, type Language } from "../src/domain/types.js";
import { TEMPLATES, renderMessage } from "../src/templates/index.js";
import { ACCOUNT_MESSAGE_KINDS, isAccountMessageKind } from "../src/domain/accountMessages.js";

const TEMPLATES_DIR = new URL("../src/templates/", import.meta.url);
const fileOf = (kind: NotificationKind): string => `${kind.toLowerCase().replace(/_/g, "-")}.ts`;

/** Every field of MessageFacts: a compile error here when the interface gains or loses one. */
const FACT_KEYS = {
  audience: true,
  recipientName: true,
  patientName: true,
  doctorName: true,
  serviceName: true,
  location: true,
  timezone: true,
  startsAt: true,
  previousStartsAt: true,
  offsetMinutes: true,
  status: true,
  alternatives: true,
  alternativeDoctors: true,
  changedBy: true,
  invoiceNumber: true,
  amountMinor: true,
  balanceMinor: true,
  currency: true,
  link: true,
  code: true,
  validMinutes: true,
  maskedNewEmail: true,
} as const satisfies Record<keyof MessageFacts, true>;

/** The arguments the renderer hands to templates (template.ts documents them). */
const TEMPLATE_ARGUMENTS = new Set([
  "audience",
  "recipientName",
  "hasRecipient",
  "patientName",
  "hasPatient",
  "doctorName",
  "serviceName",
  "hasService",
  "location",
  "hasLocation",
  "time",
  "timeLong",
  "previousTime",
  "previousTimeLong",
  "hasPrevious",
  "offsetUnit",
  "offsetCount",
  "status",
  "alternatives",
  "alternativesCount",
  "changedBy",
  "invoiceNumber",
  "hasInvoiceNumber",
  "total",
  "balance",
  "paidInFull",
  "link",
  "code",
  "validMinutes",
  "maskedNewEmail",
]);

/** Kinds about no visit (an invoice): they write no time, doctor, service or place, but a number and amounts. */
const UNTIMED_KINDS: readonly NotificationKind[] = ["INVOICE_ISSUED"];
/** €123.45 total, €23.45 of it still due, as each language writes it (Intl puts no-break spaces in ru and fr). */
const TOTAL: Record<Language, string> = { en: "€123.45", ko: "€123.45", ru: "123,45\u00a0€", fr: "123,45\u00a0€" };
const BALANCE: Record<Language, string> = { en: "€23.45", ko: "€23.45", ru: "23,45\u00a0€", fr: "23,45\u00a0€" };
/** Subjects and SMS/push bodies are one line: every space in them, no-break ones too, is a plain space. */
const spaced = (value: string): string => value.replace(/\s/g, " ");
/** ₩150,000 (the won has no minor unit: 150000 minor units are 150,000 won). */
const WON: Record<Language, string> = { en: "₩150,000", ko: "₩150,000", ru: "150\u00a0000\u00a0₩", fr: "150\u202f000\u00a0₩" };

const BERLIN = "Europe/Berlin";
/** Tuesday 8 December 2026, 09:30 in Berlin (CET, UTC+1). */
const DECEMBER_0930 = new Date("2026-12-08T08:30:00Z");
/** The same date in each language, as Intl writes it in a full date. */
const DECEMBER_DAY: Record<Language, string> = { en: "December 8, 2026", ko: "2026년 12월 8일", ru: "8 декабря 2026", fr: "8 décembre 2026" };

function facts(overrides: Partial<MessageFacts> = {}): MessageFacts {
  return {
    audience: "patient",
    recipientName: "Alex Morgan",
    patientName: "Sam Rivera",
    doctorName: "Kim Min-jun",
    serviceName: "Consultation",
    location: "Building B, room 214",
    timezone: BERLIN,
    startsAt: DECEMBER_0930,
    previousStartsAt: new Date("2026-12-07T13:00:00Z"),
    offsetMinutes: 60,
    status: "BOOKED",
    alternatives: [new Date("2026-12-09T13:00:00Z"), new Date("2026-12-10T09:15:00Z")],
    changedBy: "patient",
    invoiceNumber: "2026-000123",
    amountMinor: 12345,
    balanceMinor: 2345,
    currency: "EUR",
    link: "https://app.clinigraph.test/appointments/7f3c",
    ...overrides,
  };
}

/** Fact sets that between them take every branch the templates have. */
const VARIANTS: Partial<MessageFacts>[] = [
  {},
  {
    recipientName: null,
    patientName: null,
    serviceName: null,
    location: null,
    previousStartsAt: null,
    offsetMinutes: null,
    status: null,
    alternatives: [],
    changedBy: null,
    invoiceNumber: null,
  },
  { recipientName: "   ", location: "" },
  { changedBy: "doctor" },
  { changedBy: "staff" },
  { changedBy: "system" },
  { status: "PENDING" },
  { alternatives: [new Date("2026-12-09T13:00:00Z")] },
  { alternatives: [1, 2, 3, 4].map((day) => new Date(`2026-12-1${day}T10:00:00Z`)) },
  { offsetMinutes: 1440 },
  { offsetMinutes: 2880 },
  { offsetMinutes: 10080 },
  { offsetMinutes: 300 },
  { offsetMinutes: 90 },
  { offsetMinutes: 1 },
  { status: "PAID", balanceMinor: 0 },
  { status: "PARTIALLY_PAID" },
  { currency: "KRW", amountMinor: 150000, balanceMinor: 150000, status: "ISSUED" },
];

const parts = (message: RenderedMessage): [string, string][] => [
  ["subject", message.subject],
  ["text", message.text],
  ["short", message.short],
];

const zoneLongName = (language: Language, timeZone: string, date: Date): string =>
  new Intl.DateTimeFormat(language, { timeZone, timeZoneName: "long" }).formatToParts(date).find((part) => part.type === "timeZoneName")!.value;

/** Argument names an ICU message refers to, found by walking its syntax tree (element types 1 to 6 name an argument). */
function argumentNames(source: string): string[] {
  type Element = { type: number; value?: unknown; options?: Record<string, { value: Element[] }>; children?: Element[] };
  const names: string[] = [];
  const walk = (elements: Element[]): void => {
    for (const element of elements) {
      if (element.type >= 1 && element.type <= 6 && typeof element.value === "string") names.push(element.value);
      for (const option of Object.values(element.options ?? {})) walk(option.value);
      if (element.children) walk(element.children);
    }
  };
  walk(new IntlMessageFormat(source, "en", undefined, { ignoreTag: true }).getAst() as unknown as Element[]);
  return names;
}

const escape = (value: string): string =>
  value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

describe("notification templates: every kind in every language", () => {
  it.each(LANGUAGES.map((language) => [language]))("%s: one file per kind on disk under src/templates, and nothing else", (language) => {
    const dir = new URL(`${language}/`, TEMPLATES_DIR);
    expect(existsSync(dir)).toBe(true);
    const onDisk = readdirSync(dir).sort();
    const expected = NOTIFICATION_KINDS.map(fileOf).sort();
    // A kind without its file shows here as a missing entry; a stray file as an extra one.
    expect(onDisk).toEqual(expected);
  });

  it("the registry has exactly the kinds and languages", () => {
    expect(Object.keys(TEMPLATES).sort()).toEqual([...NOTIFICATION_KINDS].sort());
    for (const kind of NOTIFICATION_KINDS) expect(Object.keys(TEMPLATES[kind]).sort()).toEqual([...LANGUAGES].sort());
  });

  const pairs = NOTIFICATION_KINDS.flatMap((kind) => LANGUAGES.map((language) => [kind, language] as [NotificationKind, Language]));

  it.each(pairs)("%s in %s: the registry holds that file's template, which is translated and refers only to known arguments", async (kind, language) => {
    const module = (await import(`../src/templates/${language}/${fileOf(kind).replace(/\.ts$/, ".js")}`)) as { default: unknown };
    const template = TEMPLATES[kind][language];
    expect(module.default).toBe(template);
    for (const source of [template.subject, template.text, template.short]) {
      expect(typeof source).toBe("string");
      expect(source.trim()).not.toBe("");
      for (const name of argumentNames(source)) expect(TEMPLATE_ARGUMENTS).toContain(name);
    }
    if (language !== "en") {
      expect(template.subject).not.toBe(TEMPLATES[kind].en.subject);
      expect(template.text).not.toBe(TEMPLATES[kind].en.text);
      expect(template.short).not.toBe(TEMPLATES[kind].en.short);
    }
  });

  /** Messages about a visit or an invoice (account messages are tested on their own below). */
  const visitPairs = pairs.filter(([kind]) => !isAccountMessageKind(kind));

  it.each(visitPairs)("%s in %s renders for both audiences and every fact variant, with no placeholder left", (kind, language) => {
    for (const audience of ["patient", "doctor"] as const) {
      for (const variant of VARIANTS) {
        const input = facts({ audience, ...variant });
        const message = renderMessage(kind, language, input);
        const untimed = UNTIMED_KINDS.includes(kind);
        for (const [part, value] of parts(message)) {
          const where = `${kind}/${language}/${audience}/${part} ${JSON.stringify(variant)}`;
          expect([where, value.trim().length > 0]).toEqual([where, true]);
          expect([where, value]).not.toEqual([where, expect.stringMatching(/[{}]|undefined|null|NaN|\[object/)]);
          if (untimed) {
            // The invoice's total and (when it has one) its number; no time, zone, doctor, service or place.
            const total = input.currency === "KRW" ? WON[language] : TOTAL[language];
            expect([where, spaced(value)]).toEqual([where, expect.stringContaining(spaced(total))]);
            if (input.invoiceNumber) expect([where, value]).toEqual([where, expect.stringContaining(input.invoiceNumber)]);
            for (const absent of [DECEMBER_DAY[language], "9:30", BERLIN, "Kim Min-jun", "Consultation", "Building B"])
              expect([where, value]).not.toEqual([where, expect.stringContaining(absent)]);
          } else {
            // The time in Berlin, the zone named, and the link.
            expect([where, value]).toEqual([where, expect.stringContaining(DECEMBER_DAY[language])]);
            expect([where, value]).toEqual([where, expect.stringMatching(/\b0?9:30\b/)]);
            expect([where, value]).toEqual([where, expect.stringContaining(`(${BERLIN})`)]);
          }
        }
        expect(message.subject).not.toMatch(/\n/);
        expect(message.short).not.toMatch(/\n/);
        if (!untimed) expect(message.text).toContain(zoneLongName(language, BERLIN, DECEMBER_0930));
        expect(message.text).toContain(input.link);
        expect(message.short).toContain(input.link);
        expect(message.text).not.toMatch(/\n{3,}|[ \t]+\n|^\s|\s$/);
        expect(message.html).toMatch(/^<!DOCTYPE html>/);
        expect(message.html).toContain(`<html lang="${language}">`);
      }
    }
  });

  it("compiles each ICU message once", () => {
    const parse = IntlMessageFormat.__parse!;
    let parsed = 0;
    IntlMessageFormat.__parse = (...args: Parameters<typeof parse>) => {
      parsed += 1;
      return parse(...args);
    };
    try {
      renderMessage("FEEDBACK_REQUEST", "ko", facts());
      const afterFirst = parsed;
      for (let i = 0; i < 5; i += 1)
        renderMessage("FEEDBACK_REQUEST", "ko", facts({ doctorName: `Doctor ${i}`, startsAt: new Date(Date.UTC(2027, 0, i + 1)) }));
      expect(parsed).toBe(afterFirst);
      // The counter does see a compilation.
      new IntlMessageFormat("{x}", "en");
      expect(parsed).toBe(afterFirst + 1);
    } finally {
      IntlMessageFormat.__parse = parse;
    }
  });

  it("throws naming the kind and the language when a template is missing", () => {
    expect(() => renderMessage("APPOINTMENT_BOOKED", "de" as Language, facts())).toThrow(/APPOINTMENT_BOOKED.*\bde\b/);
    expect(() => renderMessage("NO_SUCH_KIND" as NotificationKind, "ko", facts())).toThrow(/NO_SUCH_KIND.*\bko\b/);
  });
});

describe("notification templates: wording", () => {
  it("Korean, Russian and French messages are written in those languages", () => {
    for (const kind of NOTIFICATION_KINDS.filter((k) => !isAccountMessageKind(k))) {
      for (const audience of ["patient", "doctor"] as const) {
        const input = facts({ audience });
        const en = renderMessage(kind, "en", input);
        const ko = renderMessage(kind, "ko", input);
        const ru = renderMessage(kind, "ru", input);
        const fr = renderMessage(kind, "fr", input);
        for (const [, value] of parts(en)) expect(value).not.toMatch(/[\p{Script=Hangul}\p{Script=Cyrillic}]/u);
        expect(en.text).toMatch(/^Hello Alex Morgan,/);
        for (const [part, value] of parts(ko)) {
          expect([part, value]).toEqual([part, expect.stringMatching(/\p{Script=Hangul}{2}/u)]);
          expect(value).not.toMatch(/\b(Hello|appointment|Doctor|Reminder|Bonjour)\b/i);
        }
        expect(ko.text).toMatch(/^Alex Morgan님, 안녕하세요\./);
        for (const [part, value] of parts(ru)) {
          expect([part, value]).toEqual([part, expect.stringMatching(/\p{Script=Cyrillic}{3}/u)]);
          expect(value).not.toMatch(/\b(Hello|appointment|Doctor|Reminder|Bonjour)\b/i);
        }
        expect(ru.text).toMatch(/^Здравствуйте, Alex Morgan!/);
        for (const [part, value] of parts(fr)) {
          expect([part, value]).toEqual([part, expect.stringMatching(/rendez-vous|créneau|résultat|demande|facture/i)]);
          expect(value).not.toMatch(/\b(Hello|appointment|Reminder|Здравствуйте)\b/i);
        }
        expect(fr.text).toMatch(/^Bonjour Alex Morgan,/);
        expect(fr.text).toContain("l’application");
      }
    }
  });

  it("a greeting without a name when the recipient's name is unknown", () => {
    expect(renderMessage("APPOINTMENT_BOOKED", "en", facts({ recipientName: null })).text).toMatch(/^Hello,\n\n/);
    expect(renderMessage("APPOINTMENT_BOOKED", "ko", facts({ recipientName: null })).text).toMatch(/^안녕하세요\.\n\n/);
    expect(renderMessage("APPOINTMENT_BOOKED", "ru", facts({ recipientName: null })).text).toMatch(/^Здравствуйте!\n\n/);
    expect(renderMessage("APPOINTMENT_BOOKED", "fr", facts({ recipientName: null })).text).toMatch(/^Bonjour,\n\n/);
  });

  it("doctors are told about the patient, patients about the doctor; optional details only when known", () => {
    const toDoctor = renderMessage("APPOINTMENT_REQUESTED", "en", facts({ audience: "doctor" }));
    const toPatient = renderMessage("APPOINTMENT_REQUESTED", "en", facts({ audience: "patient" }));
    expect(toDoctor.text).toContain("Sam Rivera has asked for an appointment with you.");
    expect(toDoctor.text).toContain("Patient: Sam Rivera");
    expect(toDoctor.text).not.toContain("Doctor: Kim Min-jun");
    expect(toDoctor.short).toContain("Approve or decline");
    expect(toPatient.text).toContain("Your appointment request has been sent to Kim Min-jun.");
    expect(toPatient.text).toContain("Doctor: Kim Min-jun");
    expect(toPatient.text).not.toContain("Sam Rivera");
    expect(toDoctor.subject).not.toBe(toPatient.subject);

    const bare = renderMessage("APPOINTMENT_REQUESTED", "en", facts({ audience: "doctor", patientName: null, serviceName: null, location: null }));
    expect(bare.text).toContain("A patient has asked for an appointment with you.");
    expect(bare.text).not.toMatch(/Patient:|Service:|Where:/);
    expect(renderMessage("APPOINTMENT_BOOKED", "en", facts()).text).toContain("Service: Consultation\nWhere: Building B, room 214");
    expect(renderMessage("APPOINTMENT_BOOKED", "ru", facts()).text).toContain("Услуга: Consultation\nМесто: Building B, room 214");
  });

  it("SMS and push bodies carry the time, the place and the link but no service name", () => {
    for (const kind of NOTIFICATION_KINDS) {
      for (const language of LANGUAGES) {
        for (const audience of ["patient", "doctor"] as const) {
          const { short } = renderMessage(kind, language, facts({ audience, serviceName: "Colonoscopy" }));
          expect(short).not.toContain("Colonoscopy");
          expect(short).not.toContain("Sam Rivera");
        }
      }
    }
    expect(renderMessage("APPOINTMENT_BOOKED", "en", facts()).short).toContain("Building B, room 214");
    expect(renderMessage("APPOINTMENT_REMINDER", "ko", facts()).short).toContain("Building B, room 214");
  });

  it.each([
    [60, { en: "in 1 hour", ko: "1시간 후", ru: "через час", fr: "dans une heure" }],
    [120, { en: "in 2 hours", ko: "2시간 후", ru: "через 2 часа", fr: "dans 2 heures" }],
    [300, { en: "in 5 hours", ko: "5시간 후", ru: "через 5 часов", fr: "dans 5 heures" }],
    [1260, { en: "in 21 hours", ko: "21시간 후", ru: "через 21 час", fr: "dans 21 heures" }],
    [1440, { en: "in 24 hours", ko: "24시간 후", ru: "через 24 часа", fr: "dans 24 heures" }],
    [2880, { en: "in 2 days", ko: "2일 후", ru: "через 2 дня", fr: "dans 2 jours" }],
    [7200, { en: "in 5 days", ko: "5일 후", ru: "через 5 дней", fr: "dans 5 jours" }],
    [30, { en: "in 30 minutes", ko: "30분 후", ru: "через 30 минут", fr: "dans 30 minutes" }],
    [1, { en: "in 1 minute", ko: "1분 후", ru: "через 1 минуту", fr: "dans 1 minute" }],
    [2, { en: "in 2 minutes", ko: "2분 후", ru: "через 2 минуты", fr: "dans 2 minutes" }],
    [90, { en: "in 90 minutes", ko: "90분 후", ru: "через 90 минут", fr: "dans 90 minutes" }],
  ] as [number, Record<Language, string>][])("a reminder %i minutes before says how long in each language", (offsetMinutes, expected) => {
    for (const language of LANGUAGES) {
      const message = renderMessage("APPOINTMENT_REMINDER", language, facts({ offsetMinutes }));
      expect(message.subject).toContain(expected[language]);
      expect(message.text).toContain(expected[language]);
      expect(message.short).toContain(expected[language]);
    }
  });

  it("a reminder without an offset says it is soon", () => {
    expect(renderMessage("APPOINTMENT_REMINDER", "en", facts({ offsetMinutes: null })).text).toContain("is coming up soon.");
    expect(renderMessage("APPOINTMENT_REMINDER", "ru", facts({ offsetMinutes: 0 })).short).toContain("приём скоро");
  });

  it("a rejection lists up to 3 other times in the doctor's zone, or asks to pick another time", () => {
    const four = [10, 11, 12, 13].map((day) => new Date(`2026-12-${day}T13:00:00Z`));
    const listed = renderMessage("APPOINTMENT_REJECTED", "en", facts({ alternatives: four }));
    const lines = listed.text.split("\n").filter((line) => line.startsWith("• "));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^• Thursday, December 10, 2026 at 2:00\sPM \(Europe\/Berlin\)$/);
    expect(lines[2]).toContain("December 12, 2026");
    expect(listed.text).not.toContain("December 13");
    expect(listed.text).toContain("Other free times with the same doctor:");

    const one = renderMessage("APPOINTMENT_REJECTED", "fr", facts({ alternatives: [four[0]!] }));
    expect(one.text).toContain("Autre créneau disponible chez le même médecin :\n\n• jeudi 10 décembre 2026 à 14:00 (Europe/Berlin)");

    const none = renderMessage("APPOINTMENT_REJECTED", "en", facts({ alternatives: [] }));
    expect(none.text).not.toContain("•");
    expect(none.text).toContain("Please choose another time in the app: https://app.clinigraph.test/appointments/7f3c");
    expect(renderMessage("APPOINTMENT_REJECTED", "ru", facts({ alternatives: undefined })).text).toContain("выберите другое время в приложении");
  });

  it("a waiting-list offer says whether the time is booked or waits for the doctor", () => {
    const booked = renderMessage("WAITLIST_OFFER", "en", facts({ status: "BOOKED" }));
    const pending = renderMessage("WAITLIST_OFFER", "en", facts({ status: "PENDING" }));
    expect(booked.text).toContain("we have booked it for you");
    expect(booked.subject).toContain("is booked for you");
    expect(pending.text).toContain("awaits the doctor's confirmation");
    expect(pending.short).toContain("awaiting the doctor's confirmation");
    expect(pending.text).not.toContain("booked it for you");
    // An unknown status is never told as booked.
    expect(renderMessage("WAITLIST_OFFER", "en", facts({ status: null })).text).toBe(pending.text);
    expect(renderMessage("WAITLIST_OFFER", "en", facts({ status: "SOMETHING" })).text).toBe(pending.text);
    expect(renderMessage("WAITLIST_OFFER", "en", facts({ audience: "doctor", status: "PENDING" })).text).toContain("awaits your approval");
    expect(renderMessage("WAITLIST_OFFER", "ru", facts({ status: "BOOKED" })).text).toContain("мы записали вас на приём");
    expect(renderMessage("WAITLIST_OFFER", "ru", facts({ status: "PENDING" })).text).toContain("ждёт подтверждения врача");
  });

  it("a cancellation or a move says who made it, worded for the reader", () => {
    const cancelled = (audience: "patient" | "doctor", changedBy: MessageFacts["changedBy"], language: Language = "en") =>
      renderMessage("APPOINTMENT_CANCELLED", language, facts({ audience, changedBy })).text;
    expect(cancelled("patient", "patient")).toContain("You have cancelled your appointment.");
    expect(cancelled("patient", "doctor")).toContain("Kim Min-jun has cancelled your appointment.");
    expect(cancelled("patient", "staff")).toContain("The clinic has cancelled your appointment.");
    expect(cancelled("patient", "system")).toContain("Your appointment has been cancelled automatically.");
    expect(cancelled("patient", null)).toContain("Your appointment has been cancelled.");
    expect(cancelled("doctor", "patient")).toContain("Sam Rivera has cancelled their appointment with you.");
    expect(cancelled("doctor", "doctor")).toContain("You have cancelled an appointment.");
    expect(cancelled("doctor", "staff")).toContain("Clinic staff have cancelled one of your appointments.");
    expect(cancelled("patient", "doctor", "ru")).toContain("Врач отменил ваш приём.");
    expect(cancelled("doctor", "patient", "fr")).toContain("Sam Rivera a annulé son rendez-vous avec vous.");
    expect(cancelled("patient", "staff", "ko")).toContain("병원에서 진료 예약을 취소했습니다.");

    const moved = renderMessage("APPOINTMENT_RESCHEDULED", "en", facts({ changedBy: "doctor" }));
    expect(moved.text).toContain("Kim Min-jun has rescheduled your appointment.");
    expect(moved.text).toMatch(
      /Previous time: Monday, December 7, 2026 at 2:00\sPM, Central European Standard Time \(Europe\/Berlin\)\nNew time: Tuesday, December 8, 2026/,
    );
    expect(moved.short).toMatch(
      /^Appointment moved from Monday, December 7, 2026 at 2:00\sPM \(Europe\/Berlin\) to Tuesday, December 8, 2026 at 9:30\sAM \(Europe\/Berlin\)\./,
    );
    const movedWithoutPrevious = renderMessage("APPOINTMENT_RESCHEDULED", "fr", facts({ previousStartsAt: null }));
    expect(movedWithoutPrevious.text).not.toContain("Ancienne date");
    expect(movedWithoutPrevious.short).toMatch(/^Rendez-vous déplacé au mardi 8 décembre 2026 à 09:30 \(Europe\/Berlin\)\./);
  });

  it("an examination result message names neither the result nor the examination", () => {
    for (const language of LANGUAGES) {
      for (const audience of ["patient", "doctor"] as const) {
        const message = renderMessage("EXAMINATION_RESULT_READY", language, facts({ audience, serviceName: "HIV antibody test" }));
        for (const [, value] of parts(message)) expect(value).not.toContain("HIV");
        expect(message.html).not.toContain("HIV");
      }
    }
  });
});

describe("notification templates: invoices", () => {
  it("an issued invoice says its number, its total and the balance due, in the language's currency format", () => {
    const link = "https://app.clinigraph.test/invoices/9a1e";
    const en = renderMessage("INVOICE_ISSUED", "en", facts({ status: "ISSUED", link }));
    expect(en.subject).toBe("Your invoice 2026-000123 is ready: total €123.45");
    expect(en.text).toBe(
      `Hello Alex Morgan,\n\nYour invoice 2026-000123 is ready.\n\nTotal: €123.45\nBalance due: €23.45\n\nSee it and pay it in the app: ${link}`,
    );
    expect(en.short).toBe(`Your invoice 2026-000123 is ready: total €123.45 (balance due €23.45). See it and pay it in the app: ${link}`);
    for (const language of LANGUAGES) {
      const message = renderMessage("INVOICE_ISSUED", language, facts({ status: "PARTIALLY_PAID", link }));
      expect(message.text).toContain(TOTAL[language]);
      expect(message.text).toContain(BALANCE[language]);
      for (const value of [message.subject, message.short]) expect(value).toContain(spaced(TOTAL[language]));
      expect(message.short).toContain(spaced(BALANCE[language]));
      expect(message.html).toContain(`<a href="${link}">${link}</a>`);
    }
    expect(renderMessage("INVOICE_ISSUED", "ru", facts({ link })).text).toContain("К оплате: 23,45\u00a0€");
    expect(renderMessage("INVOICE_ISSUED", "fr", facts({ link })).text).toContain("Reste à payer : 23,45\u00a0€");
    expect(renderMessage("INVOICE_ISSUED", "ko", facts({ link })).text).toContain("납부하실 금액: €23.45");
  });

  it("a paid invoice says so instead of a balance", () => {
    for (const language of LANGUAGES) {
      // The status decides: a PAID invoice states no balance, whatever amount came with it.
      const paid = renderMessage("INVOICE_ISSUED", language, facts({ status: "PAID", balanceMinor: 4321 }));
      const due = renderMessage("INVOICE_ISSUED", language, facts({ status: "ISSUED", balanceMinor: 4321 }));
      for (const [, value] of parts(paid)) expect(value).not.toMatch(/43[.,]21/);
      expect(due.text).toMatch(/43[.,]21/);
      expect(paid.text).toContain(TOTAL[language]);
    }
    const en = renderMessage("INVOICE_ISSUED", "en", facts({ status: "PAID", balanceMinor: 0 }));
    expect(en.text).toContain("It has already been paid: nothing is due.");
    expect(en.text).not.toMatch(/Balance due|pay it/);
    expect(en.short).toContain("(already paid)");
    expect(renderMessage("INVOICE_ISSUED", "ru", facts({ status: "PAID" })).short).toContain("(уже оплачен)");
    expect(renderMessage("INVOICE_ISSUED", "fr", facts({ status: "PAID" })).short).toContain("(déjà réglée)");
    expect(renderMessage("INVOICE_ISSUED", "ko", facts({ status: "PAID" })).short).toContain("(결제 완료)");
  });

  it("amounts use the currency's fraction digits: none for the won, three for the Bahraini dinar", () => {
    for (const language of LANGUAGES) {
      const won = renderMessage("INVOICE_ISSUED", language, facts({ currency: "KRW", amountMinor: 150000, balanceMinor: 150000 }));
      expect(won.text).toContain(WON[language]);
    }
    expect(renderMessage("INVOICE_ISSUED", "en", facts({ currency: "BHD", amountMinor: 12345, balanceMinor: 5 })).text).toMatch(
      /Total: BHD\s12\.345\nBalance due: BHD\s0\.005/,
    );
    expect(renderMessage("INVOICE_ISSUED", "en", facts({ currency: "USD", amountMinor: 100000, balanceMinor: 100000 })).subject).toContain("$1,000.00");
  });

  it("an invoice without a number still reads well; a malformed currency fails naming it", () => {
    const bare = renderMessage("INVOICE_ISSUED", "en", facts({ invoiceNumber: null }));
    expect(bare.subject).toBe("Your invoice is ready: total €123.45");
    expect(bare.text).toContain("\n\nYour invoice is ready.\n\n");
    expect(() => renderMessage("INVOICE_ISSUED", "en", facts({ currency: "EURO" }))).toThrow(/currency "EURO"/);
  });
});

describe("notification templates: HTML", () => {
  const hostile = facts({
    recipientName: "Tom & Jerry",
    doctorName: `<script>alert("x")</script>`,
    location: "Room <5> 'east'",
    link: `https://app.clinigraph.test/appointments/1?a=1&b="2"`,
  });

  it("escapes every interpolated value and builds paragraphs and the link", () => {
    for (const language of LANGUAGES) {
      const message = renderMessage("APPOINTMENT_REMINDER", language, hostile);
      expect(message.html).not.toContain("<script>");
      expect(message.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
      expect(message.html).toContain("Tom &amp; Jerry");
      expect(message.html).toContain("Room &lt;5&gt; &#39;east&#39;");
      expect(message.html).toContain(
        `<a href="https://app.clinigraph.test/appointments/1?a=1&amp;b=&quot;2&quot;">https://app.clinigraph.test/appointments/1?a=1&amp;b=&quot;2&quot;</a>`,
      );
      // The plain text keeps the values as they are; the HTML has one <p> per paragraph of it.
      expect(message.text).toContain(`<script>alert("x")</script>`);
      expect(message.html.match(/<p>/g)).toHaveLength(message.text.split("\n\n").length);
      expect(message.html).toContain(`<title>${escape(message.subject)}</title>`);
      // No markup but the document's own.
      const tags = message.html.match(/<[^>]*>/g) ?? [];
      for (const tag of tags) expect(tag).toMatch(/^<(!DOCTYPE html|\/?(html|head|body|title|p|a)\b[^<]*|br|meta [^<]*)>$/);
    }
  });

  it("lines of a paragraph become <br>; a link that is not a web address stays text", () => {
    const message = renderMessage("APPOINTMENT_BOOKED", "en", facts({ link: "javascript:alert(1)" }));
    expect(message.html).toContain("Doctor: Kim Min-jun<br>\nService: Consultation");
    expect(message.html).not.toContain("<a ");
    expect(message.html).toContain("javascript:alert(1)");
  });
});

describe("notification templates: time zones and daylight saving", () => {
  it("a reminder the day Berlin leaves summer time shows the new local hour and zone", () => {
    // 25 October 2026, clocks go back at 01:00 UTC: 08:30 UTC is 09:30 CET (it was 10:30 CEST the day before).
    const after = renderMessage("APPOINTMENT_REMINDER", "en", facts({ startsAt: new Date("2026-10-25T08:30:00Z"), offsetMinutes: 1440 }));
    expect(after.subject).toMatch(/in 24 hours – Sunday, October 25, 2026 at 9:30\sAM \(Europe\/Berlin\)/);
    expect(after.text).toMatch(/Sunday, October 25, 2026 at 9:30\sAM, Central European Standard Time \(Europe\/Berlin\)/);
    expect(after.short).toMatch(/9:30\sAM/);
    expect(after.text).not.toMatch(/10:30/);
    const before = renderMessage("APPOINTMENT_REMINDER", "en", facts({ startsAt: new Date("2026-10-24T08:30:00Z") }));
    expect(before.text).toMatch(/Saturday, October 24, 2026 at 10:30\sAM, Central European Summer Time \(Europe\/Berlin\)/);

    const fr = renderMessage("APPOINTMENT_REMINDER", "fr", facts({ startsAt: new Date("2026-10-25T08:30:00Z"), offsetMinutes: 60 }));
    expect(fr.text).toContain("dimanche 25 octobre 2026 à 09:30, heure normale d’Europe centrale (Europe/Berlin)");
    const ru = renderMessage("APPOINTMENT_REMINDER", "ru", facts({ startsAt: new Date("2026-10-25T08:30:00Z"), offsetMinutes: 60 }));
    expect(ru.short).toContain("воскресенье, 25 октября 2026 г. в 09:30 (Europe/Berlin)");
    const ko = renderMessage("APPOINTMENT_REMINDER", "ko", facts({ startsAt: new Date("2026-10-25T08:30:00Z"), offsetMinutes: 60 }));
    expect(ko.short).toMatch(/2026년 10월 25일 일요일 \S*\s?9:30 \(Europe\/Berlin\)/);
  });

  it("a reminder the day New York enters summer time shows the new local hour and zone", () => {
    // 8 March 2026, clocks go forward at 07:00 UTC: 13:30 UTC is 09:30 EDT (it was 08:30 EST the day before).
    const after = renderMessage("APPOINTMENT_REMINDER", "en", facts({ timezone: "America/New_York", startsAt: new Date("2026-03-08T13:30:00Z") }));
    expect(after.text).toMatch(/Sunday, March 8, 2026 at 9:30\sAM, Eastern Daylight Time \(America\/New_York\)/);
    expect(after.short).toMatch(/Sunday, March 8, 2026 at 9:30\sAM \(America\/New_York\)/);
    const before = renderMessage("APPOINTMENT_REMINDER", "en", facts({ timezone: "America/New_York", startsAt: new Date("2026-03-07T13:30:00Z") }));
    expect(before.text).toMatch(/Saturday, March 7, 2026 at 8:30\sAM, Eastern Standard Time \(America\/New_York\)/);
  });

  it("a move across the change keeps each time in its own offset", () => {
    // 09:30 local both days: 07:30 UTC in summer time, 08:30 UTC in winter time.
    const moved = renderMessage(
      "APPOINTMENT_RESCHEDULED",
      "fr",
      facts({ previousStartsAt: new Date("2026-10-24T07:30:00Z"), startsAt: new Date("2026-10-26T08:30:00Z") }),
    );
    expect(moved.text).toContain("Ancienne date : samedi 24 octobre 2026 à 09:30, heure d’été d’Europe centrale (Europe/Berlin)");
    expect(moved.text).toContain("Nouvelle date : lundi 26 octobre 2026 à 09:30, heure normale d’Europe centrale (Europe/Berlin)");
    const rejected = renderMessage("APPOINTMENT_REJECTED", "en", facts({ alternatives: [new Date("2026-10-24T07:30:00Z"), new Date("2026-10-26T08:30:00Z")] }));
    expect(rejected.text).toMatch(/• Saturday, October 24, 2026 at 9:30\sAM \(Europe\/Berlin\)\n• Monday, October 26, 2026 at 9:30\sAM \(Europe\/Berlin\)/);
  });

  it("the same instant is written in each doctor's own zone", () => {
    const seoul = renderMessage("APPOINTMENT_BOOKED", "ko", facts({ timezone: "Asia/Seoul" }));
    expect(seoul.short).toMatch(/2026년 12월 8일 화요일 \S*\s?5:30 \(Asia\/Seoul\)/);
    const moscow = renderMessage("APPOINTMENT_BOOKED", "ru", facts({ timezone: "Europe/Moscow" }));
    expect(moscow.short).toContain("вторник, 8 декабря 2026 г. в 11:30 (Europe/Moscow)");
  });
});

describe("notification templates: facts", () => {
  it("reads no field beyond MessageFacts and writes nothing it was not meant to", () => {
    for (const kind of NOTIFICATION_KINDS) {
      for (const language of LANGUAGES) {
        for (const audience of ["patient", "doctor"] as const) {
          const read = new Set<PropertyKey>();
          let enumerated = false;
          const smuggled = { ...facts({ audience }), diagnosis: "SECRET-DIAGNOSIS", reason: "SECRET-REASON" } as MessageFacts;
          const watched = new Proxy(smuggled, {
            get(target, key, receiver) {
              read.add(key);
              return Reflect.get(target, key, receiver);
            },
            has(target, key) {
              read.add(key);
              return Reflect.has(target, key);
            },
            ownKeys(target) {
              enumerated = true;
              return Reflect.ownKeys(target);
            },
          });
          const message = renderMessage(kind, language, watched);
          for (const key of read)
            expect([kind, language, String(key), Object.keys(FACT_KEYS).includes(String(key))]).toEqual([kind, language, String(key), true]);
          expect(enumerated).toBe(false);
          for (const value of [...parts(message).map(([, v]) => v), message.html]) expect(value).not.toMatch(/SECRET/);
        }
      }
    }
  });
});

describe("account message templates (e-mail change)", () => {
  const accountPairs = ACCOUNT_MESSAGE_KINDS.flatMap((kind) => LANGUAGES.map((language) => [kind, language] as [NotificationKind, Language]));
  const SCRIPT: Record<Language, RegExp> = { en: /[A-Za-z]{3}/, ko: /\p{Script=Hangul}{2}/u, ru: /\p{Script=Cyrillic}{3}/u, fr: /[A-Za-zé]{3}/ };

  it.each(accountPairs)("%s in %s: the code and its validity (never in the subject), the masked address, no placeholder left", (kind, language) => {
    const input = facts({ code: "493817", validMinutes: 30, maskedNewEmail: "n******@example.org" });
    const message = renderMessage(kind, language, input);
    for (const [part, value] of parts(message)) {
      expect([part, value]).not.toEqual([part, expect.stringMatching(/[{}]|undefined|null|NaN|\[object/)]);
      expect([part, value]).toEqual([part, expect.stringMatching(SCRIPT[language])]);
    }
    expect(message.subject).not.toContain("493817");
    expect(message.subject).not.toMatch(/\n/);
    if (kind === "EMAIL_CHANGE_CODE") {
      expect(message.text).toContain("493817");
      expect(message.text).toMatch(/\b30\b/);
      expect(message.short).toContain("493817");
    } else expect(message.text).not.toContain("493817");
    if (kind === "EMAIL_CHANGED") expect(message.text).toContain("n******@example.org");
    expect(message.html).toContain(`<html lang="${language}">`);
    if (language !== "en") expect(message.text).not.toBe(renderMessage(kind, "en", input).text);
  });
});
