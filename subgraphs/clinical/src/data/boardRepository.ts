/** clinical.board_entries: the clinic board's read model. */
import type { BoardEntry, BoardState } from "../domain/board.js";
import type { BoardRepository } from "../domain/ports.js";
import type { Prisma, Tx } from "./prisma.js";

const dayDate = (day: string) => new Date(`${day}T00:00:00.000Z`);

const toBoardEntry = (row: Prisma.BoardEntryGetPayload<object>): BoardEntry => ({
  encounterId: row.encounterId,
  appointmentId: row.appointmentId,
  day: row.day.toISOString().slice(0, 10),
  patientId: row.patientId,
  doctorId: row.doctorId,
  state: row.state as BoardState,
  since: row.since,
  arrivedAt: row.arrivedAt,
  pendingExams: row.pendingExams,
  unreviewed: row.unreviewed,
  updatedAt: row.updatedAt,
});

export const createBoardRepository = (db: Tx): BoardRepository => ({
  async ofDay(day, limit) {
    const rows = await db.boardEntry.findMany({ where: { day: dayDate(day) }, orderBy: [{ arrivedAt: "asc" }, { encounterId: "asc" }], take: limit });
    return rows.map(toBoardEntry);
  },
  async lock(encounterId) {
    await db.$queryRaw`SELECT 1 FROM clinical.board_entries WHERE encounter_id = ${encounterId}::uuid FOR UPDATE`;
    const row = await db.boardEntry.findUnique({ where: { encounterId } });
    return row ? toBoardEntry(row) : null;
  },
  async save(entry) {
    const values = { ...entry, day: dayDate(entry.day) };
    await db.boardEntry.upsert({ where: { encounterId: entry.encounterId }, create: values, update: values });
  },
});
