import { describe, expect, it } from "@jest/globals";
import { folderClosedToOthers } from "../lib/embeddedPostgres.js";

/** Folder modes of a fake file system (default 0o755). */
const modes = (closed: Record<string, number>) => (folder: string) => closed[folder] ?? 0o755;

describe("folderClosedToOthers (embedded PostgreSQL started as root)", () => {
  it("names a private home above the checkout", () => {
    expect(folderClosedToOthers("/root/work/clinigraph/.clinigraph", modes({ "/root": 0o700 }))).toBe("/root");
  });

  it("names the highest closed folder first", () => {
    expect(folderClosedToOthers("/srv/a/b/.clinigraph", modes({ "/srv/a": 0o750, "/srv/a/b": 0o700 }))).toBe("/srv/a");
  });

  it("passes a checkout others can enter", () => {
    expect(folderClosedToOthers("/tmp/clinigraph/.clinigraph", modes({ "/tmp": 0o1777 }))).toBeNull();
  });
});
