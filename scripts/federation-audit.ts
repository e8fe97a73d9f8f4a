/**
 * `pnpm audit:federation`: runs the public Apollo Federation gateway audit (graphql-hive/federation-gateway-audit,
 * 199 tests in 46 suites) against the router and prints how many pass.
 *
 *   pnpm audit:federation --audit-dir <checkout>          # or FEDERATION_AUDIT_DIR=<checkout>
 *   pnpm audit:federation --suite requires-with-argument  # one suite
 *   pnpm audit:federation --expect 195                    # exit 1 when fewer pass
 *   pnpm audit:federation --router "node --conditions=clinigraph-dist router/dist/main.js"
 *
 * The checkout must have its dependencies installed (`npm install`); bench/README.md says what an offline or Node 20
 * machine needs. For each suite the audit calls a gateway run script, which this command writes into its work
 * directory: it fetches the suite's supergraph from the audit's server (127.0.0.1:5401) and starts the router on it
 * (127.0.0.1:5400) from this repository's root with a clean environment, so that no ambient variable (a
 * `<SUBGRAPH>_URL`, a rate limit) changes what the router does. The audit writes results.txt (one line per suite,
 * `.` pass, `X` fail), which is read back here.
 *
 * Exit code: 0 when the audit ran, whatever it found; 1 when `--expect N` is given and fewer than N pass; 2 when it
 * could not run (no checkout, ports taken, no result, or the router never answered).
 */
import { spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const GATEWAY_PORT = 5400;
const AUDIT_PORT = 5401;
const DEFAULT_ROUTER = "node --import tsx router/src/main.ts";

const USAGE = `usage: pnpm audit:federation [--audit-dir <dir>] [--router "<command>"] [--suite <id>] [--expect <n>] [--work-dir <dir>] [--verbose]

  --audit-dir  checkout of graphql-hive/federation-gateway-audit with its dependencies installed
               (default: $FEDERATION_AUDIT_DIR)
  --router     command that starts the router, run from the repository root; --supergraph, --port and --host
               are appended (default: "${DEFAULT_ROUTER}")
  --suite      run one test suite (e.g. requires-with-argument) instead of all of them
  --expect     exit 1 when fewer than this many tests pass
  --work-dir   keep the run script, supergraphs, logs and results.txt there (default: a temporary directory,
               removed afterwards)
  --verbose    pass the audit's own TAP output through
  GATEWAY_TIMEOUT (ms, default 60000): how long the audit waits for the router to answer on each suite`;

class SetupError extends Error {}

interface Options {
  auditDir: string;
  router: string;
  suite?: string;
  expect?: number;
  workDir?: string;
  verbose: boolean;
}

function readOptions(argv: readonly string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv.filter((arg) => arg !== "--"),
      options: {
        "audit-dir": { type: "string" },
        router: { type: "string" },
        suite: { type: "string" },
        expect: { type: "string" },
        "work-dir": { type: "string" },
        verbose: { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new SetupError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const auditDir = values["audit-dir"] ?? process.env.FEDERATION_AUDIT_DIR;
  if (!auditDir) throw new SetupError(`say where the audit is: --audit-dir <dir> or FEDERATION_AUDIT_DIR\n${USAGE}`);
  let expect: number | undefined;
  if (values.expect !== undefined) {
    expect = Number(values.expect);
    if (!Number.isInteger(expect) || expect < 0) throw new SetupError(`--expect needs a whole number, not "${values.expect}"`);
  }
  if (values.suite !== undefined && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(values.suite)) throw new SetupError(`--suite: "${values.suite}" is not a suite id`);
  const router = values.router?.trim() || DEFAULT_ROUTER;
  return { auditDir: path.resolve(auditDir), router, suite: values.suite, expect, workDir: values["work-dir"], verbose: values.verbose ?? false };
}

/** The audit's checkout: its CLI source and a local tsx to run it with. */
function checkAuditDir(dir: string): { tsx: string } {
  if (!existsSync(path.join(dir, "src", "cli.ts")) || !existsSync(path.join(dir, "src", "test-suites")))
    throw new SetupError(`${dir} is not a checkout of graphql-hive/federation-gateway-audit (no src/cli.ts or src/test-suites)`);
  const tsx = path.join(dir, "node_modules", ".bin", "tsx");
  if (!existsSync(tsx)) throw new SetupError(`${dir} has no node_modules/.bin/tsx: run npm install there first`);
  return { tsx };
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** The gateway run script the audit calls as `sh run.sh <suite-id>`, from the work directory. */
function runScript(router: string): string {
  // The audit's server registers its suites' routes a moment after it listens (`test-suite` starts the gateway at
  // once), so a 404 is retried for a few seconds.
  const fetchSupergraph =
    `(async () => { for (let i = 0; ; i++) { const r = await fetch(process.argv[1]); ` +
    `if (r.ok) return require("node:fs").writeFileSync(process.argv[2], await r.text()); ` +
    `if (r.status !== 404 || i >= 50) throw new Error(r.status + " " + r.statusText); ` +
    `await new Promise((done) => setTimeout(done, 200)); } })().catch((e) => { console.error("supergraph: " + e.message); process.exit(1); })`;
  return `#!/bin/sh
# Written by scripts/federation-audit.ts. The audit calls it as: sh run.sh <test-suite-id>
set -e
cd "$(dirname "$0")"
mkdir -p supergraphs
SUPERGRAPH="$PWD/supergraphs/$1.graphql"
node -e '${fetchSupergraph}' "http://127.0.0.1:${AUDIT_PORT}/$1/supergraph" "$SUPERGRAPH"
cd ${shellQuote(REPO_ROOT)}
# A clean environment: an ambient <NAME>_URL variable would become a subgraph URL override.
exec env -i PATH="$PATH" HOME="$HOME" \\
  CLINIGRAPH_ROUTER_SECRETS=federation-audit-secret-0123456789abcdef \\
  RATE_LIMIT_PER_MINUTE=0 PERSISTED_QUERIES=off NODE_ENV=development \\
  ACCOUNTS_JWKS_URL=http://127.0.0.1:5499/.well-known/jwks.json LOG_LEVEL="\${LOG_LEVEL:-warn}" \\
  ${router} --supergraph "$SUPERGRAPH" --port ${GATEWAY_PORT} --host 127.0.0.1
`;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Node 20 has no Promise.withResolvers, which the audit's CLI uses; preloaded into its processes when missing. */
const POLYFILL = `if (typeof Promise.withResolvers !== "function") {
  Promise.withResolvers = function () {
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}
`;

/** results.txt: `<suite id>` and `<one . or X per test>` lines, then a blank line and the totals. */
function parseResults(text: string): Array<{ suite: string; marks: string }> {
  const lines = text.split("\n");
  const suites: Array<{ suite: string; marks: string }> = [];
  for (let i = 0; i + 1 < lines.length && lines[i] !== ""; i += 2) suites.push({ suite: lines[i]!, marks: lines[i + 1]! });
  return suites;
}

/** A suite's TAP log (logs/<id>-tests.log) as the same `.`/`X` marks, in test order. */
function marksFromTap(text: string, suite: string): string {
  const marks: string[] = [];
  const pattern = new RegExp(`^\\s*(not ok|ok) \\d+ - ${suite}_(\\d+)\\s*$`);
  for (const line of text.split("\n")) {
    const match = pattern.exec(line);
    if (match) marks[Number(match[2])] = match[1] === "ok" ? "." : "X";
  }
  return Array.from(marks, (mark) => mark ?? "X").join("");
}

async function runAudit(options: Options, tsx: string, workDir: string): Promise<Array<{ suite: string; marks: string }>> {
  writeFileSync(path.join(workDir, "run.sh"), runScript(options.router), { mode: 0o755 });
  const env: NodeJS.ProcessEnv = { ...process.env, GATEWAY_TIMEOUT: process.env.GATEWAY_TIMEOUT ?? "60000" };
  if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== "function") {
    const polyfill = path.join(workDir, "promise-with-resolvers.mjs");
    writeFileSync(polyfill, POLYFILL);
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ""} --import ${pathToFileURL(polyfill).href}`.trim();
  }
  const common = [
    "--cwd",
    workDir,
    "--run-script",
    "./run.sh",
    "--reporter",
    "tap",
    "--graphql",
    `http://127.0.0.1:${GATEWAY_PORT}/graphql`,
    "--healthcheck",
    `http://127.0.0.1:${GATEWAY_PORT}/health`,
    "--port",
    String(AUDIT_PORT),
  ];
  const args = options.suite ? ["./src/cli.ts", "test-suite", "--test", options.suite, ...common] : ["./src/cli.ts", "test", ...common];
  const outputFile = path.join(workDir, "audit-output.log");
  const output = createWriteStream(outputFile);
  console.log(`federation audit: ${options.suite ? `suite ${options.suite}` : "all suites"} against \`${options.router}\` (work dir ${workDir})`);

  const child = spawn(tsx, args, { cwd: options.auditDir, env, stdio: ["ignore", "pipe", "pipe"] });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward).on("SIGTERM", forward);
  let pending = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output.write(chunk);
    if (options.verbose) return void process.stdout.write(chunk);
    // Progress: the audit prints each suite id on a line of its own before running it.
    pending += chunk.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (/^Running \d+ test suites$/.test(line) || /^[a-z0-9]+(-[a-z0-9]+)*$/.test(line)) console.log(`  ${line}`);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output.write(chunk);
    if (options.verbose) process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (exitCode) => resolve(exitCode));
  });
  process.off("SIGINT", forward).off("SIGTERM", forward);
  await new Promise<void>((resolve) => output.end(resolve));

  if (options.suite) {
    const log = path.join(workDir, "logs", `${options.suite}-tests.log`);
    if (!existsSync(log)) throw new SetupError(`the audit wrote no ${log} (exit code ${code}); see ${outputFile}`);
    const marks = marksFromTap(readFileSync(log, "utf8"), options.suite);
    if (marks === "") throw new SetupError(`no test of suite ${options.suite} ran (is the id right?); see ${log}`);
    return [{ suite: options.suite, marks }];
  }
  const resultsFile = path.join(workDir, "results.txt");
  if (!existsSync(resultsFile)) throw new SetupError(`the audit wrote no results.txt (exit code ${code}); see ${outputFile}`);
  return parseResults(readFileSync(resultsFile, "utf8"));
}

