/**
 * Notification preferences through the router: every user has them (the defaults until changed), changes are
 * validated (BAD_USER_INPUT on the field), SMS needs a phone number on the account (notifications asks accounts as
 * the user), and the router refuses signed-out callers before the subgraph is called.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { uniqueEmail } from "@clinigraph/testing";
import { expectData, graphql, signIn, startStack, type Stack } from "../support/stack.js";

const READ = "{ myNotificationPreferences { language channels reminderOffsetsMinutes } }";
const UPDATE = `mutation($i: NotificationPreferencesInput!) {
  updateNotificationPreferences(input: $i) { language channels reminderOffsetsMinutes } }`;
const REGISTER = "mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken } }";

let stack: Stack;
let url: string;

async function patient(phone?: string): Promise<string> {
  const email = uniqueEmail("prefs");
  await expectData(url, REGISTER, { i: { email, password: "Patient-password-1", name: "Prefs Patient", ...(phone ? { phone } : {}) } });
  return signIn(url, email, "Patient-password-1");
}

beforeAll(async () => {
  stack = await startStack();
  url = stack.routerUrl;
});

afterAll(async () => {
  await stack?.stop();
});

describe("notification preferences", () => {
  it("start at the defaults and keep a user's change", async () => {
    const token = await patient();
    expect(await expectData(url, READ, {}, token)).toEqual({
      myNotificationPreferences: { language: "en", channels: ["EMAIL"], reminderOffsetsMinutes: [1440, 60] },
    });
    const changed = await expectData<{ updateNotificationPreferences: unknown }>(
      url,
      UPDATE,
      { i: { language: "fr", reminderOffsetsMinutes: [2880, 30] } },
      token,
    );
    expect(changed).toEqual({ updateNotificationPreferences: { language: "fr", channels: ["EMAIL"], reminderOffsetsMinutes: [2880, 30] } });
    expect(await expectData(url, READ, {}, token)).toEqual({ myNotificationPreferences: changed.updateNotificationPreferences });
  });

  it("refuses SMS without a phone number on the account, and takes it with one", async () => {
    const without = await graphql(url, UPDATE, { i: { channels: ["EMAIL", "SMS"] } }, await patient());
    expect(without.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.channels", serviceName: "notifications" });
    const withPhone = await expectData<{ updateNotificationPreferences: { channels: string[] } }>(
      url,
      UPDATE,
      { i: { channels: ["SMS"] } },
      await patient("+33 6 12 34 56 78"),
    );
    expect(withPhone.updateNotificationPreferences.channels).toEqual(["SMS"]);
  });

  it.each([
    ["an unknown language", { language: "xx" }, "input.language"],
    ["a negative offset", { reminderOffsetsMinutes: [-5] }, "input.reminderOffsetsMinutes"],
    ["too many offsets", { reminderOffsetsMinutes: [10, 20, 30, 40, 50, 60] }, "input.reminderOffsetsMinutes"],
  ])("refuses %s with BAD_USER_INPUT", async (_what, input, field) => {
    const answer = await graphql(url, UPDATE, { i: input }, await patient());
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field });
  });

  it("refuses a signed-out caller at the router", async () => {
    const answer = await graphql(url, READ);
    expect(answer.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
