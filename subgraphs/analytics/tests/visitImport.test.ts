/**
 * Importing visits from a CSV, without a database: how the file is cut into lines and rows (BOM, CRLF, quoted
 * fields, chunk boundaries, malformed lines), every rule a row is checked against, and what the import makes of the
 * rows — the facts written in batches, line numbers, skipped and rejected rows, the header and who may import.
 */
import { describe, expect, it } from "@jest/globals";
import { DomainError, type Logger } from "@clinigraph/platform";
import { importVisits, importVisitsCsv, MAX_CSV_BYTES } from "../src/domain/importVisits.js";
import { CatalogueUnavailable, type Catalogue, type ImportedFactRepository } from "../src/domain/ports.js";
import { createPseudonyms } from "../src/domain/pseudonyms.js";
import type { AppointmentChange } from "../src/domain/types.js";
import { checkVisitRow, isVisitHeader, LineSplitter, parseLines, VISIT_CSV_HEADER, type CsvLine, type VisitRules } from "../src/domain/visitCsv.js";

const CHECKUP_ID = "d0c5e700-0000-4000-8000-000000000001";
const ECG_ID = "d0c5e700-0000-4000-8000-00000000000e";
const RULES: VisitRules = {
  specialtyCodes: new Set(["GP", "CARD"]),
  services: new Map([
    ["GENERAL_CHECKUP", { id: CHECKUP_ID }],
    ["PROC_ECG", { id: ECG_ID }],
  ]),
  currency: "EUR",
};
const GOOD = ["v-1", "2026-03-04", "CARD", "PROC_ECG", "FULFILLED", "4500", "EUR", "5"];

function split(chunks: string[], maxChars?: number): CsvLine[] {
  const splitter = new LineSplitter(maxChars);
  const out: CsvLine[] = [];
  for (const chunk of chunks) splitter.push(chunk, out);
  splitter.end(out);
  return out;
}

describe("lines", () => {
  it("are numbered from the header on, without their LF or CRLF, whatever the chunks", () => {
    const text = "\ufeffh\r\na,b\r\n\r\nc\nlast";
    const whole = split([text]);
    expect(whole).toEqual([
      { line: 1, text: "h" },
      { line: 2, text: "a,b" },
      { line: 3, text: "" },
      { line: 4, text: "c" },
      { line: 5, text: "last" },
    ]);
    // Every way of cutting the text in two (a CRLF or the BOM cut in half included) gives the same lines.
    for (let at = 0; at <= text.length; at++) expect(split([text.slice(0, at), text.slice(at)])).toEqual(whole);
    expect(split([...text])).toEqual(whole);
  });

  it("end with the text (a final line break adds no line); a BOM is skipped only at the start", () => {
    expect(split(["a\n"])).toEqual([{ line: 1, text: "a" }]);
    expect(split([""])).toEqual([]);
    expect(split(["", "\ufeffa\n\ufeffb"])).toEqual([
      { line: 1, text: "a" },
      { line: 2, text: "\ufeffb" },
    ]);
  });

  it("over the limit are reported without their text, and the next line is read as usual", () => {
    const long = "x".repeat(25);
    expect(split([`a\n${long.slice(0, 10)}`, long.slice(10), `\nb\n${long}`], 20)).toEqual([
      { line: 1, text: "a" },
      { line: 2, text: null },
      { line: 3, text: "b" },
      { line: 4, text: null },
    ]);
  });
});

describe("fields", () => {
  const lines = (...texts: string[]) => texts.map((text, i) => ({ line: i + 2, text }));

  it("are read as RFC 4180 says: quoted fields with commas and doubled quotes, empty fields", () => {
    expect(parseLines(lines('"v,1","say ""hi""",,x', "a,b"))).toEqual([
      { line: 2, fields: ["v,1", 'say "hi"', "", "x"], problem: null },
      { line: 3, fields: ["a", "b"], problem: null },
    ]);
  });

  it("of a malformed line are refused for that line alone; the lines around it are read", () => {
    expect(parseLines(lines("a,b", 'a,"b', 'a,"b"c', 'a,b"c', "c,d"))).toEqual([
      { line: 2, fields: ["a", "b"], problem: null },
      { line: 3, fields: null, problem: "a quoted field is not closed on its line" },
      { line: 4, fields: null, problem: "a closing quote must be followed by a comma or the end of the line" },
      { line: 5, fields: null, problem: "a quote inside an unquoted field (quote the whole field and double the quotes inside it)" },
      { line: 6, fields: ["c", "d"], problem: null },
    ]);
  });

  it("never run over a line break: a quoted field cut by one refuses both lines", () => {
    const parsed = parseLines(lines("a,b", '"x', 'y",c', "d,e"));
    expect(parsed.map((p) => [p.line, p.fields])).toEqual([
      [2, ["a", "b"]],
      [3, null],
      [4, null],
      [5, ["d", "e"]],
    ]);
  });

  it("of the header are exactly the columns, quoted or not", () => {
    expect(isVisitHeader(VISIT_CSV_HEADER)).toBe(true);
    expect(
      isVisitHeader(
        VISIT_CSV_HEADER.split(",")
          .map((name) => `"${name}"`)
          .join(","),
      ),
    ).toBe(true);
    expect(isVisitHeader(`${VISIT_CSV_HEADER},extra`)).toBe(false);
    expect(isVisitHeader("visit_date,source_id,specialty_code,service_code,status,amount_minor,currency,rating")).toBe(false);
    expect(isVisitHeader(VISIT_CSV_HEADER.toUpperCase())).toBe(false);
    expect(isVisitHeader(` ${VISIT_CSV_HEADER}`)).toBe(false);
    expect(isVisitHeader('" OR ""="')).toBe(false);
  });
});

