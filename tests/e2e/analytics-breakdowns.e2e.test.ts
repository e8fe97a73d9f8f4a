/**
 * Analytics' breakdowns through the router, every subgraph real: a patient books a service, and the stakeholder sees
 * it in kpisByDoctor, topServices and the load, with the doctor and the service resolved by the doctors subgraph
 * (federation references), and in kpisCsv.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { uniqueEmail } from "@clinigraph/testing";
import { createScheduledDoctor, freeSlotId, registerE2EPatient, type ScheduledDoctor } from "../support/people.js";
import { expectData, graphql, signIn, startStack, type Stack } from "../support/stack.js";

const clock = { now: new Date("2027-03-22T07:00:00Z") }; // Monday, 08:00 in Berlin (the clinic's time zone)
const TODAY = "2027-03-22";
let stack: Stack;
let url: string;
let stakeholder: string;
let doctor: ScheduledDoctor;
let serviceId: string;

beforeAll(async () => {
  stack = await startStack({ clock: () => clock.now, env: { ANALYTICS_MIN_CELL: "1" } });
  url = stack.routerUrl;
  const admin = await signIn(url, stack.admin.email, stack.admin.password);
  const email = uniqueEmail("stakeholder");
  await expectData(
    url,
    `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`,
    { i: { email, password: "Stakeholder-password-1", name: "Bea Breakdown", role: "STAKEHOLDER" } },
    admin,
  );
  stakeholder = await signIn(url, email, "Stakeholder-password-1");
  doctor = await createScheduledDoctor(url, admin, "Dr. Breakdown", { autoApprove: true });
  const { medicalServices } = await expectData<{ medicalServices: { id: string; code: string }[] }>(url, `{ medicalServices { id code } }`, {}, admin);
  serviceId = medicalServices.find((s) => s.code === "SPECIALIST_CONSULT")!.id;
  const patient = await registerE2EPatient(url, "Bo Broken-Down");
  const slotId = await freeSlotId(url, doctor.id, 0, { from: `${TODAY}T00:00:00Z`, to: `${TODAY}T23:59:59Z` });
  await expectData(
    url,
    `mutation($i: RequestAppointmentInput!) { requestAppointment(input: $i) { ... on Appointment { id } } }`,
    { i: { slotId, serviceId } },
    patient.token,
  );
  await stack.eventsSettled();
});

afterAll(async () => {
  await stack?.stop();
});

describe("analytics breakdowns through the router", () => {
  it("kpisByDoctor and topServices name the doctor and the service from the doctors subgraph", async () => {
    const data = await expectData<{ kpisByDoctor: Record<string, unknown>[]; topServices: Record<string, unknown>[] }>(
      url,
      `query($d: Date!, $f: KpiFilter) {
        kpisByDoctor(from: $d, to: $d, filter: $f) { doctorId doctor { id name specialty { code } } specialtyCode appointmentsBooked }
        topServices(from: $d, to: $d, filter: $f) { serviceId service { id code name } serviceCode appointmentsBooked } }`,
      { d: TODAY, f: { doctorId: doctor.id } },
      stakeholder,
    );
    expect(data.kpisByDoctor).toEqual([
      { doctorId: doctor.id, doctor: { id: doctor.id, name: "Dr. Breakdown", specialty: { code: "CARD" } }, specialtyCode: "CARD", appointmentsBooked: 1 },
    ]);
    expect(data.topServices).toEqual([
      {
        serviceId,
        service: { id: serviceId, code: "SPECIALIST_CONSULT", name: expect.any(String) },
        serviceCode: "SPECIALIST_CONSULT",
        appointmentsBooked: 1,
      },
    ]);
  });

  it("load puts the booking in its Monday hour, and kpisCsv has its day", async () => {
    const { load } = await expectData<{ load: { weekday: number; hour: number; appointmentsBooked: number }[] }>(
      url,
      `query($d: Date!, $f: KpiFilter) { load(from: $d, to: $d, filter: $f) { weekday hour appointmentsBooked } }`,
      { d: TODAY, f: { doctorId: doctor.id } },
      stakeholder,
    );
    expect(load).toHaveLength(168);
    // The schedule's first slot: 09:00 in Berlin.
    expect(load.filter((cell) => cell.appointmentsBooked > 0)).toEqual([{ weekday: 1, hour: 9, appointmentsBooked: 1 }]);
    const { kpisCsv } = await expectData<{ kpisCsv: string }>(
      url,
      `query($d: Date!, $f: KpiFilter) { kpisCsv(from: $d, to: $d, granularity: DAY, filter: $f) }`,
      { d: TODAY, f: { doctorId: doctor.id } },
      stakeholder,
    );
    const [header, row] = kpisCsv.split("\r\n").map((line) => line.split(","));
    const cells = Object.fromEntries(header!.map((name, i) => [name, row![i]]));
    expect(cells).toMatchObject({ period: TODAY, suppressed: "false", appointmentsBooked: "1", currency: "EUR" });
  });

  it("refuses a doctor", async () => {
    const answer = await graphql(
      url,
      `
        query ($d: Date!) {
          kpisByDoctor(from: $d, to: $d) {
            doctorId
          }
        }
      `,
      { d: TODAY },
      doctor.token,
    );
    expect(answer.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
