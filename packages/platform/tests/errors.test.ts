import { describe, expect, it } from "@jest/globals";
import { GraphQLError } from "graphql";
import { createErrorFormatter, forbidden } from "../src/errors.js";
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

  it("passes GraphQL's own request errors through without stack traces", () => {
    const out = format({ message: "Syntax Error", extensions: { code: "GRAPHQL_PARSE_FAILED", stacktrace: ["at y"] } }, new GraphQLError("Syntax Error"));
    expect(out.extensions).toEqual({ code: "GRAPHQL_PARSE_FAILED" });
  });
});
