/**
 * People made through the router for end-to-end tests, as an admin and a front end would make them. The operations
 * are typed documents (tests/support/operations/*.graphql → generated/operations.ts, `pnpm generate`): their variables
 * and results are checked against the supergraph by the compiler.
 */
import { print, type TypedQueryDocumentNode } from "graphql";
import { uniqueEmail } from "@clinigraph/testing";
import { eventsSettledAt, expectData, signIn } from "./stack.js";
import {
  CreateE2EDoctorDocument,
  E2EFreeSlotsDocument,
  E2ERequestSlotDocument,
  RegisterE2EPatientDocument,
  SetE2EWeeklyScheduleDocument,
  type DayOfWeek,
} from "./generated/operations.js";

/** Runs a typed document through the router and returns its data (throws on errors); its types come from the document. */
export function runOperation<R, V>(url: string, document: TypedQueryDocumentNode<R, V>, variables: V, token?: string): Promise<R> {
  return expectData<R>(url, print(document), variables as Record<string, unknown>, token);
}

export interface ScheduledDoctor {
  id: string;
  /** The doctor's user id (accounts). */
  userId: string;
  /** The doctor's sign-in (and contact) e-mail address. */
  email: string;
  token: string;
}

export interface DoctorOptions {
  /** Default false: requests wait for the doctor. */
  autoApprove?: boolean;
  /** Default CARD. */
  specialtyCode?: string;
  /** Working days, 09:00–12:00 each; default Monday to Thursday. */
  weekdays?: readonly DayOfWeek[];
  /** Codes of the services the doctor offers; default SPECIALIST_CONSULT. */
  serviceCodes?: readonly string[];
}

/**
 * A specialist (SPECIALIST_CONSULT unless `serviceCodes`, Europe/Berlin) working 09:00–12:00 in 30-minute slots on `weekdays`, who
 * approves requests by hand unless `autoApprove`, signed in, with free slots (scheduling has handled doctors' events).
 */
export async function createScheduledDoctor(url: string, adminToken: string, name: string, options: DoctorOptions = {}): Promise<ScheduledDoctor> {
  const email = uniqueEmail("dr.e2e");
  const password = "Doctor-password-1";
  const { createDoctor } = await runOperation(
    url,
    CreateE2EDoctorDocument,
    {
      input: {
        email,
        password,
        name,
        specialtyCode: options.specialtyCode ?? "CARD",
        timezone: "Europe/Berlin",
        serviceCodes: [...(options.serviceCodes ?? ["SPECIALIST_CONSULT"])],
        autoApprove: options.autoApprove ?? false,
      },
    },
    adminToken,
  );
  await runOperation(
    url,
    SetE2EWeeklyScheduleDocument,
    {
      doctorId: createDoctor.id,
      rules: (options.weekdays ?? ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY"]).map((dayOfWeek) => ({
        dayOfWeek,
        startTime: "09:00",
        endTime: "12:00",
        slotMinutes: 30,
      })),
    },
    adminToken,
  );
  if (!createDoctor.user) throw new Error("createDoctor answered without the doctor's user");
  // Scheduling makes the slots on doctors' DoctorScheduleChanged events.
  await eventsSettledAt(url);
  return { id: createDoctor.id, userId: createDoctor.user.id, email, token: await signIn(url, email, password) };
}

/** A patient registered through the router (the stack registers without e-mail codes), signed in. */
export async function registerE2EPatient(url: string, name: string, password = "Patient-password-1"): Promise<{ id: string; token: string }> {
  const { registerPatient } = await runOperation(url, RegisterE2EPatientDocument, { input: { email: uniqueEmail("patient.e2e"), password, name } });
  return { id: registerPatient.user.id, token: registerPatient.accessToken };
}

/** The id of the doctor's `index`-th free slot in [from, to) (default: the test weeks of March 2027). */
export async function freeSlotId(
  url: string,
  doctorId: string,
  index = 0,
  window = { from: "2027-03-22T00:00:00Z", to: "2027-04-01T00:00:00Z" },
): Promise<string> {
  const { availableSlots } = await runOperation(url, E2EFreeSlotsDocument, { filter: { doctorId, ...window }, first: 20 });
  const slot = availableSlots[index];
  if (!slot) throw new Error(`the doctor has no free slot #${index} in ${window.from} – ${window.to}`);
  return slot.id;
}

/** A patient requests the slot; the appointment's id (throws when the slot could not be taken). */
export async function requestSlot(url: string, token: string, slotId: string): Promise<string> {
  const { requestAppointment } = await runOperation(url, E2ERequestSlotDocument, { slotId }, token);
  if (requestAppointment.__typename !== "Appointment") throw new Error(`slot ${slotId} could not be taken`);
  return requestAppointment.id;
}
