/**
 * Text PostgreSQL cannot store as sent: U+0000 (a `text` value refuses it, so the write failed as INTERNAL)
 * and unpaired UTF-16 surrogates (silently replaced by U+FFFD on the way to UTF-8, so the value read back
 * is not the value written). No field has a use for either. `storableTextPlugin` refuses a request that
 * carries one anywhere — in its variables (values and keys) or in a string literal of its document —
 * before any resolver runs: BAD_USER_INPUT, HTTP 400. Every subgraph server applies it.
 */
import { BREAK, GraphQLError, visit, type DocumentNode } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";

// eslint-disable-next-line no-control-regex -- U+0000 is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isStorableText = (text: string) => !UNSTORABLE.test(text);

/** Whether any string (or object key) inside `value` is not storable. Iterative: nesting depth is the caller's. */
export function hasUnstorableText(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === "string") {
      if (!isStorableText(item)) return true;
    } else if (Array.isArray(item)) {
      for (const inner of item) pending.push(inner);
    } else if (item && typeof item === "object") {
      for (const [key, inner] of Object.entries(item)) {
        if (!isStorableText(key)) return true;
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
      if (isStorableText(node.value)) return undefined;
      found = true;
      return BREAK;
    },
  });
  documentVerdicts.set(document, found);
  return found;
}

export const unstorableText = () =>
  new GraphQLError("Text must not contain NUL characters or unpaired surrogates", { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });

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
