/** Reading a service's `/metrics` in tests: the Prometheus text format as samples, and a wait on a scraped value. */

export interface Sample {
  /** The sample's name as exposed (a histogram's `_bucket`, `_sum`, `_count` included). */
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  /** `# TYPE` lines: metric family → counter, gauge, histogram, summary, untyped. */
  types: Map<string, string>;
}

const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const unescape = (value: string) => value.replace(/\\(.)/g, (_all, c: string) => (c === "n" ? "\n" : c));

/** Parses the Prometheus text exposition format (what prom-client writes). */
export function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.startsWith("# TYPE ")) {
      const [, , name, type] = line.split(" ");
      types.set(name!, type!);
      continue;
    }
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? "").matchAll(LABEL)) labels[key!] = unescape(value!);
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return { samples, types };
}

/** The value of the one sample named `name` whose labels include `labels` (undefined when none; throws when several). */
export function sampleValue(exposition: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = exposition.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

/** Scrapes `url` (a service's /metrics). */
export async function scrape(url: string, init?: RequestInit): Promise<Exposition> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return parseExposition(await res.text());
}

/**
 * Scrapes `url` until `test` holds for what it answers (gauges are sampled at scrape time, and a relay or a consumer
 * gets there on its own schedule), up to `timeoutMs`; answers the exposition that passed.
 */
export async function scrapeUntil(url: string, test: (exposition: Exposition) => boolean, timeoutMs = 10_000): Promise<Exposition> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const exposition = await scrape(url);
    if (test(exposition)) return exposition;
    if (Date.now() > deadline) throw new Error(`${url}: the condition did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
