/**
 * Schedule templates through the router, on a fake clock (Monday 2027-03-22 07:00 UTC): an ADMIN creates "Tuesdays:
 * 10 slots of 30 minutes", previews it for three doctors in three time zones (Berlin changes to summer time on Sunday
 * 2027-03-28, inside the preview; New York changed on 2027-03-14; Tokyo has none) and sees each doctor's slots at
 * 09:00 local and the booking the template would leave uncovered; applies it from Tuesday 2027-03-23; then the free
 * slots are those the preview showed, in each doctor's own time zone, the day before keeps the old rules, time off
 * still blocks, and the uncovered booking is flagged for staff (needsAttention), not cancelled.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { DateTime } from "luxon";
import { uniqueEmail } from "@clinigraph/testing";
import { registerE2EPatient } from "../support/people.js";
import { expectData, graphql, signIn, startStack, type Stack } from "../support/stack.js";

const clock = { now: new Date("2027-03-22T07:00:00Z") };
let stack: Stack;
let url: string;
let adminToken: string;

const FROM = "2027-03-23";
const ZONES = { berlin: "Europe/Berlin", newYork: "America/New_York", tokyo: "Asia/Tokyo" } as const;
type Who = keyof typeof ZONES;
const doctors = {} as Record<Who, string>;
let bookingId: string;
let templateId: string;

interface PreviewSlot {
  startsAt: string;
  endsAt: string;
}
interface Preview {
  doctor: { id: string };
  timezone: string;
  slots: PreviewSlot[];
  conflicts: { appointmentId: string; startsAt: string; status: string }[];
}

const ok = <T>(query: string, variables: Record<string, unknown> = {}, token = adminToken) => expectData<T>(url, query, variables, token);

/** The local wall-clock time of each instant, in `zone`. */
const local = (isos: readonly string[], zone: string) => isos.map((iso) => DateTime.fromISO(iso, { zone }).toFormat("yyyy-MM-dd HH:mm"));
/** Ten 30-minute slots from 09:00 local on `day`. */
const tenFromNine = (day: string) => Array.from({ length: 10 }, (_, i) => `${day} ${String(9 + Math.floor(i / 2)).padStart(2, "0")}:${i % 2 ? "30" : "00"}`);

async function createDoctor(who: Who): Promise<string> {
  const { createDoctor } = await ok<{ createDoctor: { id: string } }>(`mutation($input: CreateDoctorInput!) { createDoctor(input: $input) { id } }`, {
    input: {
      email: uniqueEmail(`dr.templates.${who}`),
      password: "Doctor-password-1",
      name: `Dr. Template ${who}`,
      specialtyCode: "CARD",
      timezone: ZONES[who],
      serviceCodes: ["SPECIALIST_CONSULT"],
      autoApprove: true,
    },
  });
  // Today's schedule: weekday mornings, 09:00–12:00 in 30-minute slots.
  const rules = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"].map((dayOfWeek) => ({
    dayOfWeek,
    startTime: "09:00",
    endTime: "12:00",
    slotMinutes: 30,
  }));
  await ok(`mutation($id: ID!, $rules: [ScheduleRuleInput!]!) { setWeeklySchedule(doctorId: $id, rules: $rules) { id } }`, { id: createDoctor.id, rules });
  return createDoctor.id;
}

async function freeSlots(doctorId: string, from: string, to: string): Promise<(PreviewSlot & { id: string })[]> {
  const { availableSlots } = await ok<{ availableSlots: (PreviewSlot & { id: string })[] }>(
    `query($f: SlotFilter!) { availableSlots(filter: $f, first: 200) { id startsAt endsAt } }`,
    { f: { doctorId, from, to } },
  );
  return availableSlots;
}

