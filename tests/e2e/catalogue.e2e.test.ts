/**
 * The catalogue edited by ADMIN, end to end through the router: ADMIN creates a specialty and a medical service,
 * creates a doctor with them, and a patient books the service; ADMIN renames the service, then retires it. New
 * bookings of it are refused ("service retired"), and so are examination orders of it; the doctor no longer offers
 * it; the appointment booked before keeps showing it, under its new name. Nobody else may change the catalogue.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomBytes } from "node:crypto";
import { uniqueEmail } from "@clinigraph/testing";
import { createScheduledDoctor, freeSlotId, registerE2EPatient, type ScheduledDoctor } from "../support/people.js";
import { expectData, graphql, signIn, startStack, type Stack } from "../support/stack.js";

const clock = { now: new Date("2027-03-22T07:00:00Z") }; // Monday, 08:00 in Berlin
const PASSWORD = "Catalogue-password-1";
let stack: Stack;
let url: string;
const tokens: Record<string, string> = {};

const ok = <T>(query: string, variables: Record<string, unknown> = {}, token?: string) => expectData<T>(url, query, variables, token);
const code = (prefix: string) => `${prefix}${randomBytes(4).toString("hex").toUpperCase()}`;

const CREATE_SPECIALTY = `mutation($i: CreateSpecialtyInput!) { createSpecialty(input: $i) { id code name status } }`;
const CREATE_SERVICE = `mutation($i: CreateMedicalServiceInput!) { createMedicalService(input: $i) { id code name kind durationMinutes status } }`;
const UPDATE_SERVICE = `mutation($id: ID!, $i: UpdateMedicalServiceInput!) { updateMedicalService(id: $id, input: $i) { id name status } }`;
const RETIRE_SERVICE = `mutation($id: ID!) { retireMedicalService(id: $id) { id name status retiredAt } }`;
const REQUEST = `mutation($i: RequestAppointmentInput!) { requestAppointment(input: $i) {
  __typename ... on Appointment { id status service { id name } } ... on SlotUnavailable { code } } }`;

beforeAll(async () => {
  stack = await startStack({ clock: () => clock.now });
  url = stack.routerUrl;
  tokens.ADMIN = await signIn(url, stack.admin.email, stack.admin.password);
  for (const role of ["RECEPTIONIST", "STAKEHOLDER"] as const) {
    const email = uniqueEmail(`catalogue.${role.toLowerCase()}`);
    await ok(
      `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`,
      { i: { email, password: PASSWORD, name: `Catalogue ${role}`, role } },
      tokens.ADMIN,
    );
    tokens[role] = await signIn(url, email, PASSWORD);
  }
});

afterAll(async () => {
  await stack?.stop();
});

describe("the catalogue through the router", () => {
  let specialty: { id: string; code: string };
  let service: { id: string; code: string };
  let doctor: ScheduledDoctor;
  let patient: { id: string; token: string };
  let appointmentId: string;

  it("ADMIN creates a specialty and a service; a doctor offers them; a patient books the service", async () => {
    specialty = (
      await ok<{ createSpecialty: { id: string; code: string; status: string } }>(
        CREATE_SPECIALTY,
        { i: { code: code("SPM"), name: "Sports medicine" } },
        tokens.ADMIN,
      )
    ).createSpecialty;
    expect(specialty).toMatchObject({ name: "Sports medicine", status: "ACTIVE" });
    service = (
      await ok<{ createMedicalService: { id: string; code: string } }>(
        CREATE_SERVICE,
        { i: { code: code("KNEE"), name: "Knee MRI", kind: "IMAGING", durationMinutes: 30 } },
        tokens.ADMIN,
      )
    ).createMedicalService;
    expect(service).toMatchObject({ name: "Knee MRI", kind: "IMAGING", durationMinutes: 30, status: "ACTIVE" });
    const listed = await ok<{ medicalServices: { code: string }[]; specialties: { code: string }[] }>(
      `{ medicalServices(kind: IMAGING) { code } specialties { code } }`,
    );
    expect(listed.medicalServices.map((s) => s.code)).toContain(service.code);
    expect(listed.specialties.map((s) => s.code)).toContain(specialty.code);

    doctor = await createScheduledDoctor(url, tokens.ADMIN!, "Dr. Catalogue", {
      autoApprove: true,
      specialtyCode: specialty.code,
      serviceCodes: [service.code],
      weekdays: ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
    });
    patient = await registerE2EPatient(url, "Cata Logue");
    const booked = await ok<{ requestAppointment: { __typename: string; id: string; status: string; service: { name: string } } }>(
      REQUEST,
      { i: { slotId: await freeSlotId(url, doctor.id, 0), serviceId: service.id } },
      patient.token,
    );
    expect(booked.requestAppointment).toMatchObject({ __typename: "Appointment", status: "BOOKED", service: { name: "Knee MRI" } });
    appointmentId = booked.requestAppointment.id;
  });

  it("nobody but ADMIN changes the catalogue: FORBIDDEN from the router, nothing changed", async () => {
    for (const role of ["RECEPTIONIST", "STAKEHOLDER"]) {
      const res = await graphql(url, RETIRE_SERVICE, { id: service.id }, tokens[role]);
      expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      const created = await graphql(url, CREATE_SPECIALTY, { i: { code: code("NOPE"), name: "Not allowed" } }, tokens[role]);
      expect(created.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    for (const token of [patient.token, doctor.token]) {
      const res = await graphql(url, UPDATE_SERVICE, { id: service.id, i: { name: "Hijacked" } }, token);
      expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    expect(
      (await graphql(url, CREATE_SERVICE, { i: { code: code("ANON"), name: "Anon", kind: "LAB_TEST", durationMinutes: 10 } })).errors?.[0]?.extensions?.code,
    ).toBe("UNAUTHENTICATED");
    const unchanged = await ok<{ appointment: { service: { name: string; status: string } } }>(
      `query($id: ID!) { appointment(id: $id) { service { name status } } }`,
      { id: appointmentId },
      patient.token,
    );
    expect(unchanged).toEqual({ appointment: { service: { name: "Knee MRI", status: "ACTIVE" } } });
  });

  it("ADMIN renames then retires it: bookings and exam orders refused, the doctor no longer offers it, history keeps it", async () => {
    expect(
      (await ok<{ updateMedicalService: { name: string } }>(UPDATE_SERVICE, { id: service.id, i: { name: "Knee MRI (3 T)" } }, tokens.ADMIN))
        .updateMedicalService.name,
    ).toBe("Knee MRI (3 T)");
    const retired = await ok<{ retireMedicalService: { status: string; retiredAt: string | null } }>(RETIRE_SERVICE, { id: service.id }, tokens.ADMIN);
    expect(retired.retireMedicalService).toMatchObject({ status: "RETIRED", retiredAt: expect.any(String) });
    // Scheduling's projection of the catalogue and its copy of the doctor follow doctors' events.
    await stack.eventsSettled();

    const refused = await graphql(url, REQUEST, { i: { slotId: await freeSlotId(url, doctor.id, 1), serviceId: service.id } }, patient.token);
    expect(refused.errors?.[0]).toMatchObject({ message: "service retired", extensions: { code: "BAD_USER_INPUT" } });
    const reception = await graphql(
      url,
      REQUEST,
      { i: { slotId: await freeSlotId(url, doctor.id, 1), serviceId: service.id, patientId: patient.id } },
      tokens.RECEPTIONIST,
    );
    expect(reception.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const slots = await ok<{ availableSlots: unknown[] }>(`query($f: SlotFilter!) { availableSlots(filter: $f, first: 5) { id } }`, {
      f: { serviceId: service.id, from: "2027-03-22T00:00:00Z", to: "2027-04-01T00:00:00Z" },
    });
    expect(slots.availableSlots).toEqual([]);

    const offered = await ok<{ doctor: { services: { code: string }[]; specialty: { code: string } } }>(
      `query($id: ID!) { doctor(id: $id) { services { code } specialty { code } } }`,
      { id: doctor.id },
    );
    expect(offered.doctor).toEqual({ services: [], specialty: { code: specialty.code } });
    const lists = await ok<{ active: { code: string }[]; all: { code: string; status: string }[] }>(
      `{ active: medicalServices(kind: IMAGING) { code } all: medicalServices(kind: IMAGING, includeRetired: true) { code status } }`,
    );
    expect(lists.active.map((s) => s.code)).not.toContain(service.code);
    expect(lists.all).toContainEqual({ code: service.code, status: "RETIRED" });

    // A walk-in with the same doctor: the retired service cannot be ordered as an examination.
    const walkIn = await ok<{ registerWalkIn: { id: string } }>(
      `mutation($p: ID!, $d: ID!) { registerWalkIn(patientId: $p, doctorId: $d) { id } }`,
      { p: patient.id, d: doctor.id },
      tokens.RECEPTIONIST,
    );
    await ok(`mutation($id: ID!) { startEncounter(id: $id) { status } }`, { id: walkIn.registerWalkIn.id }, doctor.token);
    const order = await graphql(
      url,
      `
        mutation ($e: ID!, $s: ID!) {
          orderExamination(encounterId: $e, serviceId: $s) {
            id
          }
        }
      `,
      { e: walkIn.registerWalkIn.id, s: service.id },
      doctor.token,
    );
    expect(order.errors?.[0]).toMatchObject({ message: "service retired", extensions: { code: "BAD_USER_INPUT" } });

    // The appointment booked before still names the service, under its current name.
    const history = await ok<{ appointment: { status: string; service: { id: string; name: string; code: string; status: string } } }>(
      `query($id: ID!) { appointment(id: $id) { status service { id name code status } } }`,
      { id: appointmentId },
      patient.token,
    );
    expect(history.appointment).toEqual({ status: "BOOKED", service: { id: service.id, name: "Knee MRI (3 T)", code: service.code, status: "RETIRED" } });
  });

  it("a retired specialty or service is no longer given to a doctor; a specialty in use is not retired", async () => {
    const inUse = await graphql(
      url,
      `
        mutation ($id: ID!) {
          retireSpecialty(id: $id) {
            status
          }
        }
      `,
      { id: specialty.id },
      tokens.ADMIN,
    );
    expect(inUse.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "INVALID_STATE" });
    const given = await graphql(
      url,
      `
        mutation ($id: ID!, $i: UpdateDoctorInput!) {
          updateDoctor(id: $id, input: $i) {
            id
          }
        }
      `,
      { id: doctor.id, i: { serviceCodes: [service.code] } },
      tokens.ADMIN,
    );
    expect(given.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.serviceCodes" });
  });
});
