/**
 * `schema/events/catalogue.json`: the event catalogue as a committed, reviewable file, generated from
 * `EVENT_SPECS` (`pnpm events:catalogue`; `--check` fails when it is stale, as `pnpm compose:check`).
 */
import { readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT } from "@clinigraph/platform";
import { deadLetterStream } from "./bus.js";
import { EVENT_SPECS, EVENT_TYPES, STREAMS, type FieldDescription } from "./catalogue.js";

export const CATALOGUE_FILE = path.join(REPO_ROOT, "schema", "events", "catalogue.json");

const field = (spec: FieldDescription) => ({
  type: spec.kind,
  required: !spec.optional,
  nullable: spec.nullable ?? false,
  description: spec.description,
});

export function renderCatalogue(): string {
  const streams = Object.fromEntries(
    Object.values(STREAMS).map((stream) => [
      stream,
      {
        deadLetters: deadLetterStream(stream, "<group>"),
        events: Object.fromEntries(EVENT_TYPES.filter((type) => EVENT_SPECS[type].stream === stream).map((type) => [type, EVENT_SPECS[type].description])),
      },
    ]),
  );
  const events = Object.fromEntries(
    EVENT_TYPES.map((type) => {
      const spec = EVENT_SPECS[type];
      const data = Object.fromEntries((Object.entries(spec.data) as [string, FieldDescription][]).map(([name, f]) => [name, field(f)]));
      return [type, { stream: spec.stream, source: spec.source, subject: `data.${spec.subject}`, description: spec.description, data }];
    }),
  );
  const catalogue = {
    $comment: "Generated from packages/events/src/catalogue.ts by `pnpm events:catalogue`. Do not edit.",
    envelope: { format: "CloudEvents 1.0 (JSON)", specversion: "1.0", datacontenttype: "application/json", extensions: "sequence, traceparent" },
    streams,
    events,
  };
  return JSON.stringify(catalogue, null, 2) + "\n";
}

export type CatalogueStatus = "written" | "unchanged" | "fresh" | "stale";

export async function syncCatalogue(options: { check: boolean; file?: string }): Promise<CatalogueStatus> {
  const file = options.file ?? CATALOGUE_FILE;
  const wanted = renderCatalogue();
  const current = await readFile(file, "utf8").catch(() => undefined);
  if (options.check) return current === wanted ? "fresh" : "stale";
  if (current === wanted) return "unchanged";
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, wanted);
  return "written";
}
