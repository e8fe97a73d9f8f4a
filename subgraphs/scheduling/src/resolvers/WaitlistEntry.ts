import type { WaitlistEntryResolvers } from "../generated/graphql.js";

export const WaitlistEntry: WaitlistEntryResolvers = {
  patient: (e) => ({ __typename: "Patient", id: e.patientId }),
  doctor: (e) => (e.doctorId ? { __typename: "Doctor", id: e.doctorId } : null),
  service: (e) => (e.serviceId ? { __typename: "MedicalService", id: e.serviceId } : null),
  offeredAppointment: (e, _, ctx) => (e.offeredAppointmentId ? ctx.loaders.appointments.load(e.offeredAppointmentId) : null),
};
