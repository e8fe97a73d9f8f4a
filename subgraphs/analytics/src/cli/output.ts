/** What the analytics commands print: numbers with thousands separators, and an error as its one useful line. */

export const int = (n: number) => n.toLocaleString("en-US");
/** "1 day", "3 days". */
export const count = (n: number, what: string) => `${int(n)} ${what}${n === 1 ? "" : "s"}`;

/** The one line of an error worth showing: a driver's message ends with the database's own words. */
export const oneLine = (err: unknown) =>
  (err instanceof Error ? err.message : String(err))
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .at(-1) ?? "unknown error";
