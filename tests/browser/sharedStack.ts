/**
 * The browser tests' one stack (started by globalSetup.ts with tsx, stopped by globalTeardown.ts with SIGTERM): prints
 * `STACK <json>` once it is ready; on SIGTERM it stops the stack and drops its database.
 */
import { launchStack } from "./harness.js";

const stack = await launchStack();
console.log(`STACK ${JSON.stringify({ webUrl: stack.webUrl, routerUrl: stack.routerUrl, databaseUrl: stack.databaseUrl })}`);
process.once("SIGTERM", () => {
  void stack.stop().finally(() => process.exit(0));
});
