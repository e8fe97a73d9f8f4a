/** README's "Error codes" section lists every code and every reason the platform can answer with. */
import { describe, expect, it } from "@jest/globals";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ERROR_CODES, ERROR_REASONS, REPO_ROOT } from "@clinigraph/platform";

const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
const section = readme.slice(readme.indexOf("## Error codes"), readme.indexOf("\n## ", readme.indexOf("## Error codes") + 3));
const rowsOf = (text: string) => [...text.matchAll(/^\| `([A-Z_]+)` +\|(?: `([A-Z_]+)` +\|)?/gm)].map((m) => ({ name: m[1]!, code: m[2] }));

describe("README error codes", () => {
  const rows = rowsOf(section);

  it("lists every extensions.code", () => {
    expect(rows.filter((r) => !r.code).map((r) => r.name)).toEqual(Object.keys(ERROR_CODES));
  });

  it("lists every reason with its code", () => {
    const reasons = rows.filter((r) => r.code).map((r) => [r.name, r.code]);
    expect(Object.fromEntries(reasons)).toEqual(Object.fromEntries(Object.entries(ERROR_REASONS).map(([name, { code }]) => [name, code])));
  });
});
