/** The GraphQL operations the tests send, and the shapes they read back. */

export const APPOINTMENT_FIELDS = `id status startsAt endsAt reason holdExpiresAt overbooked needsAttention allowedTransitions
  patient { id } doctor { id } service { id }
  history { at actorId actorRole action fromStatus toStatus fromStartsAt toStartsAt reason }
  feedback { rating comment submittedAt hidden }`;
const RESULT_FIELDS = `__typename ... on Appointment { ${APPOINTMENT_FIELDS} } ... on SlotUnavailable { code message alternatives { id startsAt status doctor { id } } }`;

export const REQUEST = `mutation($input: RequestAppointmentInput!) { requestAppointment(input: $input) { ${RESULT_FIELDS} } }`;
export const APPROVE = `mutation($id: ID!) { approveAppointment(id: $id) { ${APPOINTMENT_FIELDS} } }`;
export const REJECT = `mutation($id: ID!, $reason: String) { rejectAppointment(id: $id, reason: $reason) { ${APPOINTMENT_FIELDS} } }`;
export const RESCHEDULE = `mutation($id: ID!, $slotId: ID!) { rescheduleAppointment(id: $id, slotId: $slotId) { ${RESULT_FIELDS} } }`;
export const CANCEL = `mutation($id: ID!, $reason: String) { cancelAppointment(id: $id, reason: $reason) { ${APPOINTMENT_FIELDS} } }`;
export const CHECK_IN = `mutation($id: ID!) { checkInAppointment(id: $id) { ${APPOINTMENT_FIELDS} } }`;
export const NO_SHOW = `mutation($id: ID!) { markNoShow(id: $id) { ${APPOINTMENT_FIELDS} } }`;
export const FULFILL = `mutation($id: ID!) { fulfillAppointment(id: $id) { ${APPOINTMENT_FIELDS} } }`;
export const JOIN_WAITLIST = `mutation($input: WaitlistInput!) { joinWaitlist(input: $input) {
  id status from to patient { id } doctor { id } service { id } offeredAppointment { id status startsAt } } }`;
export const OVERBOOK = `mutation($input: OverbookInput!) { overbookAppointment(input: $input) { ${APPOINTMENT_FIELDS} } }`;
export const FEEDBACK = `mutation($id: ID!, $rating: Int!, $comment: String) { submitFeedback(appointmentId: $id, rating: $rating, comment: $comment) { ${APPOINTMENT_FIELDS} } }`;
export const SYNC = `mutation($doctorId: ID!) { syncDoctorSlots(doctorId: $doctorId) }`;

export const APPOINTMENT = `query($id: ID!) { appointment(id: $id) { ${APPOINTMENT_FIELDS} } }`;
export const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Appointment { id status patient { id } doctor { id } }
  ... on Slot { id slotStatus: status startsAt endsAt doctor { id } } } }`;
export const MY_WAITLIST = `{ myWaitlist { id status from to offeredAppointment { id status startsAt holdExpiresAt } } }`;
export const AVAILABLE = `query($filter: SlotFilter!, $first: Int) { availableSlots(filter: $filter, first: $first) { id startsAt endsAt status doctor { id } } }`;

export interface ChangeView {
  at: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  fromStartsAt: string | null;
  toStartsAt: string | null;
  reason: string | null;
}

export interface AppointmentView {
  __typename?: "Appointment";
  id: string;
  status: string;
  startsAt: string;
  endsAt: string;
  reason: string | null;
  holdExpiresAt: string | null;
  overbooked: boolean;
  needsAttention: boolean;
  allowedTransitions: string[];
  patient: { id: string };
  doctor: { id: string };
  service: { id: string } | null;
  history: ChangeView[];
  feedback: { rating: number; comment: string | null; submittedAt: string; hidden: boolean } | null;
}

export interface SlotView {
  id: string;
  startsAt: string;
  endsAt?: string;
  status: string;
  doctor: { id: string };
}

export interface SlotUnavailableView {
  __typename: "SlotUnavailable";
  code: "SLOT_TAKEN" | "TOO_SOON" | "DOCTOR_UNAVAILABLE";
  message: string;
  alternatives: SlotView[];
}

export type BookingView = (AppointmentView & { __typename: "Appointment" }) | SlotUnavailableView;

export interface WaitlistView {
  id: string;
  status: string;
  from: string;
  to: string;
  offeredAppointment: { id: string; status: string; startsAt: string; holdExpiresAt?: string | null } | null;
}
