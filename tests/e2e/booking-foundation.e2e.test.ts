/**
 * The booking flow end to end through the router (HTTP only, no subgraph is called directly):
 * admin logs in → creates a doctor with a weekly schedule → a patient registers → the patient lists
 * doctors by specialty and sees the doctor's name and the doctor's user e-mail resolved across subgraphs.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { uniqueEmail } from "@clinigraph/testing";
import { graphql, startStack, type Stack } from "../support/stack.js";

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken user { id role } } }`;

describe("foundation flow through the router", () => {
  it("admin creates a scheduled doctor; a new patient finds them by specialty with the user resolved from accounts", async () => {
    const url = stack.routerUrl;
    const login = await graphql<{ login: { accessToken: string; user: { role: string } } }>(url, LOGIN, { e: stack.admin.email, p: stack.admin.password });
    expect(login.errors).toBeUndefined();
    expect(login.data?.login.user.role).toBe("ADMIN");
    const adminToken = login.data!.login.accessToken;

    const doctorEmail = uniqueEmail("dr.derm");
    const created = await graphql<{ createDoctor: { id: string; name: string; timezone: string; specialty: { code: string } } }>(
      url,
      `
        mutation ($i: CreateDoctorInput!) {
          createDoctor(input: $i) {
            id
            name
            timezone
            specialty {
              code
            }
          }
        }
      `,
      {
        i: {
          email: doctorEmail,
          password: "Doctor-password-1",
          name: "Dr. Dora Derm",
          specialtyCode: "DERM",
          timezone: "Europe/Berlin",
          location: "Berlin Mitte",
          serviceCodes: ["SPECIALIST_CONSULT"],
          autoApprove: false,
        },
      },
      adminToken,
    );
    expect(created.errors).toBeUndefined();
    const doctorId = created.data!.createDoctor.id;

    const schedule = await graphql<{ setWeeklySchedule: { weeklySchedule: { dayOfWeek: string; startTime: string; endTime: string; slotMinutes: number }[] } }>(
      url,
      `
        mutation ($d: ID!, $r: [ScheduleRuleInput!]!) {
          setWeeklySchedule(doctorId: $d, rules: $r) {
            weeklySchedule {
              dayOfWeek
              startTime
              endTime
              slotMinutes
            }
          }
        }
      `,
      {
        d: doctorId,
        r: [
          { dayOfWeek: "MONDAY", startTime: "09:00", endTime: "12:00", slotMinutes: 30 },
          { dayOfWeek: "THURSDAY", startTime: "14:00", endTime: "18:00", slotMinutes: 20 },
        ],
      },
      adminToken,
    );
    expect(schedule.errors).toBeUndefined();
    expect(schedule.data?.setWeeklySchedule.weeklySchedule).toEqual(
      expect.arrayContaining([{ dayOfWeek: "MONDAY", startTime: "09:00", endTime: "12:00", slotMinutes: 30 }]),
    );

    // The new doctor can sign in with the account createDoctor made in accounts.
    const doctorLogin = await graphql<{ login: { user: { role: string } } }>(url, LOGIN, { e: doctorEmail, p: "Doctor-password-1" });
    expect(doctorLogin.data?.login.user.role).toBe("DOCTOR");

    const registered = await graphql<{ registerPatient: { accessToken: string } }>(
      url,
      `
        mutation ($i: RegisterPatientInput!) {
          registerPatient(input: $i) {
            accessToken
            user {
              id
              role
            }
          }
        }
      `,
      { i: { email: uniqueEmail("patient"), password: "Patient-password-1", name: "Paula Patient", dateOfBirth: "1988-02-29" } },
    );
    expect(registered.errors).toBeUndefined();
    const patientToken = registered.data!.registerPatient.accessToken;

    const listed = await graphql<{
      doctors: { edges: { node: { id: string; name: string; specialty: { name: string }; user: { email: string; name: string } } }[] };
    }>(
      url,
      `
        query {
          doctors(filter: { specialty: "DERM" }, first: 10) {
            edges {
              node {
                id
                name
                specialty {
                  name
                }
                weeklySchedule {
                  dayOfWeek
                }
                user {
                  email
                  name
                }
              }
            }
            pageInfo {
              hasNextPage
            }
          }
        }
      `,
      {},
      patientToken,
    );
    expect(listed.errors).toBeUndefined();
    const node = listed.data!.doctors.edges.find((e) => e.node.id === doctorId)?.node;
    expect(node).toMatchObject({ name: "Dr. Dora Derm", user: { email: doctorEmail, name: "Dr. Dora Derm" } });
  });

  it("answers bad input with clear error codes, never a 500", async () => {
    const url = stack.routerUrl;
    const admin = await graphql<{ login: { accessToken: string } }>(url, LOGIN, { e: stack.admin.email, p: stack.admin.password });
    const token = admin.data!.login.accessToken;

    const malformed = await graphql(url, `{ doctors(first: 1) { edges { node { id } }`);
    expect(malformed.status).toBe(400);
    expect(malformed.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");

    const wrongPassword = await graphql(url, LOGIN, { e: stack.admin.email, p: "Wrong-password-9" });
    expect(wrongPassword.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");

    const email = uniqueEmail("dup");
    const REGISTER = `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { user { id } } }`;
    await graphql(url, REGISTER, { i: { email, password: "Patient-password-1", name: "First" } });
    const duplicate = await graphql(url, REGISTER, { i: { email, password: "Patient-password-1", name: "Second" } });
    expect(duplicate.errors?.[0]?.extensions).toMatchObject({ code: "CONFLICT", reason: "EMAIL_TAKEN", field: "input.email" });

    const weak = await graphql(url, REGISTER, { i: { email: uniqueEmail("weak"), password: "short", name: "Weak" } });
    expect(weak.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");

    const CREATE = `mutation($i: CreateDoctorInput!) { createDoctor(input: $i) { id } }`;
    const base = { email: uniqueEmail("dr.bad"), password: "Doctor-password-1", name: "Dr. Bad", specialtyCode: "GP", timezone: "Europe/Berlin" };
    const badZone = await graphql(url, CREATE, { i: { ...base, timezone: "Mars/Olympus" } }, token);
    expect(badZone.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const badSpecialty = await graphql(url, CREATE, { i: { ...base, specialtyCode: "ASTROLOGY" } }, token);
    expect(badSpecialty.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    // Validation happens before the account is created: the e-mail is still free afterwards.
    const ok = await graphql(url, CREATE, { i: base }, token);
    expect(ok.errors).toBeUndefined();

    const unknownFilter = await graphql(
      url,
      `
        {
          doctors(filter: { specialty: "ASTROLOGY" }) {
            edges {
              node {
                id
              }
            }
          }
        }
      `,
    );
    expect(unknownFilter.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");

    const badToken = await graphql(
      url,
      `
        {
          me {
            id
          }
        }
      `,
      {},
      "not-a-jwt",
    );
    expect(badToken.status).toBe(401);
    expect(badToken.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");

    for (const res of [malformed, wrongPassword, duplicate, weak, badZone, badSpecialty, unknownFilter, badToken]) {
      expect(JSON.stringify(res)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
    }
  });

  it("locks an account after repeated failed sign-ins (RATE_LIMITED through the router)", async () => {
    const url = stack.routerUrl;
    const email = uniqueEmail("throttled");
    await graphql(
      url,
      `
        mutation ($i: RegisterPatientInput!) {
          registerPatient(input: $i) {
            accessToken
          }
        }
      `,
      { i: { email, password: "Patient-password-1", name: "T" } },
    );
    for (let i = 0; i < 5; i++) expect((await graphql(url, LOGIN, { e: email, p: "Wrong-password-9" })).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const locked = await graphql(url, LOGIN, { e: email, p: "Patient-password-1" });
    expect(locked.status).toBe(200);
    expect(locked.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
  });

  it("a patient cannot create doctors or staff (FORBIDDEN through the router)", async () => {
    const url = stack.routerUrl;
    const reg = await graphql<{ registerPatient: { accessToken: string } }>(
      url,
      `
        mutation ($i: RegisterPatientInput!) {
          registerPatient(input: $i) {
            accessToken
          }
        }
      `,
      { i: { email: uniqueEmail("p"), password: "Patient-password-1", name: "P" } },
    );
    const token = reg.data!.registerPatient.accessToken;
    const doctor = await graphql(
      url,
      `
        mutation {
          createDoctor(input: { name: "X", specialtyCode: "GP", timezone: "UTC", email: "x@y.test", password: "Xx-password-1" }) {
            id
          }
        }
      `,
      {},
      token,
    );
    expect(doctor.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const staff = await graphql(
      url,
      `
        mutation {
          createStaffUser(input: { email: "s@y.test", password: "Xx-password-1", name: "S", role: ADMIN }) {
            id
          }
        }
      `,
      {},
      token,
    );
    expect(staff.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
