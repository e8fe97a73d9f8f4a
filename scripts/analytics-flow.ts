/**
 * Analytics by hand against a running `pnpm start` (router on :4000), as a stakeholder would see it:
 * this week's KPIs of the demo clinic; kpisToday over graphql-ws, pushed again when a patient books; the
 * administrator's import of two historical visits, one of them broken, with the report — all through the router.
 *
 *   npx tsx scripts/analytics-flow.ts        (ROUTER=http://host:port/graphql to use another router)
 */
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { DEMO_PASSWORD } from "./lib/demoClinic.js";
import { gql } from "./lib/graphqlClient.js";

const url = process.env.ROUTER ?? "http://127.0.0.1:4000/graphql";
const login = async (email: string, password = DEMO_PASSWORD) =>
  (
    await gql<{ login: { accessToken: string } }>(url, "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }", {
      e: email,
      p: password,
    })
  ).login.accessToken;
const show = (label: string, value: unknown) => console.log(`${label}\n${JSON.stringify(value, null, 2)}\n`);
const day = (at: Date) => at.toISOString().slice(0, 10);

const stakeholder = await login("stakeholder@clinigraph.demo");
const admin = await login(process.env.CLINIGRAPH_ADMIN_EMAIL ?? "admin@clinigraph.demo", process.env.CLINIGRAPH_ADMIN_PASSWORD ?? "Clinigraph-admin-1");
const patient = await login("patient05@clinigraph.demo");

const today = new Date();
const FIGURES = `period suppressed patients appointmentsRequested appointmentsBooked cancelled noShows fulfilled noShowRate
  utilization medianLeadTimeHours invoiced { amountMinor currency } collected { amountMinor } feedbackAverage`;
show(
  "1. this week's KPIs, by day:",
  await gql(
    url,
    `query($f: Date!, $t: Date!) { kpis(from: $f, to: $t, granularity: DAY) { ${FIGURES} } }`,
    { f: day(new Date(today.getTime() - 6 * 864e5)), t: day(today) },
    stakeholder,
  ),
);

console.log("2. kpisToday over graphql-ws; a patient books the next free slot of Dr. Hart, and the next push shows it");
const client = createClient({ url: url.replace(/^http/, "ws"), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${stakeholder}` } });
const feed = client.iterate<{ kpisToday: { period: string; appointmentsRequested: number | null; appointmentsBooked: number | null } }>({
  query: "subscription { kpisToday { period appointmentsRequested appointmentsBooked } }",
});
const first = (await feed.next()).value?.data?.kpisToday;
show("   now:", first);
const { doctors } = await gql<{ doctors: { edges: { node: { id: string; name: string } }[] } }>(url, "{ doctors(first: 50) { edges { node { id name } } } }");
const hart = doctors.edges.find((edge) => /Hart/.test(edge.node.name))!.node.id;
const { availableSlots } = await gql<{ availableSlots: { id: string; startsAt: string }[] }>(
  url,
  "query($d: ID!, $f: DateTime!, $t: DateTime!) { availableSlots(filter: { doctorId: $d, from: $f, to: $t }, first: 1) { id startsAt } }",
  { d: hart, f: today.toISOString(), t: new Date(today.getTime() + 14 * 864e5).toISOString() },
  patient,
);
const booked = await gql(
  url,
  "mutation($s: ID!) { requestAppointment(input: { slotId: $s }) { ... on Appointment { status startsAt } } }",
  { s: availableSlots[0]!.id },
  patient,
);
show("   booked:", booked);
console.log("   (the booking counts on its visit day; the push comes at most a second after the event, whatever its day)");
show("   pushed:", (await feed.next()).value?.data?.kpisToday);
await feed.return?.();
await client.dispose();

const stamp = Date.now();
const csv = [
  "source_id,visit_date,specialty_code,service_code,status,amount_minor,currency,rating",
  `legacy-${stamp}-1,2025-11-03,GP,GENERAL_CHECKUP,FULFILLED,6500,EUR,5`,
  `legacy-${stamp}-2,2025-11-31,GP,GENERAL_CHECKUP,FULFILLED,,,`,
].join("\n");
show(
  "3. the administrator imports two historical visits (line 3 has no such day) — the report:",
  await gql(url, "mutation($c: String!) { importVisitsCsv(csv: $c) { imported skipped rejectedCount rejected { line reason } } }", { c: csv }, admin),
);
show(
  "   November 2025 by month, now with the imported visit:",
  await gql(url, `{ kpis(from: "2025-11-01", to: "2025-11-30", granularity: MONTH, filter: { specialty: "GP" }) { ${FIGURES} } }`, {}, stakeholder),
);
