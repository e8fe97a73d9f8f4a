/**
 * Analytics never stores a patient's or an appointment's id: only a keyed hash of it (HMAC-SHA256 under the
 * pseudonym key, 128 bits, base64url). The same id always gives the same pseudonym, so counts of distinct patients
 * and the merging of one appointment's events work; without the key nobody can go back from the pseudonym.
 */
import { createHmac } from "node:crypto";

export interface Pseudonyms {
  patient(patientId: string): string;
  appointment(appointmentId: string): string;
  /** A visit imported from another system, by that system's id. */
  imported(sourceId: string): string;
  encounter(encounterId: string): string;
  examination(examinationId: string): string;
  invoice(invoiceId: string): string;
  payment(paymentId: string): string;
}

export function createPseudonyms(key: string): Pseudonyms {
  const hash = (kind: string, id: string) => createHmac("sha256", key).update(`${kind}:${id}`).digest("base64url").slice(0, 22);
  return {
    patient: (id) => hash("patient", id),
    appointment: (id) => hash("appointment", id),
    imported: (id) => hash("import", id),
    encounter: (id) => hash("encounter", id),
    examination: (id) => hash("examination", id),
    invoice: (id) => hash("invoice", id),
    payment: (id) => hash("payment", id),
  };
}