beforeAll(async () => {
  stack = await startStack({ clock: () => clock.now });
  url = stack.routerUrl;
  adminToken = await signIn(url, stack.admin.email, stack.admin.password);
  for (const who of Object.keys(ZONES) as Who[]) doctors[who] = await createDoctor(who);
  // New York's doctor is away on Tuesday 30 March from 09:00 to 10:00 local.
  const away = DateTime.fromISO("2027-03-30T09:00", { zone: ZONES.newYork });
  await ok(`mutation($id: ID!, $f: DateTime!, $t: DateTime!) { addTimeOff(doctorId: $id, from: $f, to: $t) { id } }`, {
    id: doctors.newYork,
    f: away.toUTC().toISO(),
    t: away.plus({ hours: 1 }).toUTC().toISO(),
  });
  await stack.eventsSettled();
  // A patient books Berlin's Monday 29 March 10:00 (summer time: 08:00 UTC), which the template will not cover.
  const patient = await registerE2EPatient(url, "Template Patient");
  const [slot] = await freeSlots(doctors.berlin, "2027-03-29T08:00:00Z", "2027-03-29T08:30:00Z");
  const { requestAppointment } = await ok<{ requestAppointment: { __typename: string; id: string; status: string } }>(
    `mutation($i: RequestAppointmentInput!) { requestAppointment(input: $i) { __typename ... on Appointment { id status } } }`,
    { i: { slotId: slot!.id } },
    patient.token,
  );
  expect(requestAppointment).toMatchObject({ __typename: "Appointment", status: "BOOKED" });
  bookingId = requestAppointment.id;
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("schedule templates end to end", () => {
  let previews: Record<Who, Preview>;

  it('ADMIN creates "Tuesdays: 10 slots of 30 minutes"', async () => {
    const { createScheduleTemplate } = await ok<{ createScheduleTemplate: { id: string; effectiveRules: unknown[] } }>(
      `mutation($i: ScheduleTemplateInput!) { createScheduleTemplate(input: $i) { id effectiveRules { dayOfWeek startTime endTime slotMinutes } } }`,
      { i: { name: "Tuesdays: 10 slots of 30 minutes", rules: [{ dayOfWeek: "TUESDAY", startTime: "09:00", slotCount: 10, slotMinutes: 30 }] } },
    );
    expect(createScheduleTemplate.effectiveRules).toEqual([{ dayOfWeek: "TUESDAY", startTime: "09:00", endTime: "14:00", slotMinutes: 30 }]);
    templateId = createScheduleTemplate.id;
  });

  it("previews it for three doctors in three time zones: slots at 09:00 local (across Berlin's DST change) and the booking it leaves uncovered", async () => {
    const { previewScheduleTemplate } = await ok<{ previewScheduleTemplate: Preview[] }>(
      `query($t: ID!, $d: [ID!]!, $from: Date!) { previewScheduleTemplate(templateId: $t, doctorIds: $d, from: $from, days: 14) {
        doctor { id } timezone slots { startsAt endsAt } conflicts { appointmentId startsAt status } } }`,
      { t: templateId, d: [doctors.berlin, doctors.newYork, doctors.tokyo], from: FROM },
    );
    previews = { berlin: previewScheduleTemplate[0]!, newYork: previewScheduleTemplate[1]!, tokyo: previewScheduleTemplate[2]! };
    for (const who of Object.keys(ZONES) as Who[]) expect(previews[who]).toMatchObject({ doctor: { id: doctors[who] }, timezone: ZONES[who] });

    const starts = (who: Who) => previews[who].slots.map((s) => s.startsAt);
    // The same wall-clock times in each zone; Berlin's 09:00 is 08:00 UTC before the change and 07:00 UTC after it.
    expect(local(starts("berlin"), ZONES.berlin)).toEqual([...tenFromNine("2027-03-23"), ...tenFromNine("2027-03-30")]);
    expect(starts("berlin")[0]).toBe("2027-03-23T08:00:00.000Z");
    expect(starts("berlin")[10]).toBe("2027-03-30T07:00:00.000Z");
    // New York: its time off takes 09:00 and 09:30 of the 30th.
    expect(local(starts("newYork"), ZONES.newYork)).toEqual([...tenFromNine("2027-03-23"), ...tenFromNine("2027-03-30").slice(2)]);
    expect(starts("newYork")[0]).toBe("2027-03-23T13:00:00.000Z");
    expect(local(starts("tokyo"), ZONES.tokyo)).toEqual([...tenFromNine("2027-03-23"), ...tenFromNine("2027-03-30")]);
    expect(starts("tokyo")[0]).toBe("2027-03-23T00:00:00.000Z");
    expect(previews.berlin.slots.every((s) => Date.parse(s.endsAt) - Date.parse(s.startsAt) === 30 * 60_000)).toBe(true);

    expect(previews.berlin.conflicts).toEqual([{ appointmentId: bookingId, startsAt: "2027-03-29T08:00:00.000Z", status: "BOOKED" }]);
    expect(previews.newYork.conflicts).toEqual([]);
    expect(previews.tokyo.conflicts).toEqual([]);
  });

  it("applies it from a date: each doctor's free slots are the preview's, the day before keeps the old rules", async () => {
    const { applyScheduleTemplate } = await ok<{ applyScheduleTemplate: { id: string; upcomingSchedules: { from: string }[] }[] }>(
      `mutation($t: ID!, $d: [ID!]!, $from: Date!) { applyScheduleTemplate(templateId: $t, doctorIds: $d, from: $from) { id upcomingSchedules { from } } }`,
      { t: templateId, d: [doctors.berlin, doctors.newYork, doctors.tokyo], from: FROM },
    );
    expect(applyScheduleTemplate.map((d) => d.id)).toEqual([doctors.berlin, doctors.newYork, doctors.tokyo]);
    expect(applyScheduleTemplate.every((d) => d.upcomingSchedules.length === 1 && d.upcomingSchedules[0]!.from === FROM)).toBe(true);
    await stack.eventsSettled();

    for (const who of Object.keys(ZONES) as Who[]) {
      const firstDay = DateTime.fromISO(FROM, { zone: ZONES[who] });
      const after = await freeSlots(doctors[who], firstDay.toUTC().toISO()!, firstDay.plus({ days: 14 }).toUTC().toISO()!);
      expect(after.map(({ startsAt, endsAt }) => ({ startsAt, endsAt }))).toEqual(previews[who].slots);
    }
    {
      // Monday 22nd, the day before, in New York (03:00 there now; Tokyo's Monday is over, Berlin's nearly): still the
      // weekday mornings.
      const who = "newYork";
      const firstDay = DateTime.fromISO(FROM, { zone: ZONES[who] });
      const before = await freeSlots(doctors[who], clock.now.toISOString(), firstDay.toUTC().toISO()!);
      const mornings = ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"];
      const beforeLocal = local(
        before.map((s) => s.startsAt),
        ZONES[who],
      );
      expect(beforeLocal).toHaveLength(6);
      expect(beforeLocal.every((l) => l.startsWith("2027-03-22 ") && mornings.includes(l.slice(11)))).toBe(true);
    }
    // Time off still blocks: New York's 09:00 on the 30th is not offered.
    const nyTuesday = await freeSlots(doctors.newYork, "2027-03-30T13:00:00Z", "2027-03-30T14:00:00Z");
    expect(nyTuesday).toEqual([]);
  });

  it("the booking the template no longer covers is flagged for staff, not cancelled", async () => {
    const { appointment } = await ok<{ appointment: { status: string; needsAttention: boolean; startsAt: string } }>(
      `query($id: ID!) { appointment(id: $id) { status needsAttention startsAt } }`,
      { id: bookingId },
    );
    expect(appointment).toEqual({ status: "BOOKED", needsAttention: true, startsAt: "2027-03-29T08:00:00.000Z" });
    // Reception sees it in the doctor's calendar too.
    const calendar = await graphql<{ calendar: { id: string; needsAttention: boolean }[] }>(
      url,
      `
        query ($d: ID!) {
          calendar(doctorId: $d, from: "2027-03-29T00:00:00Z", to: "2027-03-30T00:00:00Z") {
            id
            needsAttention
          }
        }
      `,
      { d: doctors.berlin },
      adminToken,
    );
    expect(calendar.data?.calendar).toEqual([{ id: bookingId, needsAttention: true }]);
  });

  it("refuses a first day already past in a doctor's time zone, and a non-admin", async () => {
    const past = await graphql(
      url,
      `
        mutation ($t: ID!, $d: [ID!]!) {
          applyScheduleTemplate(templateId: $t, doctorIds: $d, from: "2027-03-21") {
            id
          }
        }
      `,
      {
        t: templateId,
        d: [doctors.tokyo],
      },
      adminToken,
    );
    expect(past.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "from" });
    const patient = await registerE2EPatient(url, "Curious Patient");
    const denied = await graphql(
      url,
      `
        {
          scheduleTemplates {
            id
          }
        }
      `,
      {},
      patient.token,
    );
    expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});