async function main(): Promise<number> {
  const options = readOptions(process.argv.slice(2));
  const { tsx } = checkAuditDir(options.auditDir);
  for (const port of [GATEWAY_PORT, AUDIT_PORT])
    if (!(await portIsFree(port))) throw new SetupError(`port ${port} on 127.0.0.1 is in use; the audit needs ${GATEWAY_PORT} and ${AUDIT_PORT}`);

  const keep = options.workDir !== undefined;
  const workDir = keep ? path.resolve(options.workDir!) : mkdtempSync(path.join(tmpdir(), "clinigraph-federation-audit-"));
  mkdirSync(workDir, { recursive: true });
  // A reused --work-dir must not answer with an earlier run's results.
  rmSync(path.join(workDir, "results.txt"), { force: true });
  if (options.suite) rmSync(path.join(workDir, "logs", `${options.suite}-tests.log`), { force: true });
  const started = Date.now();
  let suites;
  try {
    suites = await runAudit(options, tsx, workDir);
  } catch (err) {
    if (!keep) console.error(`(work dir kept for inspection: ${workDir})`);
    throw err;
  }

  const failing = suites.flatMap(({ suite, marks }) => [...marks].flatMap((mark, index) => (mark === "." ? [] : [`${suite}_${index}`])));
  const total = suites.reduce((sum, { marks }) => sum + marks.length, 0);
  const passed = total - failing.length;
  // The audit notes in a suite's test log when the router never answered its health check within GATEWAY_TIMEOUT.
  const logs = path.join(workDir, "logs");
  const unanswered = suites
    .map(({ suite }) => suite)
    .filter((suite) => {
      const log = path.join(logs, `${suite}-tests.log`);
      return existsSync(log) && readFileSync(log, "utf8").includes("Health check failed");
    });
  if (total === 0) throw new SetupError(`no test ran; see ${workDir}`);
  if (unanswered.length === suites.length) {
    throw new SetupError(`the router never answered (GATEWAY_TIMEOUT ${process.env.GATEWAY_TIMEOUT ?? 60000} ms); see the gateway logs in ${logs}`);
  }
  if (!keep && unanswered.length === 0) rmSync(workDir, { recursive: true, force: true });

  console.log(
    `\nfederation audit: ${passed}/${total} passed${options.suite ? ` (suite ${options.suite})` : ""} in ${Math.round((Date.now() - started) / 1000)} s`,
  );
  if (unanswered.length > 0) console.log(`the router did not answer on: ${unanswered.join(", ")} (logs in ${logs})`);
  if (failing.length > 0) console.log(`failing: ${failing.join(", ")}`);
  if (options.expect !== undefined && passed < options.expect) {
    console.error(`expected at least ${options.expect} to pass`);
    return 1;
  }
  return 0;
}

try {
  process.exitCode = await main();
} catch (err) {
  if (!(err instanceof SetupError)) throw err;
  console.error(`federation audit could not run: ${err.message}`);
  process.exitCode = 2;
}
