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

console.log("2. kpisToday over graphql-ws; a patient books a free slot of Dr. Hart and kpisToday pushes again (the booking counts on its own day)");
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
  "query($d: ID!, $f: DateTime!, $t: DateTime!) { availableSlots(filter: { doctorId: $d, from: $f, to: $t }, first: 20) { id startsAt } }",
  { d: hart, f: today.toISOString(), t: new Date(today.getTime() + 14 * 864e5).toISOString() },
);
// The first demo patient without an appointment with Dr. Hart on a free slot's day books it (a patient books one a day).
let booked: { startsAt: string } | null = null;
for (let n = 1; n <= 12 && !booked; n++) {
  const patient = await login(`patient${String(n).padStart(2, "0")}@clinigraph.demo`);
  for (const slot of availableSlots) {
    const answer = await gql<{ requestAppointment: { startsAt?: string } }>(
      url,
      "mutation($s: ID!) { requestAppointment(input: { slotId: $s }) { ... on Appointment { status startsAt } } }",
      { s: slot.id },
      patient,
    ).catch(() => null);
    if (answer?.requestAppointment.startsAt) {
      booked = { startsAt: answer.requestAppointment.startsAt };
      break;
    }
  }
}
if (!booked) throw new Error("no demo patient could book Dr. Hart in the next two weeks");
show("   booked:", booked);
show("   pushed (today's figures, sent after the booking's event):", (await feed.next()).value?.data?.kpisToday);
const visitDay = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(new Date(booked.startsAt));
show(
  `   the booking's own day, ${visitDay}:`,
  await gql(
    url,
    `query($d: Date!) { kpis(from: $d, to: $d, granularity: DAY) { period appointmentsRequested appointmentsBooked utilization } }`,
    { d: visitDay },
    stakeholder,
  ),
);
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
