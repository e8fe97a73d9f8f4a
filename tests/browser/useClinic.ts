/** The browser test files' set-up (apart from harness.ts, which the benchmark imports outside Jest). */
import { afterAll, beforeAll } from "@jest/globals";
import { startClinic, type Clinic } from "./harness.js";

/** The clinic of a test file: started before its tests (the shared stack, a browser of its own), stopped after them. */
export function useClinic(): () => Clinic {
  let clinic: Clinic | undefined;
  beforeAll(async () => {
    clinic = await startClinic();
  }, 240_000);
  afterAll(async () => {
    await clinic?.stop();
  });
  return () => {
    if (!clinic) throw new Error("the clinic is not started (useClinic runs in beforeAll)");
    return clinic;
  };
}
