/**
 * pnpm analytics:import <file.csv>
 *
 * Imports visits from another system into analytics: the CSV, rules and report of the importVisitsCsv mutation, for a
 * file of any size. The file is read as a stream and written in batches, each its own transaction (an interrupted
 * import keeps what it wrote; running it again skips that). A progress bar on stderr (a terminal only) shows rows per
 * second; the report goes to stdout, with the first rejected rows by line.
 *
 * Reads what the analytics service reads — DATABASE_URL, CLINIGRAPH_ROUTER_SECRETS and ANALYTICS_PSEUDONYM_KEY (the
 * same keys: the same pseudonyms), CLINIC_TIMEZONE, CLINIC_CURRENCY, and DOCTORS_URL (default: the doctors port on
 * this host), whose public catalogue checks the codes. Exit code 0 once the file is imported (rejected rows
 * included), 1 when the import failed, 2 on wrong usage or configuration; errors are one line, no stack trace.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { ConfigError, DomainError, type Env } from "@clinigraph/platform";
import { loadAnalyticsConfig } from "../config.js";
import { createDoctorsCatalogue } from "../data/doctorsCatalogue.js";
import { createImportedFactRepository } from "../data/importRepository.js";
import { createPrisma } from "../data/prisma.js";
import { createStatusRepository } from "../data/statusRepository.js";
import { importVisits, type ImportProgress, type ImportReport } from "../domain/importVisits.js";
import type { Catalogue } from "../domain/ports.js";
import { createPseudonyms } from "../domain/pseudonyms.js";
import { int, oneLine } from "./output.js";

export const USAGE =
  "usage: pnpm analytics:import <file.csv>   (environment: that of the analytics service — DATABASE_URL, CLINIGRAPH_ROUTER_SECRETS, DOCTORS_URL…)";
/** Rejected rows the report prints (all are counted). */
export const PRINTED_REJECTS = 100;

export interface ImportCommandOptions {
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Replaces the doctors client built from DOCTORS_URL (benchmarks). */
  catalogue?: Catalogue;
  /** Told the report once the file is imported (benchmarks). */
  onReport?: (report: ImportReport) => void;
}

export async function runImportCommand(argv: readonly string[], env: Env, options: ImportCommandOptions = {}): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const fail = (code: number, message: string) => {
    stderr.write(`analytics:import: ${message}\n`);
    return code;
  };

  let file: string;
  try {
    const { positionals, values } = parseArgs({
      args: argv.filter((arg) => arg !== "--"),
      options: { help: { type: "boolean", short: "h" } },
      allowPositionals: true,
    });
    if (values.help) {
      stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (positionals.length !== 1) return fail(2, USAGE);
    file = positionals[0]!;
  } catch (err) {
    return fail(2, `${oneLine(err)}\n${USAGE}`);
  }
  const size = await stat(file).then(
    (s) => (s.isFile() ? s.size : null),
    () => null,
  );
  if (size === null) return fail(2, `${file}: no such file`);
  let config;
  try {
    config = loadAnalyticsConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return fail(2, err.message);
    throw err;
  }

  const prisma = createPrisma(config.databaseUrl, 1);
  const imports = createImportedFactRepository(config.databaseUrl);
  const bar = new cliProgress.SingleBar(
    {
      stream: stderr as NodeJS.WritableStream & NodeJS.WriteStream,
      format: "{bar} {percentage}% | {rows} rows, {speed} rows/s | imported {imported}, skipped {skipped}, rejected {rejected} | ETA {eta_formatted}",
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const onInterrupt = () => {
    bar.stop();
    stderr.write("\nanalytics:import: interrupted — the batches written are kept; run the command again to import the rest\n");
    process.exit(130);
  };
  process.once("SIGINT", onInterrupt);
  const started = performance.now();
  let bytes = 0;
  const counted = async function* (stream: AsyncIterable<Buffer>) {
    for await (const chunk of stream) {
      bytes += chunk.length;
      yield chunk;
    }
  };
  const seconds = () => Math.max((performance.now() - started) / 1000, 0.001);
  try {
    try {
      await createStatusRepository(prisma).databaseTime();
    } catch (err) {
      return fail(1, `cannot reach the database (DATABASE_URL): ${oneLine(err)}`);
    }
    const zero = { rows: "0", speed: "0", imported: "0", skipped: "0", rejected: "0" };
    bar.start(Math.max(size, 1), 0, zero);
    const show = (p: ImportProgress) =>
      bar.update(bytes, {
        rows: int(p.rows),
        speed: int(Math.round(p.rows / seconds())),
        imported: int(p.imported),
        skipped: int(p.skipped),
        rejected: int(p.rejected),
      });
    const report = await importVisits(
      {
        catalogue: options.catalogue ?? createDoctorsCatalogue({ url: config.doctorsUrl, routerSecrets: config.routerSecrets }),
        imports,
        pseudonyms: createPseudonyms(config.pseudonymKey),
        settings: { timezone: config.timezone, currency: config.currency, minCell: config.minCell },
      },
      counted(createReadStream(file, { highWaterMark: 1024 * 1024 })),
      { listRejected: PRINTED_REJECTS, onProgress: show },
    );
    bar.update(bytes);
    bar.stop();
    options.onReport?.(report);
    const rows = report.imported + report.skipped + report.rejectedCount;
    const lines = [
      `imported ${int(report.imported)}, skipped ${int(report.skipped)} (imported before), rejected ${int(report.rejectedCount)}`,
      `${int(rows)} rows in ${seconds().toFixed(1)} s (${int(Math.round(rows / seconds()))} rows/s)`,
    ];
    if (report.rejectedCount > 0) {
      lines.push("rejected rows:", ...report.rejected.map((r) => `  line ${r.line}: ${r.reason}`));
      if (report.rejectedCount > report.rejected.length) lines.push(`  … and ${int(report.rejectedCount - report.rejected.length)} more`);
    }
    stdout.write(`${lines.join("\n")}\n`);
    return 0;
  } catch (err) {
    bar.stop();
    if (err instanceof DomainError && err.code === "SERVICE_UNAVAILABLE")
      return fail(1, `the doctors catalogue at ${config.doctorsUrl} did not answer (DOCTORS_URL): is doctors running?`);
    if (err instanceof DomainError) return fail(1, err.message);
    if ((err as { code?: unknown }).code === "ERR_STREAM_PREMATURE_CLOSE" || (err as { syscall?: unknown }).syscall) return fail(1, `${file}: ${oneLine(err)}`);
    return fail(1, `the import stopped: ${oneLine(err)} — the batches written are kept; run the command again to import the rest`);
  } finally {
    process.removeListener("SIGINT", onInterrupt);
    await imports.close();
    await prisma.$disconnect();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(await runImportCommand(process.argv.slice(2), process.env));
}
