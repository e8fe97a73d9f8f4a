import { describe, expect, it } from "@jest/globals";
import { GraphQLError, Kind } from "graphql";
import { createErrorFormatter, forbidden } from "../src/errors.js";
import { DateScalar, ScalarInputError } from "../src/scalars.js";
import { createLogger } from "../src/logger.js";

const format = createErrorFormatter(createLogger("test", "silent"));

describe("error formatter", () => {
  it("keeps a domain error's code and field", () => {
    const err = new GraphQLError("x", { originalError: Object.assign(forbidden("No"), {}), path: ["a"] });
    expect(format({ message: "No", path: ["a"] }, err)).toEqual({ message: "No", path: ["a"], locations: undefined, extensions: { code: "FORBIDDEN" } });
  });

  it("masks unexpected errors, with no stack trace", () => {
    const err = new GraphQLError("boom at db.ts:12", { originalError: new TypeError("secret patient detail") });
    const out = format({ message: "secret patient detail", extensions: { code: "INTERNAL_SERVER_ERROR", stacktrace: ["at x"] } }, err);
    expect(out).toEqual({ message: "Unexpected error", locations: undefined, path: undefined, extensions: { code: "INTERNAL" } });
  });

  it("answers a literal a custom scalar refused (a validation error from the scalar's BAD_USER_INPUT) as BAD_USER_INPUT", () => {
    const refused = () => DateScalar.parseLiteral({ kind: Kind.STRING, value: "2026-02-30" });
    expect(refused).toThrow(ScalarInputError);
    let scalar: unknown;
    try {
      refused();
    } catch (err) {
      scalar = err;
    }
    const validation = new GraphQLError("Date is not a calendar day", { originalError: scalar as Error, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } });
    expect(format({ message: validation.message, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }, validation).extensions).toEqual({
      code: "BAD_USER_INPUT",
    });
    // Other validation errors keep their code, whatever code their cause carries (GraphQL Armor's limits say BAD_USER_INPUT).
    const limit = new GraphQLError("Query depth limit of 12 exceeded", { extensions: { code: "BAD_USER_INPUT" } });
    const armor = new GraphQLError(limit.message, { originalError: limit, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } });
    expect(format({ message: armor.message, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }, armor).extensions).toEqual({
      code: "GRAPHQL_VALIDATION_FAILED",
    });
  });

  it("passes GraphQL's own request errors through without stack traces", () => {
    const out = format({ message: "Syntax Error", extensions: { code: "GRAPHQL_PARSE_FAILED", stacktrace: ["at y"] } }, new GraphQLError("Syntax Error"));
    expect(out.extensions).toEqual({ code: "GRAPHQL_PARSE_FAILED" });
  });
});
