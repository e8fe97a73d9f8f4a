/**
 * Web app benchmark (`pnpm bench:web [--bookings 60]`): what a user's browser downloads and how soon a doctor sees a
 * request.
 *
 *   1. First-page JavaScript: the build's manifest (apps/web/dist/.vite/manifest.json, built first if stale) gives the
 *      chunks each first page loads — the entry with its static imports and CSS, plus the role's area chunk and its
 *      translations. Sizes are gzip (level 9, what a server compresses with) against the goal (≤ `--goal-kb` KB for the
 *      patient's first page).
 *   2. Commit → doctor's screen: the stack started as `pnpm start` starts it (tests/browser/harness.ts: scripts/start.ts,
 *      a fresh database, free ports) and Chromium with Dr. Lucas Weber (manual approval) on his request feed. A
 *      MutationObserver in the page stamps each request's element the moment it is added (performance.timeOrigin +
 *      performance.now(): the machine's clock, as Node's Date.now()). `--bookings` requests, one at a time, each by a
 *      demo patient for a free slot of Dr. Weber (one per patient and day, the clinic's rule), each sent after the
 *      previous one was on screen; the time runs from the requestAppointment response (the commit is before it) to
 *      the element's stamp. Each request is rejected afterwards through the API, so the list stays short.
 *
 * Figures are printed and written to bench/results/web.json, never asserted: exit 1 only when a check fails (a
 * request that never shows).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { buildWebIfStale } from "@clinigraph/web/server";
import { latencyStats, table, REPO } from "./lib/report.js";
import { readIntegerOptions } from "./lib/flags.js";
import { gql } from "../scripts/lib/graphqlClient.js";
import { DEMO_PASSWORD, openApp, signIn, startClinic } from "../tests/browser/harness.js";

const options = readIntegerOptions(
  "bench:web",
  {
    bookings: { flag: "bookings", env: "BENCH_WEB_BOOKINGS", fallback: "60", min: 1 },
    goalKb: { flag: "goal-kb", env: "BENCH_WEB_GOAL_KB", fallback: "200", min: 1 },
  },
  process.argv.slice(2),
  process.env,
) as { bookings: number; goalKb: number };

type Manifest = Record<string, { file: string; imports?: string[]; css?: string[]; isEntry?: boolean }>;
const dist = path.join(REPO, "apps", "web", "dist");

/** gzip bytes of what loading `keys` (and their static imports) brings, not counting `seen`. */
function closure(manifest: Manifest, keys: readonly string[], seen = new Set<string>()): { files: Set<string>; js: number; css: number } {
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || seen.has(key)) return;
    seen.add(key);
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  keys.forEach(visit);
  let js = 0;
  let css = 0;
  for (const file of files) {
    const size = gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length;
    if (file.endsWith(".css")) css += size;
    else js += size;
  }
  return { files, js, css };
}

async function bundles() {
  await buildWebIfStale((line) => console.log(line));
  const manifest = JSON.parse(readFileSync(path.join(dist, ".vite", "manifest.json"), "utf8")) as Manifest;
  const entry = Object.keys(manifest).find((key) => manifest[key]!.isEntry)!;
  const page = (area?: string) => {
    const keys = area ? [entry, `src/pages/${area}/index.tsx`, `src/locales/${area}.ts`] : [entry];
    const { js, css } = closure(manifest, keys);
    return { js: Math.round(js / 102.4) / 10, css: Math.round(css / 102.4) / 10 };
  };
  return { signIn: page(), patient: page("patient"), doctor: page("doctor"), reception: page("reception"), stakeholder: page("stakeholder") };
}

