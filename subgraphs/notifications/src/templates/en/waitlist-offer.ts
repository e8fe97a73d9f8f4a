import type { MessageTemplate } from "../template.js";

/**
 * To the patient: a time they waited for was freed and taken for them, booked (BOOKED) or waiting for the doctor (PENDING).
 * To the doctor: a patient from the waiting list got the time. `status` other than BOOKED is PENDING.
 */
export default {
  subject: `{audience, select, doctor {{status, select, BOOKED {New appointment from your waiting list: {time}} other {Waiting-list appointment for {time} awaits your approval}}} other {{status, select, BOOKED {A time opened up and is booked for you: {time}} other {A time opened up for you, awaiting confirmation: {time}}}}}`,
  text: `{hasRecipient, select, yes {Hello {recipientName},} other {Hello,}}

{audience, select, doctor {{status, select, BOOKED {A patient from your waiting list has been booked into a time that became free.} other {A time that became free has been offered to a patient from your waiting list and awaits your approval.}}} other {{status, select, BOOKED {Good news: a time you were waiting for has become free, and we have booked it for you.} other {Good news: a time you were waiting for has become free, and we are holding it for you. It now awaits the doctor's confirmation; we will let you know as soon as they answer.}}}}

When: {timeLong}{audience, select, doctor {{hasPatient, select, yes {
Patient: {patientName}} other {}}} other {
Doctor: {doctorName}}}{hasService, select, yes {
Service: {serviceName}} other {}}{hasLocation, select, yes {
Where: {location}} other {}}

{audience, select, doctor {{status, select, BOOKED {See it in the app: {link}} other {Approve or decline it in the app: {link}}}} other {{status, select, BOOKED {If the time does not suit you, you can cancel it in the app: {link}} other {See it in the app: {link}}}}}`,
  short: `{audience, select, doctor {{status, select, BOOKED {New appointment from your waiting list: {time}. {link}} other {Waiting-list appointment for {time} awaits your approval: {link}}}} other {{status, select, BOOKED {A time opened up and is booked for you: {time}{hasLocation, select, yes {, {location}} other {}}. {link}} other {A time opened up for you: {time}, awaiting the doctor's confirmation. {link}}}}}`,
} satisfies MessageTemplate;
