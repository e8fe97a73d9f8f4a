import { describe, expect, it } from "@jest/globals";
import { buildSchema, getVariableValues, parse, validate, type OperationDefinitionNode } from "graphql";
import { captureLogs, createLogger } from "../src/logger.js";
import { REDACTED, redactErrors, redactInputEcho, requestInputs } from "../src/inputEcho.js";

const schema = buildSchema(`
  enum Gender { FEMALE MALE }
  input Person { name: String!, gender: Gender, age: Int }
  type Query { find(person: Person!, rating: Int): String }
`);
const OPERATION = parse(`query($p: Person!, $r: Int) { find(person: $p, rating: $r) }`);

/** The messages graphql-js itself writes for these variables. */
function coercionMessages(variables: Record<string, unknown>) {
  const definitions = (OPERATION.definitions[0] as OperationDefinitionNode).variableDefinitions ?? [];
  return (getVariableValues(schema, definitions, variables).errors ?? []).map((e) => e.message);
}

const SECRET = "Anna Secret-Patient";

describe("no caller input in request errors", () => {
  it.each([
    ["an unknown enum value", { p: { name: "x", gender: SECRET } }, 'Variable "$p" got invalid value at "p.gender"; Value does not exist in "Gender" enum.'],
    [
      "a value of the wrong type",
      { p: { name: { first: SECRET } } },
      'Variable "$p" got invalid value at "p.name"; String cannot represent a non string value',
    ],
    ["an Int given a string", { p: { name: "x" }, r: SECRET }, 'Variable "$r" got invalid value; Int cannot represent non-integer value'],
    [
      "a value with quotes and semicolons",
      { p: { name: "x", gender: `${SECRET}"; at "p"; x` } },
      'Variable "$p" got invalid value at "p.gender"; Value does not exist in "Gender" enum.',
    ],
  ])("drops %s from graphql-js's variable messages", (_name, variables, expected) => {
    const [message] = coercionMessages(variables);
    expect(message).toContain(SECRET.split(" ")[1]);
    expect(redactInputEcho(message!, [])).toBe(expected);
    expect(redactInputEcho(redactInputEcho(message!, []), [])).toBe(expected);
  });

  it("redacts whatever input is left, e.g. unknown keys and whole objects", () => {
    const variables = { p: { name: "Valid Name", password: "Secret-pass-1", [SECRET]: 1 } };
    const [message] = coercionMessages(variables);
    const inputs = requestInputs({ variables, schema });
    expect(inputs).toEqual(expect.arrayContaining(["Valid Name", "Secret-pass-1", SECRET, "password"]));
    expect(inputs).not.toContain("name"); // a field the schema defines
    const clean = redactInputEcho(message!, inputs);
    expect(clean).not.toMatch(/Secret|Valid Name/);
    expect(clean).toContain(REDACTED);
  });

  it("cleans literal values from validation errors, keeping the schema's own names", () => {
    const document = parse(`{ find(person: { name: 4711815, gender: ANNA_SECRET, age: "${SECRET}" }) }`);
    const messages = validate(schema, document).map((e) => e.message);
    expect(messages.join(" ")).toMatch(/4711815|ANNA_SECRET/);
    const inputs = requestInputs({ document, schema });
    expect(inputs).toEqual(expect.arrayContaining(["4711815", "ANNA_SECRET", SECRET]));
    for (const message of messages) expect(redactInputEcho(message, inputs)).not.toMatch(/4711815|ANNA_SECRET|Secret/);
  });

  it("walks variables nested deeper than the call stack (hostile JSON is still valid JSON)", () => {
    const deep = JSON.parse(`{"f":${"[".repeat(100_000)}"${SECRET}"${"]".repeat(100_000)}}`) as Record<string, unknown>;
    expect(requestInputs({ variables: deep, schema })).toEqual(["f", SECRET]);
  });

  it("touches only request errors, and leaves short values and clean messages alone", () => {
    const errors = [
      { message: `Variable "$r" got invalid value "${SECRET}"; Int cannot represent non-integer value: "${SECRET}"`, extensions: { code: "BAD_USER_INPUT" } },
      { message: `Unexpected error ${SECRET}`, extensions: { code: "INTERNAL" } },
      { message: "Rating must be a whole number from 1 to 5", extensions: { code: "BAD_USER_INPUT" } },
    ];
    const out = redactErrors(errors, [SECRET, "5"]);
    expect(out[0]!.message).toBe('Variable "$r" got invalid value; Int cannot represent non-integer value');
    expect(out[1]).toBe(errors[1]);
    expect(out[2]).toBe(errors[2]);
  });
});

describe("captureLogs", () => {
  it("sends every new logger's lines to the test at trace level, whatever level was asked for, until stopped", () => {
    const lines: string[] = [];
    const stop = captureLogs((line) => lines.push(line));
    try {
      const logger = createLogger("captured", "silent");
      logger.trace({ email: "a@b.cd", nationalId: "X-1" }, "hello");
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ name: "captured", msg: "hello", email: "[redacted]", nationalId: "[redacted]" });
    } finally {
      stop();
    }
    expect(createLogger("after", "silent").isLevelEnabled("info")).toBe(false);
  });
});
