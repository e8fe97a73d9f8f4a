/**
 * A year of another system's visits as `pnpm analytics:import <file.csv>` reads them, written as a stream (nothing is
 * kept in memory): shared by `bench:analytics-import`, which times the import, and `bench:analytics`, which seeds its
 * history with it.
 *
 * The year is 2026: `doctors` doctors' worth of visits every weekday, each doctor of one specialty of the reference
 * catalogue (the doctors subgraph's seed) and each visit one of that specialty's services; 70 % FULFILLED, 15 %
 * NO_SHOW, 15 % CANCELLED, an amount on fulfilled visits, a rating on half of them, some quoted ids, CRLF line ends.
 * Every `rejectEvery`-th row is broken (an unknown specialty, a bad day, a bad status, a lone currency, in turn). The
 * rows are the same for the same options (a fixed pseudo-random seed).
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";

/** The reference catalogue's specialties (codes) and the services each visit of them may be. */
export const SPECIALTY_SERVICES: Record<string, string[]> = {
  GP: ["GP_CONSULT", "GENERAL_CHECKUP", "FOLLOW_UP_CONSULT", "PROC_VACCINATION", "LAB_BLOOD"],
  CARD: ["SPECIALIST_CONSULT", "PROC_ECG", "LAB_LIPID_PANEL", "FOLLOW_UP_CONSULT"],
  DERM: ["SPECIALIST_CONSULT", "PROC_SKIN_BIOPSY", "FOLLOW_UP_CONSULT"],
  OBGYN: ["PRENATAL_CHECKUP", "IMG_ULTRASOUND", "OP_CSECTION", "SPECIALIST_CONSULT"],
  RAD: ["IMG_XRAY", "IMG_ULTRASOUND", "IMG_CT", "IMG_MRI"],
  PED: ["WELL_CHILD_CHECKUP", "PROC_VACCINATION", "GP_CONSULT"],
  NEURO: ["SPECIALIST_CONSULT", "IMG_MRI", "FOLLOW_UP_CONSULT"],
  ORTHO: ["SPECIALIST_CONSULT", "IMG_XRAY", "FOLLOW_UP_CONSULT"],
  SURG: ["SPECIALIST_CONSULT", "OP_APPENDECTOMY", "FOLLOW_UP_CONSULT"],
  OPHTH: ["SPECIALIST_CONSULT", "OP_CATARACT", "FOLLOW_UP_CONSULT"],
  ENT: ["SPECIALIST_CONSULT", "FOLLOW_UP_CONSULT"],
  LAB: ["LAB_BLOOD", "LAB_URINE", "LAB_LIPID_PANEL"],
};
export const SERVICE_CODES = [...new Set(Object.values(SPECIALTY_SERVICES).flat())];
/** The year the visits are in. */
export const VISITS_YEAR = 2026;

const HEADER = "source_id,visit_date,specialty_code,service_code,status,amount_minor,currency,rating";
const BROKEN = (id: string, day: string) => [
  `${id},${day},NOT_A_SPECIALTY,GP_CONSULT,FULFILLED,,,`,
  `${id},${day.slice(0, 8)}31x,GP,GP_CONSULT,FULFILLED,,,`,
  `${id},${day},GP,GP_CONSULT,BOOKED,,,`,
  `${id},${day},GP,GP_CONSULT,FULFILLED,,EUR,`,
];

/** The weekdays of the year (YYYY-MM-DD). */
export function weekdays(year = VISITS_YEAR): string[] {
  const days: string[] = [];
  for (let at = Date.UTC(year, 0, 1); at < Date.UTC(year + 1, 0, 1); at += 86_400_000) {
    const day = new Date(at);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) days.push(day.toISOString().slice(0, 10));
  }
  return days;
}

export interface VisitsCsvOptions {
  rows: number;
  doctors: number;
  /** One broken row in this many (0: none). */
  rejectEvery: number;
}

/** What the file holds: the broken rows, and the good ones counted by status, specialty and service code. */
export interface VisitsCsvCounts {
  broken: number;
  good: number;
  byStatus: Record<string, number>;
  bySpecialty: Record<string, number>;
  byService: Record<string, number>;
}

const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

/** Writes the file as a stream; what it holds. */
export async function writeVisitsCsv(file: string, options: VisitsCsvOptions): Promise<VisitsCsvCounts> {
  const days = weekdays();
  const specialties = Object.keys(SPECIALTY_SERVICES);
  const doctors = Array.from({ length: options.doctors }, (_, i) => specialties[i % specialties.length]!);
  const out = createWriteStream(file);
  const counts: VisitsCsvCounts = { broken: 0, good: 0, byStatus: {}, bySpecialty: {}, byService: {} };
  let chunk = `${HEADER}\r\n`;
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  for (let i = 0; i < options.rows; i++) {
    const day = days[Math.floor((i / options.rows) * days.length)]!;
    const specialty = doctors[i % doctors.length]!;
    const services = SPECIALTY_SERVICES[specialty]!;
    const id = i % 10 === 0 ? `"legacy ${i}, ""A"""` : `legacy-${i}`;
    if (options.rejectEvery > 0 && i % options.rejectEvery === options.rejectEvery - 1) {
      chunk += `${BROKEN(id, day)[counts.broken++ % 4]}\r\n`;
    } else {
      const draw = random();
      const status = draw < 0.7 ? "FULFILLED" : draw < 0.85 ? "NO_SHOW" : "CANCELLED";
      const amount = status === "FULFILLED" ? `${4_000 + Math.floor(random() * 12_000)},EUR` : ",";
      const rating = status === "FULFILLED" && random() < 0.5 ? String(1 + Math.floor(random() * 5)) : "";
      const service = services[i % services.length]!;
      chunk += `${id},${day},${specialty},${service},${status},${amount},${rating}\r\n`;
      counts.good++;
      bump(counts.byStatus, status);
      bump(counts.bySpecialty, specialty);
      bump(counts.byService, service);
    }
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
  return counts;
}
