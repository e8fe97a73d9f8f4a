/**
 * pnpm analytics:rollup --from YYYY-MM-DD [--to YYYY-MM-DD]
 *
 * Rolls up every closed day, ISO week and month holding a day of [from, to] (to: yesterday by default), whatever
 * changed: a backfill after an import, or after the way a figure is counted changed. The service's job rolls up
 * changed periods by itself; this command does the same work for a range, month by month, each month one
 * transaction (an interrupted run keeps the months done), one line per month. Safe beside running services: one
 * rollup runs at a time, and the command waits for another one to finish.
 *
 * Reads the analytics service's DATABASE_URL and CLINIC_TIMEZONE. Exit code 0 when done, 1 when it failed, 2 on wrong
 * usage or configuration; errors are one line, no stack trace.
 */
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { ConfigError, configCheck, dayIn, DomainError, readEnv, v, type Env } from "@clinigraph/platform";
import { createPrisma } from "../data/prisma.js";
import { createRollupRepository } from "../data/rollupRepository.js";
import { addDays, checkRange } from "../domain/periods.js";
import { rollUpRange } from "../domain/rollups.js";
import { count, oneLine } from "./output.js";

export const USAGE = "usage: pnpm analytics:rollup --from YYYY-MM-DD [--to YYYY-MM-DD]   (environment: DATABASE_URL, CLINIC_TIMEZONE)";

export interface RollupCommandOptions {
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  clock?: () => Date;
}

export async function runRollupCommand(argv: readonly string[], env: Env, options: RollupCommandOptions = {}): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const clock = options.clock ?? (() => new Date());
  const fail = (code: number, message: string) => {
    stderr.write(`analytics:rollup: ${message}\n`);
    return code;
  };
  let config: { databaseUrl: string; timezone: string };
  try {
    // Only what a rollup needs (no router secrets or pseudonym key: it reads facts, not events).
    const vars = readEnv({ DATABASE_URL: v.optional(), CLINIC_TIMEZONE: v.timeZone("Europe/Berlin") }, env);
    configCheck(vars.DATABASE_URL !== undefined, "DATABASE_URL is required (the analytics service's database)");
    config = { databaseUrl: vars.DATABASE_URL!, timezone: vars.CLINIC_TIMEZONE };
  } catch (err) {
    if (err instanceof ConfigError) return fail(2, err.message);
    throw err;
  }
  let from: string;
  let to: string;
  try {
    const { values, positionals } = parseArgs({
      args: argv.filter((arg) => arg !== "--"),
      options: { from: { type: "string" }, to: { type: "string" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
    });
    if (values.help) {
      stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (!values.from || positionals.length > 0) return fail(2, USAGE);
    from = values.from;
    to = values.to ?? addDays(dayIn(clock(), config.timezone), -1);
    checkRange(from, to, "MONTH");
  } catch (err) {
    return fail(2, `${err instanceof DomainError ? err.message : oneLine(err)}\n${USAGE}`);
  }

  const prisma = createPrisma(config.databaseUrl, 2);
  const started = performance.now();
  try {
    const report = await rollUpRange(
      { rollups: createRollupRepository(prisma), settings: { timezone: config.timezone, currency: "", minCell: 1 }, clock },
      from,
      to,
      (month, sofar) =>
        stdout.write(
          `${month.slice(0, 7)}: ${count(sofar.periods.DAY, "day")}, ${count(sofar.periods.WEEK, "week")}, ${count(sofar.periods.MONTH, "month")} rolled up so far\n`,
        ),
    );
    stdout.write(
      `rolled up ${count(report.periods.DAY, "day")}, ${count(report.periods.WEEK, "week")} and ${count(report.periods.MONTH, "month")} ` +
        `(${count(report.cells, "cell")}) in ${((performance.now() - started) / 1000).toFixed(1)} s; open periods (today on) are counted live\n`,
    );
    return 0;
  } catch (err) {
    return fail(1, `the rollup stopped: ${oneLine(err)} — the months done are kept; run the command again`);
  } finally {
    await prisma.$disconnect();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(await runRollupCommand(process.argv.slice(2), process.env));
}
