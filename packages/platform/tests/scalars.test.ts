import { describe, expect, it } from "@jest/globals";
import { GraphQLError } from "graphql";
import { DateTimeScalar, parseDate, parseDateTime } from "../src/scalars.js";

describe("DateTime scalar", () => {
  it("parses ISO-8601 with a zone designator and serializes as UTC", () => {
    expect(parseDateTime("2025-03-30T09:00:00+02:00").toISOString()).toBe("2025-03-30T07:00:00.000Z");
    expect(parseDateTime("2025-03-30T07:00Z").toISOString()).toBe("2025-03-30T07:00:00.000Z");
    expect(DateTimeScalar.serialize(new Date("2025-03-30T07:00:00Z"))).toBe("2025-03-30T07:00:00.000Z");
  });

  it.each(["2025-03-30T09:00:00", "2025-03-30", "2025-02-30T09:00:00Z", "yesterday", "2025-03-30T25:00:00Z", 1743318000000])(
    "refuses %p with BAD_USER_INPUT",
    (value) => {
      let error: unknown;
      try {
        parseDateTime(value);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(GraphQLError);
      expect((error as GraphQLError).extensions.code).toBe("BAD_USER_INPUT");
    },
  );
});

describe("Date scalar", () => {
  it("accepts YYYY-MM-DD calendar dates only", () => {
    expect(parseDate("2024-02-29").toISOString()).toBe("2024-02-29T00:00:00.000Z");
    expect(() => parseDate("2023-02-29")).toThrow(GraphQLError);
    expect(() => parseDate("2023-2-1")).toThrow(GraphQLError);
  });
});
