import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startHarness, type Harness } from "./support/harness.js";

describe("analyticsStatus", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.stop());

  it("answers a signed-in caller with the database's clock", async () => {
    const result = await harness.call("{ analyticsStatus { service databaseTime } }", { userId: randomUUID(), role: "PATIENT" });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ analyticsStatus: { service: "analytics", databaseTime: expect.any(String) } });
  });

  it("refuses an anonymous caller", async () => {
    const result = await harness.call("{ analyticsStatus { service } }");
    expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
