/**
 * `pnpm bench:gateway`: the router against stock @apollo/gateway in one run of a federation gateway bench (a
 * harness that starts three subgraphs, composes them, and loads each gateway in turn with autocannon; bench/README.md
 * § Router against stock Apollo Gateway says where it comes from and how to read its table).
 *
 *   GATEWAY_BENCH_DIR=<bench checkout, npm ci done> pnpm bench:gateway [-- <more options for the bench's run.mjs>]
 *
 * Builds the router (`pnpm build:router`), then runs the bench with two targets: its baseline `apollo-gateway` and
 * `router`, this checkout's router from compiled JavaScript in production mode with its defaults (authentication,
 * query limits, metrics and one log line per request on; rate limits off, since every request of the load comes from
 * one address without a token). Extra arguments go to the bench (e.g. `--rounds 2`, `--duration 15`). Exit code: the
 * bench's (0: every response correct and identical across targets).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildRouter } from "../scripts/build-router.js";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const benchDir = process.env.GATEWAY_BENCH_DIR;
if (!benchDir || !existsSync(path.join(benchDir, "run.mjs"))) {
  console.error("Set GATEWAY_BENCH_DIR to a federation gateway bench checkout (with run.mjs, after npm ci): bench/README.md");
  process.exit(2);
}

await buildRouter();

const router = [
  "env",
  "CLINIGRAPH_ROUTER_SECRETS=bench-secret-bench-secret-bench-secret-0001",
  "RATE_LIMIT_PER_MINUTE=0",
  "NODE_ENV=production",
  "node",
  "--conditions=clinigraph-dist",
  path.join(REPO_ROOT, "router", "dist", "main.js"),
  "--port {port} --supergraph {supergraph}",
].join(" ");
const args = [
  "run.mjs",
  "--only",
  "apollo-gateway,router",
  "--target",
  `router=${router}`,
  "--path",
  "router=/graphql",
  ...process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === "--")),
];
const run = spawnSync("node", args, { cwd: benchDir, stdio: "inherit" });
process.exit(run.status ?? 2);
