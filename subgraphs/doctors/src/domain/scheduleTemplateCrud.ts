/** Schedule templates: ADMIN creates, changes and deletes them; ADMIN and RECEPTIONIST read them. */
import { isUuid, notFound } from "@clinigraph/platform";
import type { ScheduleTemplateRepository } from "./ports.js";
import { requireAdmin, requireSignedIn } from "./policy.js";
import { parseTemplate, type ScheduleTemplateInput } from "./scheduleTemplates.js";
import type { Actor, ScheduleTemplate } from "./types.js";
import { forbidden, type Identity } from "@clinigraph/platform";

export interface TemplateDeps {
  templates: ScheduleTemplateRepository;
}

export const templateNotFound = () => notFound("Schedule template not found");

/** ADMIN and RECEPTIONIST read templates. */
export function requireTemplateReader(identity: Identity): asserts identity is Actor {
  requireSignedIn(identity);
  if (identity.role !== "ADMIN" && identity.role !== "RECEPTIONIST") throw forbidden("Only administrators and reception can read schedule templates");
}

export async function findTemplateOrFail(templates: Pick<ScheduleTemplateRepository, "findById">, id: string): Promise<ScheduleTemplate> {
  const template = isUuid(id) ? await templates.findById(id.toLowerCase()) : null;
  if (!template) throw templateNotFound();
  return template;
}

export async function listScheduleTemplates(deps: TemplateDeps, identity: Identity): Promise<ScheduleTemplate[]> {
  requireTemplateReader(identity);
  return deps.templates.list();
}

export async function getScheduleTemplate(deps: TemplateDeps, identity: Identity, id: string): Promise<ScheduleTemplate | null> {
  requireTemplateReader(identity);
  return isUuid(id) ? deps.templates.findById(id.toLowerCase()) : null;
}

export async function createScheduleTemplate(deps: TemplateDeps, actor: Actor, input: ScheduleTemplateInput): Promise<ScheduleTemplate> {
  requireAdmin(actor);
  return deps.templates.create(parseTemplate(input));
}

/** Replaces the template's name, rules, breaks and slot length. Doctors it was applied to keep what they got. */
export async function updateScheduleTemplate(
  deps: TemplateDeps,
  actor: Actor,
  { id, input }: { id: string; input: ScheduleTemplateInput },
): Promise<ScheduleTemplate> {
  requireAdmin(actor);
  const valid = parseTemplate(input);
  const updated = isUuid(id) ? await deps.templates.update(id.toLowerCase(), valid) : null;
  if (!updated) throw templateNotFound();
  return updated;
}

/** Deletes the template (NOT_FOUND when there is none). Doctors it was applied to keep their versions. */
export async function deleteScheduleTemplate(deps: TemplateDeps, actor: Actor, id: string): Promise<true> {
  requireAdmin(actor);
  if (!isUuid(id) || !(await deps.templates.remove(id.toLowerCase()))) throw templateNotFound();
  return true;
}
