import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startHarness, type Harness } from "./support/harness.js";

const READ = "{ myNotificationPreferences { language channels reminderOffsetsMinutes } }";
const UPDATE = `mutation($i: NotificationPreferencesInput!) {
  updateNotificationPreferences(input: $i) { language channels reminderOffsetsMinutes } }`;

describe("notification preferences on PostgreSQL", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  it("stores a user's change and reads it back; another user keeps the defaults", async () => {
    const me = { userId: randomUUID(), role: "PATIENT" as const };
    const other = { userId: randomUUID(), role: "DOCTOR" as const };
    h.phones.set(me.userId, "+82 10 1234 5678");
    const changed = await h.call(UPDATE, me, { i: { language: "ko", channels: ["SMS", "EMAIL"], reminderOffsetsMinutes: [120] } });
    expect(changed.errors).toBeUndefined();
    expect((await h.call(READ, me)).data).toEqual({ myNotificationPreferences: { language: "ko", channels: ["EMAIL", "SMS"], reminderOffsetsMinutes: [120] } });
    expect((await h.call(READ, other)).data).toEqual({
      myNotificationPreferences: { language: "en", channels: ["EMAIL"], reminderOffsetsMinutes: [1440, 60] },
    });
  });

  it("refuses an anonymous caller and bad input with codes", async () => {
    expect((await h.call(READ)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const bad = await h.call(UPDATE, { userId: randomUUID(), role: "PATIENT" }, { i: { reminderOffsetsMinutes: [1, 2] } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.reminderOffsetsMinutes" });
  });
});
