import type { SchedulingContext } from "../context.js";

interface EntryRow {
  patientId: string;
  doctorId: string | null;
  serviceId: string | null;
  offeredAppointmentId: string | null;
}

export const WaitlistEntry = {
  patient: (e: EntryRow) => ({ __typename: "Patient", id: e.patientId }),
  doctor: (e: EntryRow) => (e.doctorId ? { __typename: "Doctor", id: e.doctorId } : null),
  service: (e: EntryRow) => (e.serviceId ? { __typename: "MedicalService", id: e.serviceId } : null),
  offeredAppointment: (e: EntryRow, _: unknown, ctx: SchedulingContext) => (e.offeredAppointmentId ? ctx.appointments.load(e.offeredAppointmentId) : null),
};