describe("a row", () => {
  const row = (patch: Record<number, string>) => checkVisitRow(Object.assign([...GOOD], patch), RULES);

  it("that keeps every rule becomes a visit, with the service's id", () => {
    expect(checkVisitRow(GOOD, RULES)).toEqual({
      sourceId: "v-1",
      visitDate: "2026-03-04",
      specialtyCode: "CARD",
      serviceCode: "PROC_ECG",
      serviceId: ECG_ID,
      status: "FULFILLED",
      amountMinor: 4500,
      currency: "EUR",
      rating: 5,
    });
    expect(row({ 4: "NO_SHOW", 5: "", 6: "", 7: "" })).toMatchObject({ status: "NO_SHOW", amountMinor: null, currency: null, rating: null });
    expect(row({ 4: "CANCELLED", 5: "0" })).toMatchObject({ status: "CANCELLED", amountMinor: 0 });
    expect(row({ 0: "x".repeat(200), 5: "2147483647", 7: "1" })).toMatchObject({ amountMinor: 2_147_483_647, rating: 1 });
    expect(row({ 0: "Ünïcode id 病院 #7", 1: "2024-02-29" })).toMatchObject({ sourceId: "Ünïcode id 病院 #7", visitDate: "2024-02-29" });
  });

  it("needs 8 fields", () => {
    expect(checkVisitRow(GOOD.slice(0, 7), RULES)).toBe("expected 8 fields, found 7");
    expect(checkVisitRow([...GOOD, ""], RULES)).toBe("expected 8 fields, found 9");
  });

  it("needs a source_id: not blank, at most 200 characters, one line of text", () => {
    expect(row({ 0: "" })).toBe("source_id is empty");
    expect(row({ 0: "   " })).toBe("source_id is empty");
    expect(row({ 0: "x".repeat(201) })).toBe("source_id is longer than 200 characters");
    for (const bad of ["a\u0000b", "a\tb", "a\nb", "esc\u001b[2J", "bidi\u202e", "half \ud83d", "bad byte \ufffd"])
      expect(row({ 0: bad })).toBe("source_id must be one line of text without control characters (and the file UTF-8)");
  });

  it("needs a real visit day, YYYY-MM-DD, from 1900 on", () => {
    for (const bad of ["2026-02-29", "2026-13-01", "2026-3-4", "04.03.2026", "2026-03-04T10:00", "", "20260304"])
      expect(row({ 1: bad })).toBe("visit_date must be a day, YYYY-MM-DD");
    expect(row({ 1: "1899-12-31" })).toBe("visit_date must not be before 1900-01-01");
    expect(row({ 1: "0000-01-01" })).toBe("visit_date must not be before 1900-01-01");
  });

  it("needs a specialty and a service of the catalogue, by code (exactly)", () => {
    expect(row({ 2: "NEURO" })).toBe("specialty_code is not a specialty code of the doctors catalogue");
    expect(row({ 2: "card" })).toBe("specialty_code is not a specialty code of the doctors catalogue");
    expect(row({ 3: "IMG_MRI" })).toBe("service_code is not a service code of the doctors catalogue");
    expect(row({ 3: " PROC_ECG" })).toBe("service_code is not a service code of the doctors catalogue");
  });

  it("needs a status of a visit that is over", () => {
    for (const bad of ["BOOKED", "PENDING", "fulfilled", ""]) expect(row({ 4: bad })).toBe("status must be FULFILLED, NO_SHOW or CANCELLED");
  });

  it("takes an amount in whole minor units of the clinic's currency, both or neither", () => {
    for (const bad of ["-1", "45.00", "1e3", "2147483648", "99999999999", " 45"])
      expect(row({ 5: bad })).toBe("amount_minor must be a whole number of minor units, 0 to 2147483647");
    expect(row({ 6: "USD" })).toBe("currency must be the clinic's, EUR");
    expect(row({ 6: "" })).toBe("amount_minor and currency go together: give both or neither");
    expect(row({ 5: "" })).toBe("amount_minor and currency go together: give both or neither");
  });

  it("takes a rating from 1 to 5", () => {
    for (const bad of ["0", "6", "4.5", "five", "05"]) expect(row({ 7: bad })).toBe("rating must be a whole number from 1 to 5");
  });

  it("that breaks several rules says each", () => {
    expect(row({ 0: "", 4: "BOOKED", 7: "9" })).toBe(
      "source_id is empty; status must be FULFILLED, NO_SHOW or CANCELLED; rating must be a whole number from 1 to 5",
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The import, against an in-memory store

const pseudonyms = createPseudonyms("k".repeat(32));
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } as unknown as Logger;

function fakes(options: { catalogueDown?: boolean } = {}) {
  const stored = new Map<string, AppointmentChange>();
  const batches: number[] = [];
  const imports: ImportedFactRepository = {
    async insertNew(changes) {
      batches.push(changes.length);
      let inserted = 0;
      for (const change of changes)
        if (!stored.has(change.sourceId!)) {
          stored.set(change.sourceId!, change);
          inserted++;
        }
      return inserted;
    },
  };
  const down = () => Promise.reject(new CatalogueUnavailable("doctors unreachable"));
  const catalogue: Catalogue = {
    doctor: async () => null,
    service: async () => null,
    specialtyCodes: options.catalogueDown ? down : async () => RULES.specialtyCodes,
    servicesByCode: options.catalogueDown ? down : async () => new Map([...RULES.services].map(([code, { id }]) => [code, { id, durationMinutes: 15 }])),
    schedule: async () => null,
    doctorIds: async () => [],
  };
  const deps = { imports, catalogue, pseudonyms, settings: { timezone: "Europe/Berlin", currency: "EUR", minCell: 5 }, logger: silent };
  return { deps, stored, batches };
}

const csv = (...rows: string[]) => [VISIT_CSV_HEADER, ...rows].join("\r\n") + "\r\n";
const refusal = async (promise: Promise<unknown>) => {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return { code: (err as DomainError).code, field: (err as DomainError).field, message: (err as DomainError).message };
};

describe("importVisits", () => {
  it("writes each good row as a booked IMPORT fact on its day, and reports each bad row by line", async () => {
    const { deps, stored } = fakes();
    const text =
      "\ufeff" +
      csv(
        "v-1,2026-07-01,CARD,PROC_ECG,FULFILLED,4500,EUR,5",
        '"v,2",2026-01-15,GP,GENERAL_CHECKUP,NO_SHOW,,,',
        "",
        "v-3,2026-02-30,GP,GENERAL_CHECKUP,FULFILLED,,,",
        '"v-4 ""quoted""",2026-01-16,GP,GENERAL_CHECKUP,CANCELLED,,,1',
        'v-5,"2026-01-17,GP',
        "v-6,2026-01-18,GP,GENERAL_CHECKUP,BOOKED,,,",
      );
    const report = await importVisits(deps, [text]);
    expect(report).toEqual({
      imported: 3,
      skipped: 0,
      rejected: [
        { line: 5, reason: "visit_date must be a day, YYYY-MM-DD" },
        { line: 7, reason: "a quoted field is not closed on its line" },
        { line: 8, reason: "status must be FULFILLED, NO_SHOW or CANCELLED" },
      ],
      rejectedCount: 3,
    });
    expect([...stored.keys()]).toEqual(["v-1", "v,2", 'v-4 "quoted"']);
    // Midnight in Berlin, summer time: 22:00 UTC the day before.
    const dayStart = new Date("2026-06-30T22:00:00.000Z");
    expect(stored.get("v-1")).toEqual({
      appointmentKey: pseudonyms.imported("v-1"),
      source: "IMPORT",
      sourceId: "v-1",
      patientKey: null,
      doctorId: null,
      specialtyCode: "CARD",
      serviceId: ECG_ID,
      serviceCode: "PROC_ECG",
      location: null,
      visitDate: "2026-07-01",
      startsAt: null,
      endsAt: null,
      requestedAt: dayStart,
      answeredAt: null,
      bookedAt: dayStart,
      checkedInAt: null,
      needsApproval: false,
      status: "FULFILLED",
      statusAt: dayStart,
      statusEventId: "import",
      rating: 5,
      amountMinor: 4500,
      currency: "EUR",
    });
    expect(stored.get("v,2")).toMatchObject({ visitDate: "2026-01-15", bookedAt: new Date("2026-01-14T23:00:00.000Z"), status: "NO_SHOW", rating: null });
  });

  it("reads UTF-8 bytes in chunks of any size, a character cut between two chunks included", async () => {
    const { deps, stored } = fakes();
    const bytes = new TextEncoder().encode(
      "\ufeff" + csv("Ünï-1,2026-03-04,GP,GENERAL_CHECKUP,FULFILLED,,,", "病院-2,2026-03-05,GP,GENERAL_CHECKUP,FULFILLED,,,"),
    );
    const chunks = async function* () {
      for (let at = 0; at < bytes.length; at += 3) yield bytes.subarray(at, at + 3);
    };
    expect(await importVisits(deps, chunks())).toMatchObject({ imported: 2, rejectedCount: 0 });
    expect([...stored.keys()]).toEqual(["Ünï-1", "病院-2"]);
  });

  it("skips a source_id seen before, in this file or an earlier import, and writes in batches", async () => {
    const { deps, batches } = fakes();
    const rows = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `v-${from + i},2026-03-04,GP,GENERAL_CHECKUP,FULFILLED,,,`);
    expect(await importVisits(deps, [csv(...rows(0, 5), "v-0,2026-03-09,GP,GENERAL_CHECKUP,NO_SHOW,,,")], { batchRows: 2 })).toEqual({
      imported: 5,
      skipped: 1,
      rejected: [],
      rejectedCount: 0,
    });
    expect(batches).toEqual([2, 2, 2]);
    expect(await importVisits(deps, [csv(...rows(3, 8))], { batchRows: 2 })).toMatchObject({ imported: 3, skipped: 2 });
  });

  it("lists the first rejected rows and counts them all", async () => {
    const { deps } = fakes();
    const bad = Array.from({ length: 30 }, (_, i) => `b-${i},2026-03-04,XX,GENERAL_CHECKUP,FULFILLED,,,`);
    const report = await importVisits(deps, [csv(...bad)], { listRejected: 10, batchRows: 7 });
    expect(report.rejectedCount).toBe(30);
    expect(report.rejected.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it("refuses a file without the header before writing anything (BAD_USER_INPUT)", async () => {
    for (const text of ["", "\r\n" + csv("v-1,2026-03-04,GP,GENERAL_CHECKUP,FULFILLED,,,"), "v-1,2026-03-04,GP,GENERAL_CHECKUP,FULFILLED,,,\n", '" OR ""="']) {
      const { deps, stored } = fakes();
      expect(await refusal(importVisits(deps, [text]))).toEqual({
        code: "BAD_USER_INPUT",
        field: "csv",
        message: `The first line must be the header ${VISIT_CSV_HEADER}`,
      });
      expect(stored.size).toBe(0);
    }
    const { deps } = fakes();
    expect(await importVisits(deps, [VISIT_CSV_HEADER])).toEqual({ imported: 0, skipped: 0, rejected: [], rejectedCount: 0 });
  });

  it("answers SERVICE_UNAVAILABLE when the doctors catalogue does not", async () => {
    const { deps } = fakes({ catalogueDown: true });
    expect((await refusal(importVisits(deps, [csv()]))).code).toBe("SERVICE_UNAVAILABLE");
  });

  it("stops on a write that fails, with that error", async () => {
    const { deps } = fakes();
    let calls = 0;
    deps.imports = {
      insertNew: async (changes) => {
        if (++calls === 2) throw new Error("disk full");
        return changes.length;
      },
    };
    const rows = Array.from({ length: 9 }, (_, i) => `v-${i},2026-03-04,GP,GENERAL_CHECKUP,FULFILLED,,,`);
    await expect(importVisits(deps, [csv(...rows)], { batchRows: 2 })).rejects.toThrow("disk full");
  });
});

describe("importVisitsCsv", () => {
  it("is for administrators, and for a CSV of at most 512 KiB", async () => {
    const { deps } = fakes();
    for (const role of ["PATIENT", "DOCTOR", "RECEPTIONIST", "BILLING", "STAKEHOLDER"] as const)
      expect((await refusal(importVisitsCsv(deps, { userId: "u", role }, csv()))).code).toBe("FORBIDDEN");
    const big = csv() + "x".repeat(MAX_CSV_BYTES);
    expect(await refusal(importVisitsCsv(deps, { userId: "u", role: "ADMIN" }, big))).toMatchObject({ code: "BAD_USER_INPUT", field: "csv" });
    expect(await importVisitsCsv(deps, { userId: "u", role: "ADMIN" }, csv("v-1,2026-03-04,GP,GENERAL_CHECKUP,FULFILLED,,,"))).toMatchObject({ imported: 1 });
  });
});
