/** Calendar days in a time zone, across DST changes. */
import { describe, expect, it } from "@jest/globals";
import { dayIn } from "../src/days.js";

describe("dayIn (Europe/Berlin)", () => {
  const berlin = (iso: string) => dayIn(new Date(iso), "Europe/Berlin");

  it("turns the day at local midnight in winter (UTC+1)", () => {
    expect(berlin("2027-03-01T22:59:59.999Z")).toBe("2027-03-01");
    expect(berlin("2027-03-01T23:00:00.000Z")).toBe("2027-03-02");
  });

  it("turns the day at local midnight in summer (UTC+2)", () => {
    expect(berlin("2027-07-14T21:59:59.999Z")).toBe("2027-07-14");
    expect(berlin("2027-07-14T22:00:00.000Z")).toBe("2027-07-15");
  });

  it("follows the spring change (28 March 2027: 02:00 CET → 03:00 CEST)", () => {
    expect(berlin("2027-03-27T22:59:59.999Z")).toBe("2027-03-27"); // 23:59:59 CET
    expect(berlin("2027-03-27T23:00:00.000Z")).toBe("2027-03-28"); // 00:00 CET
    expect(berlin("2027-03-28T00:59:59.999Z")).toBe("2027-03-28"); // 01:59:59 CET, the last minute before the change
    expect(berlin("2027-03-28T01:00:00.000Z")).toBe("2027-03-28"); // 03:00 CEST
    expect(berlin("2027-03-28T21:59:59.999Z")).toBe("2027-03-28"); // 23:59:59 CEST: the day had 23 hours
    expect(berlin("2027-03-28T22:00:00.000Z")).toBe("2027-03-29");
  });

  it("follows the autumn change (31 October 2027: 03:00 CEST → 02:00 CET)", () => {
    expect(berlin("2027-10-30T21:59:59.999Z")).toBe("2027-10-30"); // 23:59:59 CEST
    expect(berlin("2027-10-30T22:00:00.000Z")).toBe("2027-10-31");
    expect(berlin("2027-10-31T00:30:00.000Z")).toBe("2027-10-31"); // 02:30 CEST
    expect(berlin("2027-10-31T01:30:00.000Z")).toBe("2027-10-31"); // 02:30 CET, the same wall time again
    expect(berlin("2027-10-31T22:59:59.999Z")).toBe("2027-10-31"); // 23:59:59 CET: the day had 25 hours
    expect(berlin("2027-10-31T23:00:00.000Z")).toBe("2027-11-01");
  });

  it("puts the first hour of the local new year in the new year (an invoice's year)", () => {
    expect(berlin("2026-12-31T22:59:59.999Z")).toBe("2026-12-31");
    expect(berlin("2026-12-31T23:00:00.000Z")).toBe("2027-01-01");
  });

  it("does not depend on the process's time zone", () => {
    expect(dayIn(new Date("2027-03-01T23:30:00Z"), "UTC")).toBe("2027-03-01");
    expect(dayIn(new Date("2027-03-01T23:30:00Z"), "Asia/Tokyo")).toBe("2027-03-02");
    expect(dayIn(new Date("2027-03-01T03:30:00Z"), "America/New_York")).toBe("2027-02-28");
  });
});
