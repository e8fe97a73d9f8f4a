/**
 * People made through the router for end-to-end tests, as an admin and a front end would make them.
 */
import { uniqueEmail } from "@clinigraph/testing";
import { expectData, signIn } from "./stack.js";

export interface ScheduledDoctor {
  id: string;
  /** The doctor's user id (accounts). */
  userId: string;
  token: string;
}

export interface DoctorOptions {
  /** Default false: requests wait for the doctor. */
  autoApprove?: boolean;
  /** Default CARD. */
  specialtyCode?: string;
  /** Working days, 09:00–12:00 each; default Monday to Thursday. */
  weekdays?: readonly string[];
}

/**
 * A specialist (SPECIALIST_CONSULT, Europe/Berlin) working 09:00–12:00 in 30-minute slots on `weekdays`, who
 * approves requests by hand unless `autoApprove`, signed in.
 */
export async function createScheduledDoctor(url: string, adminToken: string, name: string, options: DoctorOptions = {}): Promise<ScheduledDoctor> {
  const email = uniqueEmail("dr.e2e");
  const password = "Doctor-password-1";
  const { createDoctor } = await expectData<{ createDoctor: { id: string; user: { id: string } } }>(
    url,
    `mutation($i: CreateDoctorInput!) { createDoctor(input: $i) { id user { id } } }`,
    {
      i: {
        email,
        password,
        name,
        specialtyCode: options.specialtyCode ?? "CARD",
        timezone: "Europe/Berlin",
        serviceCodes: ["SPECIALIST_CONSULT"],
        autoApprove: options.autoApprove ?? false,
      },
    },
    adminToken,
  );
  await expectData(
    url,
    `mutation($d: ID!, $r: [ScheduleRuleInput!]!) { setWeeklySchedule(doctorId: $d, rules: $r) { id } }`,
    {
      d: createDoctor.id,
      r: (options.weekdays ?? ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY"]).map((dayOfWeek) => ({
        dayOfWeek,
        startTime: "09:00",
        endTime: "12:00",
        slotMinutes: 30,
      })),
    },
    adminToken,
  );
  return { id: createDoctor.id, userId: createDoctor.user.id, token: await signIn(url, email, password) };
}

/** A patient registered through the router (the stack registers without e-mail codes), signed in. */
export async function registerE2EPatient(url: string, name: string, password = "Patient-password-1"): Promise<{ id: string; token: string }> {
  const { registerPatient } = await expectData<{ registerPatient: { accessToken: string; user: { id: string } } }>(
    url,
    `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken user { id } } }`,
    { i: { email: uniqueEmail("patient.e2e"), password, name } },
  );
  return { id: registerPatient.user.id, token: registerPatient.accessToken };
}