async function commitToScreen(bookings: number) {
  const clinic = await startClinic();
  try {
    const login = (email: string) =>
      gql<{ login: { accessToken: string } }>(clinic.routerUrl, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`, {
        e: email,
        p: DEMO_PASSWORD,
      }).then((d) => d.login.accessToken);
    const patients = await Promise.all(Array.from({ length: 12 }, (_, i) => login(`patient${String(i + 1).padStart(2, "0")}@clinigraph.demo`)));
    const doctorToken = await login("dr.weber@clinigraph.demo");
    const { doctors } = await gql<{ doctors: { edges: { node: { id: string } }[] } }>(
      clinic.routerUrl,
      `{ doctors(filter: { name: "Weber" }, first: 1) { edges { node { id } } } }`,
    );
    const doctorId = doctors.edges[0]!.node.id;
    const from = new Date(Date.now() + 86_400_000);
    const { availableSlots } = await gql<{ availableSlots: { id: string; startsAt: string }[] }>(
      clinic.routerUrl,
      `query($f: SlotFilter!, $n: Int) { availableSlots(filter: $f, first: $n) { id startsAt } }`,
      { f: { doctorId, from: from.toISOString(), to: new Date(from.getTime() + 40 * 86_400_000).toISOString() }, n: 500 },
    );
    // One slot per patient and day (the clinic books a patient once a day with a doctor).
    const byDay = new Map<string, { id: string }[]>();
    for (const slot of availableSlots) byDay.set(slot.startsAt.slice(0, 10), [...(byDay.get(slot.startsAt.slice(0, 10)) ?? []), slot]);
    const plan = [...byDay.values()].flatMap((slots) => slots.slice(0, patients.length).map((slot, i) => ({ slot: slot.id, token: patients[i]! })));
    if (plan.length < bookings + 5) throw new Error(`only ${plan.length} bookable slots`);

    const { context, page } = await openApp(clinic);
    await signIn(page, "dr.weber@clinigraph.demo");
    await page.getByText("● Live").waitFor();
    await page.evaluate(() => {
      const seen: Record<string, number> = {};
      (window as unknown as { shown: Record<string, number> }).shown = seen;
      new MutationObserver(() => {
        for (const el of Array.from(document.querySelectorAll<HTMLElement>("[data-appointment-id]"))) {
          const id = el.dataset.appointmentId!;
          seen[id] ??= performance.timeOrigin + performance.now();
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
    const lags: number[] = [];
    for (let i = 0; i < bookings + 5; i++) {
      const { slot, token } = plan[i]!;
      const result = await gql<{ requestAppointment: { id?: string; message?: string } }>(
        clinic.routerUrl,
        `mutation($i: RequestAppointmentInput!) { requestAppointment(input: $i) { ... on Appointment { id } ... on SlotUnavailable { message } } }`,
        { i: { slotId: slot } },
        token,
      );
      const committed = Date.now();
      const id = result.requestAppointment.id;
      if (!id) throw new Error(`request ${i} refused: ${result.requestAppointment.message}`);
      const shown = await page
        .waitForFunction((appointmentId) => (window as unknown as { shown: Record<string, number> }).shown[appointmentId], id, { timeout: 30_000 })
        .then((handle) => handle.jsonValue() as Promise<number>);
      if (i >= 5) lags.push(shown - committed); // the first five warm the path
      await gql(clinic.routerUrl, `mutation($id: ID!) { rejectAppointment(id: $id, reason: "bench") { id } }`, { id }, doctorToken);
    }
    await context.close();
    return latencyStats(lags);
  } finally {
    await clinic.stop();
  }
}

const sizes = await bundles();
console.log("\nFirst page JavaScript (gzip, KB)\n");
console.log(
  table(
    ["first page", "JS", "CSS", "goal"],
    Object.entries(sizes).map(([name, s]) => [name, s.js, s.css, name === "patient" ? `≤ ${options.goalKb}` : ""]),
  ),
);
const lag = await commitToScreen(options.bookings);
console.log("\nA request's commit → the doctor's screen (ms, in Chromium)\n");
console.log(table(["", "n", "p50", "p95", "p99", "max"], [["commit → screen", lag.count, lag.p50, lag.p95, lag.p99, lag.max]]));
mkdirSync(path.join(REPO, "bench", "results"), { recursive: true });
writeFileSync(path.join(REPO, "bench", "results", "web.json"), JSON.stringify({ at: new Date().toISOString(), sizes, lag }, null, 2));
