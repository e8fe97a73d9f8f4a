import { describe, expect, it } from "@jest/globals";
import { GraphQLError } from "graphql";
import { createLogger } from "@clinigraph/platform";
import { UNREADABLE_DOCUMENT, createRouterErrorFormatter, withoutSuggestions } from "../src/errors.js";

const format = createRouterErrorFormatter(createLogger("test", "silent"));

describe("router error formatter", () => {
  it("answers a parser that gave up (out of call stack) with a plain syntax error, not the engine's words", () => {
    const overflow = new GraphQLError("Maximum call stack size exceeded", { originalError: new RangeError("Maximum call stack size exceeded") });
    expect(format({ message: overflow.message, extensions: { code: "GRAPHQL_PARSE_FAILED" } }, overflow)).toEqual({
      message: UNREADABLE_DOCUMENT,
      extensions: { code: "GRAPHQL_PARSE_FAILED" },
    });
  });

  it("keeps graphql-js's own syntax errors as they are", () => {
    const syntax = new GraphQLError("Syntax Error: Expected Name, found <EOF>.");
    expect(format({ message: syntax.message, extensions: { code: "GRAPHQL_PARSE_FAILED" } }, syntax).message).toBe(syntax.message);
  });

  it("suggests no schema names, in variable errors as in validation errors", () => {
    const enumMessage = 'Variable "$r" got invalid value; Value does not exist in "Role" enum. Did you mean the enum value "ADMIN"?';
    const err = new GraphQLError(enumMessage, { extensions: { code: "BAD_USER_INPUT" } });
    expect(format({ message: enumMessage, extensions: { code: "BAD_USER_INPUT" } }, err).message).toBe(
      'Variable "$r" got invalid value; Value does not exist in "Role" enum.',
    );
    expect(withoutSuggestions('Cannot query field "doctorz" on type "Query". Did you mean "doctor" or "doctors"?')).toBe(
      'Cannot query field "doctorz" on type "Query".',
    );
  });
});
