/**
 * The demo clinic, created through the router's public API (the same mutations a front end uses), so
 * seeding exercises the real paths and never writes another subgraph's tables. Idempotent: anything
 * that already exists (CONFLICT) is left as it is.
 */
import { GraphQLRequestError, gql } from "./graphqlClient.js";

export const DEMO_PASSWORD = "Clinigraph-demo-1";

const weekdays = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"] as const;
const rules = (startTime: string, endTime: string, slotMinutes: number, days: readonly string[] = weekdays) =>
  days.map((dayOfWeek) => ({ dayOfWeek, startTime, endTime, slotMinutes }));

export const DEMO_STAFF = [
  { email: "reception@clinigraph.demo", name: "Rita Reception", role: "RECEPTIONIST", phone: "+4930100001" },
  { email: "examiner@clinigraph.demo", name: "Erik Examiner", role: "EXAMINER", phone: "+4930100002" },
  { email: "billing@clinigraph.demo", name: "Bea Billing", role: "BILLING", phone: "+4930100003" },
  { email: "stakeholder@clinigraph.demo", name: "Sam Stakeholder", role: "STAKEHOLDER", phone: "+4930100004" },
];

export const DEMO_DOCTORS = [
  {
    email: "dr.hart@clinigraph.demo",
    name: "Dr. Amelia Hart",
    specialtyCode: "GP",
    timezone: "Europe/Berlin",
    location: "Berlin Mitte",
    serviceCodes: ["GENERAL_CHECKUP", "LAB_BLOOD"],
    autoApprove: true,
    rules: rules("09:00", "13:00", 30),
  },
  {
    email: "dr.weber@clinigraph.demo",
    name: "Dr. Lucas Weber",
    specialtyCode: "GP",
    timezone: "Europe/Berlin",
    location: "Berlin Kreuzberg",
    serviceCodes: ["GENERAL_CHECKUP"],
    autoApprove: false,
    rules: rules("13:00", "18:00", 20),
  },
  {
    email: "dr.rossi@clinigraph.demo",
    name: "Dr. Sofia Rossi",
    specialtyCode: "CARD",
    timezone: "Europe/Berlin",
    location: "Berlin Mitte",
    serviceCodes: ["SPECIALIST_CONSULT", "PROC_ECG"],
    autoApprove: false,
    rules: rules("08:00", "12:00", 30, ["MONDAY", "WEDNESDAY", "FRIDAY"]),
  },
  {
    email: "dr.sato@clinigraph.demo",
    name: "Dr. Kenji Sato",
    specialtyCode: "CARD",
    timezone: "America/New_York",
    location: "New York Midtown",
    serviceCodes: ["SPECIALIST_CONSULT"],
    autoApprove: true,
    rules: rules("10:00", "16:00", 45, ["TUESDAY", "THURSDAY"]),
  },
  {
    email: "dr.cohen@clinigraph.demo",
    name: "Dr. Maya Cohen",
    specialtyCode: "DERM",
    timezone: "Europe/Berlin",
    location: "Berlin Kreuzberg",
    serviceCodes: ["SPECIALIST_CONSULT"],
    autoApprove: true,
    rules: rules("09:00", "15:00", 30),
  },
  {
    email: "dr.petrova@clinigraph.demo",
    name: "Dr. Olga Petrova",
    specialtyCode: "OBGYN",
    timezone: "Europe/Berlin",
    location: "Berlin Mitte",
    serviceCodes: ["SPECIALIST_CONSULT", "IMG_ULTRASOUND", "OP_CSECTION"],
    autoApprove: false,
    rules: rules("08:00", "14:00", 60, ["MONDAY", "TUESDAY", "THURSDAY"]),
  },
  {
    email: "dr.nguyen@clinigraph.demo",
    name: "Dr. Minh Nguyen",
    specialtyCode: "PED",
    timezone: "Europe/Berlin",
    location: "Berlin Mitte",
    serviceCodes: ["GENERAL_CHECKUP", "SPECIALIST_CONSULT"],
    autoApprove: true,
    rules: rules("09:00", "17:00", 30),
  },
  {
    // Urgent care around the clock: there is always a visit to book, check in and walk through today, whatever the hour.
    email: "dr.okafor@clinigraph.demo",
    name: "Dr. Chidi Okafor",
    specialtyCode: "GP",
    timezone: "Europe/Berlin",
    location: "Berlin Mitte urgent care",
    serviceCodes: ["GENERAL_CHECKUP", "LAB_BLOOD"],
    autoApprove: true,
    rules: rules("00:00", "24:00", 30, ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]),
  },
];

const FIRST = ["Anna", "Ben", "Chloe", "David", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Leon"];
export const DEMO_PATIENTS = FIRST.map((first, i) => ({
  email: `patient${String(i + 1).padStart(2, "0")}@clinigraph.demo`,
  name: `${first} Demo`,
  phone: `+49151000${String(i + 1).padStart(4, "0")}`,
  dateOfBirth: `${1950 + i * 5}-0${(i % 9) + 1}-1${i % 9}`,
  gender: (["FEMALE", "MALE", "OTHER"] as const)[i % 3],
}));

async function ignoreConflict<T>(work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof GraphQLRequestError && err.code === "CONFLICT") return null;
    throw err;
  }
}

export async function seedDemoClinic(routerUrl: string, admin: { email: string; password: string }, log: (line: string) => void = () => undefined) {
  const { login } = await gql<{ login: { accessToken: string } }>(
    routerUrl,
    `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`,
    {
      e: admin.email,
      p: admin.password,
    },
  );
  const token = login.accessToken;

  for (const staff of DEMO_STAFF) {
    await ignoreConflict(() =>
      gql(routerUrl, `mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }`, { i: { ...staff, password: DEMO_PASSWORD } }, token),
    );
  }

  let createdDoctors = 0;
  for (const { rules: weekly, ...doctor } of DEMO_DOCTORS) {
    const created = await ignoreConflict(() =>
      gql<{ createDoctor: { id: string } }>(
        routerUrl,
        `mutation($i: CreateDoctorInput!) { createDoctor(input: $i) { id } }`,
        { i: { ...doctor, password: DEMO_PASSWORD } },
        token,
      ),
    );
    if (!created) continue;
    createdDoctors++;
    await gql(
      routerUrl,
      `mutation($d: ID!, $r: [ScheduleRuleInput!]!) { setWeeklySchedule(doctorId: $d, rules: $r) { id } }`,
      { d: created.createDoctor.id, r: weekly },
      token,
    );
  }

  // Registered as the admin (staff are not held by the per-address registration limit or the e-mail code). Demo
  // patients have no national id: reception would set one with setPatientNationalId after seeing a document.
  let createdPatients = 0;
  for (const patient of DEMO_PATIENTS) {
    const created = await ignoreConflict(() =>
      gql(
        routerUrl,
        `mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { user { id } } }`,
        { i: { ...patient, password: DEMO_PASSWORD } },
        token,
      ),
    );
    if (created) createdPatients++;
  }
  log(`demo clinic: ${createdDoctors} doctors and ${createdPatients} patients created (existing ones kept)`);
}
