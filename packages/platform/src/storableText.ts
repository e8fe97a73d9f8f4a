/**
 * Text no field has a use for, refused in every request:
 * - what PostgreSQL cannot store as sent: U+0000 (a `text` value refuses it, so the write failed as
 *   INTERNAL) and unpaired UTF-16 surrogates (silently replaced by U+FFFD on the way to UTF-8, so the value
 *   read back is not the value written);
 * - what changes how other text is shown: bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 *   U+2066–U+2069; "Trojan Source" reordering of names and notes) and C0/C1 control characters other than
 *   tab, line feed and carriage return (ESC sequences drive the terminal of whoever reads a log or an export).
 *   The left-to-right / right-to-left marks U+200E, U+200F stay allowed: they reorder nothing around them
 *   and right-to-left writing uses them.
 * `storableTextPlugin` refuses a request that carries one anywhere — in its variables (values and keys) or
 * in a string literal of its document — before any resolver runs: BAD_USER_INPUT, HTTP 400. Every subgraph
 * server applies it. `checkHumanText` is the same rule per field (plus "single line" for names), for the
 * domain layers.
 */
import { BREAK, GraphQLError, visit, type DocumentNode } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { badInput } from "./errors.js";

// eslint-disable-next-line no-control-regex -- U+0000 is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Bidirectional embeddings/overrides (U+202A–U+202E) and isolates (U+2066–U+2069). */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this looks for
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** Line breaks, for single-line fields. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;

export const isStorableText = (text: string) => !UNSTORABLE.test(text);

/** Any of the three, in one pass (every string of every request is checked). */
const UNSAFE = new RegExp(`${UNSTORABLE.source}|${BIDI_CONTROL.source}|${CONTROL.source}`);

/** Storable, and free of bidirectional controls and of control characters other than \t, \n, \r. */
export const isSafeText = (text: string) => !UNSAFE.test(text);

/**
 * Per-field form of the rule, for human text (names, bios, notes): BAD_USER_INPUT on `field` with a message
 * naming what is wrong, never the value. `singleLine` (names, places) also refuses tab and line breaks.
 */
export function checkHumanText(text: string, field: string, options: { singleLine?: boolean } = {}): string {
  if (BIDI_CONTROL.test(text)) throw badInput("Text must not contain bidirectional override or isolate characters (U+202A–U+202E, U+2066–U+2069)", field);
  if (CONTROL.test(text) || !isStorableText(text)) throw badInput("Text must not contain control characters (only tab and line breaks are allowed)", field);
  if (options.singleLine && (LINE_BREAK.test(text) || text.includes("\t"))) throw badInput("Must be a single line (no line breaks or tabs)", field);
  return text;
}

/** Whether any string (or object key) inside `value` is not safe text (`isSafeText`). Iterative: nesting depth is the caller's. */
export function hasUnstorableText(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === "string") {
      if (!isSafeText(item)) return true;
    } else if (Array.isArray(item)) {
      for (const inner of item) pending.push(inner);
    } else if (item && typeof item === "object") {
      for (const [key, inner] of Object.entries(item)) {
        if (!isSafeText(key)) return true;
        pending.push(inner);
      }
    }
  }
  return false;
}

/** Per parsed document: Apollo Server reuses the document of a query it has seen, so each is walked once. */
const documentVerdicts = new WeakMap<DocumentNode, boolean>();

export function documentHasUnstorableText(document: DocumentNode): boolean {
  let found = documentVerdicts.get(document);
  if (found !== undefined) return found;
  found = false;
  visit(document, {
    StringValue(node) {
      if (isSafeText(node.value)) return undefined;
      found = true;
      return BREAK;
    },
  });
  documentVerdicts.set(document, found);
  return found;
}

export const unstorableText = () =>
  new GraphQLError("Text must not contain control characters (other than tab and line breaks), bidirectional overrides or unpaired surrogates", {
    extensions: { code: "BAD_USER_INPUT", http: { status: 400 } },
  });

export function storableTextPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          if (hasUnstorableText(request.variables) || documentHasUnstorableText(document)) throw unstorableText();
        },
      };
    },
  };
}
