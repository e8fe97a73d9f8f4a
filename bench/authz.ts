/**
 * Cost of router-level authorization per operation (router/src/authz): `authorizeOperation` on the
 * committed supergraph for a doctor's calendar query — allowed (nothing removed: the common path) and with
 * a field removed (a patient asking for a staff-only field: filter + patch) — plus the patch of a
 * 50-appointment answer. Prints per-operation latency percentiles and throughput on one core.
 *
 *   pnpm bench:authz [--iterations 20000]
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parse } from "graphql";
import { Supergraph } from "@apollo/federation-internals";
import { REPO_ROOT } from "@clinigraph/platform";
import { authorizeOperation } from "../router/src/authz/operation.js";
import { createPolicies } from "../router/src/authz/policies.js";
import { AuthorizationRules, supergraphForGateway, type Principal } from "../router/src/authz/rules.js";
import { readFlags } from "./lib/flags.js";

const usage = () => "pnpm bench:authz [--iterations <n>]";
const flags = readFlags(process.argv.slice(2), ["iterations"], usage);
const iterations = Number(flags.get("iterations") ?? 20_000);

const sdl = readFileSync(path.join(REPO_ROOT, "schema", "supergraph.graphql"), "utf8");
const schema = Supergraph.build(supergraphForGateway(sdl)).apiSchema().toGraphQLJSSchema();
const rules = AuthorizationRules.fromSupergraph(sdl);
const policies = createPolicies();
const now = new Date();
const doctor: Principal = { authenticated: true, scopes: new Set(["staff", "doctor"]), authTime: now.getTime() / 1000 };
const patient: Principal = { authenticated: true, scopes: new Set(["patient"]), authTime: now.getTime() / 1000 };

const CALENDAR = parse(`query Calendar($from: DateTime!, $to: DateTime!) {
  calendar(from: $from, to: $to) {
    id status startsAt endsAt reason needsAttention allowedTransitions
    patient { id name dateOfBirth } doctor { id name specialty { code name } } service { code name }
    history { at action actorRole fromStatus toStatus reason }
  }
}`);
const MINE = parse(`{ myAppointments(first: 50) { edges { node {
  id status startsAt endsAt reason needsAttention doctor { id name specialty { name } } history { at action } } } pageInfo { hasNextPage endCursor } } }`);

function measure(label: string, run: () => void) {
  for (let i = 0; i < Math.min(2_000, iterations); i++) run(); // warm-up
  const samples = new Float64Array(iterations);
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const t = performance.now();
    run();
    samples[i] = performance.now() - t;
  }
  const total = performance.now() - started;
  samples.sort();
  const at = (q: number) => (samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]! * 1000).toFixed(1);
  console.log(
    `${label.padEnd(44)} p50 ${at(0.5).padStart(6)} µs  p95 ${at(0.95).padStart(6)} µs  p99 ${at(0.99).padStart(6)} µs  ${Math.round(iterations / (total / 1000)).toLocaleString("en")} ops/s`,
  );
}

const answer = () => ({
  myAppointments: {
    edges: Array.from({ length: 50 }, (_, i) => ({
      node: { id: `a${i}`, status: "BOOKED", startsAt: "x", endsAt: "y", reason: null, doctor: { id: "d", name: "n", specialty: { name: "s" } }, history: [] },
    })),
    pageInfo: { hasNextPage: false, endCursor: null },
  },
});

console.log(`router authorization, ${iterations.toLocaleString("en")} iterations each (node ${process.version})`);
measure("doctor's calendar, allowed (nothing removed)", () => {
  const auth = authorizeOperation({ schema, document: CALENDAR, rules, principal: doctor, policies, now });
  if (!auth.unchanged) throw new Error("expected no removal");
});
measure("patient's list, needsAttention removed", () => {
  const auth = authorizeOperation({ schema, document: MINE, rules, principal: patient, policies, now });
  if (auth.errors.length !== 1) throw new Error("expected one removal");
});
const removed = authorizeOperation({ schema, document: MINE, rules, principal: patient, policies, now });
measure("patch of a 50-appointment answer", () => {
  removed.patchResult({ data: answer() });
});
const mem = process.memoryUsage();
console.log(`rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`);
