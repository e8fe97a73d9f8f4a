import type { PatientCardResolvers } from "../generated/graphql.js";

export const PatientCard: PatientCardResolvers = {
  patient: (card) => ({ __typename: "Patient", id: card.patientId }),
};
