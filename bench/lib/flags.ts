/**
 * Command-line flags of the benchmarks: `--name value` or `--name=value`, `--help` prints the usage and
 * exits; unknown flags are refused. Each benchmark turns the raw strings into its own option types.
 */
import { parseArgs } from "node:util";

export function readFlags(argv: readonly string[], names: readonly string[], usage: () => string): Map<string, string> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.filter((arg) => arg !== "--"),
      options: { help: { type: "boolean", short: "h" }, ...Object.fromEntries(names.map((name) => [name, { type: "string" as const }])) },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n${usage()}`);
  }
  if (parsed.values.help) {
    console.log(usage());
    process.exit(0);
  }
  const flags = new Map<string, string>();
  for (const name of names) {
    const value = (parsed.values as Record<string, unknown>)[name];
    if (typeof value === "string") flags.set(name, value);
  }
  return flags;
}
