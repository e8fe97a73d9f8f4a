/** clinical.encounters: the EncounterRepository port (summary and refusal reason sealed at rest). */
import { randomUUID } from "node:crypto";
import { isUuid, type FieldCipher, type Sql } from "@clinigraph/platform";
import type { EncounterChange, EncounterRepository, NewEncounter } from "../domain/ports.js";
import { ENCOUNTER_COLUMNS, seal, toEncounter, type EncounterRow } from "./mappers.js";

const INSERT = `INSERT INTO clinical.encounters (id, patient_id, doctor_id, doctor_user_id, appointment_id, status, arrived_at, registered_by, updated_at)
  VALUES ($1, $2, $3, $4, $5, 'ARRIVED', $6, $7, $8)`;

const insertValues = (e: NewEncounter) => [randomUUID(), e.patientId, e.doctorId, e.doctorUserId, e.appointmentId, e.arrivedAt, e.registeredBy, e.updatedAt];

/** The columns a change may set, by field of EncounterChange (sealed fields take their sealed value). */
const CHANGE_COLUMNS: Readonly<Record<keyof EncounterChange, string>> = {
  status: "status",
  startedAt: "started_at",
  endedAt: "ended_at",
  summary: "summary_enc",
  refusalReason: "refusal_reason_enc",
  outcomeConfirmedAt: "outcome_confirmed_at",
  outcomeConfirmedBy: "outcome_confirmed_by",
};

export function createEncounterRepository(db: Sql, cipher: FieldCipher): EncounterRepository {
  const many = async (text: string, values: unknown[]) => (await db.query<EncounterRow>(text, values)).rows.map((row) => toEncounter(cipher, row));
  const one = async (text: string, values: unknown[]) => (await many(text, values))[0] ?? null;
  return {
    byId: (id) => one(`SELECT ${ENCOUNTER_COLUMNS} FROM clinical.encounters WHERE id = $1`, [id]),
    async byIds(ids) {
      const wanted = ids.filter(isUuid);
      return wanted.length === 0 ? [] : many(`SELECT ${ENCOUNTER_COLUMNS} FROM clinical.encounters WHERE id = ANY ($1::uuid[])`, [wanted]);
    },
    byAppointment: (appointmentId) => one(`SELECT ${ENCOUNTER_COLUMNS} FROM clinical.encounters WHERE appointment_id = $1`, [appointmentId]),
    list: ({ from, to, doctorId, doctorUserId, status }, limit) =>
      many(
        `SELECT ${ENCOUNTER_COLUMNS} FROM clinical.encounters
         WHERE arrived_at >= $1 AND arrived_at < $2
           AND ($3::uuid IS NULL OR doctor_id = $3) AND ($4::uuid IS NULL OR doctor_user_id = $4)
           AND ($5::clinical."EncounterStatus" IS NULL OR status = $5)
         ORDER BY arrived_at, id LIMIT $6`,
        [from, to, doctorId ?? null, doctorUserId ?? null, status ?? null, limit],
      ),
    ofPatient: (patientId) => many(`SELECT ${ENCOUNTER_COLUMNS} FROM clinical.encounters WHERE patient_id = $1 ORDER BY arrived_at DESC, id`, [patientId]),
    async patientsTreatedBy(doctorUserId, patientIds) {
      if (patientIds.length === 0) return [];
      const { rows } = await db.query<{ patient_id: string }>(
        `SELECT DISTINCT patient_id FROM clinical.encounters WHERE doctor_user_id = $1 AND patient_id = ANY ($2::uuid[])`,
        [doctorUserId, [...patientIds]],
      );
      return rows.map((r) => r.patient_id);
    },
    lock: (id, mode = "update") =>
      one(`SELECT ${ENCOUNTER_COLUMNS} FROM clinical.encounters WHERE id = $1 ${mode === "share" ? "FOR SHARE" : "FOR UPDATE"}`, [id]),
    async add(e) {
      return (await one(`${INSERT} RETURNING ${ENCOUNTER_COLUMNS}`, insertValues(e)))!;
    },
    async createForAppointment(e) {
      // Inserted, or else the appointment's encounter as it is: one statement.
      const text = `WITH inserted AS (${INSERT} ON CONFLICT (appointment_id) DO NOTHING RETURNING ${ENCOUNTER_COLUMNS})
        SELECT *, true AS created FROM inserted
        UNION ALL
        SELECT ${ENCOUNTER_COLUMNS}, false AS created FROM clinical.encounters WHERE appointment_id = $5 AND NOT EXISTS (SELECT 1 FROM inserted)`;
      const { rows } = await db.query<EncounterRow & { created: boolean }>(text, insertValues(e));
      const row = rows[0];
      if (row) return { encounter: toEncounter(cipher, row), created: row.created };
      // The conflicting row was committed by a concurrent check-in after this statement's snapshot: read it now.
      const existing = await one(`SELECT ${ENCOUNTER_COLUMNS} FROM clinical.encounters WHERE appointment_id = $1`, [e.appointmentId]);
      if (!existing) throw new Error(`encounter of appointment ${e.appointmentId} neither inserted nor found`);
      return { encounter: existing, created: false };
    },
    async change(id, version, change, at) {
      const values: unknown[] = [id, version, at];
      const set = ["version = version + 1", "updated_at = $3"];
      for (const [field, column] of Object.entries(CHANGE_COLUMNS) as [keyof EncounterChange, string][]) {
        const value = change[field];
        if (value === undefined) continue;
        values.push(field === "summary" || field === "refusalReason" ? seal(cipher, value as string | null) : value);
        set.push(`${column} = $${values.length}`);
      }
      return one(`UPDATE clinical.encounters SET ${set.join(", ")} WHERE id = $1 AND version = $2 RETURNING ${ENCOUNTER_COLUMNS}`, values);
    },
  };
}
