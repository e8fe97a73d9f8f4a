import { minutesInState } from "../domain/board.js";
import type { ClinicBoardEntryResolvers } from "../generated/graphql.js";

export const ClinicBoardEntry: ClinicBoardEntryResolvers = {
  patient: (e) => ({ __typename: "Patient", id: e.patientId }),
  doctor: (e) => ({ __typename: "Doctor", id: e.doctorId }),
  day: (e) => new Date(`${e.day}T00:00:00.000Z`),
  minutesInState: (e, _, ctx) => minutesInState(e, ctx.deps.clock()),
  unreviewedExams: (e) => e.unreviewed,
};
