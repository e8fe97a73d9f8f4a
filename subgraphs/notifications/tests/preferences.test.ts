import { describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { DomainError } from "@clinigraph/platform";
import { DEFAULT_PREFERENCES, myPreferences, updatePreferences, type PreferencesInput } from "../src/domain/preferences.js";
import { ContactsUnavailable, type ContactDirectory, type PreferencesRepository } from "../src/domain/ports.js";
import type { Actor, Preferences } from "../src/domain/types.js";

function fakeDeps(phone: string | null | "down" = null) {
  const stored = new Map<string, Preferences>();
  const preferences: PreferencesRepository = {
    find: async (id) => stored.get(id) ?? null,
    findMany: async (ids) => new Map(ids.flatMap((id) => (stored.has(id) ? [[id, stored.get(id)!] as const] : []))),
    save: async (id, p) => void stored.set(id, p),
  };
  const contacts: ContactDirectory = {
    phoneOf: async () => {
      if (phone === "down") throw new ContactsUnavailable("accounts: unreachable");
      return phone;
    },
    contactsOf: async () => [],
  };
  return { preferences, contacts, clock: () => new Date("2027-03-01T09:00:00Z"), stored };
}
const patient = (): Actor => ({ userId: randomUUID(), role: "PATIENT", requestId: randomUUID() });

async function refusal(input: PreferencesInput, phone: string | null | "down" = null) {
  const error = await updatePreferences(fakeDeps(phone), patient(), input).catch((err: unknown) => err);
  expect(error).toBeInstanceOf(DomainError);
  return { code: (error as DomainError).code, field: (error as DomainError).field };
}

describe("notification preferences", () => {
  it("are the defaults until changed: en, EMAIL, 1440 and 60 minutes", async () => {
    expect(await myPreferences(fakeDeps(), patient())).toEqual({ language: "en", channels: ["EMAIL"], reminderOffsetsMinutes: [1440, 60] });
    expect(DEFAULT_PREFERENCES).toEqual({ language: "en", channels: ["EMAIL"], reminderOffsetsMinutes: [1440, 60] });
  });

  it("normalises a change: language case, channels once in a fixed order, offsets once and largest first", async () => {
    const deps = fakeDeps("+33 6 12 34 56 78");
    const actor = patient();
    const saved = await updatePreferences(deps, actor, {
      language: " KO ",
      channels: ["PUSH", "SMS", "PUSH", "EMAIL"],
      reminderOffsetsMinutes: [60, 10080, 60, 5],
    });
    expect(saved).toEqual({ language: "ko", channels: ["EMAIL", "SMS", "PUSH"], reminderOffsetsMinutes: [10080, 60, 5] });
    expect(deps.stored.get(actor.userId)).toEqual(saved);
  });

  it("keeps the fields an update leaves out", async () => {
    const deps = fakeDeps();
    const actor = patient();
    await updatePreferences(deps, actor, { language: "ru" });
    expect(await updatePreferences(deps, actor, { reminderOffsetsMinutes: [30] })).toEqual({
      language: "ru",
      channels: ["EMAIL"],
      reminderOffsetsMinutes: [30],
    });
  });

  it.each([
    ["an unknown language", { language: "de" }, "input.language"],
    ["an unknown channel", { channels: ["FAX"] }, "input.channels"],
    ["a negative offset", { reminderOffsetsMinutes: [-60] }, "input.reminderOffsetsMinutes"],
    ["an offset under 5 minutes", { reminderOffsetsMinutes: [4] }, "input.reminderOffsetsMinutes"],
    ["an offset over 14 days", { reminderOffsetsMinutes: [14 * 1440 + 1] }, "input.reminderOffsetsMinutes"],
    ["more than 5 offsets", { reminderOffsetsMinutes: [5, 10, 15, 20, 25, 30] }, "input.reminderOffsetsMinutes"],
    ["SMS without a phone number", { channels: ["EMAIL", "SMS"] }, "input.channels"],
  ])("refuses %s (BAD_USER_INPUT on the field)", async (_what, input, field) => {
    expect(await refusal(input)).toEqual({ code: "BAD_USER_INPUT", field });
  });

  it("accepts the bounds: 5 minutes, 14 days, five offsets", async () => {
    const saved = await updatePreferences(fakeDeps(), patient(), { reminderOffsetsMinutes: [5, 14 * 1440, 60, 120, 1440] });
    expect(saved.reminderOffsetsMinutes).toEqual([14 * 1440, 1440, 120, 60, 5]);
  });

  it("answers SERVICE_UNAVAILABLE when accounts cannot say whether there is a phone number", async () => {
    expect(await refusal({ channels: ["SMS"] }, "down")).toEqual({ code: "SERVICE_UNAVAILABLE", field: undefined });
  });
});
