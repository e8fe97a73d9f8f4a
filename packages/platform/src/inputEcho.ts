/**
 * No caller input in error messages. graphql-js writes the offending value into its own request errors
 * (`Variable "$i" got invalid value { email: "…", password: "…" } at …`, `Value "…" does not exist in
 * "Gender" enum.`, `Int cannot represent non-integer value: "…"`), and those messages reach callers,
 * browser consoles and log pipelines. Domain errors never echo input (errors.ts); this covers the rest:
 *
 * 1. the value part of graphql-js's coercion messages is dropped (`got invalid value at "i.gender"`);
 * 2. then every string, number or unknown key the request carried (variables, and literals of the
 *    document that the schema does not define) is replaced by `[redacted]` wherever it still appears.
 *
 * Applied by `inputEchoPlugin` to request-level errors (BAD_USER_INPUT and GraphQL's parse/validation
 * errors) in every subgraph and in the router.
 */
import { isEnumType, isInputObjectType, visit, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";

export const REDACTED = "[redacted]";

/** Inputs shorter than this are not searched for (they are not identifying, and would garble messages). */
const MIN_LENGTH = 4;

/** A JSON / GraphQL string as graphql-js prints it (escaped quotes inside). */
const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`;
/** The printed value up to graphql-js's `at "path"; ` or `; ` (strings skipped whole, so a `; ` inside one does not end it). */
const VALUE = String.raw`(?:${QUOTED}|[^";])*?`;

const REWRITES: [RegExp, string][] = [
  // getVariableValues: `Variable "$i" got invalid value <value>[ at "<path>"]; <reason>`
  // (idempotent: a message already without its value keeps its path).
  [new RegExp(String.raw`^(Variable "\$[_A-Za-z][_0-9A-Za-z]*" got invalid value)(?: (?!at ")${VALUE})?((?: at "[^"]*")?; )`), "$1$2"],
  // enum: `Value "<value>" does not exist in "Gender" enum.`
  // (the value is printed raw between the quotes: everything up to the last "does not exist in" goes).
  [/\bValue "[\s\S]*" does not exist in (?="[^"]*" enum)/, "Value does not exist in "],
  // scalars: `Int cannot represent non-integer value: <value>`, `String cannot represent a non string value: <value>`, `Enum "X" cannot represent non-string value: <value>.`
  [/( cannot represent [^:;]*?value): [\s\S]*$/, "$1"],
  // literals: `Expected value of type "X", found <value>.` / `…found <value>; <reason>`
  [new RegExp(String.raw`(Expected value of type "[^"]*"), found ${VALUE}(\.$|; )`), "$1$2"],
];

/** Drops echoed input from one message: the graphql-js value slots first, then any remaining occurrence of `inputs`. */
export function redactInputEcho(message: string, inputs: Iterable<string>): string {
  let text = message;
  for (const [pattern, replacement] of REWRITES) text = text.replace(pattern, replacement);
  const sorted = [...new Set(inputs)].filter((s) => s.length >= MIN_LENGTH).sort((a, b) => b.length - a.length);
  for (const input of sorted) {
    for (const form of new Set([input, JSON.stringify(input).slice(1, -1)])) text = text.split(form).join(REDACTED);
  }
  return text;
}

/** Names the schema defines for inputs (enum values, input fields): literals and keys that are these are not caller data. */
const schemaNames = new WeakMap<GraphQLSchema, Set<string>>();
function namesOf(schema: GraphQLSchema | undefined): Set<string> {
  if (!schema) return new Set();
  let names = schemaNames.get(schema);
  if (!names) {
    names = new Set();
    for (const type of Object.values(schema.getTypeMap())) {
      if (isEnumType(type)) for (const value of type.getValues()) names.add(value.name);
      if (isInputObjectType(type)) for (const field of Object.keys(type.getFields())) names.add(field);
    }
    schemaNames.set(schema, names);
  }
  return names;
}

/** Every string and number a request carries (variables, and the document's literals), and keys or enum literals the schema does not know. */
export function requestInputs(request: { variables?: Record<string, unknown> | null; document?: DocumentNode; schema?: GraphQLSchema }): string[] {
  const known = namesOf(request.schema);
  const found: string[] = [];
  // An explicit stack, not recursion: variables nested 100 000 deep are valid JSON and must not overflow the call stack.
  const pending: unknown[] = [request.variables ?? {}];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === "string") found.push(value);
    else if (typeof value === "number" || typeof value === "bigint") found.push(String(value));
    else if (Array.isArray(value)) for (const item of value) pending.push(item);
    else if (value && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        if (!known.has(key)) found.push(key);
        pending.push(inner);
      }
    }
  }
  if (request.document) {
    visit(request.document, {
      StringValue(node) {
        found.push(node.value);
      },
      IntValue(node) {
        found.push(node.value);
      },
      FloatValue(node) {
        found.push(node.value);
      },
      EnumValue(node) {
        if (!known.has(node.value)) found.push(node.value);
      },
      ObjectField(node) {
        if (!known.has(node.name.value)) found.push(node.name.value);
      },
    });
  }
  return found;
}

const REQUEST_ERROR_CODES = new Set(["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED", "BAD_REQUEST"]);

export function redactErrors(errors: readonly GraphQLFormattedError[], inputs: readonly string[]): GraphQLFormattedError[] {
  return errors.map((error) => {
    const code = error.extensions?.code;
    if (typeof code !== "string" || !REQUEST_ERROR_CODES.has(code)) return error;
    const message = redactInputEcho(error.message, inputs);
    return message === error.message ? error : { ...error, message };
  });
}

/** Apollo Server plugin: request errors leave without the caller's input in their messages. */
export function inputEchoPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, document, schema, response }) {
          const body = response.body.kind === "single" ? response.body.singleResult : response.body.initialResult;
          if (!body.errors?.length) return;
          body.errors = redactErrors(body.errors, requestInputs({ variables: request.variables, document, schema }));
        },
      };
    },
  };
}
