/** Schedule templates (rules and breaks as JSON arrays; the name unique case-insensitively, by an expression index). */
import { randomUUID } from "node:crypto";
import { conflict, constraintOf, sqlStateOf, SQLSTATE } from "@clinigraph/platform";
import type { ScheduleTemplateRepository } from "../domain/ports.js";
import type { ValidTemplate } from "../domain/scheduleTemplates.js";
import type { ScheduleBreak, ScheduleRule, ScheduleTemplate } from "../domain/types.js";
import { isUniqueViolation, type Db, type Prisma } from "./prisma.js";

interface TemplateRow {
  id: string;
  name: string;
  rules: Prisma.JsonValue;
  breaks: Prisma.JsonValue;
  slotMinutes: number | null;
  createdAt: Date;
  updatedAt: Date;
}

const toTemplate = (row: TemplateRow): ScheduleTemplate => ({
  id: row.id,
  name: row.name,
  rules: row.rules as unknown as ScheduleRule[],
  breaks: row.breaks as unknown as ScheduleBreak[],
  slotMinutes: row.slotMinutes,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const nameTaken = () => conflict("Another schedule template has this name", "ALREADY_EXISTS", "input.name");

/**
 * The table's one unique index besides the (random) primary key is the one on lower(name); the driver names an
 * expression index's columns inconsistently, so its constraint name is checked when given, else the SQLSTATE alone.
 */
const isNameTaken = (err: unknown) =>
  sqlStateOf(err) === SQLSTATE.UNIQUE_VIOLATION && (isUniqueViolation(err, "name") || !/pkey/.test(constraintOf(err) ?? ""));

const dataOf = (t: ValidTemplate) => ({
  name: t.name,
  rules: t.rules as unknown as Prisma.InputJsonArray,
  breaks: t.breaks as unknown as Prisma.InputJsonArray,
  slotMinutes: t.slotMinutes,
});

export function createScheduleTemplateRepository(db: Db): ScheduleTemplateRepository {
  return {
    async list() {
      const rows = await db.scheduleTemplate.findMany();
      return rows.map(toTemplate).sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.id.localeCompare(b.id));
    },
    async findById(id) {
      const row = await db.scheduleTemplate.findUnique({ where: { id } });
      return row ? toTemplate(row) : null;
    },
    async create(template) {
      try {
        const now = new Date();
        return toTemplate(await db.scheduleTemplate.create({ data: { id: randomUUID(), ...dataOf(template), createdAt: now, updatedAt: now } }));
      } catch (err) {
        if (isNameTaken(err)) throw nameTaken();
        throw err;
      }
    },
    async update(id, template) {
      try {
        const { count } = await db.scheduleTemplate.updateMany({ where: { id }, data: { ...dataOf(template), updatedAt: new Date() } });
        if (count === 0) return null;
      } catch (err) {
        if (isNameTaken(err)) throw nameTaken();
        throw err;
      }
      const row = await db.scheduleTemplate.findUnique({ where: { id } });
      return row ? toTemplate(row) : null;
    },
    async remove(id) {
      const { count } = await db.scheduleTemplate.deleteMany({ where: { id } });
      return count > 0;
    },
  };
}
