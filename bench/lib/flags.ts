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

/**
 * A whole-number option: `--flag`, else the environment variable, else the fallback; `list`: comma-separated;
 * `fractional`: any finite number ≥ min (e.g. a factor of 1.5), not only whole ones.
 */
export interface IntegerOption {
  flag: string;
  env: string;
  fallback: string;
  min: number;
  list?: boolean;
  fractional?: boolean;
}

/**
 * Reads a benchmark's whole-number options (underscores allowed: 500_000; fractional where an option says so); `--help` prints their usage under
 * `pnpm <command>`. A value below its minimum, or not a whole number, is refused with the flag's and variable's names.
 */
export function readIntegerOptions<K extends string>(
  command: string,
  spec: Record<K, IntegerOption>,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Record<K, number | number[]> {
  const specs = Object.values<IntegerOption>(spec);
  const flagWidth = Math.max(...specs.map((o) => o.flag.length)) + 2;
  const envWidth = Math.max(...specs.map((o) => o.env.length)) + 2;
  const usage = () =>
    [
      `Usage: pnpm ${command} [--flag value ...]   (or the environment variables)`,
      ...specs.map((o) => `  --${o.flag.padEnd(flagWidth)} ${o.env.padEnd(envWidth)} default ${o.fallback}`),
    ].join("\n");
  const flags = readFlags(
    argv,
    specs.map((o) => o.flag),
    usage,
  );
  const options = {} as Record<K, number | number[]>;
  for (const [key, option] of Object.entries<IntegerOption>(spec)) {
    const raw = (flags.get(option.flag) ?? env[option.env] ?? "").trim();
    const text = raw === "" ? option.fallback : raw;
    const values = (option.list ? text.split(",") : [text]).map((part) => Number(part.trim().replace(/_/g, "")));
    for (const value of values)
      if (!(option.fractional ? Number.isFinite(value) : Number.isInteger(value)) || value < option.min)
        throw new Error(
          `--${option.flag} / ${option.env} must be ${option.fractional ? (option.list ? "numbers" : "a number") : option.list ? "integers" : "an integer"} ≥ ${option.min}, got "${text}"`,
        );
    options[key as K] = option.list ? values : values[0]!;
  }
  return options;
}
