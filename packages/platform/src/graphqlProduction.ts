/**
 * graphql-js in production mode, whatever NODE_ENV says. graphql-js 16 decides once, when its `instanceOf` helper is
 * first loaded, whether every type check (`isObjectType`, `isSchema`, … thousands per request) also runs a
 * development-only test for two copies of graphql in one process, and it decides by NODE_ENV at that moment.
 * NODE_ENV means more than that here (the router serves GraphiQL and introspection unless it is `production`), and
 * a process may load graphql before its configuration is read. So each service's entry point imports this module
 * first: it loads that helper with NODE_ENV=production and puts NODE_ENV back as it was. Node resolves `graphql` to
 * its CommonJS build for both `import` and `require`, so every later import gets the production helper. Tests do not
 * import it and keep the development checks.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const previous = process.env.NODE_ENV;
process.env.NODE_ENV = "production";
try {
  require("graphql/jsutils/instanceOf.js");
} finally {
  if (previous === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = previous;
}
