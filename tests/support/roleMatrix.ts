/**
 * The router's role × operation rules, one row per Query, Mutation and Subscription field of the committed supergraph
 * (tests/e2e/authorization.e2e.test.ts checks every row against the router and that no operation lacks one;
 * tests/e2e/staff-action-log.e2e.test.ts walks the mutations staff may make), and that supergraph's API schema.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { GraphQLField, GraphQLSchema } from "graphql";
import { Supergraph } from "@apollo/federation-internals";
import { REPO_ROOT, ROLES, type Role } from "@clinigraph/platform";

/** Who calls: a role, or nobody signed in. */
export type Caller = "ANONYMOUS" | Role;
export const CALLERS: readonly Caller[] = ["ANONYMOUS", ...ROLES];

/** Who passes the router, per operation. PUBLIC: everyone; SIGNED_IN: every role; else the roles named. */
export const PUBLIC = "PUBLIC" as const;
export const SIGNED_IN = "SIGNED_IN" as const;
export type Rule = typeof PUBLIC | typeof SIGNED_IN | readonly Role[];

export const MATRIX: Record<string, Rule> = {
  // accounts
  "Query.me": PUBLIC,
  "Query.patient": ["PATIENT", "DOCTOR", "RECEPTIONIST", "BILLING", "EXAMINER", "ADMIN"],
  "Query.patients": ["RECEPTIONIST", "BILLING", "EXAMINER", "ADMIN"],
  "Query.users": ["ADMIN"],
  "Query.auditLog": ["ADMIN"],
  "Query.myRecordAccess": ["PATIENT"],
  "Query.dataExport": ["PATIENT", "ADMIN"],
  "Mutation.requestMyDataExport": ["PATIENT"],
  "Mutation.requestDataExport": ["ADMIN"],
  "Mutation.deactivateUser": ["ADMIN"],
  "Mutation.reactivateUser": ["ADMIN"],
  "Mutation.changeUserRole": ["ADMIN"],
  "Mutation.updateMyProfile": SIGNED_IN,
  "Mutation.updatePatient": ["RECEPTIONIST", "ADMIN"],
  "Mutation.requestEmailChange": SIGNED_IN,
  "Mutation.confirmEmailChange": SIGNED_IN,
  "Mutation.requestRegistrationCode": PUBLIC,
  "Mutation.registerPatient": PUBLIC,
  "Mutation.login": PUBLIC,
  "Mutation.refreshSession": PUBLIC,
  "Mutation.logout": PUBLIC,
  "Mutation.createStaffUser": ["ADMIN"],
  "Mutation.changePassword": SIGNED_IN,
  "Mutation.setPatientNationalId": ["RECEPTIONIST", "ADMIN"],
  // doctors
  "Query.doctors": PUBLIC,
  "Query.doctor": PUBLIC,
  "Query.specialties": PUBLIC,
  "Query.medicalServices": PUBLIC,
  "Mutation.createDoctor": ["ADMIN"],
  "Mutation.updateDoctor": ["ADMIN", "DOCTOR"],
  "Mutation.setWeeklySchedule": ["ADMIN", "DOCTOR"],
  "Mutation.addTimeOff": ["ADMIN", "DOCTOR"],
  "Mutation.deactivateDoctor": ["ADMIN"],
  "Mutation.reactivateDoctor": ["ADMIN"],
  "Mutation.createSpecialty": ["ADMIN"],
  "Mutation.updateSpecialty": ["ADMIN"],
  "Mutation.retireSpecialty": ["ADMIN"],
  "Mutation.restoreSpecialty": ["ADMIN"],
  "Mutation.createMedicalService": ["ADMIN"],
  "Mutation.updateMedicalService": ["ADMIN"],
  "Mutation.retireMedicalService": ["ADMIN"],
  "Mutation.restoreMedicalService": ["ADMIN"],
  "Query.scheduleTemplates": ["ADMIN", "RECEPTIONIST"],
  "Query.scheduleTemplate": ["ADMIN", "RECEPTIONIST"],
  "Query.previewScheduleTemplate": ["ADMIN"],
  "Mutation.addExtraHours": ["ADMIN", "DOCTOR"],
  "Mutation.createScheduleTemplate": ["ADMIN"],
  "Mutation.updateScheduleTemplate": ["ADMIN"],
  "Mutation.deleteScheduleTemplate": ["ADMIN"],
  "Mutation.applyScheduleTemplate": ["ADMIN"],
  // scheduling
  "Query.availableSlots": PUBLIC,
  "Query.appointment": SIGNED_IN,
  "Query.myAppointments": SIGNED_IN,
  "Query.calendar": ["DOCTOR", "RECEPTIONIST", "ADMIN"],
  "Query.myWaitlist": ["PATIENT"],
  "Query.myCareRelationships": ["DOCTOR"],
  "Mutation.requestAppointment": ["PATIENT", "RECEPTIONIST", "ADMIN"],
  "Mutation.approveAppointment": ["DOCTOR", "ADMIN"],
  "Mutation.rejectAppointment": ["DOCTOR", "ADMIN"],
  "Mutation.rescheduleAppointment": ["PATIENT", "ADMIN"],
  "Mutation.cancelAppointment": ["PATIENT", "ADMIN"],
  "Mutation.checkInAppointment": ["RECEPTIONIST", "ADMIN"],
  "Mutation.markNoShow": ["DOCTOR", "ADMIN"],
  "Mutation.fulfillAppointment": ["DOCTOR", "ADMIN"],
  "Mutation.joinWaitlist": ["PATIENT"],
  "Mutation.overbookAppointment": ["ADMIN"],
  "Mutation.submitFeedback": ["PATIENT"],
  "Mutation.syncDoctorSlots": ["DOCTOR", "ADMIN"],
  "Query.feedbackSummary": ["ADMIN"],
  "Query.feedbackComments": ["ADMIN"],
  "Query.feedbackByDoctor": ["ADMIN"],
  "Query.feedbackByService": ["ADMIN"],
  "Query.myFeedbackSummary": ["DOCTOR"],
  "Query.myFeedbackComments": ["DOCTOR"],
  "Mutation.hideFeedbackComment": ["ADMIN"],
  "Mutation.unhideFeedbackComment": ["ADMIN"],
  // clinical
  "Query.encounter": SIGNED_IN,
  "Query.encounters": ["DOCTOR", "RECEPTIONIST", "ADMIN"],
  "Query.examinationWorklist": ["EXAMINER", "ADMIN"],
  "Query.patientCard": ["DOCTOR", "PATIENT"],
  "Query.myDoctor": ["DOCTOR"],
  "Query.myEncounterPatients": ["DOCTOR"],
  "Query.clinicBoard": ["RECEPTIONIST", "ADMIN", "STAKEHOLDER"],
  "Mutation.registerWalkIn": ["RECEPTIONIST", "ADMIN"],
  "Mutation.startEncounter": ["DOCTOR"],
  "Mutation.orderExamination": ["DOCTOR"],
  "Mutation.performExamination": ["EXAMINER"],
  "Mutation.cancelExamination": ["EXAMINER", "DOCTOR"],
  "Mutation.reviewExamination": ["DOCTOR"],
  "Mutation.finishEncounter": ["DOCTOR"],
  "Mutation.refuseEncounter": ["DOCTOR"],
  "Mutation.confirmVisitOutcome": ["RECEPTIONIST"],
  "Mutation.saveRecordDraft": ["DOCTOR"],
  "Mutation.signRecord": ["DOCTOR"],
  "Mutation.amendRecord": ["DOCTOR"],
  // notifications
  "Query.myNotificationPreferences": SIGNED_IN,
  "Mutation.updateNotificationPreferences": SIGNED_IN,
  "Query.myNotifications": SIGNED_IN,
  "Query.notifications": ["ADMIN"],
  "Query.pushPublicKey": PUBLIC,
  "Mutation.registerPushSubscription": SIGNED_IN,
  "Mutation.unregisterPushSubscription": SIGNED_IN,
  // billing (recordPayment is the desk's: ADMIN holds no billing or reception scope)
  "Query.myInvoices": ["PATIENT"],
  "Query.invoice": SIGNED_IN,
  "Query.invoices": ["BILLING", "RECEPTIONIST", "ADMIN"],
  "Mutation.setServicePrice": ["BILLING", "ADMIN"],
  "Mutation.issueInvoice": ["BILLING", "ADMIN"],
  "Mutation.recordPayment": ["BILLING", "RECEPTIONIST"],
  "Query.invoicePdf": SIGNED_IN,
  "Mutation.payInvoice": ["PATIENT"],
  "Mutation.refundPayment": ["BILLING", "ADMIN"],
  "Mutation.issueCreditNote": ["BILLING", "ADMIN"],
  "Query.myBillingAccount": ["PATIENT"],
  // analytics
  "Query.kpis": ["STAKEHOLDER", "ADMIN"],
  "Query.kpisCsv": ["STAKEHOLDER", "ADMIN"],
  "Query.kpisByDoctor": ["STAKEHOLDER", "ADMIN"],
  "Query.kpisBySpecialty": ["STAKEHOLDER", "ADMIN"],
  "Query.topServices": ["STAKEHOLDER", "ADMIN"],
  "Query.load": ["STAKEHOLDER", "ADMIN"],
  "Subscription.kpisToday": ["STAKEHOLDER", "ADMIN"],
  "Query.analyticsStatus": SIGNED_IN,
  "Mutation.importVisitsCsv": ["ADMIN"],
  "Query.billingAccount": ["BILLING", "RECEPTIONIST", "ADMIN"],
  "Mutation.prepayAppointment": ["PATIENT"],
  "Mutation.applyCredit": ["BILLING", "RECEPTIONIST"],
  "Subscription.appointmentRequests": ["DOCTOR", "ADMIN"],
  "Subscription.myAppointmentUpdates": ["PATIENT"],
  "Subscription.clinicBoardUpdates": ["RECEPTIONIST", "ADMIN", "STAKEHOLDER"],
  "Subscription.myEncounterUpdates": ["DOCTOR"],
};

/** Whether the rule lets the caller past the router. */
export const allows = (rule: Rule, caller: Caller) => rule === PUBLIC || (caller !== "ANONYMOUS" && (rule === SIGNED_IN || rule.includes(caller)));

/** The API schema of the committed supergraph (schema/supergraph.graphql), as clients see it. */
export const supergraphSchema: GraphQLSchema = Supergraph.build(readFileSync(path.join(REPO_ROOT, "schema", "supergraph.graphql"), "utf8"), {
  supportedFeatures: null,
})
  .apiSchema()
  .toGraphQLJSSchema();

export type RootType = "Query" | "Mutation" | "Subscription";

/** Every root field of the supergraph, with its root type. */
export const rootFields: { root: RootType; field: GraphQLField<unknown, unknown> }[] = (["Query", "Mutation", "Subscription"] as const).flatMap((root) => {
  const type = supergraphSchema.getType(root);
  return type && "getFields" in type
    ? Object.values((type as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()).map((field) => ({ root, field }))
    : [];
});
