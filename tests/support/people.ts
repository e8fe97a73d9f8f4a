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

/**
 * A cardiologist (SPECIALIST_CONSULT) who approves requests by hand (unless `autoApprove`), working Monday to
 * Thursday 09:00–12:00 in 30-minute slots (Europe/Berlin), signed in.
 */
export async function createScheduledDoctor(url: string, adminToken: string, name: string, options: { autoApprove?: boolean } = {}): Promise<ScheduledDoctor> {
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
        specialtyCode: "CARD",
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
      r: ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY"].map((dayOfWeek) => ({ dayOfWeek, startTime: "09:00", endTime: "12:00", slotMinutes: 30 })),
    },
    adminToken,
  );
  return { id: createDoctor.id, userId: createDoctor.user.id, token: await signIn(url, email, password) };
}
