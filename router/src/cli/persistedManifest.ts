/**
 * `pnpm -s persisted:manifest <dir|file>… [--out manifest.json]`: writes an Apollo persisted query
 * manifest (the router's safelist, PERSISTED_QUERY_MANIFEST) from a client's `.graphql` operation files,
 * to stdout or to `--out`. Every operation must be named; fragments may live in any of the files.
 */
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { manifestFromDocuments, readOperationFiles } from "../persistedQueries.js";

try {
  const { values, positionals } = parseArgs({ options: { out: { type: "string" } }, allowPositionals: true });
  if (positionals.length === 0) throw new Error("usage: pnpm -s persisted:manifest <dir|file>… [--out manifest.json]");
  const documents = await readOperationFiles(positionals);
  if (documents.length === 0) throw new Error(`no .graphql or .gql files in ${positionals.join(", ")}`);
  const manifest = manifestFromDocuments(documents);
  const json = `${JSON.stringify(manifest, null, 2)}\n`;
  if (values.out) {
    await writeFile(values.out, json);
    console.error(`${values.out}: ${manifest.operations.length} operations from ${documents.length} files`);
  } else process.stdout.write(json);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
}
